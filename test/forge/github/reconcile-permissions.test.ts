/**
 * App permissions end to end: the real engine (reconcileOnce, the codemod engine, a memory store)
 * through the GitHub forge against the simulated GitHub, whose installation token has app.yml's
 * `default_permissions` unless a test takes some away. As GitHub does, it answers a request without
 * its permission 403 "Resource not accessible by integration" (docs/github-behaviour.md, "Writing"),
 * and fails a request whose route has no documented permission (docs/github-app.md's table).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createChangeApplier } from '../../../src/codemod/engine.js';
import { createGitHubClient } from '../../../src/forge/github/client.js';
import { GitHubForge } from '../../../src/forge/github/forge.js';
import { parseManifest } from '../../../src/manifest/load.js';
import { reconcileOnce, type ReconcileDeps } from '../../../src/rollout/reconcile.js';
import { MemoryStore } from '../../../src/store/memory/memory-store.js';
import { ForgeError } from '../../../src/util/errors.js';
import { silentLogger } from '../../../src/util/log.js';
import { graphqlPermission } from '../../helpers/github-permissions.js';
import { openapiViolations, resetGitHubRequests } from '../../helpers/openapi.js';
import { CANARY_THEN_ALL, playEventsManifest } from '../../helpers/play-events-manifest.js';
import { FakeClock } from './fake-clock.js';
import { BOT } from './setup.js';
import { GitHubSimulator } from './simulator.js';

describe('reconcile through the GitHub forge: the App permissions', () => {
  let sim: GitHubSimulator;
  const now = new Date('2026-01-01T00:00:00Z');

  beforeEach(async () => {
    nock.disableNetConnect();
    resetGitHubRequests();
    sim = new GitHubSimulator(BOT.login);
    // Its CI fails: the engine re-runs the failed checks once (rollout.retryFailedChecks: 1).
    await sim.addRepo('acme/c1', { 'src/read.ts': "export const uri = 'data/play-events/v1';\n" }, 'FAILURE');
  });

  afterEach(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await sim.dispose();
    expect(openapiViolations()).toEqual([]);
  });

  function engine() {
    sim.install();
    const { client } = createGitHubClient({ token: 'ghs_test', clock: new FakeClock() });
    const forge = new GitHubForge({ client, bot: BOT, gitBaseUrl: sim.gitBaseUrl });
    const store = new MemoryStore();
    const deps: ReconcileDeps = { forge, store, changes: createChangeApplier(), logger: silentLogger, now: () => now };
    const loaded = parseManifest(playEventsManifest('repos: [acme/c1]', CANARY_THEN_ALL), 'play-events-v2.yaml');
    const tick = () => reconcileOnce(deps, loaded, { fleet: 'github' });
    const errors = async () =>
      (await store.events({ migration: 'play-events-v2' }))
        .filter((e) => e.outcome === 'error')
        .map((e) => [e.action, String(e.detail.error)]);
    return { tick, errors, client };
  }

  /** Opens the PR, lets its CI fail, and reconciles again: the engine re-runs the failed checks. */
  async function openFailAndRetry(e: ReturnType<typeof engine>) {
    expect((await e.tick()).executed.map((a) => a.kind)).toEqual(['open']);
    sim.startCI('acme/c1');
    return e.tick();
  }

  it('with app.yml’s permissions, re-runs the failed checks and refuses nothing', async () => {
    const e = engine();
    const retried = await openFailAndRetry(e);
    expect(retried.executed.map((a) => a.kind)).toEqual(['rerun-checks']);
    expect(sim.reran).toEqual([sim.repos.get('acme/c1')!.pulls[0]!.number]);
    expect(sim.refused).toEqual([]);
    expect(await e.errors()).toEqual([]);
  });

  it('without the actions permission, GitHub refuses to list the workflow runs and the target fails saying which permission', async () => {
    sim.permissions.delete('actions');
    const e = engine();
    const retried = await openFailAndRetry(e);
    expect(retried.failed.map((a) => a.kind)).toEqual(['rerun-checks']);
    expect(sim.reran).toEqual([]);
    expect(sim.refused).toEqual([expect.stringMatching(/^GET \/repos\/acme\/c1\/actions\/runs\?.*: needs actions: read$/)]);
    expect(await e.errors()).toEqual([
      [
        'rerun-checks',
        expect.stringContaining(
          'the App has no "Actions: read" permission on acme/c1 (GitHub: "Resource not accessible by integration"); grant the App actions: write (app.yml)',
        ),
      ],
    ]);
  });

  it('with actions: read only, GitHub refuses the re-run itself (actions: write)', async () => {
    sim.permissions.set('actions', 'read');
    const e = engine();
    await openFailAndRetry(e);
    expect(sim.reran).toEqual([]);
    expect(sim.refused).toEqual([
      expect.stringMatching(/^POST \/repos\/acme\/c1\/actions\/runs\/\d+\/rerun-failed-jobs: needs actions: write$/),
    ]);
    expect(await e.errors()).toEqual([['rerun-checks', expect.stringContaining('the App has no "Actions: write" permission on acme/c1')]]);
  });

  it('answers a refused request as GitHub does: 403, its message and the operation’s documentation', async () => {
    sim.permissions.set('contents', 'read');
    const { client } = engine();
    const refused = client.request('POST /repos/{owner}/{repo}/git/trees', { owner: 'acme', repo: 'c1', tree: [] });
    await expect(refused).rejects.toMatchObject({
      status: 403,
      response: {
        data: {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest/git/trees#create-a-tree',
        },
      },
    });
    expect(sim.refused).toEqual(['POST /repos/acme/c1/git/trees: needs contents: write']);
  });

  it('answers a GraphQL field it has no permission for with GitHub’s FORBIDDEN error, the nearest nullable parent null', async () => {
    sim.permissions.delete('pull_requests');
    const { client } = engine();
    const query =
      'query Q($o0: String!, $n0: String!, $branch: String!) { r0: repository(owner: $o0, name: $n0) { autoMergeAllowed pullRequests(headRefName: $branch, first: 1) { nodes { number } } } }';
    await expect(client.graphql(query, { o0: 'acme', n0: 'c1', branch: 'fleetwave/play-events-v2' })).rejects.toMatchObject({
      // `pullRequests` is non-null (PullRequestConnection!), so GitHub nulls its parent, the repository.
      data: { r0: null },
      errors: [{ type: 'FORBIDDEN', path: ['r0', 'pullRequests'], message: 'Resource not accessible by integration' }],
    });
    expect(sim.refused).toEqual(['POST /graphql (query repository): needs pull_requests: read']);
  });

  it('without pull_requests: read, the reconcile fails naming the missing permission, not on the null field', async () => {
    sim.permissions.delete('pull_requests');
    const { tick } = engine();
    const failure = await tick().then(
      () => null,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(ForgeError);
    expect((failure as ForgeError).transient).toBe(false);
    expect((failure as Error).message).toMatch(/Resource not accessible by integration at r0\.pullRequests: the App lacks a permission/);
  });

  it('does not carry out a mutation it has no permission for', async () => {
    sim.permissions.set('contents', 'read');
    const { client } = engine();
    const mutation =
      'mutation FleetwaveEnableAutoMerge($id: ID!, $head: GitObjectID!) { enablePullRequestAutoMerge(input: { pullRequestId: $id, expectedHeadOid: $head }) { clientMutationId } }';
    await expect(client.graphql(mutation, { id: 'PR_acme/c1#1', head: 'a'.repeat(40) })).rejects.toMatchObject({
      errors: [{ type: 'FORBIDDEN', path: ['enablePullRequestAutoMerge'], message: 'Resource not accessible by integration' }],
    });
    expect(sim.refused).toEqual(['POST /graphql (mutation enablePullRequestAutoMerge): needs contents: write']);
  });

  it('fails a request whose route has no row in docs/github-app.md, naming it, instead of allowing it', async () => {
    const { client } = engine();
    await expect(client.request('GET /repos/{owner}/{repo}/hooks', { owner: 'acme', repo: 'c1' })).rejects.toThrow(
      /GET \/repos\/\{owner\}\/\{repo\}\/hooks \(GET \/repos\/acme\/c1\/hooks\) has no row in docs\/github-app.md/,
    );
    await expect(client.graphql('query { viewer { login } }')).rejects.toThrow(/the GraphQL query field viewer has no permission/);
    expect(sim.undocumented).toHaveLength(2);
    // And the double fails the test that made them, when it is disposed of.
    await expect(sim.dispose()).rejects.toThrow(/GitHub double: requests without a documented permission:\n.*hooks/);
    sim.undocumented.length = 0;
  });
});

