/**
 * An in-memory forge for simulations: repositories, branches, pull requests and checks as plain
 * data, a simulated clock, GitHub's content-creation limits applied as waiting time, and scripted
 * failures — consumers whose checks fail, flaky checks, API faults (some after the effect, so the
 * caller sees an error for something that happened), all from a seeded PRNG.
 */
import type { Edit } from '../../codemod/port.js';
import { ForgeError } from '../../util/errors.js';
import type { SimulatedClock } from '../../simulate/clock.js';
import { MUTATING_METHODS } from '../crash-injection.js';
import type {
  BranchInfo,
  CheckRun,
  CheckState,
  Checkout,
  CommitInfo,
  Forge,
  OpenPullRequest,
  PullRequestInfo,
  PushRequest,
  RepoInfo,
  RepoName,
  SearchCodeOptions,
  ReviewRequest,
} from '../port.js';

export interface MemoryRepoSpec {
  repo: RepoName;
  files: Record<string, string>;
  /** Checks fail on any change (a consumer the migration breaks). */
  failing?: boolean;
  /** Checks fail on their first run for a head, pass when re-run. */
  flaky?: boolean;
  /** The checks of the initial default-branch commit fail (a consumer already red before the migration). */
  redDefaultBranch?: boolean;
  /** The checks of a merge commit fail (the change passed its PR's checks, then broke the default branch). */
  failsAfterMerge?: boolean;
}

/** A scripted fault: the n-th call (1-based) of a mutating method fails transiently before or after its effect. */
export type ScriptedFault = (method: string, call: number) => 'before' | 'after' | null;

export interface MemoryForgeOptions {
  clock: SimulatedClock;
  random: () => number;
  /** Probability that any request fails with a transient error. */
  apiFaultRate?: number;
  /** How long checks take, in ms. */
  checkDurationMs?: number;
  /** Content-creating requests: at most this many a minute and an hour, at least `minGapMs` apart. */
  limits?: { perMinute: number; perHour: number; minGapMs: number };
  /** Simulated latency of every request, in ms. */
  latencyMs?: number;
  /** Scripted faults, besides the random ones of `apiFaultRate`. */
  faults?: ScriptedFault;
  /**
   * How long an open PR's branch seen by `findPullRequests` answers `getBranch` without a request, as
   * the GitHub adapter's PR query does (its `branchCacheMs`, default 60 s); 0 turns it off.
   */
  branchCacheMs?: number;
  /**
   * Code search answers as GitHub's does when it runs out of time (`incomplete_results: true`): the
   * repositories found so far, at most this many, and `onIncomplete`. Unset: complete answers.
   */
  incompleteSearch?: { found: number };
}

interface Commit {
  sha: string;
  parent: string | null;
  files: Map<string, string>;
  author: { name: string; email: string };
  message: string;
}

interface Repo {
  spec: MemoryRepoSpec;
  defaultBranch: string;
  commits: Map<string, Commit>;
  refs: Map<string, string>;
  pulls: PullRequestInfo[];
  /** Check runs by head sha: when they finish and how. */
  checks: Map<string, { doneAt: number; state: CheckState; runs: number }>;
}

const BOT = { name: 'fleetwave[bot]', email: 'fleetwave[bot]@users.noreply.local', login: 'fleetwave[bot]' };
const MUTATING = MUTATING_METHODS;

export class MemoryForge implements Forge {
  readonly kind = 'memory';
  readonly botIdentity = BOT;
  /**
   * Every API request made, by method, counted as GitHub would: list and search answers come in pages
   * of 100, pull requests are observed 50 repositories to a query, and a working copy is a git fetch,
   * not an API request (counted in `gitFetches`).
   */
  readonly requests = new Map<string, number>();
  /** Working copies fetched (git, outside the API's rate limit). */
  gitFetches = 0;
  /** Simulated time spent waiting for the content-creation limits, in ms. */
  rateLimitWaitMs = 0;
  private readonly repos = new Map<RepoName, Repo>();
  private readonly created: number[] = [];
  /** Calls of each mutating method so far (for scripted faults). */
  private readonly calls = new Map<string, number>();
  /** Branches of open PRs as of the last `findPullRequests`, by `repo\nbranch` (the adapter's cache). */
  private readonly seenBranches = new Map<string, number>();
  private seq = 0;

