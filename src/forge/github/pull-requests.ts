/**
 * Observing pull requests: one batched GraphQL query per 100 repositories asks for the newest pull
 * request whose head is the migration's branch, with its state, head, reviews, auto-merge request and
 * the head commit's check rollup (check runs and commit statuses together), and whether the
 * repository allows auto-merge. And the mapping of GitHub's answers, GraphQL
 * and REST, to the port's `PullRequestInfo`.
 */
import type { BranchInfo, CheckRun, CheckState, CommitInfo, PullRequestInfo, RepoName, Review } from '../port.js';
import type { GitHubClient } from './client.js';
import { BATCH, perRepository, query } from './graphql.js';

export const CHECK_FIELDS = `
  state
  contexts(first: 100) {
    nodes {
      __typename
      ... on CheckRun { name status conclusion title detailsUrl }
      ... on StatusContext { context state description targetUrl }
    }
  }`;

export const PR_FIELDS = `
fragment FleetwavePr on PullRequest {
  id number url state isDraft title body headRefName baseRefName headRefOid isCrossRepository createdAt mergedAt closedAt
  mergeStateStatus mergeable
  mergeCommit { oid }
  mergedBy { login }
  autoMergeRequest { enabledAt }
  timelineItems(itemTypes: [CLOSED_EVENT], last: 1) { nodes { ... on ClosedEvent { actor { login } } } }
  reviews(last: 50) { nodes { author { login } state submittedAt commit { oid } } }
  commits(last: 1) { nodes { commit { oid committedDate statusCheckRollup { ${CHECK_FIELDS} } } } }
  headRef { target { oid } }
  branchCommits: commits(first: 20) { totalCount nodes { commit { oid message parents(first: 1) { nodes { oid } } author { name email user { login } } signature { isValid wasSignedByGitHub } } } }
}`;

export interface GqlContext {
  __typename: 'CheckRun' | 'StatusContext';
  name?: string;
  status?: string;
  conclusion?: string | null;
  title?: string | null;
  detailsUrl?: string | null;
  context?: string;
  state?: string;
  description?: string | null;
  targetUrl?: string | null;
}

export interface GqlRollup {
  state: string;
  contexts: { nodes: (GqlContext | null)[] };
}

export interface GqlPullRequest {
  /** The node id (for mutations such as enabling auto-merge). */
  id?: string;
  number: number;
  url: string;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
  /** GitHub's `PullRequest.isDraft`: "Identifies if the pull request is a draft." */
  isDraft?: boolean;
  title: string;
  body: string;
  headRefName: string;
  baseRefName: string;
  headRefOid: string;
  /** The head is in another repository (a fork): never the bot's pull request, whatever its branch's name. */
  isCrossRepository?: boolean;
  createdAt: string;
  mergedAt: string | null;
  closedAt: string | null;
  mergeCommit: { oid: string } | null;
  mergedBy: { login: string } | null;
  /**
   * GitHub's merge state (`MergeStateStatus`): `BEHIND` is "The head ref is out of date", which under
   * "Require branches to be up to date before merging" blocks the merge, auto-merge's included.
   */
  mergeStateStatus?: string;
  /** GitHub's `MergeableState`: `CONFLICTING` "The pull request cannot be merged due to merge conflicts.", `MERGEABLE`, `UNKNOWN` (not computed yet). */
  mergeable?: string;
  /** Set while GitHub's native auto-merge is enabled on the pull request. */
  autoMergeRequest?: { enabledAt: string | null } | null;
  timelineItems: { nodes: ({ actor?: { login: string } | null } | null)[] };
  reviews: {
    nodes: ({ author: { login: string } | null; state: string; submittedAt: string | null; commit: { oid: string } | null } | null)[];
  };
  commits: { nodes: ({ commit: { oid: string; committedDate?: string; statusCheckRollup: GqlRollup | null } } | null)[] };
  headRef?: { target: { oid: string } | null } | null;
  branchCommits?: {
    totalCount: number;
    nodes: ({
      commit: {
        oid: string;
        message: string;
        /** Its first parent: for the PR's oldest commit, the base commit the branch was made on. */
        parents?: { nodes: ({ oid: string } | null)[] };
        author: GqlGitActor;
        signature: GqlSignature;
      };
    } | null)[];
  };
}

/** A login without GitHub's `[bot]` suffix: REST and webhooks name an App's bot `slug[bot]`, GraphQL `slug`. */
function bare(login: string): string {
  return login.replace(/\[bot\]$/i, '').toLowerCase();
}

