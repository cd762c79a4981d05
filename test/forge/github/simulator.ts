/**
 * A small stateful GitHub behind nock, for end-to-end tests of the engine and the App through the
 * GitHub forge: repositories whose default branches are real bare git repositories (so `checkout`
 * really fetches them over file://), bot branches, commits, trees and pull requests created through
 * the Git Data and Pulls APIs, merges, the GraphQL queries the adapter sends, check rollups chosen per
 * repository, manifest folders, and issues. Every request is also checked against GitHub's OpenAPI
 * description (githubApi()), and every GraphQL request and answer against GitHub's GraphQL schema
 * (test/helpers/github-graphql-schema.ts, `@octokit/graphql-schema`): a document or variables GitHub would
 * refuse get GitHub's error answer, and an answer built here that has not the schema's shape (a wrong type,
 * a null non-null field, an unknown enum value, a member of an interface or union without `__typename`)
 * an error naming the path; both fail the test at `dispose()`. It answers only what the adapter asks;
 * anything else fails the test.
 *
 * It answers as GitHub does (docs/github-behaviour.md), not as the adapter would like:
 * - A commit the App makes (Git Data API, no author given) is authored by the App's bot: name
 *   `<slug>[bot]`, email `<id>+<slug>[bot]@users.noreply.github.com`. GraphQL's `GitActor.user` is a
 *   `User`, and a bot is a `Bot`, so it is null for such commits; GraphQL logins of a bot (`mergedBy`)
 *   carry no `[bot]`; REST's `author.login` does (`<slug>[bot]`).
 * - A new head (a PR opened, a branch moved) has no check suite or status at first: its
 *   `statusCheckRollup` is null. Its CI "starts" once the head has been read by one PR query (GitHub
 *   creates check suites some seconds after a push) or when a test calls `startCI`; from then on the
 *   rollup has the repository's outcome. A repository added with checks `NONE` has no CI at all.
 * - Every request needs the App permission GitHub documents for it (docs/github-app.md's table;
 *   GraphQL by what the document reads or changes, test/helpers/github-permissions.ts): the token has
 *   `permissions` (app.yml's `default_permissions` unless a test changes them); without it GitHub
 *   answers 403 "Resource not accessible by integration" (GraphQL: a FORBIDDEN error). A route with no
 *   documented permission fails the request with an error naming it.
 * - A ref created or moved to a commit that changes `.github/workflows/**` is refused with 422 "refusing
 *   to allow a GitHub App to create or update workflow `…` without `workflows` permission" unless
 *   `workflowsPermission` is set (app.yml does not ask for it).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { simpleGit } from 'simple-git';
import { checkGraphql } from '../../helpers/github-graphql-schema.js';
import { type Access, answerGraphql, appPermissions, enforcePermissions } from '../../helpers/github-permissions.js';
import { githubApi } from '../../helpers/openapi.js';

interface SimCommit {
  sha: string;
  parents: string[];
  message: string;
  /** The git author; `login` is the GitHub user the email belongs to (null: a bot, or no account). */
  author: { name: string; email: string; login: string | null };
  /** REST's `author.login`: the user's login, or the bot's `<slug>[bot]`. */
  restLogin: string | null;
}

interface SimPull {
  number: number;
  branch: string;
  base: string;
  title: string;
  body: string;
  head: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  mergeSha: string | null;
  createdAt: string;
  /** When the head commit was made (its `committedDate`). */
  headAt: string;
  /** Native auto-merge, enabled through GraphQL: GitHub merges when the protection is met. */
  autoMerge: { enabledAt: string } | null;
  approved: boolean;
  /** Opened from a fork's branch of the same name (GraphQL `isCrossRepository`). */
  fromFork?: string;
}

interface SimRepo {
  full: string;
  defaultBranch: string;
  refs: Map<string, string>;
  commits: Map<string, SimCommit>;
  pulls: SimPull[];
  /** The outcome of the repository's CI on every head; NONE: no CI at all (never any check). */
  checks: 'SUCCESS' | 'FAILURE' | 'PENDING' | 'NONE';
  /** Heads whose CI has started (a check suite exists); a head not in here has no check at all. */
  ciStarted: Set<string>;
  files: Map<string, string>;
  issues: { number: number; title: string; body: string; labels: string[] }[];
  /** Branch protection on the default branch: an approving review is required to merge. */
  requireReview: boolean;
  /** The repository's "Allow auto-merge" setting. */
  autoMergeAllowed: boolean;
  /** Branch protection: "Require branches to be up to date before merging" (strict status checks). */
  requireUpToDate?: boolean;
  /** The merge methods the repository allows (`allow_squash_merge`, `allow_merge_commit`, `allow_rebase_merge`); all by default. */
  mergeMethods?: { squash: boolean; merge: boolean; rebase: boolean };
}

