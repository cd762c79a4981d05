/**
 * The local forge: the Forge port over a folder of bare git repositories (see layout.ts). Branches,
 * merges and reverts are real git operations that move refs only by compare-and-swap; pull requests,
 * comments, reviews and check results are JSON records under `<fleet>/.forge/`. Every method reads
 * what is true now, so a crash between any two steps leaves a state the next call can read.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { ForgeError, InputError } from '../../util/errors.js';
import { silentLogger, type Logger } from '../../util/log.js';
import type {
  BranchInfo,
  CheckRun,
  CheckState,
  Checkout,
  Forge,
  OpenPullRequest,
  PullRequestInfo,
  PushRequest,
  RepoInfo,
  RepoName,
  Review,
  ReviewRequest,
} from '../port.js';
import { CheckRunner, type CheckSummary } from './checks.js';
import { buildCommit, checkRepoPath } from './commit-builder.js';
import { KeyedMutex, mapLimit } from './concurrency.js';
import { commitEnv, git, gitStats, revParse } from './git.js';
import { FleetLayout, isBareRepository, parseRepoName } from './layout.js';
import { readPulls, writePulls, type PullComment, type PullRecord, type PullsFile } from './pull-records.js';
import {
  commitsBetween,
  committerOf,
  compareAndSwapRef,
  defaultBranchOf,
  deleteRefIfAt,
  findMergeOf,
  findRevertOf,
  isAncestor,
  isValidBranchName,
  repoState,
} from './repo-queries.js';
import { CommitFacts } from './memo.js';
import { branchHead } from './refs.js';
import { exportAt } from './working-copy.js';

export interface BotIdentity {
  name: string;
  email: string;
  login: string;
}

export const DEFAULT_BOT: BotIdentity = {
  name: 'fleetwave[bot]',
  email: 'fleetwave-bot@users.noreply.fleetwave.invalid',
  login: 'fleetwave[bot]',
};

export interface LocalForgeOptions {
  /** Who the forge's commits are by; `byBot` compares author emails with `bot.email`. */
  bot?: BotIdentity;
  /** A check run longer than this fails with "timed out after N s". Default 10 minutes. */
  checkTimeoutMs?: number;
  /** How many checks run at once. Default 2. */
  checkConcurrency?: number;
  /** Linked as `node_modules` into each check's clone (and its `.bin` put first on PATH). */
  toolchainNodeModules?: string;
  /** Extra environment for checks. */
  checkEnv?: Record<string, string>;
  logger?: Logger;
  /** The clock for records and commit dates (tests). */
  now?: () => Date;
}

/** A pull request as the local forge keeps it: the port's view plus comments and the revert reason. */
export interface LocalPullRequest extends PullRequestInfo {
  comments: PullComment[];
  /** Reviews requested (`requestReviewers`). */
  requestedReviewers?: ReviewRequest;
  revertReason?: string;
}

/** How many repositories are read at once (git calls, not checks). */
const READ_CONCURRENCY = 4;

export class LocalForge implements Forge {
  readonly kind = 'local';
  readonly botIdentity: BotIdentity;
  readonly layout: FleetLayout;
  readonly checks: CheckRunner;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly locks = new KeyedMutex();
  /** Immutable facts about commits, remembered (see memo.ts). */
  private readonly facts = new CommitFacts();
  private readonly knownCommits = new Set<string>();

  constructor(
    readonly fleetDir: string,
    options: LocalForgeOptions = {},
  ) {
    this.layout = new FleetLayout(fleetDir);
    this.botIdentity = options.bot ?? DEFAULT_BOT;
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? (() => new Date());
    this.checks = new CheckRunner({
      layout: this.layout,
      timeoutMs: options.checkTimeoutMs ?? 10 * 60_000,
      concurrency: options.checkConcurrency ?? 2,
      toolchainNodeModules: options.toolchainNodeModules,
      env: options.checkEnv,
      logger: this.logger,
      now: this.now,
    });
  }

  // ── repositories ────────────────────────────────────────────────────────────────────────────

  async listRepositories(): Promise<RepoInfo[]> {
    const names = await this.layout.scanRepositories();
    const archived = await this.archivedSet();
    const infos = await mapLimit(names, READ_CONCURRENCY, (repo) => this.repoInfo(repo, archived));
    return infos.filter((i): i is RepoInfo => i !== null);
  }

