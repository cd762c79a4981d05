/**
 * A reconcile run reads a migration's journal once (src/rollout/journal-view.ts): the real engine
 * against the in-memory forge, over a real memory store wrapped to count what is read. Later looks, in
 * that tick and the next ones, ask only for what was appended since, and still see a claim another
 * process made meanwhile; a restarted process (a new session) reads the journal again.
 */
import { describe, expect, it } from '@jest/globals';
import { MemoryForge, type MemoryRepoSpec } from '../../src/forge/memory/memory-forge.js';
import { branchName } from '../../src/rollout/marker.js';
import { newSession, reconcileOnce, type ReconcileDeps } from '../../src/rollout/reconcile.js';
import { JournalView } from '../../src/rollout/journal-view.js';
import { SimulatedClock } from '../../src/simulate/clock.js';
import { mulberry32 } from '../../src/simulate/prng.js';
import { memoryChangeApplier, simulationManifest } from '../../src/simulate/simulate.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import type {
  BreakerRecord,
  ControlRecord,
  EventFilter,
  JournalEvent,
  LeaseRecord,
  MigrationClaim,
  RunRecord,
  Store,
  StoredEvent,
} from '../../src/store/port.js';
import { silentLogger } from '../../src/util/log.js';

const MIGRATION = 'simulated-migration';

/** A memory store that records every journal read (its filter and how many events it returned). */
class CountingStore implements Store {
  readonly location = ':memory:';
  readonly reads: { filter: EventFilter; returned: number }[] = [];
  /** Called once by the next getBreaker (a tick's breaker step calls it after its journal reads, before the actions). */
  onNextGetBreaker: (() => void) | null = null;

  constructor(readonly inner: MemoryStore = new MemoryStore()) {}

  async events(filter: EventFilter = {}): Promise<StoredEvent[]> {
    const out = await this.inner.events(filter);
    this.reads.push({ filter: { ...filter }, returned: out.length });
    return out;
  }
  async append(event: JournalEvent): Promise<void> {
    await this.inner.append(event);
  }
  async getControl(migration: string): Promise<ControlRecord> {
    return await this.inner.getControl(migration);
  }
  async setControl(control: ControlRecord): Promise<void> {
    await this.inner.setControl(control);
  }
  async startRun(run: Omit<RunRecord, 'id' | 'finishedAt' | 'state' | 'summary'>): Promise<number> {
    return await this.inner.startRun(run);
  }
  async finishRun(id: number, state: string, summary: unknown): Promise<void> {
    await this.inner.finishRun(id, state, summary);
  }
  async runs(filter?: { migration?: string; limit?: number }): Promise<RunRecord[]> {
    return await this.inner.runs(filter);
  }
  async migrations(): Promise<RunRecord[]> {
    return await this.inner.migrations();
  }
  async getBreaker(key: string): Promise<BreakerRecord> {
    const hook = this.onNextGetBreaker;
    this.onNextGetBreaker = null;
    hook?.();
    return await this.inner.getBreaker(key);
  }
  async setBreaker(record: BreakerRecord): Promise<void> {
    await this.inner.setBreaker(record);
  }
  async claimMigration(claim: { migration: string; source: string; installation: number | null; at: string }): Promise<MigrationClaim> {
    return await this.inner.claimMigration(claim);
  }
  async migrationClaim(migration: string): Promise<MigrationClaim | null> {
    return await this.inner.migrationClaim(migration);
  }
  async transferMigration(migration: string, to: { source: string; installation: number | null; at: string }): Promise<MigrationClaim> {
    return await this.inner.transferMigration(migration, to);
  }
  async setTrackingIssue(migration: string, issue: number): Promise<void> {
    await this.inner.setTrackingIssue(migration, issue);
  }
  async claims(): Promise<MigrationClaim[]> {
    return await this.inner.claims();
  }
  async firstDelivery(id: string, at: string): Promise<boolean> {
    return await this.inner.firstDelivery(id, at);
  }
  async forgetDelivery(id: string): Promise<void> {
    await this.inner.forgetDelivery(id);
  }
  async takeLease(name: string, holder: string, at: string, ttlMs: number): Promise<LeaseRecord> {
    return await this.inner.takeLease(name, holder, at, ttlMs);
  }
  async releaseLease(name: string, holder: string): Promise<void> {
    await this.inner.releaseLease(name, holder);
  }
  async close(): Promise<void> {}
}