let counter = 0;
const fakeSha = (seed: string): string => createHash('sha1').update(`${seed}:${counter++}`).digest('hex');

export class GitHubSimulator {
  readonly repos = new Map<string, SimRepo>();
  root = '';
  nextNumber = 1;
  requests = 0;
  /** Every request answered, as `METHOD /path?query`, in order. */
  readonly requestLog: string[] = [];

  constructor(
    /** The bot's REST login, `<slug>[bot]`. */
    readonly botLogin: string,
    readonly now = () => '2026-01-01T00:00:00Z',
    /** The bot's user id (`GET /users/<slug>[bot]`), in its noreply email. */
    readonly botId = 99,
  ) {}

  /**
   * Whether the App has the `workflows: write` permission (app.yml asks for none). Without it GitHub
   * refuses a ref whose commit changes `.github/workflows/**`: "refusing to allow a GitHub App to create
   * or update workflow `…` without `workflows` permission" (docs/github-behaviour.md, "Writing").
   */
  workflowsPermission = false;

  /** The installation token's permissions: app.yml's `default_permissions`; a test may grant fewer or more. */
  permissions: Map<string, Access> = appPermissions();
  /** Every request refused for a permission (`METHOD /path: needs issues: write`), or with none documented. */
  readonly refused: string[] = [];
  /** Requests whose route or GraphQL field has no documented permission: `dispose()` fails the test with them. */
  readonly undocumented: string[] = [];
  /** GraphQL requests GitHub's schema refuses, and answers of the double that have not its shape: `dispose()` fails the test with them. */
  readonly schemaFailures: string[] = [];
  /** Workflow runs whose failed jobs were re-run (`POST …/actions/runs/{id}/rerun-failed-jobs`). */
  readonly reran: number[] = [];
  /** Trees and commits made through the Git Data API that change a workflow file: sha → its path. */
  private readonly workflowTrees = new Map<string, string>();

  /** GitHub's refusal of a ref moved to `sha`, or null. */
  private refusesWorkflow(sha: string): string | null {
    const path = this.workflowTrees.get(sha);
    if (!path || this.workflowsPermission) return null;
    return `refusing to allow a GitHub App to create or update workflow \`${path}\` without \`workflows\` permission`;
  }

  /** The App's slug: its bot's login without `[bot]` (how GraphQL names the bot). */
  get botSlug(): string {
    return this.botLogin.replace(/\[bot\]$/, '');
  }

  /** The author GitHub gives a commit the App makes through the Git Data API without an author. */
  private botAuthor(): SimCommit['author'] {
    return { name: this.botLogin, email: `${this.botId}+${this.botLogin}@users.noreply.github.com`, login: null };
  }

  /** The repository's CI starts on its current heads (its check suites appear). */
  startCI(full: string): void {
    const r = this.repos.get(full)!;
    for (const p of r.pulls) r.ciStarted.add(p.head);
  }

  /** A person pushes a commit of theirs on `branch` (the head moves: no checks on it yet). */
  pushHumanCommit(full: string, branch: string, login: string, message = 'fix by hand'): string {
    const r = this.repos.get(full)!;
    const parent = r.refs.get(branch)!;
    const sha = fakeSha('human');
    r.commits.set(sha, {
      sha,
      parents: [parent],
      message,
      author: { name: login, email: `${login}@example.com`, login },
      restLogin: login,
    });
    this.moveRef(r, branch, sha);
    return sha;
  }

  /**
   * Someone opens a pull request from their fork's branch of the same name as the bot's: GitHub's
   * `pullRequests(headRefName:)` lists it too (its head is in `fork`, `isCrossRepository: true`).
   */
  openForkPull(full: string, branch: string, fork: string): SimPull {
    const r = this.repos.get(full)!;
    const pr: SimPull = {
      number: this.nextNumber++,
      branch,
      base: r.defaultBranch,
      title: 'Something else entirely',
      body: 'from a fork',
      head: fakeSha('fork'),
      state: 'OPEN',
      mergeSha: null,
      createdAt: this.now(),
      headAt: this.now(),
      autoMerge: null,
      approved: false,
      fromFork: fork,
    };
    r.pulls.push(pr);
    return pr;
  }

  /** A branch moves: every open PR from it gets the new head, which has no checks yet. */
  private moveRef(r: SimRepo, branch: string, sha: string): void {
    r.refs.set(branch, sha);
    for (const p of r.pulls)
      if (p.branch === branch && p.state === 'OPEN' && !p.fromFork) {
        p.head = sha;
        p.headAt = this.now();
      }
  }

