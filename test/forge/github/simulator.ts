/**
 * A small stateful GitHub behind nock, for end-to-end tests of the engine and the App through the
 * GitHub forge: repositories whose default branches are real bare git repositories (so `checkout`
 * really fetches them over file://), bot branches, commits, trees and pull requests created through
 * the Git Data and Pulls APIs, merges, check rollups chosen per repository, manifest folders, and
 * issues. Its truth is GitHub's published descriptions, not the adapter's expectations:
 *
 * - GraphQL is EXECUTED by graphql-js against GitHub's schema (`@octokit/graphql-schema`'s introspection
 *   JSON, test/helpers/github-graphql-schema.ts `executeGraphql`), with resolvers over this double's state
 *   (`gqlRoot`): `Query.repository`, `Query.repositoryOwner` (an `Organization` whose `repositories` page
 *   by `first`/`after`, by name), `Repository.pullRequests(headRefName, states, first|last, orderBy)`,
 *   `Repository.object(expression | oid)` (a `Blob`, a `Tree` of entries, a `Commit`), `Commit.statusCheckRollup`,
 *   `Mutation.enablePullRequestAutoMerge(input)`, and each field below them a property or an
 *   `(args) => value` of the objects they return. So any document the adapter sends, with any aliases,
 *   is answered from the state; a document or variables GitHub would refuse get GitHub's refusal; a field
 *   no resolver here implements, or a value not of the schema's type (scalars strictly), is an error naming
 *   it. GitHub's own errors (NOT_FOUND for a missing repository or node, UNPROCESSABLE for a refused
 *   auto-merge, FORBIDDEN for a missing permission) are thrown by the resolvers and answered in GitHub's
 *   format (`type` at the top level, `path`, `locations`), null at the nearest nullable position.
 * - REST: every request and every answer is checked against GitHub's OpenAPI description
 *   (`@octokit/openapi`, test/helpers/openapi.ts `githubApi(…, { required: true })`): the status must be
 *   one the operation documents (or one GitHub gives on any operation), and the JSON body must have the
 *   documented schema of that status, every required property included. The answers are built on
 *   GitHub's documented example of each operation with this double's state laid over (`answer`), so they
 *   carry GitHub's whole shape; errors are GitHub's `{ message, documentation_url, status }`, and a
 *   repository the double lacks answers 404 "Not Found".
 *
 * Every problem of either kind fails the test (`dispose()` for GraphQL, `openapiViolations()` for REST).
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
 *   answers 403 "Resource not accessible by integration" (GraphQL: a FORBIDDEN error at the field, null at
 *   the nearest nullable position: without `pull_requests: read`, `r0.pullRequests` is refused and, being
 *   non-null, nulls `r0`). A route with no documented permission fails the request with an error naming it.
 * - The double keeps the files of the default branch only: `object(expression: "HEAD:<path>")` reads
 *   them (a file a `Blob`, a folder a `Tree` of files and sub-folders, anything else null); another
 *   revision with a path is an error saying the double does not keep it.
 * - An issue or pull request body over 65,536 characters is refused with 422 "Validation Failed",
 *   `body is too long (maximum is 65536 characters)` (as GitHub answers: renovatebot/renovate#2032,
 *   googleapis/release-please#1054; docs/github-behaviour.md).
 * - A ref created or moved to a commit that changes `.github/workflows/**` is refused with 422 "refusing
 *   to allow a GitHub App to create or update workflow `…` without `workflows` permission" unless
 *   `workflowsPermission` is set (app.yml does not ask for it).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { simpleGit } from 'simple-git';
import { GitHubGraphqlError, type GraphqlRequest } from '../../helpers/github-graphql-schema.js';
import { type Access, answerGraphql, appPermissions, enforcePermissions } from '../../helpers/github-permissions.js';
import { githubApi, githubExample, githubOperation, onExample } from '../../helpers/openapi.js';

interface SimCommit {
  sha: string;
  parents: string[];
  message: string;
  /** The git author; `login` is the GitHub user the email belongs to (null: a bot, or no account). */
  author: { name: string; email: string; login: string | null };
  /** REST's `author.login`: the user's login, or the bot's `<slug>[bot]`. */
  restLogin: string | null;
  /** Signed by GitHub: the commits an App makes through the API without a custom author (never a pushed one). */
  signedByGitHub?: boolean;
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
  /** Reviews requested (REST `requested_reviewers`, `requested_teams`). */
  requested?: { users: string[]; teams: string[] };
  /** Its branch and its base changed the same lines since they parted (a test's doing: the double keeps no file contents per branch). */
  conflicting?: boolean;
  /** Opened with `draft: true` ("Create a pull request"): GitHub will not merge it until marked ready. */
  draft?: boolean;
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

/** A connection's paging arguments (`first`, `last`, `after`; the double's cursors are offsets). */
interface Page {
  first?: number | null;
  last?: number | null;
  after?: string | null;
}

/** A GraphQL connection over `items`: `first`/`last` of those after the cursor `after`, with its page info. */
function connection<T, N>(items: readonly T[], page: Page, map: (item: T) => N = (item) => item as unknown as N) {
  const from = page.after ? Number(page.after) : 0;
  let start = from;
  let end = items.length;
  if (page.first != null) end = Math.min(end, start + page.first);
  if (page.last != null) start = Math.max(start, end - page.last);
  const nodes = items.slice(start, end).map(map);
  return {
    totalCount: items.length,
    nodes,
    edges: nodes.map((node, i) => ({ cursor: String(start + i + 1), node })),
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: nodes.length ? String(start + 1) : null,
      endCursor: nodes.length ? String(end) : null,
    },
  };
}