  async getRepository(repo: RepoName): Promise<RepoInfo | null> {
    if (!isBareRepository(this.layout.repoDir(repo))) return null;
    return this.repoInfo(repo, await this.archivedSet());
  }

  private async repoInfo(repo: RepoName, archived: Set<string>): Promise<RepoInfo | null> {
    const state = await repoState(this.layout.repoDir(repo), this.facts);
    if (!state.headSha) {
      this.logger.warn({ repo }, 'repository has no commit on its default branch; left out');
      return null;
    }
    return { repo, defaultBranch: state.defaultBranch, headSha: state.headSha, archived: archived.has(repo), optedOut: state.optedOut };
  }

  /** Archived repositories: `.forge/archived`, one `owner/name` a line (`#` starts a comment). */
  private async archivedSet(): Promise<Set<string>> {
    const text = await readFile(this.layout.archivedFile, 'utf8').catch(() => '');
    return new Set(
      text
        .split('\n')
        .map((l) => l.replace(/#.*/, '').trim())
        .filter(Boolean),
    );
  }

  /** Mark a repository archived (or not): it stays listed, with `archived: true`. */
  async setArchived(repo: RepoName, archived: boolean): Promise<void> {
    this.gitDirOf(repo);
    await this.locks.run('.forge/archived', async () => {
      const set = await this.archivedSet();
      if (archived) set.add(repo);
      else set.delete(repo);
      await writeFileAtomic(
        this.layout.archivedFile,
        [...set]
          .sort()
          .map((r) => `${r}\n`)
          .join(''),
      );
    });
  }

  /** Reads every file of every repository: the answer is never partial (no `onIncomplete`). */
  async searchCode(text: string): Promise<RepoName[]> {
    if (!text) throw new InputError('searchCode needs a non-empty text to search for');
    const names = await this.layout.scanRepositories();
    const hits = await mapLimit(names, READ_CONCURRENCY, async (repo) => {
      const gitDir = this.layout.repoDir(repo);
      const { headSha } = await repoState(gitDir, this.facts);
      if (!headSha) return null;
      const found = await this.facts.get(
        `${gitDir}\0grep\0${headSha}\0${text}`,
        async () => (await git(['grep', '-q', '-I', '-F', '-e', text, headSha, '--'], { gitDir, okCodes: [1] })).code === 0,
      );
      return found ? repo : null;
    });
    return hits.filter((r): r is RepoName => r !== null);
  }

  async readFile(repo: RepoName, path: string, ref?: string): Promise<string | null> {
    const gitDir = this.gitDirOf(repo);
    checkRepoPath(path);
    const sha = await this.resolve(repo, gitDir, ref);
    const out = await git(['cat-file', 'blob', `${sha}:${path}`], { gitDir, okCodes: [128] });
    return out.code === 0 ? out.stdout : null;
  }

  async checkout(repo: RepoName, ref?: string): Promise<Checkout> {
    const gitDir = this.gitDirOf(repo);
    const sha = await this.resolve(repo, gitDir, ref);
    const copy = await exportAt(gitDir, sha, 'checkout');
    return { dir: copy.dir, sha, dispose: copy.dispose };
  }

  // ── branches ────────────────────────────────────────────────────────────────────────────────

  async getBranch(repo: RepoName, branch: string): Promise<BranchInfo | null> {
    const gitDir = this.gitDirOf(repo);
    if (!(await isValidBranchName(branch))) return null;
    const sha = await branchHead(gitDir, branch);
    if (!sha) return null;
    const base = await branchHead(gitDir, await defaultBranchOf(gitDir));
    const commits = await this.commitsBetween(gitDir, base, sha);
    return { name: branch, sha, commits: commits.map((c) => ({ ...c, byBot: this.isBot(c.authorEmail) })) };
  }

  async pushChanges(request: PushRequest): Promise<{ sha: string }> {
    const { repo, branch } = request;
    const gitDir = this.gitDirOf(repo);
    if (!(await isValidBranchName(branch))) throw new InputError(`"${branch}" is not a valid branch name`);
    return this.locks.run(repo, async () => {
      const defaultBranch = await defaultBranchOf(gitDir);
      if (branch === defaultBranch)
        throw new ForgeError(`${repo}: refusing to push to the default branch ${branch}; the forge pushes only to its own branches`, false);
      const ref = `refs/heads/${branch}`;
      const current = await branchHead(gitDir, branch);
      const expected = request.expectedHeadSha ?? null;
      if (current !== expected) {
        throw new ForgeError(
          expected === null
            ? `${repo}: branch ${branch} already exists at ${current}, expected it not to exist; read it (getBranch) before pushing`
            : current === null
              ? `${repo}: branch ${branch} no longer exists (expected it at ${expected}); read it again before pushing`
              : `${repo}: branch ${branch} is at ${current}, not at ${expected} as expected; someone pushed to it: read it again before pushing`,
          false,
        );
      }
      if (current) {
        const base = await branchHead(gitDir, defaultBranch);
        const foreign = (await this.commitsBetween(gitDir, base, current)).find((c) => !this.isBot(c.authorEmail));
        if (foreign) {
          throw new ForgeError(
            `${repo}: branch ${branch} has commit ${foreign.sha.slice(0, 7)} by ${foreign.authorName} <${foreign.authorEmail}>; a human's commit is never overwritten: merge or close it by hand`,
            false,
          );
        }
      }
      const baseSha = await this.commitOf(gitDir, request.baseSha);
      if (!baseSha) throw new ForgeError(`${repo}: base commit ${request.baseSha} does not exist`, false);
      const changes = request.edits.filter((e) => e.before !== null || e.after !== null).map((e) => ({ path: e.path, content: e.after }));
      const bot = this.botIdentity;
      const built = await buildCommit(gitDir, {
        repo,
        parents: [baseSha],
        changes,
        message: request.message,
        author: bot,
        committer: bot,
        date: this.now(),
      });
      if (built.tree === built.parentTree)
        throw new ForgeError(`${repo}: the edits change nothing on top of ${baseSha.slice(0, 7)}; nothing to push`, false);
      if (!(await compareAndSwapRef(gitDir, ref, built.sha, current, `fleetwave: push ${branch}`))) {
        throw new ForgeError(`${repo}: branch ${branch} moved while pushing; read it again before pushing`, false);
      }
      this.logger.debug({ repo, branch, sha: built.sha }, 'pushed');
      return { sha: built.sha };
    });
  }

  async deleteBranch(repo: RepoName, branch: string, expectedSha: string): Promise<void> {
    const gitDir = this.gitDirOf(repo);
    if (!(await isValidBranchName(branch))) throw new InputError(`"${branch}" is not a valid branch name`);
    await this.locks.run(repo, async () => {
      const defaultBranch = await defaultBranchOf(gitDir);
      if (branch === defaultBranch) throw new ForgeError(`${repo}: refusing to delete the default branch ${branch}`, false);
      const current = await branchHead(gitDir, branch);
      if (current === null) return;
      if (current !== expectedSha)
        throw new ForgeError(
          `${repo}: branch ${branch} is at ${current}, not at ${expectedSha} as expected; someone pushed to it: not deleting it`,
          false,
        );
      const base = await branchHead(gitDir, defaultBranch);
      const foreign = (await this.commitsBetween(gitDir, base, current)).find((c) => !this.isBot(c.authorEmail));
      if (foreign)
        throw new ForgeError(
          `${repo}: branch ${branch} has commit ${foreign.sha.slice(0, 7)} by ${foreign.authorName} <${foreign.authorEmail}>; a human's commit is never deleted: delete the branch by hand if it is no longer needed`,
          false,
        );
      if (!(await deleteRefIfAt(gitDir, `refs/heads/${branch}`, current, `fleetwave: delete ${branch}`)))
        throw new ForgeError(`${repo}: branch ${branch} moved while deleting it; read it again`, false);
      this.logger.debug({ repo, branch, sha: current }, 'deleted branch');
    });
  }

  // ── pull requests ───────────────────────────────────────────────────────────────────────────

  async findPullRequests(repos: RepoName[], branch: string): Promise<Map<RepoName, PullRequestInfo>> {
    const found = await mapLimit(repos, READ_CONCURRENCY, async (repo) => {
      if (!isBareRepository(this.layout.repoDir(repo))) return null;
      const record = await this.locks.run(repo, async () => {
        const file = await this.refreshed(repo);
        const newest = file.pulls.filter((p) => p.branch === branch).sort((a, b) => b.number - a.number)[0];
        return newest ?? null;
      });
      return record ? await this.toInfo(repo, record) : null;
    });
    const result = new Map<RepoName, PullRequestInfo>();
    for (const pr of found) if (pr) result.set(pr.repo, pr);
    return result;
  }

  /** One pull request with its comments, or null. */
  async getPullRequest(repo: RepoName, number: number): Promise<LocalPullRequest | null> {
    this.gitDirOf(repo);
    const record = await this.locks.run(repo, async () => (await this.refreshed(repo)).pulls.find((p) => p.number === number) ?? null);
    if (!record) return null;
    return {
      ...(await this.toInfo(repo, record)),
      comments: record.comments,
      ...(record.requestedReviewers ? { requestedReviewers: record.requestedReviewers } : {}),
      ...(record.revertReason ? { revertReason: record.revertReason } : {}),
    };
  }

  async openPullRequest(request: OpenPullRequest): Promise<PullRequestInfo> {
    const { repo, branch, base } = request;
    const gitDir = this.gitDirOf(repo);
    const record = await this.locks.run(repo, async () => {
      const head = await branchHead(gitDir, branch);
      if (!head) throw new ForgeError(`${repo}: no branch ${branch}; push it before opening a pull request`, false);
      const baseHead = await branchHead(gitDir, base);
      if (!baseHead) throw new ForgeError(`${repo}: no base branch ${base}`, false);
      const file = await this.refreshed(repo);
      const open = file.pulls.find((p) => p.branch === branch && p.state === 'open');
      if (open)
        throw new ForgeError(
          `${repo}: pull request #${open.number} is already open for ${branch}; update it instead of opening another`,
          false,
        );
      if (await this.isAncestor(gitDir, head, baseHead))
        throw new ForgeError(`${repo}: no commits between ${base} and ${branch}; nothing to propose`, false);
      const at = this.now().toISOString();
      const pr: PullRecord = {
        number: file.nextNumber,
        title: request.title,
        body: request.body,
        branch,
        baseBranch: base,
        headSha: head,
        state: 'open',
        createdAt: at,
        updatedAt: at,
        comments: [],
        reviews: [],
        ...(request.draft ? { draft: true } : {}),
      };
      // Number and record are one write: a crash leaves either no pull request or this one.
      await writePulls(this.layout.pullsFile(repo), { ...file, nextNumber: file.nextNumber + 1, pulls: [...file.pulls, pr] });
      this.logger.debug({ repo, number: pr.number, branch }, 'opened pull request');
      return pr;
    });
    // Checks have not run yet for a new head: report them pending, as a hosted CI would.
    return this.toInfo(repo, record, { run: false });
  }

  async updatePullRequest(repo: RepoName, number: number, update: { title?: string; body?: string }): Promise<void> {
    await this.mutate(repo, number, (pr) => {
      if (update.title !== undefined) pr.title = update.title;
      if (update.body !== undefined) pr.body = update.body;
    });
  }

  async mergePullRequest(repo: RepoName, number: number, expectedHeadSha: string): Promise<{ sha: string }> {
    const gitDir = this.gitDirOf(repo);
    return this.locks.run(repo, async () => {
      const file = await this.refreshed(repo);
      const pr = this.pull(repo, file, number);
      if (pr.state !== 'open') throw new ForgeError(`${repo}#${number} is ${pr.state}, not open; it cannot be merged`, false);
      // As GitHub: a draft cannot be merged until a person marks it ready for review (docs/github-behaviour.md).
      if (pr.draft)
        throw new ForgeError(
          `${repo}#${number} is a draft; it cannot be merged until a person marks it ready for review (set "draft": false in ${this.layout.pullsFile(repo)})`,
          false,
        );
      const head = await branchHead(gitDir, pr.branch);
      if (!head) throw new ForgeError(`${repo}#${number}: its branch ${pr.branch} is gone; it cannot be merged`, false);
      if (head !== expectedHeadSha)
        throw new ForgeError(`${repo}#${number}: head is ${head}, not ${expectedHeadSha} as expected; read it again before merging`, false);
      const baseRef = `refs/heads/${pr.baseBranch}`;
      const baseHead = await branchHead(gitDir, pr.baseBranch);
      if (!baseHead) throw new ForgeError(`${repo}#${number}: base branch ${pr.baseBranch} is gone`, false);
      const merged = await git(['merge-tree', '--write-tree', '--name-only', '--no-messages', baseHead, head], { gitDir, okCodes: [1] });
      const [tree, ...conflicts] = merged.stdout.trim().split('\n');
      if (merged.code !== 0) {
        throw new ForgeError(
          `${repo}#${number}: merge conflict with ${pr.baseBranch} in ${conflicts.filter(Boolean).join(', ') || 'some files'}; update the branch first`,
          false,
        );
      }
      const bot = this.botIdentity;
      const message = `Merge pull request #${number} from ${pr.branch}\n\n${pr.title}\n`;
      const sha = (
        await git(['commit-tree', tree!, '-p', baseHead, '-p', head, '-F', '-'], {
          gitDir,
          input: message,
          env: commitEnv(bot, bot, this.now()),
        })
      ).stdout.trim();
      if (!(await compareAndSwapRef(gitDir, baseRef, sha, baseHead, `fleetwave: merge #${number}`))) {
        throw new ForgeError(`${repo}#${number}: ${pr.baseBranch} moved while merging; try again`, true);
      }
      // A crash here leaves the merge on the base branch and the record open: `refreshed` repairs it.
      const at = this.now().toISOString();
      Object.assign(pr, { state: 'merged', headSha: head, mergeSha: sha, mergedAt: at, closedAt: at, closedBy: bot.login, updatedAt: at });
      await writePulls(this.layout.pullsFile(repo), file);
      this.logger.debug({ repo, number, sha }, 'merged pull request');
      return { sha };
    });
  }

  async closePullRequest(repo: RepoName, number: number): Promise<void> {
    await this.close(repo, number, this.botIdentity.login);
  }

  /** Close as someone else (tests and the CLI play the human who closes a pull request). */
  async closePullRequestAs(repo: RepoName, number: number, login: string): Promise<void> {
    await this.close(repo, number, login);
  }

  private async close(repo: RepoName, number: number, login: string): Promise<void> {
    const gitDir = this.gitDirOf(repo);
    await this.locks.run(repo, async () => {
      const file = await this.refreshed(repo);
      const pr = this.pull(repo, file, number);
      if (pr.state === 'closed') return;
      if (pr.state === 'merged') throw new ForgeError(`${repo}#${number} is merged; it cannot be closed`, false);
      const at = this.now().toISOString();
      const head = (await branchHead(gitDir, pr.branch)) ?? pr.headSha;
      Object.assign(pr, { state: 'closed', headSha: head, closedAt: at, closedBy: login, updatedAt: at });
      await writePulls(this.layout.pullsFile(repo), file);
    });
  }

  async revertPullRequest(repo: RepoName, number: number, reason: string): Promise<{ sha: string; pr?: PullRequestInfo }> {
    const gitDir = this.gitDirOf(repo);
    return this.locks.run(repo, async () => {
      const file = await this.refreshed(repo);
      const pr = this.pull(repo, file, number);
      if (pr.state !== 'merged' || !pr.mergeSha)
        throw new ForgeError(`${repo}#${number} is ${pr.state}, not merged; there is nothing to revert`, false);
      if (pr.revertSha) return { sha: pr.revertSha };
      const baseRef = `refs/heads/${pr.baseBranch}`;
      const baseHead = await branchHead(gitDir, pr.baseBranch);
      if (!baseHead) throw new ForgeError(`${repo}#${number}: base branch ${pr.baseBranch} is gone`, false);
      // A crash after the revert commit landed but before the record was written: adopt that commit.
      let sha = await findRevertOf(gitDir, pr.mergeSha, baseHead);
      if (!sha) {
        sha = await this.revertCommit(repo, gitDir, pr, baseHead, reason);
        if (!(await compareAndSwapRef(gitDir, baseRef, sha, baseHead, `fleetwave: revert #${number}`))) {
          throw new ForgeError(`${repo}#${number}: ${pr.baseBranch} moved while reverting; try again`, true);
        }
      }
      const at = this.now().toISOString();
      Object.assign(pr, { revertSha: sha, revertedAt: at, revertReason: reason, updatedAt: at });
      pr.comments.push({ author: this.botIdentity.login, body: `Reverted in ${sha}: ${reason}`, createdAt: at });
      await writePulls(this.layout.pullsFile(repo), file);
      this.logger.debug({ repo, number, sha }, 'reverted pull request');
      return { sha };
    });
  }

  /** `git revert -m 1 <merge>` on the base head in a temporary worktree; returns the new commit (no ref moved). */
  private async revertCommit(repo: RepoName, gitDir: string, pr: PullRecord, baseHead: string, reason: string): Promise<string> {
    const tmp = await mkdtemp(join(tmpdir(), 'fleetwave-revert-'));
    const wt = join(tmp, 'worktree');
    const bot = this.botIdentity;
    try {
      await git(['worktree', 'prune'], { gitDir });
      await git(['worktree', 'add', '--quiet', '--detach', wt, baseHead], { gitDir });
      const reverted = await git(['revert', '--no-commit', '-m', '1', pr.mergeSha!], {
        cwd: wt,
        okCodes: [1],
        env: commitEnv(bot, bot, this.now()),
      });
      if (reverted.code !== 0) {
        const conflicts = (await git(['diff', '--name-only', '--diff-filter=U'], { cwd: wt })).stdout.trim().split('\n').filter(Boolean);
        throw new ForgeError(
          `${repo}#${pr.number}: reverting ${pr.mergeSha!.slice(0, 7)} conflicts with ${pr.baseBranch} in ${conflicts.join(', ') || 'some files'}; revert it by hand`,
          false,
        );
      }
      const tree = (await git(['write-tree'], { cwd: wt })).stdout.trim();
      const baseTree = (await git(['rev-parse', `${baseHead}^{tree}`], { gitDir })).stdout.trim();
      if (tree === baseTree)
        throw new ForgeError(`${repo}#${pr.number}: its changes are no longer on ${pr.baseBranch}; nothing to revert`, false);
      const parent = (await git(['rev-parse', `${pr.mergeSha!}^1`], { gitDir })).stdout.trim();
      const message = `Revert "Merge pull request #${pr.number} from ${pr.branch}"\n\nThis reverts commit ${pr.mergeSha!}, reversing\nchanges made to ${parent}.\n\nReason: ${reason}\n`;
      const msgFile = join(tmp, 'message');
      await writeFile(msgFile, message);
      return (
        await git(['commit-tree', tree, '-p', baseHead, '-F', msgFile], { gitDir, env: commitEnv(bot, bot, this.now()) })
      ).stdout.trim();
    } finally {
      await git(['worktree', 'remove', '--force', wt], { gitDir, okCodes: [128] }).catch(() => undefined);
      await rm(tmp, { recursive: true, force: true });
      await git(['worktree', 'prune'], { gitDir }).catch(() => undefined);
    }
  }

  async requestReviewers(repo: RepoName, number: number, reviewers: ReviewRequest): Promise<void> {
    await this.mutate(repo, number, (pr) => {
      const asked = pr.requestedReviewers ?? { users: [], teams: [] };
      pr.requestedReviewers = {
        users: [...new Set([...asked.users, ...reviewers.users])],
        teams: [...new Set([...asked.teams, ...reviewers.teams])],
      };
    });
  }

  async comment(repo: RepoName, number: number, body: string): Promise<void> {
    await this.mutate(repo, number, (pr, at) => {
      pr.comments.push({ author: this.botIdentity.login, body, createdAt: at });
    });
  }

  /**
   * Run the checks of an open pull request's head again: the cached result is set aside (kept as
   * `<sha>.run<k>.json`) and the check command runs anew when the PR is next observed.
   */
  async rerunChecks(repo: RepoName, number: number): Promise<void> {
    this.gitDirOf(repo);
    await this.locks.run(repo, async () => {
      const file = await this.refreshed(repo);
      const pr = this.pull(repo, file, number);
      if (pr.state !== 'open') throw new ForgeError(`${repo}#${number} is ${pr.state}; its checks are not re-run`, false);
      await this.checks.forget(repo, pr.headSha);
    });
  }

  /** Add a review (tests and the CLI play the reviewer); `commitSha` defaults to the current head. */
  async addReview(
    repo: RepoName,
    number: number,
    review: { author: string; state: Review['state']; body?: string; commitSha?: string },
  ): Promise<void> {
    const gitDir = this.gitDirOf(repo);
    await this.mutate(repo, number, async (pr, at) => {
      const commitSha = review.commitSha ?? (pr.state === 'open' ? ((await branchHead(gitDir, pr.branch)) ?? pr.headSha) : pr.headSha);
      pr.reviews.push({
        author: review.author,
        state: review.state,
        submittedAt: at,
        commitSha,
        ...(review.body ? { body: review.body } : {}),
      });
    });
  }

  async getCommitChecks(repo: RepoName, sha: string): Promise<{ state: CheckState; runs: CheckRun[] }> {
    const gitDir = this.gitDirOf(repo);
    const commit = await this.commitOf(gitDir, sha);
    if (!commit) throw new ForgeError(`${repo}: no commit ${sha}`, false);
    return this.checksOf(repo, gitDir, commit);
  }

  /**
   * Where the time went, for benchmarks: git calls of this process (summed, they overlap) and this
   * forge's check runs (clone included) and cache hits.
   */
  stats(): { git: { calls: number; ms: number }; checks: { runs: number; ms: number; cached: number } } {
    return { git: { ...gitStats }, checks: { ...this.checks.stats } };
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────

  /** The commit a revision names, or null; a full sha that exists is remembered. */
  private async commitOf(gitDir: string, rev: string): Promise<string | null> {
    const key = `${gitDir}\0${rev}`;
    if (this.knownCommits.has(key)) return rev;
    const sha = await revParse(gitDir, rev);
    // Only presence is remembered: a missing commit may be pushed later.
    if (sha === rev && this.knownCommits.size < 100_000) this.knownCommits.add(key);
    return sha;
  }

  private isAncestor(gitDir: string, ancestor: string, descendant: string): Promise<boolean> {
    return this.facts.get(`${gitDir}\0ancestor\0${ancestor}\0${descendant}`, () => isAncestor(gitDir, ancestor, descendant));
  }

  /** Commits between two shas (all of `head`'s history when `base` is null), with `byBot` left to the caller. */
  private commitsBetween(gitDir: string, base: string | null, head: string) {
    return this.facts.get(`${gitDir}\0between\0${base}\0${head}`, () => commitsBetween(gitDir, base, head));
  }

  private isBot(email: string): boolean {
    return email.toLowerCase() === this.botIdentity.email.toLowerCase();
  }

  /** The bare repository's folder; a ForgeError when the fleet has no such repository. */
  private gitDirOf(repo: RepoName): string {
    parseRepoName(repo);
    const dir = this.layout.repoDir(repo);
    if (!isBareRepository(dir))
      throw new ForgeError(`no repository ${repo} in the fleet ${this.fleetDir} (expected a bare repository at ${dir})`, false);
    return dir;
  }

  /** A ref or sha (default branch when omitted) as a commit sha; a ForgeError when it names nothing. */
  private async resolve(repo: RepoName, gitDir: string, ref?: string): Promise<string> {
    if (ref?.startsWith('-')) throw new InputError(`"${ref}" is not a git ref`);
    const sha = ref === undefined ? await branchHead(gitDir, await defaultBranchOf(gitDir)) : await this.commitOf(gitDir, ref);
    if (!sha) throw new ForgeError(`${repo}: ${ref ? `no ref or commit ${ref}` : 'the default branch has no commit'}`, false);
    return sha;
  }

  private pull(repo: RepoName, file: PullsFile, number: number): PullRecord {
    const pr = file.pulls.find((p) => p.number === number);
    if (!pr) throw new ForgeError(`${repo}: no pull request #${number}`, false);
    return pr;
  }

  /** Change one record under the repository's lock and write the file. */
  private async mutate(repo: RepoName, number: number, change: (pr: PullRecord, at: string) => void | Promise<void>): Promise<void> {
    this.gitDirOf(repo);
    await this.locks.run(repo, async () => {
      const file = await readPulls(this.layout.pullsFile(repo));
      const pr = this.pull(repo, file, number);
      const at = this.now().toISOString();
      await change(pr, at);
      pr.updatedAt = at;
      await writePulls(this.layout.pullsFile(repo), file);
    });
  }

  /**
   * The repository's records, with open pull requests brought up to date with git (call under the
   * lock): the head follows the branch, and a head that reached the base branch (a merge whose record
   * was not written before a crash, or a merge by hand) marks the pull request merged.
   */
  private async refreshed(repo: RepoName): Promise<PullsFile> {
    const path = this.layout.pullsFile(repo);
    const file = await readPulls(path);
    const gitDir = this.layout.repoDir(repo);
    let changed = false;
    for (const pr of file.pulls) {
      if (pr.state !== 'open') continue;
      const head = (await branchHead(gitDir, pr.branch)) ?? pr.headSha;
      if (head !== pr.headSha) {
        pr.headSha = head;
        changed = true;
      }
      const baseHead = await branchHead(gitDir, pr.baseBranch);
      if (!baseHead || !(await this.isAncestor(gitDir, head, baseHead))) continue;
      const mergeSha =
        (await this.facts.get(`${gitDir}\0merge-of\0${head}\0${baseHead}`, () => findMergeOf(gitDir, head, baseHead))) ?? head;
      const by = await committerOf(gitDir, mergeSha);
      Object.assign(pr, {
        state: 'merged',
        mergeSha,
        mergedAt: by.date,
        closedAt: by.date,
        closedBy: this.isBot(by.email) ? this.botIdentity.login : by.name,
        updatedAt: this.now().toISOString(),
      });
      this.logger.info({ repo, number: pr.number, mergeSha }, 'pull request head reached the base branch; recorded as merged');
      changed = true;
    }
    if (changed) await writePulls(path, file);
    return file;
  }

  private async toInfo(repo: RepoName, pr: PullRecord, options: { run: boolean } = { run: true }): Promise<PullRequestInfo> {
    const gitDir = this.layout.repoDir(repo);
    let checks: CheckSummary;
    if (options.run) checks = await this.checksOf(repo, gitDir, pr.headSha);
    else {
      const cached = await this.checks.cached(repo, pr.headSha);
      checks = cached ? { state: cached.state, runs: cached.runs } : { state: 'pending', runs: [] };
    }
    const info: PullRequestInfo = {
      repo,
      number: pr.number,
      url: `${pathToFileURL(gitDir).href}#pull/${pr.number}`,
      state: pr.state,
      title: pr.title,
      body: pr.body,
      branch: pr.branch,
      baseBranch: pr.baseBranch,
      headSha: pr.headSha,
      createdAt: pr.createdAt,
      ...(pr.draft ? { draft: true } : {}),
      checks,
      reviews: pr.reviews.map((r) => ({
        author: r.author,
        state: r.state,
        submittedAt: r.submittedAt,
        ...(r.commitSha ? { commitSha: r.commitSha } : {}),
      })),
    };
    for (const key of ['mergedAt', 'closedAt', 'mergeSha', 'closedBy', 'revertedAt', 'revertSha'] as const) {
      if (pr[key] !== undefined) info[key] = pr[key];
    }
    if (pr.state === 'open') Object.assign(info, await this.freshness(gitDir, pr));
    return info;
  }

  /** Where an open PR's branch leaves its base, and whether it still merges cleanly (as `mergePullRequest` would merge it). */
  private async freshness(gitDir: string, pr: PullRecord): Promise<Pick<PullRequestInfo, 'mergeBase' | 'conflicted'>> {
    const baseHead = await branchHead(gitDir, pr.baseBranch);
    if (!baseHead) return {};
    // A fact of two commits: asked of git once per pair, not on every read of the PR (memo.ts).
    return this.facts.get(`${gitDir}\0freshness\0${baseHead}\0${pr.headSha}`, async () => {
      const base = await git(['merge-base', baseHead, pr.headSha], { gitDir, okCodes: [1] });
      const merged = await git(['merge-tree', '--write-tree', '--name-only', '--no-messages', baseHead, pr.headSha], {
        gitDir,
        okCodes: [1],
      });
      const mergeBase = base.stdout.trim();
      return { ...(mergeBase ? { mergeBase } : {}), conflicted: merged.code !== 0 };
    });
  }

  /** Checks of a commit, run now when not yet known. An infrastructure failure reads as pending, to be tried again. */
  private async checksOf(repo: RepoName, gitDir: string, sha: string): Promise<CheckSummary> {
    const cached = await this.checks.cached(repo, sha);
    if (cached) {
      this.checks.stats.cached++;
      return { state: cached.state, runs: cached.runs };
    }
    if (!(await this.commitOf(gitDir, sha))) return { state: 'none', runs: [] };
    try {
      return await this.checks.checksFor(repo, gitDir, sha);
    } catch (err) {
      if (!(err instanceof ForgeError)) throw err;
      this.logger.warn({ repo, sha, err: err.message }, 'checks could not run; reported pending');
      return { state: 'pending', runs: [{ name: 'fleetwave check', state: 'pending', summary: err.message }] };
    }
  }
}