  /** The head's rollup state, or null while no check exists on it. */
  private rollupState(r: SimRepo, head: string): 'SUCCESS' | 'FAILURE' | 'PENDING' | null {
    return r.checks === 'NONE' || !r.ciStarted.has(head) ? null : r.checks;
  }

  /** A repository whose default branch holds `files`, as a real bare repository under `root`. */
  async addRepo(full: string, files: Record<string, string>, checks: SimRepo['checks'] = 'SUCCESS'): Promise<void> {
    if (!this.root) this.root = await mkdtemp(join(tmpdir(), 'fleetwave-ghsim-'));
    const work = join(this.root, 'work', full);
    await mkdir(work, { recursive: true });
    const git = simpleGit(work);
    await git.init(['--initial-branch=main']);
    await git.addConfig('user.name', 'Dev').addConfig('user.email', 'dev@example.com');
    for (const [p, text] of Object.entries(files)) {
      await mkdir(dirname(join(work, p)), { recursive: true });
      await writeFile(join(work, p), text);
    }
    await git.add('.').commit('initial');
    const head = (await git.revparse(['HEAD'])).trim();
    await simpleGit().clone(work, join(this.root, `${full}.git`), ['--bare']);
    const repo: SimRepo = {
      full,
      defaultBranch: 'main',
      refs: new Map([['main', head]]),
      commits: new Map(),
      pulls: [],
      checks,
      ciStarted: new Set(),
      files: new Map(Object.entries(files)),
      issues: [],
      requireReview: false,
      autoMergeAllowed: false,
    };
    repo.commits.set(head, {
      sha: head,
      parents: [],
      message: 'initial',
      author: { name: 'Dev', email: 'dev@example.com', login: 'dev' },
      restLogin: 'dev',
    });
    this.repos.set(full, repo);
  }

  /** Protects the default branch with a required review, and sets "Allow auto-merge". */
  /**
   * Sets "Require branches to be up to date before merging": a PR whose branch does not contain the
   * default branch's head is `mergeable_state: behind` and refused until its branch is updated.
   */
  requireUpToDate(full: string): void {
    this.repos.get(full)!.requireUpToDate = true;
  }

  /** Someone else's change lands on the default branch (another PR merged): open PRs fall behind. */
  advanceBase(full: string): string {
    const r = this.repos.get(full)!;
    const sha = fakeSha('base');
    r.commits.set(sha, {
      sha,
      parents: [r.refs.get(r.defaultBranch)!],
      message: 'another change',
      author: { name: 'Dev', email: 'dev@example.com', login: 'dev' },
      restLogin: 'dev',
    });
    r.refs.set(r.defaultBranch, sha);
    return sha;
  }

  /** Whether the PR's branch lacks the default branch's head (it is "behind"). */
  private behind(r: SimRepo, pr: SimPull): boolean {
    const base = r.refs.get(r.defaultBranch)!;
    const stack = [pr.head];
    const seen = new Set<string>();
    while (stack.length) {
      const s = stack.pop()!;
      if (s === base) return false;
      if (seen.has(s)) continue;
      seen.add(s);
      stack.push(...(r.commits.get(s)?.parents ?? []));
    }
    return true;
  }

  protect(full: string, options: { autoMergeAllowed: boolean }): void {
    const r = this.repos.get(full)!;
    r.requireReview = true;
    r.autoMergeAllowed = options.autoMergeAllowed;
  }

  /** A reviewer approves the PR; with auto-merge enabled and checks green, GitHub merges it now. */
  approve(full: string, number: number): void {
    const r = this.repos.get(full)!;
    const pr = r.pulls.find((p) => p.number === number)!;
    pr.approved = true;
    if (pr.autoMerge && this.mergeBlockedBy(r, pr) === null) this.merge(r, pr);
  }

  /**
   * GitHub's auto-merge acts: each open PR of `full` with auto-merge enabled whose protection is met
   * now (e.g. checks passed on a new head) merges. A PR `behind` a base that must be up to date is
   * blocked ("The head ref is out of date", `MergeStateStatus.BEHIND`), and nothing updates it.
   */
  runAutoMerge(full: string): void {
    const r = this.repos.get(full)!;
    for (const pr of r.pulls) if (pr.state === 'OPEN' && pr.autoMerge && this.mergeBlockedBy(r, pr) === null) this.merge(r, pr);
  }

  /** Why GitHub would not merge the PR now, or null. */
  private mergeBlockedBy(r: SimRepo, pr: SimPull): string | null {
    if (r.requireReview && !pr.approved) return 'At least 1 approving review is required by reviewers with write access.';
    if (this.rollupState(r, pr.head) !== 'SUCCESS') return 'Required status check "test" is expected.';
    if (r.requireUpToDate && this.behind(r, pr)) return 'Head branch is out of date with the base branch.';
    return null;
  }

