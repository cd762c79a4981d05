/**
 * How the GitHub forge reads GitHub's refusals of a merge (docs/github-behaviour.md, "Writing"):
 *
 * - 405 while mergeability is being computed: "If the value is null, then GitHub has started a background
 *   job to compute the mergeability. After giving the job time to complete, resubmit the request."
 *   (REST "Get a pull request", https://docs.github.com/en/rest/pulls/pulls#get-a-pull-request), and
 *   405 "Base branch was modified. Review and try the merge again." (a merge racing another): transient.
 * - 405 "Squash merges are not allowed on this repository." (https://github.com/akuity/kargo/pull/6490):
 *   another method the repository allows (`allow_squash_merge`, `allow_merge_commit`,
 *   `allow_rebase_merge` of GET /repos/{owner}/{repo}), or a clear failure when none is.
 * - "Require branches to be up to date before merging": the branch "must be up to date with the base
 *   branch before merging" and nothing updates it on its own; the forge updates a bot branch
 *   (`PUT …/update-branch` with `expected_head_sha`).
 * - a merge of a branch that changes a workflow file without the `workflows` permission.
 */
import { describe, expect, it } from '@jest/globals';
import { ForgeError, StateError } from '../../../src/util/errors.js';
import { githubApi, githubRequests } from '../../helpers/openapi.js';
import { makeForge, restPull, sha, useNock } from './setup.js';

const branch = 'fleetwave/play-events-v2';

function observed(autoMergeAllowed: boolean) {
  return {
    autoMergeAllowed,
    pullRequests: {
      nodes: [
        {
          id: 'PR_kwDOrecs3',
          number: 3,
          url: 'https://github.com/acme/recs/pull/3',
          state: 'OPEN',
          title: 'Migrate',
          body: 'b',
          headRefName: branch,
          baseRefName: 'main',
          headRefOid: sha('h'),
          createdAt: '2026-01-01T00:00:00Z',
          mergedAt: null,
          closedAt: null,
          mergeCommit: null,
          mergedBy: null,
          autoMergeRequest: null,
          timelineItems: { nodes: [] },
          reviews: { nodes: [] },
          commits: { nodes: [{ commit: { oid: sha('h'), statusCheckRollup: { state: 'SUCCESS', contexts: { nodes: [] } } } }] },
        },
      ],
    },
  };
}

const repoSettings = (allowed: { squash: boolean; merge: boolean; rebase: boolean }) => ({
  id: 1,
  name: 'recs',
  full_name: 'acme/recs',
  default_branch: 'main',
  allow_squash_merge: allowed.squash,
  allow_merge_commit: allowed.merge,
  allow_rebase_merge: allowed.rebase,
});

