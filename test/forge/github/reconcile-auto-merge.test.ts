/**
 * Native auto-merge end to end: the real engine (reconcileOnce, the codemod engine, a memory store)
 * through the GitHub forge against the simulated GitHub, on a repository whose default branch needs
 * an approving review and which allows auto-merge. And, as on GitHub, a PR's new head has no check
 * at all until its CI starts: nothing merges before checks on the current head reported success.
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
import { FakeClock } from './fake-clock.js';
import { BOT } from './setup.js';
import { GitHubSimulator } from './simulator.js';
import { CANARY_THEN_ALL, playEventsManifest } from '../../helpers/play-events-manifest.js';

const MANIFEST = playEventsManifest('repos: [acme/c1]', CANARY_THEN_ALL);

/** Requests that merge: the REST merge and the auto-merge mutation. */
function mergeRequests(): string[] {
  return githubRequests()
    .filter((r) => r.method === 'PUT' || (r.path === '/graphql' && String((r.body as { query: string }).query).startsWith('mutation')))
    .map((r) => (r.method === 'PUT' ? 'PUT merge' : 'enable auto-merge'));
}

describe('reconcile through the GitHub forge: native auto-merge', () => {
  let sim: GitHubSimulator;
  let now = new Date('2026-01-01T00:00:00Z');

  beforeEach(async () => {
    nock.disableNetConnect();
    resetGitHubRequests();
    now = new Date('2026-01-01T00:00:00Z');
    sim = new GitHubSimulator(BOT.login);
    await sim.addRepo('acme/c1', { 'src/read.ts': "export const uri = 'data/play-events/v1';\n" });
  });

  afterEach(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await sim.dispose();
    expect(openapiViolations()).toEqual([]);
  });

  function engine(autoMerge: 'native' | 'api') {
    sim.install();
    const { client } = createGitHubClient({ token: 'ghs_test', clock: new FakeClock() });
    const forge = new GitHubForge({ client, bot: BOT, gitBaseUrl: sim.gitBaseUrl, autoMerge });
    const store = new MemoryStore();
    const deps: ReconcileDeps = {
      forge,
      store,
      changes: createChangeApplier(),
      logger: silentLogger,
      now: () => now,
    };
    const loaded = parseManifest(MANIFEST, 'play-events-v2.yaml');
    const tick = () => reconcileOnce(deps, loaded, { fleet: 'github' });
    /** The tick right after the PR opened: GitHub has no check suite on its head yet, so nothing merges. */
    const beforeChecks = async () => {
      resetGitHubRequests();
      const waiting = await tick();
      expect(mergeRequests()).toEqual([]);
      expect(waiting.executed).toEqual([]);
      expect(waiting.decision.targets[0]!.reason).toMatch(/^no checks yet on [0-9a-f]{7}: waiting for them to start/);
      return waiting;
    };
    return { store, tick, beforeChecks };
  }

  it('hands a PR blocked on a required review to GitHub once, asks nothing more while it waits, and sees GitHub merge it', async () => {
    sim.protect('acme/c1', { autoMergeAllowed: true });
    const { store, tick, beforeChecks } = engine('native');

    const opened = await tick();
    expect(opened.executed.map((a) => a.kind)).toEqual(['open']);
    await beforeChecks();

    resetGitHubRequests();
    const armed = await tick();
    expect(armed.executed.map((a) => a.kind)).toEqual(['merge']);
    expect(mergeRequests()).toEqual(['PUT merge', 'enable auto-merge']);
    const pr = sim.repos.get('acme/c1')!.pulls[0]!;
    expect(pr.state).toBe('OPEN');
    expect(pr.autoMerge).not.toBeNull();
    const journal = await store.events({ migration: 'play-events-v2' });
    expect(journal.filter((e) => e.action === 'auto-merge').map((e) => [e.target, e.outcome, e.detail.pr])).toEqual([
      ['acme/c1', 'ok', pr.number],
    ]);
    expect(journal.some((e) => e.action === 'merge')).toBe(false);

    // Waiting for the review: decide still wants it merged; the observation says auto-merge is on.
    resetGitHubRequests();
    await tick();
    expect(mergeRequests()).toEqual([]);

    sim.approve('acme/c1', pr.number);
    expect(pr.state).toBe('MERGED');
    resetGitHubRequests();
    const done = await tick();
    expect(mergeRequests()).toEqual([]);
    expect(done.decision.targets.map((t) => [t.repo, t.state])).toEqual([['acme/c1', 'merged']]);
    expect(done.decision.state).toBe('completed');
    // The merge GitHub made is journalled once (its rescan: test/rollout/observed-merge.test.ts; the
    // simulator's merge commit is not a real git commit to check out).
    const merges = async () =>
      (await store.events({ migration: 'play-events-v2' })).filter((e) => e.action === 'merge' && e.outcome === 'ok');
    expect((await merges()).map((e) => [e.target, e.detail.pr, e.detail.observed, e.detail.sha])).toEqual([
      ['acme/c1', pr.number, true, pr.mergeSha],
    ]);
    await tick();
    expect(await merges()).toHaveLength(1);
  });

  it('merges directly where nothing blocks the merge, even where auto-merge is allowed', async () => {
    const { store, tick, beforeChecks } = engine('native');
    sim.repos.get('acme/c1')!.autoMergeAllowed = true;
    await tick();
    await beforeChecks();
    resetGitHubRequests();
    await tick();
    expect(mergeRequests()).toEqual(['PUT merge']);
    expect(sim.repos.get('acme/c1')!.pulls[0]!.state).toBe('MERGED');
    expect((await store.events({ migration: 'play-events-v2' })).some((e) => e.action === 'merge' && e.outcome === 'ok')).toBe(true);
  });

  it('fails the target as before with autoMerge: api', async () => {
    sim.protect('acme/c1', { autoMergeAllowed: true });
    const { tick, beforeChecks } = engine('api');
    await tick();
    await beforeChecks();
    resetGitHubRequests();
    const refused = await tick();
    expect(mergeRequests()).toEqual(['PUT merge']);
    expect(refused.executed).toEqual([]);
    expect(sim.repos.get('acme/c1')!.pulls[0]!.autoMerge).toBeNull();
  });

  it('never merges a PR whose checks have not started, and hands a repository without CI to a human after the grace', async () => {
    sim.repos.get('acme/c1')!.checks = 'NONE';
    const { tick, beforeChecks } = engine('native');
    await tick();
    await beforeChecks();
    now = new Date('2026-01-01T00:14:00Z');
    await beforeChecks();
    now = new Date('2026-01-01T00:16:00Z');
    resetGitHubRequests();
    const late = await tick();
    expect(mergeRequests()).toEqual([]);
    expect(late.decision.targets[0]).toMatchObject({ repo: 'acme/c1', state: 'open', needsHuman: true });
    expect(late.decision.targets[0]!.reason).toMatch(/no checks reported on [0-9a-f]{7} within 15 min \(rollout\.checksGrace\)/);
    expect(sim.repos.get('acme/c1')!.pulls[0]!.state).toBe('OPEN');
  });

  it("is not shadowed by a newer pull request from a fork's branch of the same name", async () => {
    const { tick, beforeChecks } = engine('native');
    await tick();
    const ours = sim.repos.get('acme/c1')!.pulls[0]!;
    const fork = sim.openForkPull('acme/c1', ours.branch, 'mallory/c1');
    await beforeChecks();
    resetGitHubRequests();
    const merged = await tick();
    expect(mergeRequests()).toEqual(['PUT merge']);
    expect(merged.executed).toEqual([{ kind: 'merge', repo: 'acme/c1', number: ours.number, headSha: ours.head }]);
    expect([ours.state, fork.state]).toEqual(['MERGED', 'OPEN']);
    const done = await tick();
    expect(done.decision.targets.map((t) => [t.repo, t.state])).toEqual([['acme/c1', 'merged']]);
    expect(done.decision.state).toBe('completed');
    expect(sim.repos.get('acme/c1')!.pulls).toHaveLength(2);
  });
});