describe('the permissions of GraphQL documents', () => {
  it('reads the root fields behind aliases, and what the selections touch', () => {
    const q = graphqlPermission(
      'query Q($o0: String!, $n0: String!) { r0: repository(owner: $o0, name: $n0) { pullRequests(first: 1) { nodes { commits(last: 1) { nodes { commit { statusCheckRollup { state } } } } } } } }',
    );
    expect(q.kind).toBe('query');
    expect(q.fields).toEqual(['repository']);
    expect(q.keys).toEqual(['r0']);
    expect(Object.fromEntries(q.needs)).toEqual({
      metadata: 'read',
      pull_requests: 'read',
      contents: 'read',
      statuses: 'read',
      checks: 'read',
    });
  });

  it('needs the write permissions of a merge for enabling auto-merge, and refuses an unknown mutation', () => {
    const m = graphqlPermission('mutation M($id: ID!) { enablePullRequestAutoMerge(input: { pullRequestId: $id }) { clientMutationId } }');
    expect(Object.fromEntries(m.needs)).toEqual({ pull_requests: 'write', contents: 'write' });
    expect(() => graphqlPermission('mutation { mergePullRequest(input: {}) { clientMutationId } }')).toThrow(
      /the GraphQL mutation field mergePullRequest has no permission/,
    );
  });
});
