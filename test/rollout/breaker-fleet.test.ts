/**
 * The circuit breaker end to end: two migrations of one fleet on the in-memory forge, the real
 * reconcile (observe → decide → breaker → execute), a simulated clock. Failing consumers of one
 * migration open the breaker, which pauses both; after the cool-down exactly one canary goes through
 * across the fleet, its success closes the breaker, and both migrations finish. The alerts of the
 * episode are journalled once, and a re-run raises none again.
 */
import { describe, expect, it } from '@jest/globals';
import type { AlertSink } from '../../src/alerts/sink.js';
import type { ChangeApplier, Edit } from '../../src/codemod/port.js';
import { MemoryForge, type MemoryRepoSpec } from '../../src/forge/memory/memory-forge.js';
import { manifestSchema } from '../../src/manifest/schema.js';
import type { LoadedManifest } from '../../src/manifest/types.js';
import { metricsRegistry } from '../../src/metrics/registry.js';
import type { BreakerPolicy } from '../../src/rollout/breaker.js';
import { branchName } from '../../src/rollout/marker.js';
import { newSession, reconcileOnce, type ReconcileDeps, type ReconcileSession } from '../../src/rollout/reconcile.js';
import { SimulatedClock } from '../../src/simulate/clock.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { silentLogger } from '../../src/util/log.js';

const FLEET = 'memory-fleet';
const POLICY: BreakerPolicy = {
  windowMs: 3_600_000,
  minFailures: 4,
  failureRatio: 0.5,
  coolDownMs: 30 * 60_000,
  canaryTimeoutMs: 6 * 3_600_000,
};

function manifest(name: string, maxOpenPRs = 100): LoadedManifest {
  const m = manifestSchema.parse({
    apiVersion: 'fleetwave/v1',
    kind: 'DatasetMigration',
    metadata: { name, owner: 'acme/data-platform' },
    dataset: { source: { uri: `data/${name}/v1/`, format: 'avro' }, target: { uri: `data/${name}/v2/`, format: 'parquet' } },
    consumers: { discover: [{ search: `data/${name}/v1` }] },
    changes: [{ replace: { from: `data/${name}/v1`, to: `data/${name}/v2`, files: ['**/*'] } }],
    // The wave gate never pauses here (100%): what pauses is the breaker.
    rollout: { canary: 1, waves: [1, 4, '100%'], soak: '0s', maxOpenPRs, failureThreshold: '100%', automerge: true },
  });
  return { manifest: m, path: `${name}.yaml`, hash: `hash-${name}`, text: '' };
}

/** The manifest's replace, over the memory forge's files. */
function replaceApplier(forge: MemoryForge): ChangeApplier {
  return {
    async compute(ctx) {
      const [, repo, sha] = /^memory:\/\/(.+)@([0-9a-f]+)$/.exec(ctx.dir)!;
      const { from, to } = (ctx.manifest.changes[0] as { replace: { from: string; to: string } }).replace;
      const edits: Edit[] = [];
      for (const [path, text] of forge.filesAt(repo!, sha!))
        if (text.includes(from)) edits.push({ path, before: text, after: text.split(from).join(to) });
      return {
        edits,
        summaries: edits.length
          ? [{ rule: 'replace', description: `${from} → ${to}`, files: edits.map((e) => ({ path: e.path, count: 1 })) }]
          : [],
        findings: [],
      };
    },
  };
}