function fleet(n: number, specs: (i: number) => Partial<MemoryRepoSpec> = () => ({})) {
  const clock = new SimulatedClock();
  const forge = new MemoryForge(
    Array.from({ length: n }, (_, i) => ({ repo: `acme/c${i}`, files: { 'config.yaml': 'dataset: data/events/v1\n' }, ...specs(i) })),
    { clock, random: mulberry32(3), checkDurationMs: 60_000 },
  );
  const store = new CountingStore();
  const loaded = simulationManifest({ canary: 1, waves: [1, '50%', '100%'], maxOpenPRs: 4, failureThreshold: '50%' });
  const deps: ReconcileDeps = { forge, store, changes: memoryChangeApplier(forge), logger: silentLogger, now: () => clock.now() };
  return { clock, forge, store, loaded, deps };
}

const isFullRead = (f: EventFilter) => f.afterId === undefined && f.target === undefined && f.limit === undefined;

describe('a reconcile run and the journal', () => {
  it('reads the whole journal once per run, and every event at most once, from the first tick to the end of a rollout', async () => {
    // Flaky and failing consumers: re-runs, failures, merges, outcomes and alerts all read the journal.
    const f = fleet(12, (i) => ({ flaky: i % 4 === 1, failing: i === 6 }));
    const session = newSession();
    let ticks = 0;
    let acted = 0;
    for (; ticks < 200; ticks++) {
      const { decision, executed } = await reconcileOnce(f.deps, f.loaded, { fleet: 'memory' }, session);
      acted += executed.length;
      if (decision.state === 'completed') break;
      if (executed.length === 0) {
        const next = f.forge.nextCheckAt();
        if (next === null) break;
        f.clock.advanceTo(next);
      }
    }
    const reads = f.store.reads;
    expect(ticks).toBeGreaterThan(5);
    expect(reads.filter((r) => isFullRead(r.filter))).toEqual([{ filter: { migration: MIGRATION }, returned: 0 }]);
    // Every other read asks for the migration's events after the last one seen: no event is read twice.
    expect(
      reads.every(
        (r) =>
          r.filter.migration === MIGRATION && (isFullRead(r.filter) || (r.filter.afterId !== undefined && r.filter.target === undefined)),
      ),
    ).toBe(true);
    expect(reads.reduce((n, r) => n + r.returned, 0)).toBe((await f.store.inner.events({ migration: MIGRATION })).length);
    // A restarted process reads the journal once more, then again only what is new.
    reads.length = 0;
    const journalled = (await f.store.inner.events({ migration: MIGRATION })).length;
    const summary = await reconcileOnce(f.deps, f.loaded, { fleet: 'memory' }, newSession());
    expect(reads.filter((r) => isFullRead(r.filter))).toEqual([{ filter: { migration: MIGRATION }, returned: journalled }]);
    expect(summary.decision.state).toBe('completed');
    expect(acted).toBeGreaterThan(20);
    expect(summary.decision.targets.filter((t) => t.state === 'merged')).toHaveLength(11);
    expect(summary.decision.targets.find((t) => t.repo === 'acme/c6')).toMatchObject({ state: 'failed' });
    // Each flaky PR was re-run exactly once, whatever the ticks in between read.
    expect(f.forge.requests.get('rerunChecks')).toBe(3 + 1);
    expect((await f.store.inner.events({ migration: MIGRATION })).filter((e) => e.action === 'rerun-checks').length).toBe(4);
  });

  it('delivers an alert once to a sink from the same view, with no second read of the journal', async () => {
    const f = fleet(4, (i) => ({ failing: i === 0 }));
    const delivered: string[] = [];
    const deps: ReconcileDeps = {
      ...f.deps,
      alerts: [{ name: 'recorder', deliver: async (alert) => void delivered.push(`${alert.kind}:${alert.action}`) }],
    };
    const session = newSession();
    let state = 'running';
    for (let tick = 0; tick < 20 && state === 'running'; tick++) {
      ({ state } = (await reconcileOnce(deps, f.loaded, { fleet: 'memory' }, session)).decision);
      const next = f.forge.nextCheckAt();
      if (next !== null) f.clock.advanceTo(next);
    }
    // The canary failed: its wave is over the threshold, the migration pauses and says so once.
    expect(state).toBe('paused');
    await reconcileOnce(deps, f.loaded, { fleet: 'memory' }, session);
    expect(delivered).toEqual(['wave-failed:trigger']);
    expect(
      (await f.store.inner.events({ migration: MIGRATION })).filter((e) => e.action === 'alert-delivery' && e.outcome === 'ok'),
    ).toHaveLength(1);
    expect(f.store.reads.filter((r) => isFullRead(r.filter))).toHaveLength(1);
  });

  it('a re-run another process claimed after the tick read the journal is not asked for again (at most once)', async () => {
    const f = fleet(1, () => ({ flaky: true }));
    const session = newSession();
    const branch = branchName(MIGRATION);
    // Open the PR, then wait for its (flaky, failing) checks.
    await reconcileOnce(f.deps, f.loaded, { fleet: 'memory' }, session);
    f.clock.advanceTo(f.forge.nextCheckAt()!);
    const pr = f.forge.pullsOf('acme/c0').find((p) => p.branch === branch)!;
    // After this tick has read the journal (observe, decide, the breaker's outcomes: no claim yet) and
    // before it acts, a concurrent reconcile claims the re-run of this head, as execute() would.
    f.store.onNextGetBreaker = async () =>
      await f.store.append({
        at: f.clock.now().toISOString(),
        migration: MIGRATION,
        target: 'acme/c0',
        action: 'rerun-checks',
        outcome: 'ok',
        detail: { pr: pr.number, sha: pr.headSha, attempt: 1 },
        version: 'other-process',
        manifestHash: f.loaded.hash,
      });
    const tick = await reconcileOnce(f.deps, f.loaded, { fleet: 'memory' }, session);
    expect(tick.decision.actions).toEqual([{ kind: 'rerun-checks', repo: 'acme/c0', number: pr.number, headSha: pr.headSha, attempt: 1 }]);
    expect(tick.executed).toEqual([]);
    expect(f.forge.requests.get('rerunChecks') ?? 0).toBe(0);
    expect(
      (await f.store.inner.events({ migration: MIGRATION, target: 'acme/c0' }))
        .filter((e) => e.action === 'rerun-checks')
        .map((e) => e.version),
    ).toEqual(['other-process']);
  });
});

