/**
 * Merge refusals end to end. "Require branches to be up to date before merging": the real engine through the GitHub
 * forge against the simulated GitHub. Once another change lands on the default branch, the migration
 * PR is behind and GitHub refuses to merge it; nothing on GitHub brings the branch up to date ("you'll
 * need to bring the head branch up to date after other collaborators merge pull requests to the
 * protected base branch", About protected branches). The forge updates the bot branch, pinned to the
 * head decided on, and the PR merges once checks pass on the new head (docs/github-behaviour.md).
 * A disallowed merge method ("Squash merges are not allowed on this repository."): the forge merges with
 * one the repository allows.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createChangeApplier } from '../../../src/codemod/engine.js';
import { createGitHubClient } from '../../../src/forge/github/client.js';
import { GitHubForge } from '../../../src/forge/github/forge.js';
import { parseManifest } from '../../../src/manifest/load.js';
import { reconcileOnce, type ReconcileDeps } from '../../../src/rollout/reconcile.js';
import { MemoryStore } from '../../../src/store/memory/memory-store.js';
import { silentLogger } from '../../../src/util/log.js';
import { githubRequests, openapiViolations, resetGitHubRequests } from '../../helpers/openapi.js';
import { CANARY_THEN_ALL, playEventsManifest } from '../../helpers/play-events-manifest.js';
import { FakeClock } from './fake-clock.js';
import { BOT } from './setup.js';
import { GitHubSimulator } from './simulator.js';

describe('reconcile through the GitHub forge: a strict base that moves', () => {
  let sim: GitHubSimulator;
  const now = new Date('2026-01-01T00:00:00Z');

  beforeEach(async () => {
    nock.disableNetConnect();
    resetGitHubRequests();
    sim = new GitHubSimulator(BOT.login);
    await sim.addRepo('acme/c1', { 'src/read.ts': "export const uri = 'data/play-events/v1';\n" });
    sim.requireUpToDate('acme/c1');
  });

  afterEach(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await sim.dispose();
    expect(openapiViolations()).toEqual([]);
  });

  it('updates the bot branch that fell behind, pinned to the decided head, and merges it at the new head', async () => {
    sim.install();
    const { client } = createGitHubClient({ token: 'ghs_test', clock: new FakeClock() });
    const forge = new GitHubForge({ client, bot: BOT, gitBaseUrl: sim.gitBaseUrl });
    const deps: ReconcileDeps = { forge, store: new MemoryStore(), changes: createChangeApplier(), logger: silentLogger, now: () => now };
    const loaded = parseManifest(playEventsManifest('repos: [acme/c1]', CANARY_THEN_ALL), 'play-events-v2.yaml');
    const tick = () => reconcileOnce(deps, loaded, { fleet: 'github' });

    await tick(); // opens the PR
    const pr = sim.repos.get('acme/c1')!.pulls[0]!;
    await tick(); // no checks yet on its head: waits (and its CI starts)
    const decided = pr.head;
    sim.advanceBase('acme/c1');

    resetGitHubRequests();
    const refused = await tick();
    const writes = () => githubRequests().filter((r) => r.method === 'PUT');
    expect(writes().map((r) => r.path)).toEqual(
      [`/repos/acme/recs/pulls/${pr.number}/merge`, `/repos/acme/recs/pulls/${pr.number}/update-branch`].map((p) =>
        p.replace('recs', 'c1'),
      ),
    );
    expect(writes()[1]!.body).toEqual({ expected_head_sha: decided });
    expect(refused.executed).toEqual([]);
    expect(pr.state).toBe('OPEN');
    expect(pr.head).not.toBe(decided);

    // Checks run on the new head (the simulator starts CI once a head has been read), and the next tick
    // merges the PR at that head.
    resetGitHubRequests();
    const merged = await tick();
    expect(merged.executed.map((a) => a.kind)).toEqual(['merge']);
    expect(writes().map((r) => r.body)).toEqual([{ sha: pr.head, merge_method: 'squash' }]);
    expect(pr.state).toBe('MERGED');
  });

  it('updates the branch of a PR whose auto-merge is on once the base moves (BEHIND), and GitHub merges it', async () => {
    // GitHub's auto-merge merges only once the branch is up to date, and nothing updates it on its own.
    sim.protect('acme/c1', { autoMergeAllowed: true });
    sim.install();
    const { client } = createGitHubClient({ token: 'ghs_test', clock: new FakeClock() });
    const forge = new GitHubForge({ client, bot: BOT, gitBaseUrl: sim.gitBaseUrl });
    const deps: ReconcileDeps = { forge, store: new MemoryStore(), changes: createChangeApplier(), logger: silentLogger, now: () => now };
    const loaded = parseManifest(playEventsManifest('repos: [acme/c1]', CANARY_THEN_ALL), 'play-events-v2.yaml');
    const tick = () => reconcileOnce(deps, loaded, { fleet: 'github' });
    const writes = () =>
      githubRequests().filter((r) => r.method === 'PUT' || (r.path === '/graphql' && JSON.stringify(r.body).includes('mutation')));

    await tick(); // opens the PR
    await tick(); // no checks yet: waits
    await tick(); // refused for the required review: auto-merge enabled
    const pr = sim.repos.get('acme/c1')!.pulls[0]!;
    expect(pr.autoMerge).not.toBeNull();
    const armedAt = pr.head;

    sim.advanceBase('acme/c1');
    sim.approve('acme/c1', pr.number); // approved, but behind: auto-merge waits
    expect(pr.state).toBe('OPEN');

    resetGitHubRequests();
    const updated = await tick();
    expect(writes().map((r) => [r.path, r.body])).toEqual([
      [`/repos/acme/c1/pulls/${pr.number}/update-branch`, { expected_head_sha: armedAt }],
    ]);
    expect(updated.executed).toEqual([]);
    expect(pr.head).not.toBe(armedAt);
    expect(pr.autoMerge).not.toBeNull();

    // The new head's checks start and pass; GitHub's auto-merge, still on, merges it; the engine sees it.
    await tick();
    sim.runAutoMerge('acme/c1');
    expect(pr.state).toBe('MERGED');
    resetGitHubRequests();
    const done = await tick();
    expect(writes()).toEqual([]);
    expect(done.decision.targets.map((t) => [t.repo, t.state])).toEqual([['acme/c1', 'merged']]);
  });
});

describe('reconcile through the GitHub forge: a repository that allows only some merge methods', () => {
  let sim: GitHubSimulator;

  beforeEach(async () => {
    nock.disableNetConnect();
    resetGitHubRequests();
    sim = new GitHubSimulator(BOT.login);
    await sim.addRepo('acme/c1', { 'src/read.ts': "export const uri = 'data/play-events/v1';\n" });
    sim.repos.get('acme/c1')!.mergeMethods = { squash: false, merge: false, rebase: true };
  });

  afterEach(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await sim.dispose();
    expect(openapiViolations()).toEqual([]);
  });

  it('merges with the method the repository allows after GitHub refuses the configured one', async () => {
    sim.install();
    const { client } = createGitHubClient({ token: 'ghs_test', clock: new FakeClock() });
    const forge = new GitHubForge({ client, bot: BOT, gitBaseUrl: sim.gitBaseUrl, mergeMethod: 'squash' });
    const deps: ReconcileDeps = {
      forge,
      store: new MemoryStore(),
      changes: createChangeApplier(),
      logger: silentLogger,
      now: () => new Date('2026-01-01T00:00:00Z'),
    };
    const loaded = parseManifest(playEventsManifest('repos: [acme/c1]', CANARY_THEN_ALL), 'play-events-v2.yaml');
    const tick = () => reconcileOnce(deps, loaded, { fleet: 'github' });
    await tick();
    await tick();
    resetGitHubRequests();
    const merged = await tick();
    expect(merged.executed.map((a) => a.kind)).toEqual(['merge']);
    const merges = githubRequests().filter((r) => r.method === 'PUT' || (r.method === 'GET' && r.path === '/repos/acme/c1'));
    expect(merges.map((r) => [r.method, (r.body as { merge_method?: string } | undefined)?.merge_method])).toEqual([
      ['PUT', 'squash'],
      ['GET', undefined],
      ['PUT', 'rebase'],
    ]);
    expect(sim.repos.get('acme/c1')!.pulls[0]!.state).toBe('MERGED');
  });
});