  private merge(r: SimRepo, pr: SimPull): string {
    const sha = fakeSha('merge');
    r.commits.set(sha, {
      sha,
      parents: [r.refs.get(r.defaultBranch)!],
      message: pr.title,
      author: this.botAuthor(),
      restLogin: this.botLogin,
    });
    r.refs.set(r.defaultBranch, sha);
    pr.state = 'MERGED';
    pr.mergeSha = sha;
    pr.autoMerge = null;
    return sha;
  }

  /** `enablePullRequestAutoMerge`, with GitHub's refusals: not allowed, head moved, already mergeable. */
  private enableAutoMerge(input: { id: string; head: string }): unknown {
    for (const r of this.repos.values()) {
      const pr = r.pulls.find((p) => `PR_${r.full}#${p.number}` === input.id);
      if (!pr) continue;
      const refuse = (message: string) => ({
        data: { enablePullRequestAutoMerge: null },
        errors: [{ type: 'UNPROCESSABLE', path: ['enablePullRequestAutoMerge'], message }],
      });
      if (!r.autoMergeAllowed) return refuse('Pull request Auto merge is not allowed for this repository');
      if (pr.head !== input.head) return refuse('Pull request head commit is not the expected head');
      if (this.mergeBlockedBy(r, pr) === null) return refuse('Pull request Pull request is in clean status');
      pr.autoMerge = { enabledAt: this.now() };
      return {
        data: { enablePullRequestAutoMerge: { pullRequest: { number: pr.number, headRefOid: pr.head, autoMergeRequest: pr.autoMerge } } },
      };
    }
    return {
      data: { enablePullRequestAutoMerge: null },
      errors: [{ type: 'NOT_FOUND', message: `Could not resolve to a node with the global id of '${input.id}'` }],
    };
  }

  async dispose(): Promise<void> {
    if (this.root) await rm(this.root, { recursive: true, force: true });
    if (this.undocumented.length)
      throw new Error(`GitHub double: requests without a documented permission:\n${this.undocumented.join('\n')}`);
    if (this.schemaFailures.length) throw new Error(`GitHub double: GraphQL against GitHub's schema:\n${this.schemaFailures.join('\n')}`);
  }

  get gitBaseUrl(): string {
    return `file://${this.root}`;
  }

  private repo(owner: string, name: string): SimRepo {
    const r = this.repos.get(`${owner}/${name}`);
    if (!r) throw new Error(`simulator: no repository ${owner}/${name}`);
    return r;
  }

  /** Commits reachable from `head` that are not reachable from `base`, oldest first. */
  private ahead(r: SimRepo, base: string, head: string): SimCommit[] {
    const reach = (from: string) => {
      const seen = new Set<string>();
      const stack = [from];
      while (stack.length) {
        const s = stack.pop()!;
        if (seen.has(s)) continue;
        seen.add(s);
        stack.push(...(r.commits.get(s)?.parents ?? []));
      }
      return seen;
    };
    const fromBase = reach(base);
    const out: SimCommit[] = [];
    let cur: string | undefined = head;
    while (cur && !fromBase.has(cur)) {
      const c: SimCommit | undefined = r.commits.get(cur);
      if (!c) break;
      out.unshift(c);
      cur = c.parents[0];
    }
    return out;
  }

  /** GraphQL's `StatusCheckRollup` of a head in state `rollup` (null: no check exists yet): one check run, `test`. */
  private gqlRollup(rollup: 'SUCCESS' | 'FAILURE' | 'PENDING' | null) {
    return (
      rollup && {
        state: rollup,
        contexts: {
          nodes: [
            {
              __typename: 'CheckRun',
              name: 'test',
              status: rollup === 'PENDING' ? 'IN_PROGRESS' : 'COMPLETED',
              conclusion: rollup === 'PENDING' ? null : rollup,
              title: null,
              detailsUrl: null,
            },
          ],
        },
      }
    );
  }

