/**
 * The GitHub forge: the forge port over GitHub's REST and GraphQL APIs. Request counts are part of
 * the contract (docs/github-app.md): opening a PR with N changed files costs at most 5 requests,
 * observing the PRs of many repositories 1 request per 100, listing an installation on all of an
 * account's repositories 1 + 1 per 100, and nothing is ever force-pushed over a commit that is not
 * the bot's. Merges go through the REST API, or GitHub's native auto-merge where branch protection
 * still blocks them and the repository allows it.
 */
import { ForgeError, StateError } from '../../util/errors.js';
import type {
  BranchInfo,
  CheckRun,
  CheckState,
  Checkout,
  CommitInfo,
  Forge,
  MergeResult,
  OpenPullRequest,
  PullRequestInfo,
  PushRequest,
  RepoInfo,
  RepoName,
  SearchCodeOptions,
  ReviewRequest,
} from '../port.js';
import { type GitHubClient, orNull, splitRepo, statusOf, wrap } from './client.js';
import { answerMessage, writeRefusal } from './failure.js';
import { query } from './graphql.js';
import {
  branchOfOpenPullRequest,
  commitChecks,
  findPullRequests,
  fromRest,
  isBotRestCommit,
  type RestPullRequest,
} from './pull-requests.js';
import { compareBranch, deleteBranch, pushChanges, workflowsRefused } from './push.js';
import { checkout, describeRepositories, listInstallationRepositories, readFile, searchCodeResult } from './repositories.js';
import { revertOf, revertPullRequest } from './revert.js';
import { rerunFailedChecks } from './rerun-checks.js';

export type MergeMethod = 'merge' | 'squash' | 'rebase';

export interface GitHubForgeOptions {
  client: GitHubClient;
  /** The App's bot: login `<slug>[bot]`; its commits are the only ones Fleetwave may push over. */
  bot: { name: string; email: string; login: string };
  /** `https://github.com` (or a GHES host): where `checkout` fetches from. */
  gitBaseUrl?: string;
  /** The installation token (or PAT) for `checkout`; asked for each checkout, never stored. */
  token?: () => Promise<string>;
  /** Narrows code search to the fleet, e.g. `org:acme`. */
  searchScope?: string;
  mergeMethod?: MergeMethod;
  /**
   * How PRs are merged: `native` (default) merges through the REST API and, when GitHub refuses
   * because the base branch's protection is not yet satisfied (required reviews or checks) and the
   * repository allows auto-merge, enables GitHub's native auto-merge on the PR at the expected head;
   * `api` only ever merges through the REST API.
   */
  autoMerge?: 'native' | 'api';
  /** Merge the revert PR right away (default true); false leaves it for a human. */
  mergeReverts?: boolean;
  /**
   * How long a bot branch seen by `findPullRequests` answers `getBranch` without a request (default
   * 60 s). Safe: pushes compare-and-swap on the head, merges on the PR's head sha.
   */
  branchCacheMs?: number;
  now?: () => number;
  /** Repositories per GraphQL request when observing PRs: 1 to 100 (default); a batch that times out is split in two. */
  prBatch?: number;
}

/** The bot identity of a GitHub App: `<slug>[bot]`, with GitHub's noreply address for its user id. */
export function appBotIdentity(slug: string, botUserId: number): { name: string; email: string; login: string } {
  const login = `${slug}[bot]`;
  return { name: login, login, email: `${botUserId}+${login}@users.noreply.github.com` };
}

/** What a merge needs to know of a PR from its observation: its node id, head and auto-merge state. */
interface ObservedPullRequest {
  at: number;
  id: string;
  headSha: string;
  open: boolean;
  autoMergeAllowed: boolean;
  autoMergeEnabled: boolean;
  /** GitHub's `mergeStateStatus` was `BEHIND`: a strict base moved past the branch. */
  behind: boolean;
}

const MERGE_METHODS: Record<MergeMethod, string> = { merge: 'MERGE', squash: 'SQUASH', rebase: 'REBASE' };

const ENABLE_AUTO_MERGE = `mutation FleetwaveEnableAutoMerge($id: ID!, $head: GitObjectID!, $mergeMethod: PullRequestMergeMethod!) {
  enablePullRequestAutoMerge(input: { pullRequestId: $id, expectedHeadOid: $head, mergeMethod: $mergeMethod }) {
    pullRequest { number headRefOid autoMergeRequest { enabledAt } }
  }
}`;

