/**
 * The forge port: the one interface to a code host. The rollout engine talks to GitHub and to the
 * local fleet (a folder of real git repositories) only through this. Everything a reconcile needs to
 * know about a target can be asked of the forge again, so the store never decides correctness.
 */
import type { Edit } from '../codemod/port.js';
import { ForgeError } from '../util/errors.js';

/**
 * The code host still refuses for a rate limit after the waits it asked for: transient, but the tick
 * ends here (GitHub bans integrations that keep retrying while rate limited); the next tick goes on.
 * Not a timeout either: a batch is not split into more requests the host would refuse too.
 */
export class RateLimitedError extends ForgeError {}

/** `owner/name`. */
export type RepoName = string;

export interface RepoInfo {
  repo: RepoName;
  defaultBranch: string;
  /** Head commit of the default branch. */
  headSha: string;
  archived: boolean;
  /** The repository asked not to receive Fleetwave PRs (a `.fleetwave/opt-out` file on its default branch). */
  optedOut: boolean;
}

export interface CommitInfo {
  sha: string;
  authorName: string;
  authorEmail: string;
  /** True when the commit was made by the forge's bot identity. */
  byBot: boolean;
  message: string;
}

export interface BranchInfo {
  name: string;
  sha: string;
  /** Commits on the branch that are not on the default branch, oldest first. */
  commits: CommitInfo[];
}

/**
 * `none`: no check run or status reported on the commit, yet or at all (GitHub creates check suites
 * some seconds after a push, so a new head reads `none` first). Never a success: see gates/checks.ts.
 */
export type CheckState = 'pending' | 'success' | 'failure' | 'none';

export interface CheckRun {
  name: string;
  state: CheckState;
  /** Why it failed, short; the tail of the test output for the local forge. */
  summary?: string;
  url?: string;
}

export interface Review {
  author: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED';
  submittedAt: string;
  /** Head sha the review was given on. */
  commitSha?: string;
}

export interface PullRequestInfo {
  repo: RepoName;
  number: number;
  url: string;
  state: 'open' | 'closed' | 'merged';
  title: string;
  body: string;
  branch: string;
  baseBranch: string;
  headSha: string;
  createdAt: string;
  /**
   * When the current head became the pull request's head, as near as the forge tells (GitHub: the
   * head commit's `committedDate`, when later than `createdAt`). The grace for checks to appear
   * (`rollout.checksGrace`) counts from this, else from `createdAt`.
   */
  headSince?: string;
  /**
   * The open PR's branch lacks its base's head and the base requires branches to be up to date
   * before merging (GitHub: `mergeStateStatus: BEHIND`): no merge, GitHub's auto-merge included,
   * happens until the branch is updated. Unset where the forge does not tell (local, memory).
   */
  behind?: boolean;
  /**
   * Of an open PR: the base branch's commit its branch was made on (where the branch leaves the base:
   * for the bot's one-commit branches, the head commit's parent), when the forge tells. The default
   * branch has moved on since when this differs from its head (`rollout.rebaseWhen: behind`).
   */
  mergeBase?: string;
  /** Of an open PR: its branch does not merge cleanly into its base (GitHub: `mergeable: CONFLICTING`). */
  conflicted?: boolean;
  mergedAt?: string;
  closedAt?: string;
  mergeSha?: string;
  /** Who merged or closed it, when known. */
  closedBy?: string;
  /** When the merged change was reverted on the default branch, and the revert commit. */
  revertedAt?: string;
  revertSha?: string;
  checks: { state: CheckState; runs: CheckRun[] };
  reviews: Review[];
  /** Opened as a draft, where the forge says (local, memory, GitHub's REST answers). */
  draft?: boolean;
}

export interface Checkout {
  /** Absolute path of a working copy; treat as read-only. */
  dir: string;
  sha: string;
  dispose(): Promise<void>;
}

export interface PushRequest {
  repo: RepoName;
  branch: string;
  /** The commit the change is made on top of (the default branch head it was computed from). */
  baseSha: string;
  edits: Edit[];
  message: string;
  /**
   * The branch head the caller last saw (undefined: the branch must not exist). The forge refuses the
   * push when the branch moved since, or when it carries a commit not made by the bot: a human's
   * commit is never overwritten.
   */
  expectedHeadSha?: string;
}