describe('GitHub forge: merge refusals', () => {
  useNock();

  it('retries a merge refused while GitHub computes mergeability (405, mergeable: null) as transient', async () => {
    const { forge } = makeForge();
    githubApi()
      .put('/repos/acme/recs/pulls/3/merge', { sha: sha('h'), merge_method: 'squash' })
      .reply(405, { message: 'Pull Request is not mergeable' })
      .get('/repos/acme/recs/pulls/3')
      .reply(200, restPull(3, { mergeable: null, mergeable_state: 'unknown' }));
    const err = await forge.mergePullRequest('acme/recs', 3, sha('h')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ForgeError);
    expect(err).toMatchObject({ transient: true, status: 405, repo: 'acme/recs' });
    expect((err as Error).message).toMatch(/not mergeable yet: GitHub is computing its mergeability/);
  });

  it('retries a merge that raced another into the base ("Base branch was modified") as transient, without a request more', async () => {
    const { forge } = makeForge();
    githubApi().put('/repos/acme/recs/pulls/3/merge').reply(405, { message: 'Base branch was modified. Review and try the merge again.' });
    await expect(forge.mergePullRequest('acme/recs', 3, sha('h'))).rejects.toMatchObject({ transient: true });
    expect(githubRequests()).toHaveLength(1);
  });

  it('still fails a PR with conflicts (mergeable: false) for good', async () => {
    const { forge } = makeForge();
    githubApi()
      .put('/repos/acme/recs/pulls/3/merge')
      .reply(405, { message: 'Pull Request is not mergeable' })
      .get('/repos/acme/recs/pulls/3')
      .reply(200, restPull(3, { mergeable: false, mergeable_state: 'dirty' }));
    await expect(forge.mergePullRequest('acme/recs', 3, sha('h'))).rejects.toThrow(StateError);
  });

  it('merges with a method the repository allows when GitHub refuses the configured one, and keeps using it there', async () => {
    const { forge } = makeForge({ mergeMethod: 'squash' });
    githubApi()
      .put('/repos/acme/recs/pulls/3/merge', { sha: sha('h'), merge_method: 'squash' })
      .reply(405, { message: 'Squash merges are not allowed on this repository.' })
      .get('/repos/acme/recs')
      .reply(200, repoSettings({ squash: false, merge: false, rebase: true }))
      .put('/repos/acme/recs/pulls/3/merge', { sha: sha('h'), merge_method: 'rebase' })
      .reply(200, { sha: sha('m'), merged: true, message: 'Pull Request successfully merged' })
      .put('/repos/acme/recs/pulls/4/merge', { sha: sha('i'), merge_method: 'rebase' })
      .reply(200, { sha: sha('n'), merged: true, message: 'Pull Request successfully merged' });
    expect(await forge.mergePullRequest('acme/recs', 3, sha('h'))).toEqual({ sha: sha('m') });
    expect(await forge.mergePullRequest('acme/recs', 4, sha('i'))).toEqual({ sha: sha('n') });
    expect(githubRequests()).toHaveLength(4);
  });

  it('fails clearly when the repository allows no other merge method', async () => {
    const { forge } = makeForge({ mergeMethod: 'merge' });
    githubApi()
      .put('/repos/acme/recs/pulls/3/merge', { sha: sha('h'), merge_method: 'merge' })
      .reply(405, { message: 'Merge commits are not allowed on this repository.' })
      .get('/repos/acme/recs')
      .reply(200, repoSettings({ squash: false, merge: false, rebase: false }));
    await expect(forge.mergePullRequest('acme/recs', 3, sha('h'))).rejects.toThrow(
      'acme/recs refuses the merge merge method (GitHub: "Merge commits are not allowed on this repository.") and allows no other: enable one in the repository\'s settings',
    );
  });

  it('enables auto-merge with the allowed method, not the refused one', async () => {
    const { forge } = makeForge({ mergeMethod: 'squash' });
    const mutations: { variables: Record<string, unknown> }[] = [];
    githubApi()
      .post('/graphql')
      .reply(200, { data: { r0: observed(true) } })
      .put('/repos/acme/recs/pulls/3/merge', { sha: sha('h'), merge_method: 'squash' })
      .reply(405, { message: 'Squash merges are not allowed on this repository.' })
      .get('/repos/acme/recs')
      .reply(200, repoSettings({ squash: false, merge: true, rebase: true }))
      .put('/repos/acme/recs/pulls/3/merge', { sha: sha('h'), merge_method: 'merge' })
      .reply(405, { message: 'At least 1 approving review is required by reviewers with write access.' })
      .get('/repos/acme/recs/pulls/3')
      .reply(200, restPull(3, { mergeable: true, mergeable_state: 'blocked' }))
      .post('/graphql')
      .reply(200, (_uri, body) => {
        mutations.push(body as { variables: Record<string, unknown> });
        return { data: { enablePullRequestAutoMerge: { pullRequest: { number: 3, headRefOid: sha('h'), autoMergeRequest: null } } } };
      });
    await forge.findPullRequests(['acme/recs'], branch);
    expect(await forge.mergePullRequest('acme/recs', 3, sha('h'))).toEqual({ autoMerge: true });
    expect(mutations[0]!.variables).toMatchObject({ mergeMethod: 'MERGE' });
  });

  it('brings a bot branch that fell behind a strict base up to date, pinned to the decided head, and merges on a later tick', async () => {
    const { forge } = makeForge();
    let update: unknown;
    githubApi()
      .put('/repos/acme/recs/pulls/3/merge', { sha: sha('h'), merge_method: 'squash' })
      .reply(405, { message: 'Required status check "test" is expected.' })
      .get('/repos/acme/recs/pulls/3')
      .reply(200, restPull(3, { mergeable: true, mergeable_state: 'behind' }))
      .put('/repos/acme/recs/pulls/3/update-branch', (b) => ((update = b), true))
      .reply(202, { message: 'Updating pull request branch.', url: 'https://github.com/acme/recs/pull/3' });
    const err = await forge.mergePullRequest('acme/recs', 3, sha('h')).catch((e: unknown) => e);
    expect(update).toEqual({ expected_head_sha: sha('h') });
    expect(err).toMatchObject({ transient: true, repo: 'acme/recs' });
    expect((err as Error).message).toMatch(/is behind its base branch, which must be up to date to merge .*its branch was updated/);
  });

  it('does not update a branch whose head moved since the decision', async () => {
    const { forge } = makeForge();
    githubApi()
      .put('/repos/acme/recs/pulls/3/merge')
      .reply(405, { message: 'Required status check "test" is expected.' })
      .get('/repos/acme/recs/pulls/3')
      .reply(200, restPull(3, { mergeable: true, mergeable_state: 'behind', head: { ref: branch, sha: sha('z') } }));
    await expect(forge.mergePullRequest('acme/recs', 3, sha('h'))).rejects.toThrow(StateError);
    expect(githubRequests()).toHaveLength(2);
  });

  it('reports a merge refused for a workflow file as a missing workflows permission', async () => {
    const { forge } = makeForge();
    githubApi().put('/repos/acme/recs/pulls/3/merge').reply(405, {
      message: 'refusing to allow a GitHub App to create or update workflow `.github/workflows/ci.yml` without `workflows` permission',
    });
    const err = await forge.mergePullRequest('acme/recs', 3, sha('h')).catch((e: unknown) => e);
    expect(err).toMatchObject({ transient: false, repo: 'acme/recs' });
    expect((err as Error).message).toMatch(/^GitHub refused the merge of acme\/recs#3: .*no workflows permission/);
  });
});

describe('GitHub forge: a 422 on opening a pull request', () => {
  useNock();

  it('fails any 422 but "A pull request already exists" (a spam or validation refusal) as GitHub said it, looking for no PR', async () => {
    const { forge } = makeForge();
    githubApi()
      .post('/repos/acme/recs/pulls')
      .reply(422, {
        message: 'Validation Failed',
        errors: [{ resource: 'PullRequest', code: 'custom', message: 'was submitted too quickly' }],
      });
    await expect(forge.openPullRequest({ repo: 'acme/recs', branch, base: 'main', title: 't', body: 'b' })).rejects.toThrow(
      /open a pull request in acme\/recs from fleetwave\/play-events-v2 failed \(HTTP 422\)/,
    );
    expect(githubRequests()).toHaveLength(1);
  });
});