  private gqlPull(r: SimRepo, p: SimPull) {
    const commits = this.ahead(r, r.refs.get(r.defaultBranch)!, p.head);
    const branchHead = r.refs.get(p.branch);
    const rollup = this.rollupState(r, p.head);
    // `MergeStateStatus`: BEHIND "The head ref is out of date" (under "require up to date"), BLOCKED, CLEAN.
    const mergeStateStatus =
      p.state !== 'OPEN' ? 'UNKNOWN' : r.requireUpToDate && this.behind(r, p) ? 'BEHIND' : this.mergeBlockedBy(r, p) ? 'BLOCKED' : 'CLEAN';
    // GitHub creates the head's check suites a little after the push: this read sees none, the next one does.
    r.ciStarted.add(p.head);
    return {
      id: `PR_${r.full}#${p.number}`,
      number: p.number,
      url: `https://github.com/${r.full}/pull/${p.number}`,
      state: p.state,
      title: p.title,
      body: p.body,
      headRefName: p.branch,
      baseRefName: p.base,
      headRefOid: p.head,
      isCrossRepository: p.fromFork !== undefined,
      createdAt: p.createdAt,
      mergedAt: p.state === 'MERGED' ? this.now() : null,
      closedAt: p.state === 'OPEN' ? null : this.now(),
      mergeCommit: p.mergeSha ? { oid: p.mergeSha } : null,
      mergedBy: p.state === 'MERGED' ? { __typename: 'Bot', login: this.botSlug } : null,
      mergeStateStatus,
      autoMergeRequest: p.autoMerge,
      timelineItems: { nodes: [] },
      reviews: { nodes: [] },
      commits: {
        nodes: [
          {
            commit: {
              oid: p.head,
              committedDate: p.headAt,
              statusCheckRollup: this.gqlRollup(rollup),
            },
          },
        ],
      },
      headRef: branchHead ? { target: { __typename: 'Commit', oid: branchHead } } : null,
      branchCommits: {
        totalCount: commits.length,
        nodes: commits.map((c) => ({
          commit: {
            oid: c.sha,
            message: c.message,
            author: { name: c.author.name, email: c.author.email, user: c.author.login ? { login: c.author.login } : null },
          },
        })),
      },
    };
  }

  private facts(full: string, r: SimRepo) {
    return {
      nameWithOwner: full,
      isArchived: false,
      defaultBranchRef: { name: r.defaultBranch, target: { __typename: 'Commit', oid: r.refs.get(r.defaultBranch)! } },
      optOut: null,
    };
  }