export class GitHubForge implements Forge {
  readonly kind = 'github';
  readonly botIdentity: { name: string; email: string; login: string };
  private readonly client: GitHubClient;
  private readonly defaultBranches = new Map<RepoName, string>();
  private readonly branches = new Map<string, { at: number; info: BranchInfo }>();
  /** Pull requests as the last `findPullRequests` saw them, for `mergePullRequest`: by `repo#number`. */
  private readonly observed = new Map<string, ObservedPullRequest>();
  /** The merge method each repository accepted, once GitHub refused the configured one there. */
  private readonly mergeMethods = new Map<RepoName, MergeMethod>();
  /**
   * The reverts this forge made or found (`revertPullRequest`), by `repo#number`. GitHub's PR of a
   * merged change says nothing of a later revert PR, so a revert is written on the reverted PR's body
   * (revert.ts `recordRevert`) where every observation reads it; this map covers the moment between
   * the revert and that write (or a write GitHub refused), within the process.
   */
  private readonly reverts = new Map<string, { sha: string; at?: string }>();

  constructor(private readonly options: GitHubForgeOptions) {
    this.client = options.client;
    this.botIdentity = options.bot;
  }

  async listRepositories(): Promise<RepoInfo[]> {
    const infos = await listInstallationRepositories(this.client);
    for (const i of infos) this.defaultBranches.set(i.repo, i.defaultBranch);
    return infos;
  }

  async getRepository(repo: RepoName): Promise<RepoInfo | null> {
    splitRepo(repo);
    const info = (await describeRepositories(this.client, [repo])).get(repo) ?? null;
    if (info) this.defaultBranches.set(repo, info.defaultBranch);
    return info;
  }

  /** GitHub's legacy code search; `incomplete_results: true` on any page calls `onIncomplete` (once). */
  async searchCode(text: string, options?: SearchCodeOptions): Promise<RepoName[]> {
    const found = await searchCodeResult(this.client, text, this.options.searchScope);
    if (found.incomplete) options?.onIncomplete?.();
    return found.repos;
  }

  readFile(repo: RepoName, path: string, ref?: string): Promise<string | null> {
    return readFile(this.client, repo, path, ref);
  }

  checkout(repo: RepoName, ref?: string): Promise<Checkout> {
    const base = (this.options.gitBaseUrl ?? 'https://github.com').replace(/\/$/, '');
    return checkout({
      gitUrl: `${base}/${repo}.git`,
      repo,
      ref: ref ?? 'HEAD',
      ...(this.options.token ? { token: this.options.token } : {}),
    });
  }

