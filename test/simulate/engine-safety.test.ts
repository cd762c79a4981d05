/**
 * The real engine (runMigration / reconcileOnce) against the in-memory forge: re-runs of failed checks
 * (once per head, across restarts and replays), retries after faults that hit after the effect
 * (exactly one commit and one PR), retries that run out, tiers, canaries, and branch lookups.
 */
import { describe, expect, it } from '@jest/globals';
import { withCrashInjection } from '../../src/forge/crash-injection.js';
import { MemoryForge, type MemoryRepoSpec, type ScriptedFault } from '../../src/forge/memory/memory-forge.js';
import type { Manifest } from '../../src/manifest/types.js';
import { branchName } from '../../src/rollout/marker.js';
import type { MigrationSummary } from '../../src/rollout/model.js';
import { newSession, reconcileOnce, type ReconcileDeps } from '../../src/rollout/reconcile.js';
import { RETRY } from '../../src/rollout/retry.js';
import { runMigration } from '../../src/rollout/run.js';
import { SimulatedClock } from '../../src/simulate/clock.js';
import { mulberry32 } from '../../src/simulate/prng.js';
import { memoryChangeApplier, simulationManifest } from '../../src/simulate/simulate.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { silentLogger } from '../../src/util/log.js';

const OLD = 'data/events/v1';
const BRANCH = branchName('simulated-migration');
const name = (i: number) => `acme/consumer-${String(i).padStart(2, '0')}`;

interface FleetOptions {
  n: number;
  flaky?: number[];
  failing?: number[];
  red?: number[];
  faults?: ScriptedFault;
  rollout?: Partial<Manifest['rollout']>;
}

function fleet(o: FleetOptions) {
  const clock = new SimulatedClock();
  const specs: MemoryRepoSpec[] = Array.from({ length: o.n }, (_, i) => ({
    repo: name(i),
    files: { 'config.yaml': `dataset: ${OLD}\n` },
    flaky: o.flaky?.includes(i),
    failing: o.failing?.includes(i),
    redDefaultBranch: o.red?.includes(i),
  }));
  const forge = new MemoryForge(specs, { clock, random: mulberry32(5), checkDurationMs: 60_000, faults: o.faults });
  const store = new MemoryStore();
  const loaded = simulationManifest({ canary: 1, waves: [1, '50%', '100%'], maxOpenPRs: 10, ...o.rollout });
  const deps: ReconcileDeps = { forge, store, changes: memoryChangeApplier(forge), logger: silentLogger, now: () => clock.now() };
  return { clock, forge, store, loaded, deps };
}

/** Runs until the migration stops moving, letting simulated time pass for checks and backoff. */
async function runToEnd(f: ReturnType<typeof fleet>, deps: ReconcileDeps = f.deps): Promise<MigrationSummary> {
  let summary: MigrationSummary | undefined;
  for (let round = 0; round < 100; round++) {
    summary = await runMigration(deps, f.loaded, { fleet: 'memory' }, { sleep: async (ms) => f.clock.advance(ms), random: () => 0.5 });
    if (summary.state !== 'running') break;
    const next = f.forge.nextCheckAt();
    if (next === null) break;
    f.clock.advanceTo(next);
  }
  return summary!;
}

const prsOf = (f: ReturnType<typeof fleet>, i: number) => f.forge.pullsOf(name(i)).filter((p) => p.branch === BRANCH);
const target = (s: MigrationSummary, i: number) => s.targets.find((t) => t.repo === name(i))!;