describe('JournalView', () => {
  const event = (target: string | null, action: string, migration = MIGRATION): JournalEvent => ({
    at: '2026-11-24T09:00:00.000Z',
    migration,
    target,
    action,
    outcome: 'ok',
    detail: {},
    version: 't',
    manifestHash: 'h',
  });

  it("indexes by target and action, and catches up with appends (its own or anyone else's) at the next look", async () => {
    const store = new CountingStore();
    await store.append(event('a/x', 'open-pr'));
    await store.append(event('a/y', 'open-pr'));
    await store.append(event('a/x', 'open-pr', 'other-migration'));
    await store.append(event(null, 'search'));
    const history = await JournalView.open(store, MIGRATION);
    expect((await history.ofTarget('a/x')).map((e) => e.id)).toEqual([1]);
    expect((await history.ofAction('open-pr')).map((e) => e.target)).toEqual(['a/x', 'a/y']);
    expect(await history.ofAction('merge')).toEqual([]);
    await store.append(event('a/x', 'merge'));
    await store.append(event('a/x', 'merge', 'other-migration'));
    expect((await history.ofTarget('a/x')).map((e) => e.action)).toEqual(['open-pr', 'merge']);
    expect((await history.last())?.id).toBe(5);
    expect((await history.all()).map((e) => e.id)).toEqual([1, 2, 4, 5]);
    expect(store.reads.map((r) => r.filter)).toEqual([
      { migration: MIGRATION },
      { migration: MIGRATION, afterId: 4 },
      { migration: MIGRATION, afterId: 4 },
      { migration: MIGRATION, afterId: 4 },
      { migration: MIGRATION, afterId: 4 },
      { migration: MIGRATION, afterId: 5 },
      { migration: MIGRATION, afterId: 5 },
    ]);
  });

  it('never indexes an event twice, even from a store that ignores afterId', async () => {
    const inner = new MemoryStore();
    const careless = Object.assign(Object.create(inner) as MemoryStore, {
      events: async (f: EventFilter = {}) => await inner.events({ migration: f.migration }),
    });
    await inner.append(event('a/x', 'open-pr'));
    const history = await JournalView.open(careless, MIGRATION);
    await inner.append(event('a/x', 'merge'));
    expect((await history.ofTarget('a/x')).map((e) => e.action)).toEqual(['open-pr', 'merge']);
    expect(await history.all()).toHaveLength(2);
  });
});