/** Whether two logins name the same account, one with `[bot]` (REST, webhooks) and one without (GraphQL). */
export function sameLogin(a: string | null | undefined, b: string): boolean {
  return typeof a === 'string' && a !== '' && bare(a) === bare(b);
}

type GqlGitActor = { name: string | null; email: string | null; user: { login: string } | null } | null;
type GqlSignature = { isValid: boolean; wasSignedByGitHub: boolean } | null;

/** A GitHub App's bot login (`slug[bot]`); a personal access token's user has none. */
function isAppBot(login: string): boolean {
  return /\[bot\]$/i.test(login);
}

/**
 * Whether GraphQL's commit is the bot's, whose login (`slug[bot]`, or a user's login for a personal
 * access token) is `botLogin`. A GitHub App's bot is a `Bot`, not a `User`, so GraphQL's `GitActor.user`
 * is null for its commits: they are told by the bot's noreply email (`<id>+<slug>[bot]@users.noreply.github.com`)
 * and name (`<slug>[bot]`). Anyone can write that email into a commit of theirs, so an App's commit must
 * also carry GitHub's own valid signature: GitHub signs the commits an App makes through the API without a
 * custom author or committer (docs/github-behaviour.md, "Signature verification for bots"), which is how
 * Fleetwave makes every commit. A user's commits (a personal access token) by login.
 */
export function isBotCommit(author: GqlGitActor, signature: GqlSignature, botLogin: string): boolean {
  if (!author) return false;
  if (!isAppBot(botLogin)) return author.user !== null && sameLogin(author.user.login, botLogin);
  if (!signature?.isValid || !signature.wasSignedByGitHub) return false;
  if (author.user) return sameLogin(author.user.login, botLogin);
  const slug = bare(botLogin).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const noreply = new RegExp(`^\\d+\\+${slug}\\[bot\\]@users\\.noreply\\.github\\.com$`, 'i');
  return noreply.test(author.email ?? '') && sameLogin(author.name, botLogin);
}

/**
 * The same for a commit of a REST listing (compare): REST's `author.login` is the account GitHub links
 * the author's email to, so an App's commit must also be `verification.verified` (GitHub's signature).
 */
export function isBotRestCommit(
  c: { author: { login: string } | null; commit: { verification?: { verified: boolean } | null } },
  botLogin: string,
): boolean {
  if (!sameLogin(c.author?.login, botLogin)) return false;
  return !isAppBot(botLogin) || c.commit.verification?.verified === true;
}

/**
 * The bot branch as the PR query saw it, when that is the whole truth: the PR is open, its head ref
 * still points at the PR's head, and every commit was listed. Spares `getBranch` a request per target.
 */
export function branchOfOpenPullRequest(pr: GqlPullRequest, botLogin: string): BranchInfo | null {
  if (pr.state !== 'OPEN' || !pr.headRef?.target || pr.headRef.target.oid !== pr.headRefOid || !pr.branchCommits) return null;
  const nodes = pr.branchCommits.nodes.filter((n): n is NonNullable<typeof n> => n !== null);
  if (nodes.length !== pr.branchCommits.totalCount) return null;
  const commits: CommitInfo[] = nodes.map(({ commit: c }) => ({
    sha: c.oid,
    authorName: c.author?.name ?? c.author?.user?.login ?? '',
    authorEmail: c.author?.email ?? '',
    byBot: isBotCommit(c.author, c.signature, botLogin),
    message: c.message,
  }));
  return { name: pr.headRefName, sha: pr.headRefOid, commits };
}

const FAILED_CONCLUSIONS = new Set(['FAILURE', 'CANCELLED', 'TIMED_OUT', 'ACTION_REQUIRED', 'STARTUP_FAILURE', 'STALE']);

function checkRunState(c: GqlContext): CheckState {
  if (c.__typename === 'CheckRun') {
    if (c.status !== 'COMPLETED') return 'pending';
    return c.conclusion && FAILED_CONCLUSIONS.has(c.conclusion) ? 'failure' : 'success';
  }
  if (c.state === 'SUCCESS') return 'success';
  if (c.state === 'PENDING' || c.state === 'EXPECTED') return 'pending';
  return 'failure';
}