/** Who a pull request asks for a review: user logins and team slugs. */
export interface ReviewRequest {
  users: string[];
  teams: string[];
}

export interface OpenPullRequest {
  repo: RepoName;
  branch: string;
  base: string;
  title: string;
  body: string;
  /**
   * Open it as a draft (an agent's change, src/codemod/agent/): GitHub refuses to merge a draft and to
   * enable auto-merge on one until a person marks it ready for review. The local and memory forges
   * record it (`PullRequestInfo.draft`).
   */
  draft?: boolean;
}

/**
 * What a merge request did: merged now (`sha`, the merge commit), or handed the merge to the code
 * host's native auto-merge (`autoMerge`), which merges once the branch's protection rules are met;
 * that merge is observed by a later reconcile.
 */
export type MergeResult = { sha: string; autoMerge?: undefined } | { autoMerge: true; sha?: undefined };

export interface SearchCodeOptions {
  /** The answer may be partial: some repositories containing the text may be missing from it. */
  onIncomplete?: () => void;
}

export interface Forge {
  readonly kind: string;
  /** How commits by this tool are recognised: the bot's git author email (local) or login (GitHub). */
  readonly botIdentity: { name: string; email: string; login: string };

  listRepositories(): Promise<RepoInfo[]>;
  getRepository(repo: RepoName): Promise<RepoInfo | null>;
  /**
   * Repositories whose default branch contains `text` (code search). `onIncomplete` is called when
   * the code host says the answer may be partial (GitHub: `incomplete_results: true`, a search that
   * ran out of time): repositories may be missing. Forges that search everything never call it.
   */
  searchCode(text: string, options?: SearchCodeOptions): Promise<RepoName[]>;
  /** Read one file at a ref (default branch when omitted); null when absent. */
  readFile(repo: RepoName, path: string, ref?: string): Promise<string | null>;
  /** A working copy of `ref` (default branch when omitted) for codemods and impact analysis. */
  checkout(repo: RepoName, ref?: string): Promise<Checkout>;

  getBranch(repo: RepoName, branch: string): Promise<BranchInfo | null>;
  /** Create or move the bot branch to a new commit with `edits` on top of `baseSha`. Returns the new head. */
  pushChanges(request: PushRequest): Promise<{ sha: string }>;
  /**
   * Delete one of the bot's branches (a trial branch, `fleetwave trial`) when it is still at
   * `expectedSha` and every commit on it not on the default branch is the bot's. A branch that moved,
   * or carries a human's commit, is refused (an error that is not transient); one already gone is no error.
   * Never the default branch.
   */
  deleteBranch(repo: RepoName, branch: string, expectedSha: string): Promise<void>;

  /** The newest pull request (any state) whose head is `branch`, or null. Batched by the caller's forge where it can. */
  findPullRequests(repos: RepoName[], branch: string): Promise<Map<RepoName, PullRequestInfo>>;
  openPullRequest(request: OpenPullRequest): Promise<PullRequestInfo>;
  updatePullRequest(repo: RepoName, number: number, update: { title?: string; body?: string }): Promise<void>;
  /** Merge when `expectedHeadSha` is still the head; returns the merge commit, or that auto-merge is enabled. */
  mergePullRequest(repo: RepoName, number: number, expectedHeadSha: string): Promise<MergeResult>;
  closePullRequest(repo: RepoName, number: number): Promise<void>;
  /** Undo a merged pull request on the default branch; returns the revert commit (or the revert PR's merge). */
  revertPullRequest(repo: RepoName, number: number, reason: string): Promise<{ sha: string; pr?: PullRequestInfo }>;
  comment(repo: RepoName, number: number, body: string): Promise<void>;
  /**
   * Ask people and teams to review a pull request (logins without `@`; team slugs of the repository's
   * organisation). Asking again for someone already asked changes nothing.
   */
  requestReviewers(repo: RepoName, number: number, reviewers: ReviewRequest): Promise<void>;
  /**
   * Run the failed checks of a pull request's current head again (a flaky check gets a second
   * chance). The answer comes later, through the PR's checks: pending, then the new result.
   */
  rerunChecks(repo: RepoName, number: number): Promise<void>;
  /** Checks on a commit of the default branch (post-merge verification). */
  getCommitChecks(repo: RepoName, sha: string): Promise<{ state: CheckState; runs: CheckRun[] }>;
}