class NoSuchRepository extends Error {}

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

  /**
   * A person pushes a commit whose author they set to the App's bot (its noreply email and name): GitHub
   * links the email to the bot (REST's `author.login` is `<slug>[bot]`, GraphQL's author the bot's email),
   * but the commit carries no signature of GitHub's.
   */
  pushSpoofedBotCommit(full: string, branch: string): string {
    const r = this.repos.get(full)!;
    const parent = r.refs.get(branch)!;
    const sha = fakeSha('spoof');
    r.commits.set(sha, { sha, parents: [parent], message: 'looks like the bot', author: this.botAuthor(), restLogin: this.botLogin });
    this.moveRef(r, branch, sha);
    return sha;
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

  /**
   * A repository's state alone, without a bare git repository (the unit tier): its refs, its commits
   * (`parents`, each by Dev unless it is the bot's) and the default branch's files; no PR, CI green.
   */
  putRepo(full: string, state: { refs: Record<string, string>; commits: Record<string, string[]>; files?: Record<string, string> }): void {
    const author = { name: 'Dev', email: 'dev@example.com', login: 'dev' };
    this.repos.set(full, {
      full,
      defaultBranch: 'main',
      refs: new Map(Object.entries(state.refs)),
      commits: new Map(
        Object.entries(state.commits).map(([sha, parents]) => [
          sha,
          { sha, parents, message: parents.length ? 'change' : 'initial', author, restLogin: 'dev' },
        ]),
      ),
      pulls: [],
      checks: 'SUCCESS',
      ciStarted: new Set(),
      files: new Map(Object.entries(state.files ?? {})),
      issues: [],
      requireReview: false,
      autoMergeAllowed: false,
    });
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
    // GitHub's changelog (2019-02-14, "Draft pull requests"): drafts "cannot be merged until they are
    // marked as 'Ready for review'"; REST's merge answers 405 "Pull Request is still a draft".
    if (pr.draft) return 'Pull Request is still a draft';
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
    if (!r) throw new NoSuchRepository(`simulator: no repository ${owner}/${name}`);
    return r;
  }

  /** A route whose repository the double lacks answers as GitHub does: 404 "Not Found". */
  private found<B>(method: string, route: (uri: string, body: B) => [number, unknown]): (uri: string, body: B) => [number, unknown] {
    return (uri, body) => {
      try {
        return route(uri, body);
      } catch (err) {
        if (err instanceof NoSuchRepository) return this.refuse(method, uri, 404, 'Not Found');
        throw err;
      }
    };
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
    if (!rollup) return null;
    const nodes = [
      {
        __typename: 'CheckRun',
        name: 'test',
        status: rollup === 'PENDING' ? 'IN_PROGRESS' : 'COMPLETED',
        conclusion: rollup === 'PENDING' ? null : rollup,
        title: null,
        detailsUrl: null,
      },
    ];
    return { state: rollup, contexts: (a: Page) => connection(nodes, a) };
  }

  /** A `Commit` of `r` (its rollup as it is now, unless given: a PR read computes its head's before CI starts). */
  private gqlCommit(r: SimRepo, sha: string, extra: Record<string, unknown> = {}) {
    const c = r.commits.get(sha);
    return {
      __typename: 'Commit',
      oid: sha,
      message: c?.message ?? '',
      committedDate: this.now(),
      author: c ? { name: c.author.name, email: c.author.email, user: c.author.login ? { login: c.author.login } : null } : null,
      // GitHub's own signature on the commits an App makes through the API; none on a pushed commit.
      signature: c?.signedByGitHub
        ? {
            __typename: 'GpgSignature',
            isValid: true,
            wasSignedByGitHub: true,
            state: 'VALID',
            signer: { __typename: 'User', login: 'web-flow' },
          }
        : null,
      statusCheckRollup: this.gqlRollup(this.rollupState(r, sha)),
      parents: (a: Page) =>
        connection(
          (c?.parents ?? []).map((p) => ({ __typename: 'Commit', oid: p })),
          a,
        ),
      ...extra,
    };
  }

  /**
   * A `PullRequest`, its fields computed now (a PR read marks its head's CI started right after, and
   * what it reads must be the state before that). Its `commits` are the commits of its branch that the
   * default branch lacks, oldest first (`commits(last: 1)`: the head, with the head's `committedDate` and
   * rollup; `commits(first: 20)`: the branch's commits and their git authors).
   */
  private gqlPull(r: SimRepo, p: SimPull) {
    const branchHead = r.refs.get(p.branch);
    const rollup = this.rollupState(r, p.head);
    // `MergeStateStatus`: BEHIND "The head ref is out of date" (under "require up to date"), BLOCKED, CLEAN.
    const mergeStateStatus =
      p.state !== 'OPEN' ? 'UNKNOWN' : r.requireUpToDate && this.behind(r, p) ? 'BEHIND' : this.mergeBlockedBy(r, p) ? 'BLOCKED' : 'CLEAN';
    const head = this.gqlCommit(r, p.head, { committedDate: p.headAt, statusCheckRollup: this.gqlRollup(rollup) });
    const commits = this.ahead(r, r.refs.get(r.defaultBranch)!, p.head).map((c) => (c.sha === p.head ? head : this.gqlCommit(r, c.sha)));
    // The head of a fork's PR is no commit of this repository: it is its only commit here.
    if (commits.at(-1)?.oid !== p.head) commits.push(head);
    return {
      __typename: 'PullRequest',
      id: `PR_${r.full}#${p.number}`,
      number: p.number,
      url: `https://github.com/${r.full}/pull/${p.number}`,
      state: p.state,
      isDraft: p.draft === true,
      title: p.title,
      body: p.body,
      headRefName: p.branch,
      baseRefName: p.base,
      headRefOid: p.head,
      isCrossRepository: p.fromFork !== undefined,
      createdAt: p.createdAt,
      mergedAt: p.state === 'MERGED' ? this.now() : null,
      closedAt: p.state === 'OPEN' ? null : this.now(),
      mergeCommit: p.mergeSha ? this.gqlCommit(r, p.mergeSha) : null,
      // GraphQL names the App's bot by its slug, without `[bot]`.
      mergedBy: p.state === 'MERGED' ? { __typename: 'Bot', login: this.botSlug } : null,
      mergeStateStatus,
      // `MergeableState`: CONFLICTING "The pull request cannot be merged due to merge conflicts."
      mergeable: p.state !== 'OPEN' ? 'UNKNOWN' : p.conflicting ? 'CONFLICTING' : 'MERGEABLE',
      autoMergeRequest: p.autoMerge && { ...p.autoMerge },
      // No closed events, no reviews (`approve` is branch protection's view, not a review object).
      timelineItems: (a: Page) => connection([], a),
      reviews: (a: Page) => connection([], a),
      commits: (a: Page) => connection(commits, a, (commit) => ({ __typename: 'PullRequestCommit', commit })),
      headRef: branchHead ? { __typename: 'Ref', name: p.branch, prefix: 'refs/heads/', target: this.gqlCommit(r, branchHead) } : null,
    };
  }

  /**
   * The object `expression` (`<rev>:<path>`, or a revision alone) or `oid` names. The double keeps the
   * files of the default branch only (`files`), so a path is read at `HEAD` or the default branch's name;
   * another revision with a path is a fault of the double (it says so). A path that is a file is a `Blob`,
   * a folder (a path some file is under) a `Tree` of its entries (files and sub-folders); anything else
   * null, as GitHub answers. `object(oid:)` is a `Commit` (its rollup: the post-merge check query).
   */
  private gqlObject(r: SimRepo, args: { expression?: string | null; oid?: string | null }) {
    if (args.oid) return this.gqlCommit(r, args.oid);
    const expression = args.expression ?? '';
    const colon = expression.indexOf(':');
    const rev = colon < 0 ? expression : expression.slice(0, colon);
    if (colon < 0) {
      const sha = rev === 'HEAD' ? r.refs.get(r.defaultBranch) : (r.refs.get(rev) ?? (r.commits.has(rev) ? rev : undefined));
      return sha ? this.gqlCommit(r, sha) : null;
    }
    if (rev !== 'HEAD' && rev !== r.defaultBranch)
      throw new Error(`the GitHub double keeps the files of the default branch only, not of ${JSON.stringify(expression)}`);
    return this.gqlPath(r, expression.slice(colon + 1));
  }

  private gqlPath(r: SimRepo, path: string): Record<string, unknown> | null {
    const oid = (kind: string) =>
      createHash('sha1')
        .update(`${kind}:${r.full}:${path}:${r.files.get(path) ?? ''}`)
        .digest('hex');
    const text = r.files.get(path);
    if (text !== undefined)
      return { __typename: 'Blob', oid: oid('blob'), text, byteSize: Buffer.byteLength(text), isBinary: false, isTruncated: false };
    const prefix = path ? `${path}/` : '';
    const names = new Map<string, 'blob' | 'tree'>();
    for (const p of r.files.keys()) {
      if (!p.startsWith(prefix)) continue;
      const rest = p.slice(prefix.length);
      const slash = rest.indexOf('/');
      names.set(slash < 0 ? rest : rest.slice(0, slash), slash < 0 ? 'blob' : 'tree');
    }
    if (names.size === 0) return null;
    const entries = [...names]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, type]) => {
        const object = this.gqlPath(r, prefix + name)!;
        // TreeEntry.mode is an Int: git's mode in octal (100644 for a file, 040000 for a folder).
        // TreeEntry.size: the blob's size in bytes (a folder's: 0).
        const size = type === 'blob' ? Buffer.byteLength(r.files.get(prefix + name)!) : 0;
        return { name, type, path: prefix + name, mode: type === 'blob' ? 0o100644 : 0o40000, oid: object.oid, object, size };
      });
    return { __typename: 'Tree', oid: oid('tree'), entries };
  }

  private gqlRepo(r: SimRepo) {
    return {
      __typename: 'Repository',
      id: `R_${r.full}`,
      name: r.full.split('/')[1],
      nameWithOwner: r.full,
      isArchived: false,
      autoMergeAllowed: r.autoMergeAllowed,
      defaultBranchRef: {
        __typename: 'Ref',
        name: r.defaultBranch,
        prefix: 'refs/heads/',
        target: this.gqlCommit(r, r.refs.get(r.defaultBranch)!),
      },
      object: (a: { expression?: string | null; oid?: string | null }) => this.gqlObject(r, a),
      pullRequests: (
        a: Page & { headRefName?: string | null; states?: string[] | null; orderBy?: { field: string; direction: string } | null },
      ) => {
        // Any head branch of that name, the repository's own and forks' alike.
        const named = r.pulls
          .filter((p) => (a.headRefName == null || p.branch === a.headRefName) && (!a.states || a.states.includes(p.state)))
          .sort((x, y) => x.number - y.number);
        // CREATED_AT (UPDATED_AT alike here): the double's PRs are numbered in the order they were opened.
        if (a.orderBy?.direction === 'DESC') named.reverse();
        return connection(named, a, (p) => {
          const node = this.gqlPull(r, p);
          // GitHub creates the head's check suites a little after the push: this read sees none, the next one does.
          r.ciStarted.add(p.head);
          return node;
        });
      },
    };
  }

  /** `enablePullRequestAutoMerge`, with GitHub's refusals: not allowed, head moved, already mergeable. */
  private enableAutoMerge(input: { pullRequestId: string; expectedHeadOid?: string | null; clientMutationId?: string | null }) {
    for (const r of this.repos.values()) {
      const pr = r.pulls.find((p) => `PR_${r.full}#${p.number}` === input.pullRequestId);
      if (!pr) continue;
      const refuse = (message: string) => new GitHubGraphqlError('UNPROCESSABLE', message);
      if (!r.autoMergeAllowed) throw refuse('Pull request Auto merge is not allowed for this repository');
      if (input.expectedHeadOid != null && pr.head !== input.expectedHeadOid)
        throw refuse('Pull request head commit is not the expected head');
      if (this.mergeBlockedBy(r, pr) === null) throw refuse('Pull request Pull request is in clean status');
      pr.autoMerge = { enabledAt: this.now() };
      return {
        clientMutationId: input.clientMutationId ?? null,
        pullRequest: this.gqlPull(r, pr),
        actor: { __typename: 'Bot', login: this.botSlug },
      };
    }
    throw new GitHubGraphqlError('NOT_FOUND', `Could not resolve to a node with the global id of '${input.pullRequestId}'`);
  }

  /**
   * The root of GitHub's GraphQL schema over the double's state: `Query.repository`, `Query.repositoryOwner`
   * and `Mutation.enablePullRequestAutoMerge`, each field below them a property or an `(args) => value` of
   * the objects they return (see `executeGraphql`). What no object here has, the double does not implement.
   */
  private gqlRoot(): Record<string, unknown> {
    return {
      repository: (a: { owner: string; name: string }) => {
        const r = this.repos.get(`${a.owner}/${a.name}`);
        // GitHub: null and `{"type":"NOT_FOUND","path":["repository"],"message":"Could not resolve to a Repository with the name 'o/n'."}`.
        if (!r) throw new GitHubGraphqlError('NOT_FOUND', `Could not resolve to a Repository with the name '${a.owner}/${a.name}'.`);
        return this.gqlRepo(r);
      },
      // The fleet's owner: an organization (RepositoryOwner is an interface; GitHub's answer is one of its types).
      repositoryOwner: (a: { login: string }) => ({
        __typename: 'Organization',
        login: a.login,
        // Its repositories, by name (orderBy NAME ASC, as the fleet query asks), `first` a page, the cursor an offset.
        repositories: (p: Page) => {
          const owned = [...this.repos.values()]
            .filter((r) => r.full.startsWith(`${a.login}/`))
            .sort((x, y) => x.full.localeCompare(y.full));
          return connection(owned, p, (r) => this.gqlRepo(r));
        },
      }),
      enablePullRequestAutoMerge: (a: {
        input: { pullRequestId: string; expectedHeadOid?: string | null; clientMutationId?: string | null };
      }) => this.enableAutoMerge(a.input),
    };
  }

  /**
   * An answer of `status` to `method uri`, built on GitHub's documented example of it (`@octokit/openapi`)
   * with the double's `state` laid over (`onExample`), so it has every field GitHub sends; the fields the
   * double keeps state for are its own, the rest GitHub's example values.
   */
  private answer(method: string, uri: string, status: number, state: unknown): [number, unknown] {
    return [status, onExample(githubExample(method, uri, status), state)];
  }

  /** GitHub's error answer: its message and the operation's `documentation_url` (`basic-error`). */
  /** GitHub's answer to a body over its limit (the `resource` is "Issue" for pull requests too), or null. */
  private bodyTooLong(method: string, uri: string, body: string | undefined): [number, unknown] | null {
    if (body === undefined || body === null || [...body].length <= 65_536) return null;
    return this.refuse(method, uri, 422, 'Validation Failed', {
      errors: [{ resource: 'Issue', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }],
    });
  }

  private refuse(method: string, uri: string, status: number, message: string, extra: Record<string, unknown> = {}): [number, unknown] {
    const docs = githubOperation(method, uri)?.docs ?? 'https://docs.github.com/rest';
    return [status, { message, ...extra, documentation_url: docs, status: String(status) }];
  }

  /** A repository as REST shows it (`repository`, `full-repository`), laid over GitHub's example. */
  private restRepo(r: SimRepo) {
    const [owner, name] = r.full.split('/') as [string, string];
    const m = r.mergeMethods ?? { squash: true, merge: true, rebase: true };
    return {
      id: [...this.repos.keys()].indexOf(r.full) + 1,
      node_id: `R_${r.full}`,
      name,
      full_name: r.full,
      owner: { login: owner, type: 'Organization' },
      private: false,
      html_url: `https://github.com/${r.full}`,
      url: `https://api.github.com/repos/${r.full}`,
      archived: false,
      disabled: false,
      fork: false,
      default_branch: r.defaultBranch,
      // GitHub's example lacks `language`, which its schema requires (nullable); and it is no fork.
      language: null,
      source: undefined,
      parent: undefined,
      allow_squash_merge: m.squash,
      allow_merge_commit: m.merge,
      allow_rebase_merge: m.rebase,
      allow_auto_merge: r.autoMergeAllowed,
    };
  }

  private restCommit(r: SimRepo, c: SimCommit) {
    const person = { name: c.author.name, email: c.author.email, date: this.now() };
    return {
      sha: c.sha,
      node_id: `C_${c.sha}`,
      url: `https://api.github.com/repos/${r.full}/commits/${c.sha}`,
      html_url: `https://github.com/${r.full}/commit/${c.sha}`,
      // REST names the user or bot the email belongs to: `<slug>[bot]` for the App's commits.
      author: c.restLogin ? { login: c.restLogin, type: c.restLogin.endsWith('[bot]') ? 'Bot' : 'User' } : null,
      committer: c.restLogin ? { login: c.restLogin, type: c.restLogin.endsWith('[bot]') ? 'Bot' : 'User' } : null,
      commit: {
        author: person,
        committer: person,
        message: c.message,
        verification: c.signedByGitHub
          ? { verified: true, reason: 'valid', signature: '-----BEGIN PGP SIGNATURE-----', payload: c.message, verified_at: this.now() }
          : { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
      },
      parents: c.parents.map((sha) => ({ sha, url: `https://api.github.com/repos/${r.full}/commits/${sha}` })),
    };
  }

  /** Installs the simulator's routes on nock (persisting: they answer as often as asked). */
  install(): void {
    // Every request and every answer checked against GitHub's REST description, answers with every
    // property GitHub always sends (`required`): they are built on GitHub's examples.
    const api = githubApi(undefined, { required: true }).persist();
    api.on('request', (req: { method?: string; path?: string }) => {
      this.requests++;
      this.requestLog.push(`${req.method ?? 'GET'} ${req.path ?? ''}`);
    });
    // First: nock tries interceptors in order, so a request without its permission never reaches a route.
    enforcePermissions(api, () => this.permissions, this.refused, this.undocumented);
    const R = '/repos/([^/]+)/([^/]+)';
    api.post(/^\/app\/installations\/\d+\/access_tokens$/).reply((uri) => {
      const [status, token] = this.answer('POST', uri, 201, {
        token: 'ghs_sim',
        expires_at: '2099-01-01T00:00:00Z',
        repository_selection: 'all',
        // Listed only when the token is asked for some repositories.
        repositories: undefined,
      });
      return [status, { ...(token as object), permissions: Object.fromEntries(this.permissions) }];
    });
    api
      .get('/app')
      .reply((uri) => this.answer('GET', uri, 200, { id: 1, slug: this.botSlug, name: 'Fleetwave', owner: { login: 'acme' } }));
    api
      .get(`/users/${encodeURIComponent(this.botLogin)}`)
      .reply((uri) => this.answer('GET', uri, 200, { login: this.botLogin, id: this.botId, type: 'Bot', name: null, email: null }));
    // GraphQL: executed by graphql-js against GitHub's schema over the double's state (gqlRoot).
    api
      .post('/graphql')
      .reply(200, (_u, body) => answerGraphql(body as GraphqlRequest, this.permissions, this.refused, this.schemaFailures, this.gqlRoot()));
    api
      .get('/installation/repositories')
      .query(true)
      .reply((uri) =>
        this.answer('GET', uri, 200, {
          total_count: this.repos.size,
          repository_selection: 'all',
          repositories: [...this.repos.values()].map((r) => this.restRepo(r)),
        }),
      );
    api
      .get(new RegExp(`^${R}/compare/([^?]+)`))
      .query(true)
      .reply(
        this.found('GET', (uri) => {
          const [, o, n, basehead] = /^\/repos\/([^/]+)\/([^/]+)\/compare\/([^?]+)/.exec(uri)!;
          const r = this.repo(o!, n!);
          const [base, branch] = decodeURIComponent(basehead!).split('...') as [string, string];
          const baseSha = r.refs.get(base) ?? base;
          const head = r.refs.get(branch);
          if (!head) return this.refuse('GET', uri, 404, 'Not Found');
          const commits = this.ahead(r, baseSha, head);
          const baseCommit = r.commits.get(baseSha);
          return this.answer('GET', uri, 200, {
            status: commits.length ? 'ahead' : 'identical',
            ahead_by: commits.length,
            behind_by: 0,
            total_commits: commits.length,
            base_commit: baseCommit ? this.restCommit(r, baseCommit) : { sha: baseSha },
            merge_base_commit: baseCommit ? this.restCommit(r, baseCommit) : { sha: baseSha },
            commits: commits.map((c) => this.restCommit(r, c)),
            files: [],
          });
        }),
      );
    api
      .get(new RegExp(`^${R}/git/trees/`))
      .query(true)
      .reply((uri) => {
        const sha = decodeURIComponent(/\/git\/trees\/([^?]+)/.exec(uri)![1]!);
        return this.answer('GET', uri, 200, { sha, url: `https://api.github.com${uri.split('?')[0]}`, truncated: false, tree: [] });
      });
    api.post(new RegExp(`^${R}/git/trees$`)).reply((uri, body) => {
      const sha = fakeSha('tree');
      const entries = (body as { tree: { path: string; mode: string; type: string; sha?: string | null }[] }).tree;
      const workflow = entries.find((e) => e.path.startsWith('.github/workflows/'));
      if (workflow) this.workflowTrees.set(sha, workflow.path);
      return this.answer('POST', uri, 201, {
        sha,
        url: `https://api.github.com${uri}/${sha}`,
        truncated: false,
        tree: entries
          .filter((e) => e.sha !== null)
          .map((e) => ({ path: e.path, mode: e.mode, type: e.type, sha: e.sha ?? fakeSha('blob'), size: undefined, url: undefined })),
      });
    });
    api.post(new RegExp(`^${R}/git/commits$`)).reply(
      this.found('POST', (uri, body) => {
        const [, o, n] = /^\/repos\/([^/]+)\/([^/]+)/.exec(uri)!;
        const r = this.repo(o!, n!);
        const b = body as { message: string; parents: string[]; tree: string };
        const sha = fakeSha('commit');
        const workflow = this.workflowTrees.get(b.tree);
        if (workflow) this.workflowTrees.set(sha, workflow);
        const commit: SimCommit = {
          sha,
          parents: b.parents,
          message: b.message,
          author: this.botAuthor(),
          restLogin: this.botLogin,
          signedByGitHub: true,
        };
        r.commits.set(sha, commit);
        const person = { name: commit.author.name, email: commit.author.email, date: this.now() };
        return this.answer('POST', uri, 201, {
          sha,
          node_id: `C_${sha}`,
          url: `https://api.github.com/repos/${r.full}/git/commits/${sha}`,
          html_url: `https://github.com/${r.full}/commit/${sha}`,
          author: person,
          committer: person,
          message: b.message,
          tree: { sha: b.tree, url: `https://api.github.com/repos/${r.full}/git/trees/${b.tree}` },
          parents: b.parents.map((p) => ({
            sha: p,
            url: `https://api.github.com/repos/${r.full}/git/commits/${p}`,
            html_url: `https://github.com/${r.full}/commit/${p}`,
          })),
        });
      }),
    );
    const gitRef = (r: SimRepo, ref: string, sha: string) => ({
      ref,
      node_id: `REF_${r.full}:${ref}`,
      url: `https://api.github.com/repos/${r.full}/git/${ref}`,
      object: { type: 'commit', sha, url: `https://api.github.com/repos/${r.full}/git/commits/${sha}` },
    });
    api.post(new RegExp(`^${R}/git/refs$`)).reply(
      this.found('POST', (uri, body) => {
        const [, o, n] = /^\/repos\/([^/]+)\/([^/]+)/.exec(uri)!;
        const r = this.repo(o!, n!);
        const b = body as { ref: string; sha: string };
        const name = b.ref.replace(/^refs\/heads\//, '');
        if (r.refs.has(name)) return this.refuse('POST', uri, 422, 'Reference already exists');
        const refused = this.refusesWorkflow(b.sha);
        if (refused) return this.refuse('POST', uri, 422, refused);
        r.refs.set(name, b.sha);
        return this.answer('POST', uri, 201, gitRef(r, b.ref, b.sha));
      }),
    );
    // Delete a reference (`git/delete-ref`): 204 without a body; the default branch and a missing ref are
    // refused with 422 (GitHub's description: "an attempt was made to delete the default branch"; docs/github-behaviour.md).
    api.delete(new RegExp(`^${R}/git/refs/`)).reply(
      this.found('DELETE', (uri) => {
        const [, o, n, ref] = /^\/repos\/([^/]+)\/([^/]+)\/git\/refs\/(.+)$/.exec(uri)!;
        const r = this.repo(o!, n!);
        const name = decodeURIComponent(ref!).replace(/^heads\//, '');
        // GitHub's 422 here carries a message ("Reference does not exist") its description documents no
        // body for; the double answers as described, and the forge never reads the message.
        if (!r.refs.has(name) || name === r.defaultBranch) return [422, ''];
        r.refs.delete(name);
        return [204, ''];
      }),
    );
    api.patch(new RegExp(`^${R}/git/refs/`)).reply(
      this.found('PATCH', (uri, body) => {
        const [, o, n, ref] = /^\/repos\/([^/]+)\/([^/]+)\/git\/refs\/(.+)$/.exec(uri)!;
        const r = this.repo(o!, n!);
        const sha = (body as { sha: string }).sha;
        const refused = this.refusesWorkflow(sha);
        if (refused) return this.refuse('PATCH', uri, 422, refused);
        const name = decodeURIComponent(ref!).replace(/^heads\//, '');
        this.moveRef(r, name, sha);
        return this.answer('PATCH', uri, 200, gitRef(r, `refs/heads/${name}`, sha));
      }),
    );
    api.post(new RegExp(`^${R}/pulls$`)).reply(
      this.found('POST', (uri, body) => {
        const [, o, n] = /^\/repos\/([^/]+)\/([^/]+)/.exec(uri)!;
        const r = this.repo(o!, n!);
        const b = body as { head: string; base: string; title: string; body: string; draft?: boolean };
        const tooLong = this.bodyTooLong('POST', uri, b.body);
        if (tooLong) return tooLong;
        if (r.pulls.some((p) => p.branch === b.head && p.state === 'OPEN' && !p.fromFork))
          return this.refuse('POST', uri, 422, 'Validation Failed', {
            errors: [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${o}:${b.head}.` }],
          });
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
          ...(b.draft === true ? { draft: true } : {}),
        };
        r.pulls.push(pr);
        return this.answer('POST', uri, 201, this.restPull(r, pr));
      }),
    );
    api.post(new RegExp(`^${R}/pulls/\\d+/requested_reviewers$`)).reply(
      this.found('POST', (uri, body) => {
        const [, o, n, num] = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/requested_reviewers$/.exec(uri)!;
        const r = this.repo(o!, n!);
        const pr = r.pulls.find((p) => p.number === Number(num));
        if (!pr) return this.refuse('POST', uri, 404, 'Not Found');
        const b = body as { reviewers?: string[]; team_reviewers?: string[] };
        // The App's bot is no collaborator of the repository: the documented 422 ("Unprocessable Entity if
        // user is not a collaborator", pulls/request-reviewers in @octokit/openapi), which has no body.
        if ((b.reviewers ?? []).includes(this.botLogin)) return [422, ''];
        const asked = pr.requested ?? { users: [], teams: [] };
        pr.requested = {
          users: [...new Set([...asked.users, ...(b.reviewers ?? [])])],
          teams: [...new Set([...asked.teams, ...(b.team_reviewers ?? [])])],
        };
        return this.answer('POST', uri, 201, this.restPull(r, pr));
      }),
    );
    api.put(new RegExp(`^${R}/pulls/\\d+/merge$`)).reply(
      this.found('PUT', (uri, body) => {
        const [, o, n, num] = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/merge$/.exec(uri)!;
        const r = this.repo(o!, n!);
        const pr = r.pulls.find((p) => p.number === Number(num));
        if (!pr || pr.state !== 'OPEN') return this.refuse('PUT', uri, 405, 'Pull Request is not mergeable');
        if (pr.draft) return this.refuse('PUT', uri, 405, 'Pull Request is still a draft');
        if ((body as { sha?: string }).sha !== pr.head) return this.refuse('PUT', uri, 409, 'Head branch was modified.');
        // GitHub's refusal of a disallowed method: "Squash merges are not allowed on this repository."
        const method = ((body as { merge_method?: string }).merge_method ?? 'merge') as 'squash' | 'merge' | 'rebase';
        if (r.mergeMethods && !r.mergeMethods[method])
          return this.refuse(
            'PUT',
            uri,
            405,
            `${{ squash: 'Squash merges', merge: 'Merge commits', rebase: 'Rebase merges' }[method]} are not allowed on this repository.`,
          );
        if (r.requireReview && !pr.approved) return this.refuse('PUT', uri, 405, this.mergeBlockedBy(r, pr)!);
        if (r.requireUpToDate && this.behind(r, pr))
          return this.refuse('PUT', uri, 405, 'Head branch is out of date with the base branch.');
        const sha = this.merge(r, pr);
        return this.answer('PUT', uri, 200, { sha, merged: true, message: 'Pull Request successfully merged' });
      }),
    );
    // The repository, with its merge settings (`allow_*_merge`).
    api.get(new RegExp(`^${R}$`)).reply(
      this.found('GET', (uri) => {
        const [, o, n] = /^\/repos\/([^/]+)\/([^/]+)$/.exec(uri)!;
        return this.answer('GET', uri, 200, this.restRepo(this.repo(o!, n!)));
      }),
    );
    // A PR's mergeability as REST shows it (`mergeable`, `mergeable_state`): the forge reads it after a 405.
    api.get(new RegExp(`^${R}/pulls/\\d+$`)).reply(
      this.found('GET', (uri) => {
        const [, o, n, num] = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/.exec(uri)!;
        const r = this.repo(o!, n!);
        const pr = r.pulls.find((p) => p.number === Number(num));
        if (!pr) return this.refuse('GET', uri, 404, 'Not Found');
        const open = pr.state === 'OPEN';
        const behind = open && r.requireUpToDate === true && this.behind(r, pr);
        const blocked = open && this.mergeBlockedBy(r, pr) !== null;
        const state = behind ? 'behind' : blocked ? 'blocked' : open ? 'clean' : 'unknown';
        return this.answer('GET', uri, 200, { ...this.restPull(r, pr), mergeable: open ? true : null, mergeable_state: state });
      }),
    );
    // "Update a pull request branch": merges the base into the PR's branch (a commit by the App's bot,
    // whose new head has no checks yet); `expected_head_sha` must be the head, else 422.
    api.put(new RegExp(`^${R}/pulls/\\d+/update-branch$`)).reply(
      this.found('PUT', (uri, body) => {
        const [, o, n, num] = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/update-branch$/.exec(uri)!;
        const r = this.repo(o!, n!);
        const pr = r.pulls.find((p) => p.number === Number(num));
        if (!pr || pr.state !== 'OPEN') return this.refuse('PUT', uri, 422, 'Pull request is not open');
        const expected = (body as { expected_head_sha?: string }).expected_head_sha;
        if (expected !== undefined && expected !== pr.head)
          return this.refuse('PUT', uri, 422, "expected head sha didn't match current head ref.");
        const sha = fakeSha('update');
        r.commits.set(sha, {
          sha,
          parents: [pr.head, r.refs.get(r.defaultBranch)!],
          message: `Merge branch '${r.defaultBranch}' into ${pr.branch}`,
          author: this.botAuthor(),
          restLogin: this.botLogin,
          signedByGitHub: true,
        });
        this.moveRef(r, pr.branch, sha);
        return this.answer('PUT', uri, 202, {
          message: 'Updating pull request branch.',
          url: `https://github.com/${r.full}/pull/${pr.number}`,
        });
      }),
    );
    api
      .get(new RegExp(`^${R}/contents/`))
      .query(true)
      .reply(
        this.found('GET', (uri) => {
          const [, o, n, path] = /^\/repos\/([^/]+)\/([^/]+)\/contents\/([^?]+)/.exec(uri)!;
          const text = this.repo(o!, n!).files.get(decodeURIComponent(path!));
          // The file's raw text (the adapter asks `application/vnd.github.raw`): no JSON to hold to a schema.
          return text === undefined ? this.refuse('GET', uri, 404, 'Not Found') : [200, text];
        }),
      );
    api.post(new RegExp(`^${R}/check-runs$`)).reply((uri, body) => {
      const b = body as { name: string; head_sha: string; status?: string; conclusion?: string; details_url?: string };
      const completed = b.conclusion !== undefined || b.status === 'completed';
      return this.answer('POST', uri, 201, {
        id: 1,
        name: b.name,
        head_sha: b.head_sha,
        status: b.conclusion !== undefined ? 'completed' : (b.status ?? 'queued'),
        conclusion: b.conclusion ?? null,
        completed_at: completed ? this.now() : null,
        details_url: b.details_url ?? null,
        app: { slug: this.botSlug },
        pull_requests: [],
      });
    });
    // GitHub Actions: a repository whose CI fails has one failed workflow run on each head (its id: the PR's number).
    api.get(new RegExp(`^${R}/actions/runs\\?`)).reply(
      this.found('GET', (uri) => {
        const [, o, n] = /^\/repos\/([^/]+)\/([^/]+)/.exec(uri)!;
        const r = this.repo(o!, n!);
        const sha = new URL(uri, 'https://api.github.com').searchParams.get('head_sha');
        const runs = r.checks === 'FAILURE' ? r.pulls.filter((p) => p.head === sha && r.ciStarted.has(p.head)) : [];
        return this.answer('GET', uri, 200, {
          total_count: runs.length,
          workflow_runs: runs.map((p) => ({
            id: p.number,
            head_sha: p.head,
            head_branch: p.branch,
            status: 'completed',
            conclusion: 'failure',
            pull_requests: [],
          })),
        });
      }),
    );
    api.post(new RegExp(`^${R}/actions/runs/\\d+/rerun-failed-jobs$`)).reply((uri) => {
      this.reran.push(Number(/\/runs\/(\d+)\//.exec(uri)![1]));
      return this.answer('POST', uri, 201, {});
    });
    api.get(new RegExp(`^${R}/issues\\?`)).reply(
      this.found('GET', (uri) => {
        const [, o, n] = /^\/repos\/([^/]+)\/([^/]+)/.exec(uri)!;
        const r = this.repo(o!, n!);
        return this.answer(
          'GET',
          uri,
          200,
          r.issues.map((i) => this.restIssue(r, i)),
        );
      }),
    );
    api.post(new RegExp(`^${R}/issues$`)).reply(
      this.found('POST', (uri, body) => {
        const [, o, n] = /^\/repos\/([^/]+)\/([^/]+)/.exec(uri)!;
        const r = this.repo(o!, n!);
        const b = body as { title: string; body: string; labels: string[] };
        const tooLong = this.bodyTooLong('POST', uri, b.body);
        if (tooLong) return tooLong;
        const issue = { number: this.nextNumber++, title: b.title, body: b.body, labels: b.labels };
        r.issues.push(issue);
        return this.answer('POST', uri, 201, this.restIssue(r, issue));
      }),
    );
    api.patch(new RegExp(`^${R}/issues/\\d+$`)).reply(
      this.found('PATCH', (uri, body) => {
        const [, o, n, num] = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/.exec(uri)!;
        const r = this.repo(o!, n!);
        const issue = r.issues.find((i) => i.number === Number(num))!;
        const tooLong = this.bodyTooLong('PATCH', uri, (body as { body?: string }).body);
        if (tooLong) return tooLong;
        issue.body = (body as { body: string }).body;
        return this.answer('PATCH', uri, 200, this.restIssue(r, issue));
      }),
    );
  }

  private restIssue(r: SimRepo, i: SimRepo['issues'][number]) {
    return {
      id: i.number,
      node_id: `I_${r.full}#${i.number}`,
      number: i.number,
      url: `https://api.github.com/repos/${r.full}/issues/${i.number}`,
      html_url: `https://github.com/${r.full}/issues/${i.number}`,
      title: i.title,
      body: i.body,
      state: 'open',
      state_reason: null,
      locked: false,
      labels: (i.labels ?? []).map((name) => ({ name, default: false, description: null })),
      user: { login: this.botLogin, type: 'Bot' },
      assignee: null,
      assignees: [],
      milestone: null,
      pull_request: undefined,
      closed_at: null,
      closed_by: null,
      created_at: this.now(),
      updated_at: this.now(),
    };
  }

  private restPull(r: SimRepo, p: SimPull) {
    const [owner, name] = r.full.split('/') as [string, string];
    const repo = this.restRepo(r);
    const bot = { login: this.botLogin, type: 'Bot' };
    return {
      id: p.number,
      node_id: `PR_${r.full}#${p.number}`,
      number: p.number,
      url: `https://api.github.com/repos/${r.full}/pulls/${p.number}`,
      html_url: `https://github.com/${r.full}/pull/${p.number}`,
      state: p.state === 'OPEN' ? 'open' : 'closed',
      merged: p.state === 'MERGED',
      merged_at: p.state === 'MERGED' ? this.now() : null,
      closed_at: p.state === 'OPEN' ? null : this.now(),
      merge_commit_sha: p.mergeSha,
      merged_by: p.state === 'MERGED' ? bot : null,
      mergeable: null,
      mergeable_state: 'unknown',
      title: p.title,
      body: p.body,
      created_at: p.createdAt,
      updated_at: this.now(),
      draft: p.draft === true,
      user: p.fromFork ? { login: p.fromFork.split('/')[0], type: 'User' } : bot,
      labels: [],
      assignee: null,
      assignees: [],
      requested_reviewers: (p.requested?.users ?? []).map((login) => simpleUser(login)),
      requested_teams: (p.requested?.teams ?? []).map((slug) => team(owner, slug)),
      milestone: null,
      auto_merge: p.autoMerge && { enabled_by: bot, merge_method: 'merge', commit_title: p.title, commit_message: '' },
      head: {
        ref: p.branch,
        sha: p.head,
        label: `${p.fromFork ? p.fromFork.split('/')[0] : owner}:${p.branch}`,
        repo: p.fromFork ? { ...repo, name: p.fromFork.split('/')[1], full_name: p.fromFork, fork: true } : repo,
      },
      base: { ref: p.base, sha: r.refs.get(p.base) ?? p.head, label: `${owner}:${p.base}`, repo: { ...repo, name } },
    };
  }
}

/** A user as REST shows it (`simple-user`: every property GitHub always sends). */
function simpleUser(login: string) {
  const api = `https://api.github.com/users/${login}`;
  return {
    login,
    id: login.length,
    node_id: `U_${login}`,
    avatar_url: `https://avatars.githubusercontent.com/${login}`,
    gravatar_id: '',
    url: api,
    html_url: `https://github.com/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: 'User',
    site_admin: false,
  };
}

/** A team of `org` as REST shows it (`team`: every property GitHub always sends). */
function team(org: string, slug: string) {
  const api = `https://api.github.com/orgs/${org}/teams/${slug}`;
  return {
    id: slug.length,
    node_id: `T_${org}_${slug}`,
    url: api,
    members_url: `${api}/members{/member}`,
    name: slug,
    slug,
    description: null,
    privacy: 'closed',
    notification_setting: 'notifications_enabled',
    permission: 'pull',
    html_url: `https://github.com/orgs/${org}/teams/${slug}`,
    repositories_url: `${api}/repos`,
    parent: null,
    type: 'organization',
  };
}