  private async defaultBranch(repo: RepoName): Promise<string> {
    const known = this.defaultBranches.get(repo);
    if (known) return known;
    const info = await this.getRepository(repo);
    if (!info) throw new StateError(`${repo} does not exist, is empty, or the App cannot see it`);
    return info.defaultBranch;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  async getBranch(repo: RepoName, branch: string): Promise<BranchInfo | null> {
    const cached = this.branches.get(`${repo}\n${branch}`);
    if (cached && cached.at > this.now() - (this.options.branchCacheMs ?? 60_000)) return cached.info;
    const { owner, repo: name } = splitRepo(repo);
    const base = await this.defaultBranch(repo);
    const seen = await compareBranch(this.client, owner, name, base, branch);
    if (!seen) return null;
    const commits: CommitInfo[] = seen.commits.map((c) => ({
      sha: c.sha,
      authorName: c.commit.author?.name ?? c.author?.login ?? '',
      authorEmail: c.commit.author?.email ?? '',
      byBot: isBotRestCommit(c, this.botIdentity.login),
      message: c.commit.message ?? '',
    }));
    return { name: branch, sha: seen.head, commits };
  }

  pushChanges(request: PushRequest): Promise<{ sha: string }> {
    this.branches.delete(`${request.repo}\n${request.branch}`);
    return pushChanges(this.client, this.botIdentity.login, request);
  }

  async deleteBranch(repo: RepoName, branch: string, expectedSha: string): Promise<void> {
    this.branches.delete(`${repo}\n${branch}`);
    await deleteBranch(this.client, this.botIdentity.login, repo, await this.defaultBranch(repo), branch, expectedSha);
  }

  async findPullRequests(repos: RepoName[], branch: string): Promise<Map<RepoName, PullRequestInfo>> {
    const found = await this.observePullRequests(repos, branch);
    for (const [repo, pr] of found) {
      if (pr.state !== 'merged') continue;
      const revert = revertOf(pr.body) ?? this.reverts.get(`${repo}#${pr.number}`);
      if (revert) Object.assign(pr, { revertSha: revert.sha, ...(revert.at ? { revertedAt: revert.at } : {}) });
    }
    return found;
  }

  private observePullRequests(repos: RepoName[], branch: string): Promise<Map<RepoName, PullRequestInfo>> {
    const at = this.now();
    const batch = Math.min(100, Math.max(1, this.options.prBatch ?? 100));
    // What an earlier observation saw of these repositories answers nothing once they are asked again.
    for (const repo of repos) this.branches.delete(`${repo}\n${branch}`);
    return findPullRequests(
      this.client,
      repos,
      branch,
      (repo, pr, facts) => {
        const info = pr ? branchOfOpenPullRequest(pr, this.botIdentity.login) : null;
        if (info) this.branches.set(`${repo}\n${branch}`, { at, info });
        if (pr?.id) {
          this.observed.set(`${repo}#${pr.number}`, {
            at,
            id: pr.id,
            headSha: pr.headRefOid,
            open: pr.state === 'OPEN',
            autoMergeAllowed: facts.autoMergeAllowed,
            autoMergeEnabled: Boolean(pr.autoMergeRequest),
            behind: pr.state === 'OPEN' && pr.mergeStateStatus === 'BEHIND',
          });
        }
      },
      batch,
    );
  }

  async openPullRequest(request: OpenPullRequest): Promise<PullRequestInfo> {
    const { owner, repo } = splitRepo(request.repo);
    try {
      const res = await this.client.request('POST /repos/{owner}/{repo}/pulls', {
        owner,
        repo,
        head: request.branch,
        base: request.base,
        title: request.title,
        body: request.body,
        maintainer_can_modify: false,
        ...(request.draft ? { draft: true } : {}),
      });
      return fromRest(request.repo, res.data as unknown as RestPullRequest);
    } catch (err) {
      // A re-run after a lost answer: the PR exists already. Return it instead of failing. Other 422s
      // (a spam refusal, a validation failure) fail as GitHub said them.
      if (statusOf(err) === 422 && writeRefusal(err) === 'pull-request-exists') {
        const existing = await wrap(`find the open PR from ${request.branch}`, () =>
          this.client.request('GET /repos/{owner}/{repo}/pulls', {
            owner,
            repo,
            head: `${owner}:${request.branch}`,
            state: 'open',
            per_page: 1,
          }),
        );
        const pr = existing.data[0];
        if (pr) return fromRest(request.repo, pr as unknown as RestPullRequest);
      }
      return wrap(`open a pull request in ${request.repo} from ${request.branch}`, () => Promise.reject(err));
    }
  }

  /**
   * POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers. GitHub answers 422 when one
   * of them is not a collaborator of the repository (the operation's documented 422): that fails the request
   * as GitHub said it, and nobody is asked.
   */
  async requestReviewers(repo: RepoName, number: number, reviewers: ReviewRequest): Promise<void> {
    const { owner, repo: name } = splitRepo(repo);
    await wrap(`request reviews on ${repo}#${number}`, () =>
      this.client.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers', {
        owner,
        repo: name,
        pull_number: number,
        reviewers: reviewers.users,
        team_reviewers: reviewers.teams,
      }),
    );
  }

  async updatePullRequest(repo: RepoName, number: number, update: { title?: string; body?: string }): Promise<void> {
    const { owner, repo: name } = splitRepo(repo);
    await wrap(`update ${repo}#${number}`, () =>
      this.client.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', { owner, repo: name, pull_number: number, ...update }),
    );
  }

  private forgetBranchesOf(repo: RepoName): void {
    for (const key of this.branches.keys()) if (key.startsWith(`${repo}\n`)) this.branches.delete(key);
  }

  /** The PR as this forge last observed it, when that observation is fresh (within `branchCacheMs`). */
  private observedPull(repo: RepoName, number: number): ObservedPullRequest | null {
    const seen = this.observed.get(`${repo}#${number}`);
    return seen && seen.at > this.now() - (this.options.branchCacheMs ?? 60_000) ? seen : null;
  }

  /**
   * Merges through the REST API when `expectedHeadSha` is still the head. With native auto-merge
   * (the default) a PR whose auto-merge was seen enabled at that head costs no request unless the PR
   * query saw it `BEHIND` a base that must be up to date: GitHub's auto-merge never fires then, so its
   * (bot) branch is updated, pinned to that head, and auto-merge, still on, merges it once checks
   * pass on the new head. A merge
   * GitHub refuses for unmet branch protection (405) enables auto-merge instead, where the repository
   * allows it: GitHub then merges the PR as soon as its required reviews and checks pass, and a later
   * reconcile observes the merge.
   */
  async mergePullRequest(repo: RepoName, number: number, expectedHeadSha: string): Promise<MergeResult> {
    this.forgetBranchesOf(repo);
    const native = (this.options.autoMerge ?? 'native') === 'native';
    const seen = native ? this.observedPull(repo, number) : null;
    const armable = seen !== null && seen.open && seen.headSha === expectedHeadSha;
    if (armable && seen.autoMergeEnabled) {
      if (!seen.behind) return { autoMerge: true };
      return this.updateBranch(repo, number, expectedHeadSha, 'mergeStateStatus: BEHIND, with auto-merge enabled');
    }
    let method = this.mergeMethods.get(repo) ?? this.options.mergeMethod ?? 'squash';
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.mergeOnce(repo, number, expectedHeadSha, method);
      } catch (err) {
        const status = statusOf(err);
        if (status === 409)
          throw new StateError(`${repo}#${number}: its head is no longer ${expectedHeadSha.slice(0, 7)}; not merging`, { cause: err });
        const refusal = status === 405 || status === 422 ? writeRefusal(err) : null;
        if (refusal === 'workflows-permission') throw workflowsRefused(repo, `the merge of ${repo}#${number}`, err);
        if (refusal === 'merge-method-not-allowed' && attempt === 0) {
          method = await this.allowedMergeMethod(repo, method, answerMessage(err));
          continue;
        }
        if (status !== 405) return wrap(`merge ${repo}#${number}`, () => Promise.reject(err));
        const why = answerMessage(err);
        if (refusal === 'base-modified') throw mergeabilityPending(repo, number, why, err);
        const pull = await this.pullMergeability(repo, number);
        // GitHub: "If the value is null, then GitHub has started a background job to compute the
        // mergeability. After giving the job time to complete, resubmit the request."
        if (pull.mergeable === null && pull.state === 'open') throw mergeabilityPending(repo, number, why, err);
        if (pull.mergeableState === 'behind' && pull.headSha === expectedHeadSha)
          return this.updateBranch(repo, number, expectedHeadSha, why);
        if (armable && seen.autoMergeAllowed) return this.enableAutoMerge(repo, number, seen, why, method);
        throw new StateError(`${repo}#${number} cannot be merged: ${why}`, { cause: err });
      }
    }
  }

  private async mergeOnce(repo: RepoName, number: number, expectedHeadSha: string, method: MergeMethod): Promise<MergeResult> {
    const { owner, repo: name } = splitRepo(repo);
    const res = await this.client.request('PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge', {
      owner,
      repo: name,
      pull_number: number,
      sha: expectedHeadSha,
      merge_method: method,
    });
    this.observed.delete(`${repo}#${number}`);
    return { sha: res.data.sha };
  }

  /**
   * A merge method the repository allows (`allow_squash_merge`, `allow_merge_commit`,
   * `allow_rebase_merge`), after GitHub refused `refused`: the configured one's neighbours in the order
   * squash, merge, rebase. Remembered per repository; none allowed fails clearly.
   */
  private async allowedMergeMethod(repo: RepoName, refused: MergeMethod, why: string): Promise<MergeMethod> {
    const { owner, repo: name } = splitRepo(repo);
    const res = await wrap(`read the merge settings of ${repo}`, () =>
      this.client.request('GET /repos/{owner}/{repo}', { owner, repo: name }),
    );
    const allowed: Record<MergeMethod, boolean | undefined> = {
      squash: res.data.allow_squash_merge,
      merge: res.data.allow_merge_commit,
      rebase: res.data.allow_rebase_merge,
    };
    const pick = (['squash', 'merge', 'rebase'] as const).find((m) => m !== refused && allowed[m] === true);
    if (!pick)
      throw new StateError(
        `${repo} refuses the ${refused} merge method (GitHub: "${why}") and allows no other: enable one in the repository's settings`,
      );
    this.mergeMethods.set(repo, pick);
    return pick;
  }

  /** What GitHub says now of a PR's mergeability (REST: `mergeable`, `mergeable_state`). */
  private async pullMergeability(
    repo: RepoName,
    number: number,
  ): Promise<{ state: string; mergeable: boolean | null; mergeableState: string; headSha: string }> {
    const { owner, repo: name } = splitRepo(repo);
    const res = await wrap(`read ${repo}#${number}`, () =>
      this.client.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner, repo: name, pull_number: number }),
    );
    return { state: res.data.state, mergeable: res.data.mergeable, mergeableState: res.data.mergeable_state, headSha: res.data.head.sha };
  }

  /**
   * "Require branches to be up to date before merging": the bot branch fell behind its base, and
   * neither GitHub nor auto-merge brings it up to date. Merge the base into it (`update-branch`, pinned
   * to the head decided on); its checks run again on the new head and a later tick merges it (or
   * GitHub's auto-merge, when it is on: an update by the App, which can write, leaves it on). Only bot
   * branches get here: a branch with a human's commit is never merged.
   */
  private async updateBranch(repo: RepoName, number: number, expectedHeadSha: string, why: string): Promise<MergeResult> {
    const { owner, repo: name } = splitRepo(repo);
    await wrap(`update the branch of ${repo}#${number}`, () =>
      this.client.request('PUT /repos/{owner}/{repo}/pulls/{pull_number}/update-branch', {
        owner,
        repo: name,
        pull_number: number,
        expected_head_sha: expectedHeadSha,
      }),
    );
    this.observed.delete(`${repo}#${number}`);
    throw new ForgeError(
      `${repo}#${number} is behind its base branch, which must be up to date to merge (GitHub: "${why}"): its branch was updated; ` +
        'it merges once its checks pass on the new head',
      true,
      { repo, status: 405 },
    );
  }

  /** GitHub's native auto-merge, pinned to the head the caller decided on (`expectedHeadOid`). */
  private async enableAutoMerge(
    repo: RepoName,
    number: number,
    seen: ObservedPullRequest,
    refused: string,
    method: MergeMethod,
  ): Promise<MergeResult> {
    try {
      await query(this.client, `enable auto-merge on ${repo}#${number}`, ENABLE_AUTO_MERGE, {
        id: seen.id,
        head: seen.headSha,
        mergeMethod: MERGE_METHODS[method],
      });
    } catch (err) {
      if (err instanceof ForgeError && err.transient) throw err;
      const why = err instanceof Error ? err.message : String(err);
      throw new StateError(`${repo}#${number} cannot be merged: ${refused}; and auto-merge could not be enabled: ${why}`, { cause: err });
    }
    seen.autoMergeEnabled = true;
    return { autoMerge: true };
  }

  async closePullRequest(repo: RepoName, number: number): Promise<void> {
    this.forgetBranchesOf(repo);
    const { owner, repo: name } = splitRepo(repo);
    await wrap(`close ${repo}#${number}`, () =>
      this.client.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', { owner, repo: name, pull_number: number, state: 'closed' }),
    );
  }

  async revertPullRequest(repo: RepoName, number: number, reason: string): Promise<{ sha: string; pr?: PullRequestInfo }> {
    const reverted = await revertPullRequest(this.client, repo, number, reason, {
      merge: this.options.mergeReverts ?? true,
      mergeMethod: this.options.mergeMethod ?? 'squash',
    });
    this.reverts.set(`${repo}#${number}`, { sha: reverted.sha, at: reverted.pr?.mergedAt ?? new Date(this.now()).toISOString() });
    return reverted;
  }

  async comment(repo: RepoName, number: number, body: string): Promise<void> {
    const { owner, repo: name } = splitRepo(repo);
    await wrap(`comment on ${repo}#${number}`, () =>
      this.client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner, repo: name, issue_number: number, body }),
    );
  }

  /** Re-runs the failed GitHub Actions jobs of the PR's head (rerun-checks.ts). */
  async rerunChecks(repo: RepoName, number: number): Promise<void> {
    await rerunFailedChecks(this.client, repo, number);
  }

  getCommitChecks(repo: RepoName, sha: string): Promise<{ state: CheckState; runs: CheckRun[] }> {
    const { owner, repo: name } = splitRepo(repo);
    return commitChecks(this.client, owner, name, sha);
  }

  /** Whether a user may steer migrations of `repo` (write, maintain or admin). */
  async hasWriteAccess(repo: RepoName, user: string): Promise<boolean> {
    const { owner, repo: name } = splitRepo(repo);
    const res = await orNull(`read ${user}'s permission on ${repo}`, () =>
      this.client.request('GET /repos/{owner}/{repo}/collaborators/{username}/permission', { owner, repo: name, username: user }),
    );
    const permission = res?.data.permission;
    return permission === 'admin' || permission === 'write' || permission === 'maintain';
  }
}

/**
 * A merge GitHub refused only for now: its mergeability is being computed again (after the base or the
 * head moved), or another merge into the base raced it. Transient: the next tick re-observes and merges.
 */
function mergeabilityPending(repo: RepoName, number: number, why: string, err: unknown): ForgeError {
  return new ForgeError(`${repo}#${number} is not mergeable yet: GitHub is computing its mergeability (GitHub: "${why}"); retried`, true, {
    cause: err,
    status: 405,
    repo,
  });
}