  constructor(
    specs: MemoryRepoSpec[],
    private readonly options: MemoryForgeOptions,
  ) {
    for (const spec of specs) {
      const sha = this.sha();
      const commit: Commit = {
        sha,
        parent: null,
        files: new Map(Object.entries(spec.files)),
        author: { name: 'Dana', email: 'dana@acme.example' },
        message: 'initial',
      };
      this.repos.set(spec.repo, {
        spec,
        defaultBranch: 'main',
        commits: new Map([[sha, commit]]),
        refs: new Map([['main', sha]]),
        pulls: [],
        checks: new Map(),
      });
    }
  }

  get totalRequests(): number {
    let n = 0;
    for (const v of this.requests.values()) n += v;
    return n;
  }

  /** Every pull request of a repository, oldest first (for duplicate counting). */
  pullsOf(repo: RepoName): readonly PullRequestInfo[] {
    return this.repo(repo).pulls;
  }

  async listRepositories(): Promise<RepoInfo[]> {
    await this.pages('listRepositories', this.repos.size, 100);
    return [...this.repos.values()].map((r) => this.info(r));
  }

  async getRepository(repo: RepoName): Promise<RepoInfo | null> {
    await this.request('getRepository', false);
    const r = this.repos.get(repo);
    return r ? this.info(r) : null;
  }

  async searchCode(text: string, options?: SearchCodeOptions): Promise<RepoName[]> {
    const found = [...this.repos.values()]
      .filter((r) => [...this.head(r).files.values()].some((f) => f.includes(text)))
      .map((r) => r.spec.repo);
    await this.pages('searchCode', found.length, 100);
    const partial = this.options.incompleteSearch;
    if (!partial) return found;
    options?.onIncomplete?.();
    return found.slice(0, partial.found);
  }

  async readFile(repo: RepoName, path: string, ref?: string): Promise<string | null> {
    await this.request('readFile', false);
    const r = this.repo(repo);
    const sha = ref ? (r.refs.get(ref) ?? ref) : r.refs.get(r.defaultBranch)!;
    return r.commits.get(sha)?.files.get(path) ?? null;
  }

  /** The memory forge has no working copies on disk: `dir` names the commit (`memory://repo@sha`). */
  async checkout(repo: RepoName, ref?: string): Promise<Checkout> {
    // Not timed: the simulation measures the API-bound time (working copies are fetched with git,
    // outside the API's rate limits); the count is reported as gitFetches.
    this.gitFetches++;
    const r = this.repo(repo);
    const sha = ref ? (r.refs.get(ref) ?? ref) : r.refs.get(r.defaultBranch)!;
    return { dir: `memory://${repo}@${sha}`, sha, dispose: async () => {} };
  }

  /** Files of a commit, for the simulation's change applier. */
  filesAt(repo: RepoName, sha: string): ReadonlyMap<string, string> {
    const c = this.repo(repo).commits.get(sha);
    if (!c) throw new ForgeError(`${repo}: no commit ${sha}`, false);
    return c.files;
  }

  async getBranch(repo: RepoName, branch: string): Promise<BranchInfo | null> {
    const seen = this.seenBranches.get(`${repo}\n${branch}`);
    if (seen === undefined || seen <= this.options.clock.ms() - (this.options.branchCacheMs ?? 60_000))
      await this.request('getBranch', false);
    const r = this.repo(repo);
    const sha = r.refs.get(branch);
    if (!sha) return null;
    return { name: branch, sha, commits: this.commitsNotOn(r, sha, r.refs.get(r.defaultBranch)!) };
  }

  async pushChanges(req: PushRequest): Promise<{ sha: string }> {
    return this.mutate('pushChanges', () => {
      const r = this.repo(req.repo);
      const current = r.refs.get(req.branch);
      if (current !== req.expectedHeadSha)
        throw new ForgeError(
          `${req.repo}: branch ${req.branch} moved (expected ${req.expectedHeadSha ?? 'none'}, found ${current ?? 'none'})`,
          false,
        );
      if (current && this.commitsNotOn(r, current, r.refs.get(r.defaultBranch)!).some((c) => !c.byBot)) {
        throw new ForgeError(`${req.repo}: branch ${req.branch} has a commit by someone else; not overwriting it`, false);
      }
      const base = r.commits.get(req.baseSha);
      if (!base) throw new ForgeError(`${req.repo}: no commit ${req.baseSha}`, false);
      const files = new Map(base.files);
      for (const e of req.edits) applyEdit(files, e);
      const sha = this.sha();
      r.commits.set(sha, { sha, parent: req.baseSha, files, author: BOT, message: req.message });
      r.refs.set(req.branch, sha);
      return { sha };
    });
  }