describe('failed checks are re-run once per head', () => {
  it('a flaky consumer is re-run once and merges; a broken one is re-run once and fails; neither is re-run again by restarts or replays', async () => {
    const f = fleet({ n: 4, flaky: [1], failing: [2], rollout: { canary: 0, waves: ['100%'], failureThreshold: '50%' } });
    const summary = await runToEnd(f);
    expect(summary.state).toBe('completed');
    expect(target(summary, 1)).toMatchObject({ state: 'merged' });
    expect(target(summary, 2)).toMatchObject({ state: 'failed', reason: 'checks failed: test (after 1 re-run on this head)' });
    expect(f.forge.requests.get('rerunChecks')).toBe(2);
    // Restarts (new sessions) and replayed triggers, with time passing: no further re-run.
    for (let i = 0; i < 3; i++) {
      f.clock.advance(120_000);
      await reconcileOnce(f.deps, f.loaded, { fleet: 'memory' }, newSession());
    }
    expect(f.forge.requests.get('rerunChecks')).toBe(2);
    const claims = (await f.store.events({ migration: 'simulated-migration' })).filter((e) => e.action === 'rerun-checks');
    expect(claims.map((e) => [e.target, e.detail.attempt])).toEqual([
      [name(1), 1],
      [name(2), 1],
    ]);
  });

  it('a crash between the journalled claim and the request leaves the PR failed, never re-run twice', async () => {
    const f = fleet({ n: 1, failing: [0], rollout: { canary: 0, waves: ['100%'] } });
    const crashing = withCrashInjection(
      f.forge,
      (n, when) => n === 3 && when === 'before',
      () => {
        throw new Error('simulated crash');
      },
    );
    // push (1), open (2), then the re-run (3) crashes before reaching the forge.
    const deps = { ...f.deps, forge: crashing };
    await expect(runToEnd(f, deps)).rejects.toThrow('simulated crash');
    const summary = await runToEnd(f);
    expect(summary.targets[0]).toMatchObject({ state: 'failed', reason: 'checks failed: test (after 1 re-run on this head)' });
    expect(f.forge.requests.get('rerunChecks') ?? 0).toBe(0);
  });
});

describe('a retry never repeats a side effect', () => {
  it.each(['pushChanges', 'openPullRequest', 'mergePullRequest'])(
    'a fault after the effect of %s: one commit, one PR, one merge per target',
    async (method) => {
      const f = fleet({ n: 4, faults: (m, call) => (m === method && call <= 2 ? 'after' : null), rollout: { canary: 0, waves: ['100%'] } });
      const summary = await runToEnd(f);
      expect(summary.state).toBe('completed');
      expect(summary.counts.merged).toBe(4);
      for (let i = 0; i < 4; i++) expect(prsOf(f, i)).toHaveLength(1);
      expect(f.forge.requests.get('pushChanges')).toBe(4);
      expect(f.forge.requests.get('openPullRequest')).toBe(4);
      expect(f.forge.requests.get('mergePullRequest')).toBe(4);
      const journal = await f.store.events({ migration: 'simulated-migration' });
      const recovered = journal.filter((e) => e.outcome === 'ok' && e.detail.recovered === true);
      // An open or a merge the forge carried out is recognised and journalled at once; a push that went
      // through is adopted by the next tick's open.
      if (method === 'pushChanges') expect(journal.filter((e) => e.action === 'open-pr' && e.detail.adopted === true)).toHaveLength(2);
      else expect(recovered).toHaveLength(2);
    },
  );

  it('a fault before the effect is retried; a target whose retries run out fails with the cause shown', async () => {
    const f = fleet({ n: 2, faults: (m) => (m === 'openPullRequest' ? 'before' : null), rollout: { canary: 0, waves: ['100%'] } });
    const summary = await runToEnd(f);
    for (let i = 0; i < 2; i++) {
      expect(target(summary, i)).toMatchObject({
        state: 'failed',
        reason: `open failed after ${RETRY.maxAttempts} attempts with transient errors; last: openPullRequest: simulated 502 from the API (nothing happened)`,
      });
      expect(prsOf(f, i)).toHaveLength(0);
    }
    expect(f.forge.requests.get('pushChanges')).toBe(2);
    expect(f.forge.requests.get('openPullRequest')).toBe(2 * RETRY.maxAttempts);
  });
});

