import { describe, expect, it } from '@jest/globals';
import { StateError } from '../../../src/util/errors.js';
import { githubApi, githubRequests } from '../../helpers/openapi.js';
import { makeForge, restPull, sha, useNock } from './setup.js';

const branch = 'fleetwave/play-events-v2';

/** The PR query's answer for one repository: its auto-merge setting and its open PR at head `h`. */
function observed(autoMergeAllowed: boolean, extra: Record<string, unknown> = {}) {
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
          ...extra,
        },
      ],
    },
  };
}

const BLOCKED = { message: 'At least 1 approving review is required by reviewers with write access.' };
/** The PR as GitHub's REST API shows it then: mergeable, but blocked by the base branch's protection. */
const BLOCKED_PULL = restPull(3, { mergeable: true, mergeable_state: 'blocked' });

interface GraphqlBody {
  query: string;
  variables: Record<string, unknown>;
}

describe('GitHub forge: native auto-merge', () => {
  useNock();

  it('enables auto-merge at the expected head when GitHub refuses the merge for unmet protection and the repository allows it', async () => {
    const { forge } = makeForge({ mergeMethod: 'rebase' });
    const mutations: GraphqlBody[] = [];
    githubApi()
      .post('/graphql')
      .reply(200, { data: { r0: observed(true) } })
      .put('/repos/acme/recs/pulls/3/merge', { sha: sha('h'), merge_method: 'rebase' })
      .reply(405, BLOCKED)
      .get('/repos/acme/recs/pulls/3')
      .reply(200, BLOCKED_PULL)
      .post('/graphql')
      .reply(200, (_uri, body) => {
        mutations.push(body as GraphqlBody);
        return {
          data: {
            enablePullRequestAutoMerge: {
              pullRequest: { number: 3, headRefOid: sha('h'), autoMergeRequest: { enabledAt: '2026-01-01T02:00:00Z' } },
            },
          },
        };
      });
    await forge.findPullRequests(['acme/recs'], branch);
    expect(await forge.mergePullRequest('acme/recs', 3, sha('h'))).toEqual({ autoMerge: true });
    expect(mutations).toHaveLength(1);
    expect(mutations[0]!.query).toMatch(
      /^mutation FleetwaveEnableAutoMerge\(\$id: ID!, \$head: GitObjectID!, \$mergeMethod: PullRequestMergeMethod!\)/,
    );
    expect(mutations[0]!.query).toContain(
      'enablePullRequestAutoMerge(input: { pullRequestId: $id, expectedHeadOid: $head, mergeMethod: $mergeMethod })',
    );
    expect(mutations[0]!.variables).toEqual({ id: 'PR_kwDOrecs3', head: sha('h'), mergeMethod: 'REBASE' });
    // Asked again in the same run (the next tick decides to merge again): no request.
    expect(await forge.mergePullRequest('acme/recs', 3, sha('h'))).toEqual({ autoMerge: true });
    // The observation, the refused merge, the PR's mergeability, the mutation.
    expect(githubRequests()).toHaveLength(4);
  });

  it('recognises a PR whose auto-merge is enabled at the decided head from the observation, without a request', async () => {
    const { forge } = makeForge();
    githubApi()
      .post('/graphql')
      .reply(200, { data: { r0: observed(true, { autoMergeRequest: { enabledAt: '2026-01-01T02:00:00Z' } }) } });
    await forge.findPullRequests(['acme/recs'], branch);
    expect(await forge.mergePullRequest('acme/recs', 3, sha('h'))).toEqual({ autoMerge: true });
    expect(githubRequests()).toHaveLength(1);
  });

  it('merges through the REST API when the head moved since auto-merge was seen enabled', async () => {
    const { forge } = makeForge();
    githubApi()
      .post('/graphql')
      .reply(200, { data: { r0: observed(true, { autoMergeRequest: { enabledAt: '2026-01-01T02:00:00Z' } }) } })
      .put('/repos/acme/recs/pulls/3/merge', { sha: sha('n'), merge_method: 'squash' })
      .reply(200, { sha: sha('m'), merged: true, message: 'Pull Request successfully merged' });
    await forge.findPullRequests(['acme/recs'], branch);
    expect(await forge.mergePullRequest('acme/recs', 3, sha('n'))).toEqual({ sha: sha('m') });
  });

  it('merges directly when GitHub accepts the merge, even where auto-merge is allowed', async () => {
    const { forge } = makeForge();
    githubApi()
      .post('/graphql')
      .reply(200, { data: { r0: observed(true) } })
      .put('/repos/acme/recs/pulls/3/merge', { sha: sha('h'), merge_method: 'squash' })
      .reply(200, { sha: sha('m'), merged: true, message: 'Pull Request successfully merged' });
    await forge.findPullRequests(['acme/recs'], branch);
    expect(await forge.mergePullRequest('acme/recs', 3, sha('h'))).toEqual({ sha: sha('m') });
    expect(githubRequests()).toHaveLength(2);
  });

  it('fails the merge as before where the repository does not allow auto-merge', async () => {
    const { forge } = makeForge();
    githubApi()
      .post('/graphql')
      .reply(200, { data: { r0: observed(false) } })
      .put('/repos/acme/recs/pulls/3/merge')
      .reply(405, BLOCKED)
      .get('/repos/acme/recs/pulls/3')
      .reply(200, BLOCKED_PULL);
    await forge.findPullRequests(['acme/recs'], branch);
    await expect(forge.mergePullRequest('acme/recs', 3, sha('h'))).rejects.toThrow(
      /acme\/recs#3 cannot be merged: At least 1 approving review/,
    );
  });

  it('never enables auto-merge with autoMerge: api', async () => {
    const { forge } = makeForge({ autoMerge: 'api' });
    githubApi()
      .post('/graphql')
      .reply(200, { data: { r0: observed(true, { autoMergeRequest: { enabledAt: '2026-01-01T02:00:00Z' } }) } })
      .put('/repos/acme/recs/pulls/3/merge')
      .reply(405, BLOCKED)
      .get('/repos/acme/recs/pulls/3')
      .reply(200, BLOCKED_PULL);
    await forge.findPullRequests(['acme/recs'], branch);
    await expect(forge.mergePullRequest('acme/recs', 3, sha('h'))).rejects.toBeInstanceOf(StateError);
  });

  it('does not enable auto-merge on a PR it has not observed at the decided head', async () => {
    const { forge } = makeForge();
    githubApi().put('/repos/acme/recs/pulls/3/merge').reply(405, BLOCKED).get('/repos/acme/recs/pulls/3').reply(200, BLOCKED_PULL);
    await expect(forge.mergePullRequest('acme/recs', 3, sha('h'))).rejects.toThrow(/cannot be merged/);
  });

  it('fails with both reasons when GitHub refuses auto-merge too', async () => {
    const { forge } = makeForge();
    githubApi()
      .post('/graphql')
      .reply(200, { data: { r0: observed(true) } })
      .put('/repos/acme/recs/pulls/3/merge')
      .reply(405, { message: 'Pull Request is not mergeable' })
      .get('/repos/acme/recs/pulls/3')
      .reply(200, restPull(3, { mergeable: false, mergeable_state: 'dirty' }))
      .post('/graphql')
      .reply(200, {
        data: { enablePullRequestAutoMerge: null },
        errors: [{ type: 'UNPROCESSABLE', path: ['enablePullRequestAutoMerge'], message: 'Pull request Pull request is in dirty status' }],
      });
    await forge.findPullRequests(['acme/recs'], branch);
    const err = await forge.mergePullRequest('acme/recs', 3, sha('h')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateError);
    expect((err as Error).message).toBe(
      'acme/recs#3 cannot be merged: Pull Request is not mergeable; and auto-merge could not be enabled: GitHub: enable auto-merge on acme/recs#3 failed: Pull request Pull request is in dirty status',
    );
  });

  it('forgets an observation older than the branch cache window', async () => {
    let now = Date.UTC(2026, 0, 1);
    const { forge } = makeForge({ now: () => now, branchCacheMs: 60_000 });
    githubApi()
      .post('/graphql')
      .reply(200, { data: { r0: observed(true, { autoMergeRequest: { enabledAt: '2026-01-01T02:00:00Z' } }) } })
      .put('/repos/acme/recs/pulls/3/merge')
      .reply(405, BLOCKED)
      .get('/repos/acme/recs/pulls/3')
      .reply(200, BLOCKED_PULL);
    await forge.findPullRequests(['acme/recs'], branch);
    now += 61_000;
    await expect(forge.mergePullRequest('acme/recs', 3, sha('h'))).rejects.toThrow(/cannot be merged/);
  });
});