  async deleteBranch(repo: RepoName, branch: string, expectedSha: string): Promise<void> {
    return this.mutate('deleteBranch', () => {
      const r = this.repo(repo);
      if (branch === r.defaultBranch) throw new ForgeError(`${repo}: refusing to delete the default branch ${branch}`, false);
      const current = r.refs.get(branch);
      if (current === undefined) return;
      if (current !== expectedSha)
        throw new ForgeError(`${repo}: branch ${branch} moved (expected ${expectedSha}, found ${current}); not deleting it`, false);
      if (this.commitsNotOn(r, current, r.refs.get(r.defaultBranch)!).some((c) => !c.byBot))
        throw new ForgeError(`${repo}: branch ${branch} has a commit by someone else; not deleting it`, false);
      r.refs.delete(branch);
    });
  }

  /** A human pushes a commit on a branch (simulations and tests). */
  humanCommit(repo: RepoName, branch: string, path: string, text: string): string {
    const r = this.repo(repo);
    const parent = r.refs.get(branch)!;
    const files = new Map(r.commits.get(parent)!.files);
    files.set(path, text);
    const sha = this.sha();
    r.commits.set(sha, { sha, parent, files, author: { name: 'Ada Human', email: 'ada@acme.example' }, message: 'human fix' });
    r.refs.set(branch, sha);
    for (const pr of r.pulls) if (pr.branch === branch && pr.state === 'open') pr.headSha = sha;
    return sha;
  }

  async findPullRequests(repos: RepoName[], branch: string): Promise<Map<RepoName, PullRequestInfo>> {
    // One request per 50 repositories, as the GitHub adapter's batched GraphQL query costs.
    await this.pages('findPullRequests', repos.length, 50);
    const out = new Map<RepoName, PullRequestInfo>();
    const at = this.options.clock.ms();
    for (const repo of repos) {
      const r = this.repos.get(repo);
      const pr = r?.pulls.filter((p) => p.branch === branch).at(-1);
      if (r && pr) out.set(repo, this.withChecks(r, pr));
      // The GitHub adapter's query lists an open PR's branch commits too, sparing getBranch a request.
      if (pr?.state === 'open') this.seenBranches.set(`${repo}\n${branch}`, at);
      else this.seenBranches.delete(`${repo}\n${branch}`);
    }
    return out;
  }

  async openPullRequest(req: OpenPullRequest): Promise<PullRequestInfo> {
    return this.mutate('openPullRequest', () => {
      const r = this.repo(req.repo);
      if (r.pulls.some((p) => p.branch === req.branch && p.state === 'open'))
        throw new ForgeError(`${req.repo}: a pull request for ${req.branch} is already open`, false);
      const headSha = r.refs.get(req.branch);
      if (!headSha) throw new ForgeError(`${req.repo}: no branch ${req.branch}`, false);
      const number = r.pulls.length + 1;
      const pr: PullRequestInfo = {
        repo: req.repo,
        number,
        url: `memory://${req.repo}/pull/${number}`,
        state: 'open',
        title: req.title,
        body: req.body,
        branch: req.branch,
        baseBranch: req.base,
        headSha,
        createdAt: this.options.clock.now().toISOString(),
        checks: { state: 'pending', runs: [] },
        reviews: [],
        ...(req.draft ? { draft: true } : {}),
      };
      r.pulls.push(pr);
      this.startChecks(r, headSha);
      return { ...pr };
    });
  }

  async updatePullRequest(repo: RepoName, number: number, update: { title?: string; body?: string }): Promise<void> {
    await this.mutate('updatePullRequest', () => Object.assign(this.pull(repo, number), update));
  }