/** GitHub's combined rollup (check runs + statuses) as the port's checks. */
export function rollupChecks(rollup: GqlRollup | null | undefined): { state: CheckState; runs: CheckRun[] } {
  if (!rollup) return { state: 'none', runs: [] };
  const runs: CheckRun[] = rollup.contexts.nodes
    .filter((c): c is GqlContext => c !== null)
    .map((c) => {
      const run: CheckRun = { name: c.__typename === 'CheckRun' ? (c.name ?? '') : (c.context ?? ''), state: checkRunState(c) };
      const summary = c.__typename === 'CheckRun' ? (c.title ?? (c.conclusion ? c.conclusion.toLowerCase() : undefined)) : c.description;
      if (summary) run.summary = summary;
      const url = c.__typename === 'CheckRun' ? c.detailsUrl : c.targetUrl;
      if (url) run.url = url;
      return run;
    });
  const state: CheckState =
    rollup.state === 'SUCCESS' ? 'success' : rollup.state === 'PENDING' || rollup.state === 'EXPECTED' ? 'pending' : 'failure';
  return { state, runs };
}

export function fromGraphql(repo: RepoName, pr: GqlPullRequest): PullRequestInfo {
  const head = pr.commits.nodes.find((n) => n !== null)?.commit;
  const reviews: Review[] = pr.reviews.nodes
    .filter((r): r is NonNullable<typeof r> => r !== null && r.submittedAt !== null)
    .filter((r) => ['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED'].includes(r.state))
    .map((r) => {
      const review: Review = { author: r.author?.login ?? 'ghost', state: r.state as Review['state'], submittedAt: r.submittedAt! };
      if (r.commit) review.commitSha = r.commit.oid;
      return review;
    });
  const info: PullRequestInfo = {
    repo,
    number: pr.number,
    url: pr.url,
    state: pr.state === 'MERGED' ? 'merged' : pr.state === 'CLOSED' ? 'closed' : 'open',
    title: pr.title,
    body: pr.body,
    branch: pr.headRefName,
    baseBranch: pr.baseRefName,
    headSha: pr.headRefOid,
    createdAt: pr.createdAt,
    checks: head?.oid === pr.headRefOid ? rollupChecks(head.statusCheckRollup) : { state: 'pending', runs: [] },
    reviews,
  };
  // Checks appear some time after the head is pushed: the grace for them counts from the later of the
  // PR's creation and the head commit's commit time (GraphQL serves no push time any more).
  if (head?.committedDate && Date.parse(head.committedDate) > Date.parse(pr.createdAt)) info.headSince = head.committedDate;
  if (pr.state === 'OPEN' && pr.mergeStateStatus === 'BEHIND') info.behind = true;
  if (pr.isDraft) info.draft = true;
  if (pr.state === 'OPEN') {
    // `commits(first: 20)` lists the PR's commits oldest first: the first one's parent is where the branch left its base.
    const oldest = pr.branchCommits?.nodes.find((n) => n !== null)?.commit;
    const base = oldest?.parents?.nodes.find((n) => n !== null)?.oid;
    if (base) info.mergeBase = base;
    if (pr.mergeable === 'CONFLICTING') info.conflicted = true;
    else if (pr.mergeable === 'MERGEABLE') info.conflicted = false;
  }
  if (pr.mergedAt) info.mergedAt = pr.mergedAt;
  if (pr.closedAt) info.closedAt = pr.closedAt;
  if (pr.mergeCommit && pr.state === 'MERGED') info.mergeSha = pr.mergeCommit.oid;
  const closer = pr.state === 'MERGED' ? pr.mergedBy?.login : pr.timelineItems.nodes.find((n) => n?.actor)?.actor?.login;
  if (closer) info.closedBy = closer;
  return info;
}

/** The REST shape of a pull request, as far as the adapter reads it. */
export interface RestPullRequest {
  number: number;
  html_url: string;
  state: string;
  merged?: boolean | null;
  merged_at?: string | null;
  closed_at?: string | null;
  merge_commit_sha?: string | null;
  merged_by?: { login: string } | null;
  title: string;
  body?: string | null;
  created_at: string;
  head: { ref: string; sha: string };
  base: { ref: string };
  /** GitHub's `draft` of a pull request (REST "Get a pull request"). */
  draft?: boolean;
}