  private graphql(body: { query: string; variables: Record<string, string> }): unknown {
    const { query, variables } = body;
    if (query.startsWith('mutation FleetwaveEnableAutoMerge'))
      return this.enableAutoMerge(variables as unknown as { id: string; head: string });
    if (query.startsWith('query FleetwaveCommitChecks')) {
      // One commit's rollup (post-merge verification): `object(oid:)` is the Commit.
      const r = this.repos.get(`${variables.owner}/${variables.name}`);
      const object = r ? { __typename: 'Commit', statusCheckRollup: this.gqlRollup(this.rollupState(r, variables.oid!)) } : null;
      return { data: { repository: r ? { object } : null } };
    }
    if (query.includes('repositoryOwner(login: $owner)')) {
      // The fleet of an installation on all of an account's repositories, 100 a page by name.
      const owned = [...this.repos].filter(([full]) => full.startsWith(`${variables.owner}/`)).sort(([a], [b]) => a.localeCompare(b));
      const from = variables.after ? Number(variables.after) : 0;
      const page = owned.slice(from, from + 100);
      const hasNextPage = from + 100 < owned.length;
      return {
        data: {
          // RepositoryOwner is an interface: GitHub's answer is one of its types (the fleet's owner: an organization).
          repositoryOwner: {
            __typename: 'Organization',
            repositories: {
              totalCount: owned.length,
              pageInfo: { hasNextPage, endCursor: hasNextPage ? String(from + 100) : null },
              nodes: page.map(([full, r]) => this.facts(full, r)),
            },
          },
        },
      };
    }
    const aliases = [...query.matchAll(/(r\d+): repository\(owner: \$o(\d+), name: \$n\d+\)/g)];
    const data: Record<string, unknown> = {};
    for (const [, alias, i] of aliases) {
      const full = `${variables[`o${i}`]}/${variables[`n${i}`]}`;
      const r = this.repos.get(full);
      if (!r) {
        data[alias!] = null;
        continue;
      }
      if (query.includes('pullRequests(headRefName')) {
        // Any head branch of that name, the repository's own and forks' alike, newest first.
        const first = Number(/pullRequests\(headRefName: \$branch, first: (\d+)/.exec(query)![1]);
        const named = r.pulls.filter((p) => p.branch === variables.branch).sort((a, b) => b.number - a.number);
        data[alias!] = {
          autoMergeAllowed: r.autoMergeAllowed,
          pullRequests: { nodes: named.slice(0, first).map((p) => this.gqlPull(r, p)) },
        };
      } else if (query.includes('isArchived')) {
        data[alias!] = this.facts(full, r);
      } else {
        // Manifest folders: f<i>: object(expression: "HEAD:<folder>") (a Tree: its entries' names and types),
        // and manifest files: m<j>: object(expression: "HEAD:<path>") (a Blob: its text; null when absent).
        const folders = [...query.matchAll(/(f\d+): object\(expression: "HEAD:([^"]*)"\)/g)];
        const files = [...query.matchAll(/(m\d+): object\(expression: "HEAD:([^"]*)"\)/g)];
        data[alias!] = {
          ...Object.fromEntries(
            folders.map(([, f, folder]) => {
              const entries = [...r.files]
                .filter(([p]) => dirname(p) === folder)
                .map(([p, text]) => ({ name: p.slice(folder!.length + 1), type: 'blob', object: { __typename: 'Blob', text } }));
              return [f, entries.length ? { __typename: 'Tree', entries } : null];
            }),
          ),
          ...Object.fromEntries(
            files.map(([, m, path]) => [m, r.files.has(path!) ? { __typename: 'Blob', text: r.files.get(path!) } : null]),
          ),
        };
      }
    }
    return { data };
  }

  /** Installs the simulator's routes on nock (persisting: they answer as often as asked). */
  install(): void {
    const api = githubApi().persist();
    api.on('request', (req: { method?: string; path?: string }) => {
      this.requests++;
      this.requestLog.push(`${req.method ?? 'GET'} ${req.path ?? ''}`);
    });
    // First: nock tries interceptors in order, so a request without its permission never reaches a route.
    enforcePermissions(api, () => this.permissions, this.refused, this.undocumented);
    const R = '/repos/([^/]+)/([^/]+)';
    api.post(/^\/app\/installations\/\d+\/access_tokens$/).reply(201, () => ({
      token: 'ghs_sim',
      expires_at: '2099-01-01T00:00:00Z',
      permissions: Object.fromEntries(this.permissions),
      repository_selection: 'all',
    }));
    api.get('/app').reply(200, { id: 1, slug: this.botLogin.replace(/\[bot\]$/, ''), name: 'Fleetwave' });
    api.get(`/users/${encodeURIComponent(this.botLogin)}`).reply(200, { login: this.botLogin, id: 99, type: 'Bot' });
    api.post('/graphql').reply(200, (_u, body) => {
      const b = body as { query: string; variables: Record<string, string> };
      const schema = checkGraphql(b, this.schemaFailures);
      return schema.invalid ?? answerGraphql(b.query, this.permissions, this.refused, () => schema.checked(this.graphql(b)));
    });
    api
      .get('/installation/repositories')
      .query(true)
      .reply(200, () => ({
        total_count: this.repos.size,
        repository_selection: 'all',
        repositories: [...this.repos.keys()].map((full_name) => ({ full_name })),
      }));
    api
      .get(new RegExp(`^${R}/compare/([^?]+)`))
      .query(true)
      .reply((uri) => {
        const [, o, n, basehead] = /^\/repos\/([^/]+)\/([^/]+)\/compare\/([^?]+)/.exec(uri)!;
        const r = this.repo(o!, n!);
        const [base, branch] = decodeURIComponent(basehead!).split('...') as [string, string];
        const baseSha = r.refs.get(base) ?? base;
        const head = r.refs.get(branch);
        if (!head) return [404, { message: 'Not Found' }];
        const commits = this.ahead(r, baseSha, head);
        return [
          200,
          {
            status: commits.length ? 'ahead' : 'identical',
            total_commits: commits.length,
            merge_base_commit: { sha: baseSha },
            commits: commits.map((c) => ({
              sha: c.sha,
              author: c.restLogin ? { login: c.restLogin } : null,
              commit: { author: { name: c.author.name, email: c.author.email }, message: c.message },
            })),
            files: [],
          },
        ];
      });
    api
      .get(new RegExp(`^${R}/git/trees/`))
      .query(true)
      .reply(200, { sha: 'x', truncated: false, tree: [] });
    api.post(new RegExp(`^${R}/git/trees$`)).reply(201, (_uri, body) => {
      const sha = fakeSha('tree');
      const workflow = (body as { tree: { path: string }[] }).tree.find((e) => e.path.startsWith('.github/workflows/'));
      if (workflow) this.workflowTrees.set(sha, workflow.path);
      return { sha };
    });
    api.post(new RegExp(`^${R}/git/commits$`)).reply((uri, body) => {
      const [, o, n] = /^\/repos\/([^/]+)\/([^/]+)/.exec(uri)!;
      const b = body as { message: string; parents: string[]; tree: string };
      const sha = fakeSha('commit');
      const workflow = this.workflowTrees.get(b.tree);
      if (workflow) this.workflowTrees.set(sha, workflow);
      this.repo(o!, n!).commits.set(sha, {
        sha,
        parents: b.parents,
        message: b.message,
        author: this.botAuthor(),
        restLogin: this.botLogin,
      });
      return [201, { sha }];
    });
    api.post(new RegExp(`^${R}/git/refs$`)).reply((uri, body) => {
      const [, o, n] = /^\/repos\/([^/]+)\/([^/]+)/.exec(uri)!;
      const r = this.repo(o!, n!);
      const b = body as { ref: string; sha: string };
      const name = b.ref.replace(/^refs\/heads\//, '');
      if (r.refs.has(name)) return [422, { message: 'Reference already exists' }];
      if (this.refusesWorkflow(b.sha)) return [422, { message: this.refusesWorkflow(b.sha) }];
      r.refs.set(name, b.sha);
      return [201, { ref: b.ref, object: { sha: b.sha } }];
    });
    api.patch(new RegExp(`^${R}/git/refs/`)).reply((uri, body) => {
      const [, o, n, ref] = /^\/repos\/([^/]+)\/([^/]+)\/git\/refs\/(.+)$/.exec(uri)!;
      const r = this.repo(o!, n!);
      const refused = this.refusesWorkflow((body as { sha: string }).sha);
      if (refused) return [422, { message: refused }];
      this.moveRef(r, decodeURIComponent(ref!).replace(/^heads\//, ''), (body as { sha: string }).sha);
      return [200, {}];
    });
    api.post(new RegExp(`^${R}/pulls$`)).reply((uri, body) => {
      const [, o, n] = /^\/repos\/([^/]+)\/([^/]+)/.exec(uri)!;
      const r = this.repo(o!, n!);
      const b = body as { head: string; base: string; title: string; body: string };
      if (r.pulls.some((p) => p.branch === b.head && p.state === 'OPEN' && !p.fromFork))
        return [422, { message: 'Validation Failed', errors: [{ message: `A pull request already exists for ${o}:${b.head}.` }] }];
      const pr: SimPull = {
        number: this.nextNumber++,
        branch: b.head,
        base: b.base,
        title: b.title,
        body: b.body,
        head: r.refs.get(b.head)!,
        state: 'OPEN',
        mergeSha: null,
        createdAt: this.now(),
        headAt: this.now(),
        autoMerge: null,
        approved: false,
      };
      r.pulls.push(pr);
      return [201, this.restPull(r, pr)];
    });
    api.put(new RegExp(`^${R}/pulls/\\d+/merge$`)).reply((uri, body) => {
      const [, o, n, num] = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/merge$/.exec(uri)!;
      const r = this.repo(o!, n!);
      const pr = r.pulls.find((p) => p.number === Number(num));
      if (!pr || pr.state !== 'OPEN') return [405, { message: 'Pull Request is not mergeable' }];
      if ((body as { sha?: string }).sha !== pr.head) return [409, { message: 'Head branch was modified.' }];
      // GitHub's refusal of a disallowed method: "Squash merges are not allowed on this repository."
      const method = ((body as { merge_method?: string }).merge_method ?? 'merge') as 'squash' | 'merge' | 'rebase';
      if (r.mergeMethods && !r.mergeMethods[method])
        return [
          405,
          {
            message: `${{ squash: 'Squash merges', merge: 'Merge commits', rebase: 'Rebase merges' }[method]} are not allowed on this repository.`,
          },
        ];
      if (r.requireReview && !pr.approved) return [405, { message: this.mergeBlockedBy(r, pr) }];
      if (r.requireUpToDate && this.behind(r, pr)) return [405, { message: 'Head branch is out of date with the base branch.' }];
      const sha = this.merge(r, pr);
      return [200, { sha, merged: true, message: 'merged' }];
    });
    // The repository, with its merge settings (`allow_*_merge`).
    api.get(new RegExp(`^${R}$`)).reply((uri) => {
      const [, o, n] = /^\/repos\/([^/]+)\/([^/]+)$/.exec(uri)!;
      const r = this.repo(o!, n!);
      const m = r.mergeMethods ?? { squash: true, merge: true, rebase: true };
      return [
        200,
        {
          id: 1,
          name: n,
          full_name: r.full,
          default_branch: r.defaultBranch,
          allow_squash_merge: m.squash,
          allow_merge_commit: m.merge,
          allow_rebase_merge: m.rebase,
          allow_auto_merge: r.autoMergeAllowed,
        },
      ];
    });
    // A PR's mergeability as REST shows it (`mergeable`, `mergeable_state`): the forge reads it after a 405.
    api.get(new RegExp(`^${R}/pulls/\\d+$`)).reply((uri) => {
      const [, o, n, num] = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/.exec(uri)!;
      const r = this.repo(o!, n!);
      const pr = r.pulls.find((p) => p.number === Number(num));
      if (!pr) return [404, { message: 'Not Found' }];
      const open = pr.state === 'OPEN';
      const behind = open && r.requireUpToDate === true && this.behind(r, pr);
      const blocked = open && this.mergeBlockedBy(r, pr) !== null;
      const state = behind ? 'behind' : blocked ? 'blocked' : open ? 'clean' : 'unknown';
      return [200, { ...this.restPull(r, pr), mergeable: open ? true : null, mergeable_state: state }];
    });
    // "Update a pull request branch": merges the base into the PR's branch (a commit by the App's bot,
    // whose new head has no checks yet); `expected_head_sha` must be the head, else 422.
    api.put(new RegExp(`^${R}/pulls/\\d+/update-branch$`)).reply((uri, body) => {
      const [, o, n, num] = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/update-branch$/.exec(uri)!;
      const r = this.repo(o!, n!);
      const pr = r.pulls.find((p) => p.number === Number(num));
      if (!pr || pr.state !== 'OPEN') return [422, { message: 'Pull request is not open' }];
      const expected = (body as { expected_head_sha?: string }).expected_head_sha;
      if (expected !== undefined && expected !== pr.head) return [422, { message: "expected head sha didn't match current head ref." }];
      const sha = fakeSha('update');
      r.commits.set(sha, {
        sha,
        parents: [pr.head, r.refs.get(r.defaultBranch)!],
        message: `Merge branch '${r.defaultBranch}' into ${pr.branch}`,
        author: this.botAuthor(),
        restLogin: this.botLogin,
      });
      this.moveRef(r, pr.branch, sha);
      return [202, { message: 'Updating pull request branch.', url: `https://github.com/${r.full}/pull/${pr.number}` }];
    });
    api
      .get(new RegExp(`^${R}/contents/`))
      .query(true)
      .reply((uri) => {
        const [, o, n, path] = /^\/repos\/([^/]+)\/([^/]+)\/contents\/([^?]+)/.exec(uri)!;
        const text = this.repo(o!, n!).files.get(decodeURIComponent(path!));
        return text === undefined ? [404, { message: 'Not Found' }] : [200, text];
      });
    api.post(new RegExp(`^${R}/check-runs$`)).reply(201, { id: 1 });
    // GitHub Actions: a repository whose CI fails has one failed workflow run on each head (its id: the PR's number).
    api.get(new RegExp(`^${R}/actions/runs\\?`)).reply((uri) => {
      const [, o, n] = /^\/repos\/([^/]+)\/([^/]+)/.exec(uri)!;
      const r = this.repo(o!, n!);
      const sha = new URL(uri, 'https://api.github.com').searchParams.get('head_sha');
      const runs = r.checks === 'FAILURE' ? r.pulls.filter((p) => p.head === sha && r.ciStarted.has(p.head)) : [];
      return [
        200,
        {
          total_count: runs.length,
          workflow_runs: runs.map((p) => ({ id: p.number, head_sha: p.head, status: 'completed', conclusion: 'failure' })),
        },
      ];
    });
    api.post(new RegExp(`^${R}/actions/runs/\\d+/rerun-failed-jobs$`)).reply((uri) => {
      this.reran.push(Number(/\/runs\/(\d+)\//.exec(uri)![1]));
      return [201, {}];
    });
    api.get(new RegExp(`^${R}/issues\\?`)).reply((uri) => {
      const [, o, n] = /^\/repos\/([^/]+)\/([^/]+)/.exec(uri)!;
      return [200, this.repo(o!, n!).issues.map((i) => ({ number: i.number, body: i.body }))];
    });
    api.post(new RegExp(`^${R}/issues$`)).reply((uri, body) => {
      const [, o, n] = /^\/repos\/([^/]+)\/([^/]+)/.exec(uri)!;
      const b = body as { title: string; body: string; labels: string[] };
      const issue = { number: this.nextNumber++, title: b.title, body: b.body, labels: b.labels };
      this.repo(o!, n!).issues.push(issue);
      return [201, { number: issue.number }];
    });
    api.patch(new RegExp(`^${R}/issues/\\d+$`)).reply((uri, body) => {
      const [, o, n, num] = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/.exec(uri)!;
      const issue = this.repo(o!, n!).issues.find((i) => i.number === Number(num))!;
      issue.body = (body as { body: string }).body;
      return [200, { number: issue.number }];
    });
  }

  private restPull(r: SimRepo, p: SimPull) {
    return {
      number: p.number,
      html_url: `https://github.com/${r.full}/pull/${p.number}`,
      state: p.state === 'OPEN' ? 'open' : 'closed',
      merged_at: p.state === 'MERGED' ? this.now() : null,
      merge_commit_sha: p.mergeSha,
      title: p.title,
      body: p.body,
      created_at: p.createdAt,
      head: { ref: p.branch, sha: p.head },
      base: { ref: p.base },
    };
  }
}