  async mergePullRequest(repo: RepoName, number: number, expectedHeadSha: string): Promise<{ sha: string }> {
    return this.mutate('mergePullRequest', () => {
      const r = this.repo(repo);
      const pr = this.pull(repo, number);
      if (pr.state === 'merged') return { sha: pr.mergeSha! };
      if (pr.state !== 'open') throw new ForgeError(`${repo}#${number} is ${pr.state}`, false);
      if (pr.draft) throw new ForgeError(`${repo}#${number} is a draft; it cannot be merged until marked ready for review`, false);
      if (pr.headSha !== expectedHeadSha) throw new ForgeError(`${repo}#${number}: head moved`, false);
      const head = r.commits.get(pr.headSha)!;
      const sha = this.sha();
      r.commits.set(sha, {
        sha,
        parent: r.refs.get(r.defaultBranch)!,
        files: new Map(head.files),
        author: BOT,
        message: `Merge #${number}`,
      });
      r.refs.set(r.defaultBranch, sha);
      Object.assign(pr, { state: 'merged', mergeSha: sha, mergedAt: this.options.clock.now().toISOString() });
      return { sha };
    });
  }

  async closePullRequest(repo: RepoName, number: number): Promise<void> {
    await this.mutate('closePullRequest', () =>
      Object.assign(this.pull(repo, number), { state: 'closed', closedAt: this.options.clock.now().toISOString() }),
    );
  }

  async revertPullRequest(repo: RepoName, number: number, reason: string): Promise<{ sha: string }> {
    return this.mutate('revertPullRequest', () => {
      const r = this.repo(repo);
      const pr = this.pull(repo, number) as PullRequestInfo & { revertSha?: string };
      if (pr.revertSha) return { sha: pr.revertSha };
      const merge = r.commits.get(pr.mergeSha!)!;
      const before = r.commits.get(merge.parent!)!;
      const sha = this.sha();
      r.commits.set(sha, {
        sha,
        parent: r.refs.get(r.defaultBranch)!,
        files: new Map(before.files),
        author: BOT,
        message: `Revert #${number}: ${reason}`,
      });
      r.refs.set(r.defaultBranch, sha);
      pr.revertSha = sha;
      return { sha };
    });
  }

  async requestReviewers(repo: RepoName, number: number, _reviewers: ReviewRequest): Promise<void> {
    await this.mutate('requestReviewers', () => void this.pull(repo, number));
  }

  async comment(repo: RepoName, number: number, _body: string): Promise<void> {
    await this.mutate('comment', () => void this.pull(repo, number));
  }

  /** Re-run the checks of a pull request's head (a flaky check passes the second time). */
  async rerunChecks(repo: RepoName, number: number): Promise<void> {
    await this.mutate('rerunChecks', () => {
      const r = this.repo(repo);
      const pr = this.pull(repo, number);
      const prev = r.checks.get(pr.headSha);
      this.startChecks(r, pr.headSha, (prev?.runs ?? 0) + 1);
    });
  }

  async getCommitChecks(repo: RepoName, sha: string): Promise<{ state: CheckState; runs: CheckRun[] }> {
    await this.request('getCommitChecks', false);
    const r = this.repo(repo);
    const commit = r.commits.get(sha);
    const red = (r.spec.redDefaultBranch && commit?.parent === null) || (r.spec.failsAfterMerge && commit?.message.startsWith('Merge #'));
    const state: CheckState = red ? 'failure' : 'success';
    return { state, runs: [{ name: 'test', state }] };
  }

  // ── internals ──

  private startChecks(r: Repo, sha: string, run = 1): void {
    const failing = r.spec.failing || (r.spec.flaky && run === 1);
    r.checks.set(sha, {
      doneAt: this.options.clock.ms() + (this.options.checkDurationMs ?? 10 * 60_000),
      state: failing ? 'failure' : 'success',
      runs: run,
    });
  }

  /** When the next pending check finishes (the simulation advances the clock to it). */
  nextCheckAt(): number | null {
    let next: number | null = null;
    const now = this.options.clock.ms();
    for (const r of this.repos.values())
      for (const c of r.checks.values()) if (c.doneAt > now && (next === null || c.doneAt < next)) next = c.doneAt;
    return next;
  }