export function fromRest(repo: RepoName, pr: RestPullRequest): PullRequestInfo {
  const merged = Boolean(pr.merged_at) || pr.merged === true;
  const info: PullRequestInfo = {
    repo,
    number: pr.number,
    url: pr.html_url,
    state: merged ? 'merged' : pr.state === 'closed' ? 'closed' : 'open',
    title: pr.title,
    body: pr.body ?? '',
    branch: pr.head.ref,
    baseBranch: pr.base.ref,
    headSha: pr.head.sha,
    createdAt: pr.created_at,
    checks: { state: 'none', runs: [] },
    reviews: [],
  };
  if (pr.merged_at) info.mergedAt = pr.merged_at;
  if (pr.closed_at) info.closedAt = pr.closed_at;
  if (pr.draft) info.draft = true;
  if (merged && pr.merge_commit_sha) info.mergeSha = pr.merge_commit_sha;
  if (merged && pr.merged_by) info.closedBy = pr.merged_by.login;
  return info;
}

/** What the PR query saw of a repository beside its pull request. */
export interface ObservedRepository {
  /** The repository's "Allow auto-merge" setting. */
  autoMergeAllowed: boolean;
}

/** How many pull requests from `branch` are looked through when the newest is from a fork. */
const PAST_FORKS = 25;
/** Repositories per request when looking past forks: 25 pull requests each, ~4,400 nodes a repository. */
const PAST_FORKS_BATCH = 10;

type PullRequestsAnswer = { autoMergeAllowed?: boolean; pullRequests: { nodes: (GqlPullRequest | null)[] } };

/**
 * The newest pull request from `branch` of each repository itself (any state); 1 request per `batch`
 * (100) repositories. GitHub's `headRefName` filter matches forks' branches of the same name too, so a
 * newer pull request from a fork would shadow the bot's: where the newest is from a fork, the newest
 * `PAST_FORKS` are asked again (one more request per `PAST_FORKS_BATCH` such repositories) and the
 * newest whose head is in the repository itself is taken. `onObserved` sees every repository that
 * answered, with its pull request or null.
 */
export async function findPullRequests(
  client: GitHubClient,
  repos: readonly RepoName[],
  branch: string,
  onObserved?: (repo: RepoName, pr: GqlPullRequest | null, facts: ObservedRepository) => void,
  batch = BATCH,
): Promise<Map<RepoName, PullRequestInfo>> {
  const ask = (what: string, among: readonly RepoName[], first: number, size: number, operation: string) =>
    perRepository<PullRequestsAnswer>(
      client,
      what,
      among,
      `autoMergeAllowed pullRequests(headRefName: $branch, first: ${first}, orderBy: { field: CREATED_AT, direction: DESC }) { nodes { ...FleetwavePr } }`,
      { declarations: '$branch: String!', variables: { branch } },
      PR_FIELDS,
      size,
      operation,
    );
  const answers = await ask(`find pull requests from ${branch}`, repos, 1, batch, 'FleetwavePullRequests');
  const shadowed = [...answers].filter(([, a]) => a?.pullRequests.nodes.find((n) => n !== null)?.isCrossRepository).map(([r]) => r);
  if (shadowed.length > 0) {
    const again = await ask(
      `find pull requests from ${branch} past those from forks`,
      shadowed,
      PAST_FORKS,
      PAST_FORKS_BATCH,
      'FleetwavePullRequestsPastForks',
    );
    for (const repo of shadowed) answers.set(repo, again.get(repo) ?? null);
  }
  const out = new Map<RepoName, PullRequestInfo>();
  for (const [repo, answer] of answers) {
    if (!answer) continue;
    const pr = answer.pullRequests.nodes.find((n) => n !== null && !n.isCrossRepository) ?? null;
    if (pr) out.set(repo, fromGraphql(repo, pr));
    onObserved?.(repo, pr, { autoMergeAllowed: answer.autoMergeAllowed === true });
  }
  return out;
}

/** The check rollup of one commit (post-merge verification), in one GraphQL request. */
export async function commitChecks(
  client: GitHubClient,
  owner: string,
  name: string,
  sha: string,
): Promise<{ state: CheckState; runs: CheckRun[] }> {
  const data = await query<{ repository: { object: { statusCheckRollup: GqlRollup | null } | null } | null }>(
    client,
    `read checks of ${owner}/${name}@${sha.slice(0, 7)}`,
    `query FleetwaveCommitChecks($owner: String!, $name: String!, $oid: GitObjectID!) {
  repository(owner: $owner, name: $name) { object(oid: $oid) { ... on Commit { statusCheckRollup { ${CHECK_FIELDS} } } } }
}`,
    { owner, name, oid: sha },
  );
  return rollupChecks(data.repository?.object?.statusCheckRollup);
}