describe('circuit breaker across two migrations of one fleet', () => {
  it('opens on failures of one migration, pauses both, lets one canary through half-open, closes on its success, and both finish', async () => {
    const specs: MemoryRepoSpec[] = [];
    // alpha: six consumers, the first four (the canary and wave 1) break under the migration.
    for (let i = 0; i < 6; i++)
      specs.push({ repo: `acme/alpha-${i}`, files: { 'src/read.ts': `export const p = 'data/alpha/v1/part-0.avro';\n` }, failing: i < 4 });
    // beta: eight healthy consumers, one pull request at a time.
    for (let i = 0; i < 8; i++) specs.push({ repo: `acme/beta-${i}`, files: { 'config.yaml': `dataset: data/beta/v1\n` } });
    const clock = new SimulatedClock();
    const forge = new MemoryForge(specs, { clock, random: () => 0.99, checkDurationMs: 10 * 60_000 });
    const store = new MemoryStore();
    const delivered: string[] = [];
    const sink: AlertSink = { name: 'recorder', deliver: async (a) => void delivered.push(`${a.migration}:${a.kind}:${a.action}`) };
    const deps: ReconcileDeps = {
      forge,
      store,
      changes: replaceApplier(forge),
      logger: silentLogger,
      now: () => clock.now(),
      breaker: POLICY,
      alerts: [sink],
    };
    const alpha = manifest('alpha');
    const beta = manifest('beta', 1);
    const sessions = new Map<LoadedManifest, ReconcileSession>([
      [alpha, newSession()],
      [beta, newSession()],
    ]);

    /** Reconcile until a tick does nothing; the last decision. */
    const settle = async (m: LoadedManifest) => {
      for (let i = 0; i < 20; i++) {
        const r = await reconcileOnce(deps, m, { fleet: FLEET }, sessions.get(m)!);
        if (r.executed.length === 0) return r.decision;
      }
      throw new Error('no quiet tick');
    };
    const pulls = (prefix: string) =>
      specs.filter((s) => s.repo.startsWith(prefix)).flatMap((s) => forge.pullsOf(s.repo).filter((p) => p.branch.startsWith('fleetwave/')));
    /** Every check started so far finishes (they take 10 simulated minutes). */
    const nextChecks = () => clock.advance(11 * 60_000);

    // alpha's canary and wave 1 fail (after a re-run of their checks, where the rollout re-runs failed
    // checks), while beta merges one target at a time. Four failures of at most eight outcomes open it.
    let a1 = await settle(alpha);
    let b1 = await settle(beta);
    for (let i = 0; i < 10 && (await store.getBreaker(FLEET)).state === 'closed'; i++) {
      nextChecks();
      a1 = await settle(alpha);
      b1 = await settle(beta);
    }
    const breaker = await store.getBreaker(FLEET);
    const openedAt = new Date(breaker.openedAt!);
    expect(breaker.state).toBe('open');
    expect(breaker.reason).toMatch(/^4 failures in [5-8] outcomes within 1h/);
    expect(a1.targets.map((t) => t.state)).toEqual(['failed', 'failed', 'failed', 'failed', 'planned', 'planned']);
    expect(a1.state).toBe('paused');
    expect(a1.reason).toMatch(/^circuit breaker open since/);
    expect(b1.state).toBe('paused');
    expect(b1.reason).toMatch(/^circuit breaker open since/);
    // beta's green PR waits unmerged; alpha's wave 2 is not opened.
    const betaWaiting = pulls('acme/beta').filter((p) => p.state === 'open');
    expect(betaWaiting).toHaveLength(1);
    expect(pulls('acme/alpha')).toHaveLength(4);
    // One failure journalled per failed target, however often it is observed.
    expect((await store.events({ migration: 'alpha' })).filter((e) => e.action === 'failure')).toHaveLength(4);

    // Still open just before the cool-down ends.
    clock.advanceTo(openedAt.getTime() + POLICY.coolDownMs - 60_000);
    expect((await settle(beta)).state).toBe('paused');
    expect((await settle(alpha)).state).toBe('paused');
    expect((await store.getBreaker(FLEET)).state).toBe('open');

    // Half-open: alpha's next action (opening alpha-4) is the fleet's one canary; beta waits for it.
    clock.advanceTo(openedAt.getTime() + POLICY.coolDownMs + 1000);
    const a2 = await settle(alpha);
    expect(a2.state).toBe('running');
    expect(a2.reason).toContain('half-open');
    expect(await store.getBreaker(FLEET)).toMatchObject({
      state: 'half-open',
      canary: { migration: 'alpha', target: 'acme/alpha-4', action: 'open' },
    });
    const b2 = await settle(beta);
    expect(b2.state).toBe('paused');
    expect(b2.reason).toContain('waiting for the canary (open on acme/alpha-4 of alpha)');
    expect(pulls('acme/alpha').map((p) => p.repo)).toEqual([
      'acme/alpha-0',
      'acme/alpha-1',
      'acme/alpha-2',
      'acme/alpha-3',
      'acme/alpha-4',
    ]);
    expect(pulls('acme/beta').filter((p) => p.state === 'open')).toEqual(betaWaiting);

    // The canary's checks pass: the breaker closes and both migrations go on to the end.
    nextChecks();
    await settle(alpha);
    const closed = await store.getBreaker(FLEET);
    expect(closed).toMatchObject({ state: 'closed', canary: null });
    // The window was cleared on closing: only what happened since (the canary's merge) is in it.
    expect(closed.outcomes.map((o) => [o.target, o.ok])).toEqual([['acme/alpha-4', true]]);
    let last = { alpha: await settle(alpha), beta: await settle(beta) };
    for (let i = 0; i < 20 && (last.alpha.state !== 'completed' || last.beta.state !== 'completed'); i++) {
      nextChecks();
      last = { alpha: await settle(alpha), beta: await settle(beta) };
    }
    expect(last.beta.state).toBe('completed');
    expect(last.beta.targets.map((t) => t.state)).toEqual(Array(8).fill('merged'));
    expect(last.alpha.state).toBe('completed');
    expect(last.alpha.targets.map((t) => t.state)).toEqual(['failed', 'failed', 'failed', 'failed', 'merged', 'merged']);
    // No target got a second pull request.
    for (const s of specs)
      expect(
        forge.pullsOf(s.repo).filter((p) => p.branch === branchName(s.repo.includes('alpha') ? 'alpha' : 'beta')).length,
      ).toBeLessThanOrEqual(1);

    // The gauge shows the breaker closed.
    const gauge = await metricsRegistry.getSingleMetric('fleetwave_breaker_state')!.get();
    const mine = gauge.values.filter((v) => v.labels.breaker === FLEET);
    expect(Object.fromEntries(mine.map((v) => [v.labels.state, v.value]))).toEqual({ closed: 1, 'half-open': 0, open: 0 });

    // Alerts: each migration heard of the open breaker once (one fleet-wide dedup key) and of its end once.
    const alertsOf = async (m: string) =>
      (await store.events({ migration: m }))
        .filter((e) => e.action === 'alert')
        .map((e) => [e.detail.kind, e.detail.action, e.detail.dedupKey]);
    const key = `fleetwave/breaker/${FLEET}/${openedAt.toISOString()}`;
    expect(await alertsOf('alpha')).toEqual([
      ['breaker-open', 'trigger', key],
      ['breaker-open', 'resolve', key],
    ]);
    expect(await alertsOf('beta')).toEqual([
      ['breaker-open', 'trigger', key],
      ['breaker-open', 'resolve', key],
    ]);
    // Each delivered to the sink once, by the tick that raised it.
    expect(delivered.sort()).toEqual([
      'alpha:breaker-open:resolve',
      'alpha:breaker-open:trigger',
      'beta:breaker-open:resolve',
      'beta:breaker-open:trigger',
    ]);
    const before = (await store.events()).length;
    await settle(alpha);
    await settle(beta);
    expect((await store.events()).length).toBe(before);
    expect(delivered).toHaveLength(4);
  });
});