  private withChecks(r: Repo, pr: PullRequestInfo): PullRequestInfo {
    const c = r.checks.get(pr.headSha);
    const state: CheckState = !c ? 'none' : c.doneAt > this.options.clock.ms() ? 'pending' : c.state;
    return { ...pr, checks: { state, runs: [{ name: 'test', state, summary: state === 'failure' ? 'tests failed' : undefined }] } };
  }

  /** A paged or batched read: one request per `per` items (at least one). */
  private async pages(method: string, items: number, per: number): Promise<void> {
    for (let i = 0; i < Math.max(1, Math.ceil(items / per)); i++) await this.request(method, false);
  }

  private async request(method: string, mutating: boolean): Promise<void> {
    this.requests.set(method, (this.requests.get(method) ?? 0) + 1);
    const clock = this.options.clock;
    clock.advance(this.options.latencyMs ?? 200);
    if (mutating && this.options.limits) {
      const { perMinute, perHour, minGapMs } = this.options.limits;
      for (;;) {
        const now = clock.ms();
        while (this.created.length && this.created[0]! <= now - 3_600_000) this.created.shift();
        const last = this.created.at(-1);
        const inMinute = this.created.filter((t) => t > now - 60_000);
        let waitUntil = now;
        if (last !== undefined) waitUntil = Math.max(waitUntil, last + minGapMs);
        if (inMinute.length >= perMinute) waitUntil = Math.max(waitUntil, inMinute[inMinute.length - perMinute]! + 60_000);
        if (this.created.length >= perHour) waitUntil = Math.max(waitUntil, this.created[this.created.length - perHour]! + 3_600_000);
        if (waitUntil <= now) break;
        this.rateLimitWaitMs += waitUntil - now;
        clock.advanceTo(waitUntil);
      }
      this.created.push(clock.ms());
    }
  }

  private async mutate<T>(method: string, effect: () => T): Promise<T> {
    await this.request(method, MUTATING.has(method));
    const call = (this.calls.get(method) ?? 0) + 1;
    this.calls.set(method, call);
    let fault: 'before' | 'after' | null = this.options.faults?.(method, call) ?? null;
    if (!fault && (this.options.apiFaultRate ?? 0) > 0 && this.options.random() < this.options.apiFaultRate!)
      fault = this.options.random() < 0.5 ? 'before' : 'after';
    if (fault === 'before') throw new ForgeError(`${method}: simulated 502 from the API (nothing happened)`, true);
    const result = effect();
    if (fault === 'after') throw new ForgeError(`${method}: simulated timeout (the change was made, the answer was lost)`, true);
    return result;
  }

  private repo(repo: RepoName): Repo {
    const r = this.repos.get(repo);
    if (!r) throw new ForgeError(`no repository ${repo}`, false);
    return r;
  }

  private pull(repo: RepoName, number: number): PullRequestInfo {
    const pr = this.repo(repo).pulls.find((p) => p.number === number);
    if (!pr) throw new ForgeError(`${repo}: no pull request #${number}`, false);
    return pr;
  }

  private head(r: Repo): Commit {
    return r.commits.get(r.refs.get(r.defaultBranch)!)!;
  }

  private info(r: Repo): RepoInfo {
    return {
      repo: r.spec.repo,
      defaultBranch: r.defaultBranch,
      headSha: r.refs.get(r.defaultBranch)!,
      archived: false,
      optedOut: this.head(r).files.has('.fleetwave/opt-out'),
    };
  }

  private commitsNotOn(r: Repo, head: string, base: string): CommitInfo[] {
    const onBase = new Set<string>();
    for (let s: string | null = base; s; s = r.commits.get(s)?.parent ?? null) onBase.add(s);
    const out: CommitInfo[] = [];
    for (let s: string | null = head; s && !onBase.has(s); s = r.commits.get(s)?.parent ?? null) {
      const c = r.commits.get(s)!;
      out.unshift({
        sha: c.sha,
        authorName: c.author.name,
        authorEmail: c.author.email,
        byBot: c.author.email === BOT.email,
        message: c.message,
      });
    }
    return out;
  }

  private sha(): string {
    return (++this.seq).toString(16).padStart(40, '0');
  }
}

function applyEdit(files: Map<string, string>, e: Edit): void {
  if (e.after === null) files.delete(e.path);
  else files.set(e.path, e.after);
}