describe('tiers and canaries', () => {
  const tiers = { critical: [name(0), name(1)], low: [name(8), name(9)] };

  it('critical targets go last and wait for an approval; low-risk targets go first; the canary is the lowest-risk green one', async () => {
    const f = fleet({ n: 10, red: [8], rollout: { tiers, requireApprovalFor: ['critical'], waves: [1, '50%', '100%'] } });
    const summary = await runToEnd(f);
    // consumer-08 is low risk but red on its default branch: consumer-09 is the canary.
    expect(target(summary, 9).wave).toBe(0);
    expect(target(summary, 8).wave).toBe(1);
    const lastWave = Math.max(...summary.targets.map((t) => t.wave ?? 0));
    expect([target(summary, 0).wave, target(summary, 1).wave]).toEqual([lastWave, lastWave]);
    expect(summary.state).toBe('running');
    expect(summary.reason).toMatch(/two-phase: wave \d+ is green and waits for 1 more approval from data-platform/);
    expect([target(summary, 0).state, target(summary, 1).state]).toEqual(['open', 'open']);
    expect(summary.targets.filter((t) => t.state === 'merged')).toHaveLength(8);
    const choice = (await f.store.events({ migration: 'simulated-migration' })).find((e) => e.action === 'choose-canaries')!;
    expect(choice.detail).toMatchObject({ canaries: [name(9)], refused: { [name(8)]: 'default branch checks: failure' } });
  });

  it('takes tiers from the catalog where the manifest names none, and ranks a catalog tier tierOrder does not list as defaultTier', async () => {
    const f = fleet({ n: 6, rollout: { canary: 1, waves: [1, '50%', '100%'] } });
    const catalog: Record<string, string> = { [name(0)]: 'critical', [name(1)]: 'deprecated', [name(5)]: 'experimental' };
    const tick = await reconcileOnce(
      { ...f.deps, tierOf: async (repo) => catalog[repo] ?? null },
      f.loaded,
      { fleet: 'memory' },
      newSession(),
    );
    const views = new Map(tick.observation.views.map((v) => [v.repo, v]));
    expect(views.get(name(5))).toMatchObject({ tier: 'experimental', wave: 0 });
    expect(views.get(name(1))).toMatchObject({ tier: 'standard', wave: 1 });
    expect(views.get(name(0))).toMatchObject({ tier: 'critical', wave: 2 });
  });

  it('the canary choice is journalled once and reused by later ticks and restarts, whatever the rule would say now', async () => {
    const f = fleet({ n: 6, rollout: { tiers: { low: [name(3)] } } });
    await reconcileOnce(f.deps, f.loaded, { fleet: 'memory' }, newSession());
    const again = await reconcileOnce(f.deps, f.loaded, { fleet: 'memory' }, newSession());
    expect(again.observation.views.find((v) => v.wave === 0)!.repo).toBe(name(3));
    expect((await f.store.events({ migration: 'simulated-migration' })).filter((e) => e.action === 'choose-canaries')).toHaveLength(1);
    // A journalled choice wins over the rule (the rule would pick consumer-03 again).
    const g = fleet({ n: 6, rollout: { tiers: { low: [name(3)] } } });
    await g.store.append({
      at: g.clock.now().toISOString(),
      migration: 'simulated-migration',
      target: null,
      action: 'choose-canaries',
      outcome: 'ok',
      detail: { canaries: [name(5)] },
      version: 't',
      manifestHash: 'simulation',
    });
    const tick = await reconcileOnce(g.deps, g.loaded, { fleet: 'memory' }, newSession());
    expect(tick.observation.views.filter((v) => v.wave === 0).map((v) => v.repo)).toEqual([name(5)]);
    expect(g.forge.requests.get('getCommitChecks') ?? 0).toBe(0);
  });
});

describe('branch lookups', () => {
  it('a tick looks up only the branches of targets it may open: the canary alone on a fresh fleet', async () => {
    const f = fleet({ n: 60 });
    const tick = await reconcileOnce(f.deps, f.loaded, { fleet: 'memory' }, newSession());
    expect(tick.executed.map((a) => a.kind)).toEqual(['open']);
    expect(f.forge.requests.get('getBranch')).toBe(1);
  });

  it("a later wave's target with a bot branch from an earlier run is adopted when its wave comes", async () => {
    const f = fleet({ n: 8, rollout: { waves: [1, '50%', '100%'] } });
    const head = f.forge.filesAt(name(7), (await f.forge.getRepository(name(7)))!.headSha);
    const { sha } = await f.forge.pushChanges({
      repo: name(7),
      branch: BRANCH,
      baseSha: (await f.forge.getRepository(name(7)))!.headSha,
      edits: [{ path: 'config.yaml', before: head.get('config.yaml')!, after: 'dataset: data/events/v2\n' }],
      message: 'from an earlier run',
    });
    const summary = await runToEnd(f);
    expect(summary.state).toBe('completed');
    expect(target(summary, 7).wave).toBe(2);
    expect(prsOf(f, 7)).toHaveLength(1);
    expect(prsOf(f, 7)[0]!.headSha).toBe(sha);
    expect(f.forge.requests.get('pushChanges')).toBe(8); // 7 by the run, 1 by the test
  });
});
