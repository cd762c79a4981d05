/**
 * The store port's contract (src/store/port.ts, docs/store.md), one suite run against every store:
 * memory, JSON file, SQLite and PostgreSQL (a real server, test/store/postgres-test-db.ts). The other
 * files of test/store hold the same kinds to the queue's, the claims' and the event filter's contract;
 * sqlite-store.test.ts and json-file-store.test.ts keep what only a file has (its errors, its format).
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import pg from 'pg';
import { changeSetKeyText, type BreakerRecord, type JournalEvent } from '../../src/store/port.js';
import { StateError } from '../../src/util/errors.js';
import { cleanUpStores, storeKinds, type QueueStore, type StoreUnderTest } from './store-kinds.js';

const fixedNow = () => new Date('2026-11-24T09:00:00.000Z');
const NEVER = new Date(0).toISOString();

function event(over: Partial<JournalEvent> = {}): JournalEvent {
  return {
    at: '2026-11-24T08:00:00.000Z',
    migration: 'play-events-v2',
    target: 'acme/recs',
    action: 'open-pr',
    outcome: 'ok',
    detail: { pr: 1, files: ['src/config.ts'] },
    version: '0.1.0',
    manifestHash: 'abc123',
    ...over,
  };
}

const run = (migration: string, startedAt: string) => ({
  migration,
  manifestPath: `migrations/${migration}.yaml`,
  manifestHash: `hash-${migration}`,
  fleet: '/tmp/fleet',
  startedAt,
});

const opened: QueueStore[] = [];
afterAll(async () => {
  for (const s of opened.splice(0)) await s.close();
  await cleanUpStores();
});

describe.each(storeKinds('test/store/conformance.test.ts'))('%s store: the port', (kind, make) => {
  let subject: StoreUnderTest;
  const open = async (): Promise<QueueStore> => {
    const s = await subject.open();
    opened.push(s);
    return s;
  };
  const fresh = async (): Promise<QueueStore> => {
    subject = await make(fixedNow);
    return open();
  };

  it('appends events and queries them by migration and target, oldest first', async () => {
    const store = await fresh();
    await store.append(event({ target: 'acme/recs', action: 'open-pr' }));
    await store.append(event({ target: 'acme/charts', action: 'open-pr', detail: { pr: 2 } }));
    await store.append(event({ target: null, action: 'pause', outcome: 'skipped', detail: { reason: 'wave 1 failed 50%', wave: 1 } }));
    await store.append(
      event({ migration: 'other', target: 'acme/recs', action: 'merge', outcome: 'error', detail: { error: 'é ✓ "quoted"' } }),
    );

    const all = await store.events();
    expect(all.map((e) => e.id)).toEqual([1, 2, 3, 4]);
    expect(all[2]).toEqual({
      id: 3,
      ...event({ target: null, action: 'pause', outcome: 'skipped', detail: { reason: 'wave 1 failed 50%', wave: 1 } }),
    });
    expect(all[3]!.detail).toEqual({ error: 'é ✓ "quoted"' });
    expect((await store.events({ migration: 'play-events-v2' })).map((e) => e.action)).toEqual(['open-pr', 'open-pr', 'pause']);
    expect((await store.events({ target: 'acme/recs' })).map((e) => [e.migration, e.action])).toEqual([
      ['play-events-v2', 'open-pr'],
      ['other', 'merge'],
    ]);
    expect(await store.events({ migration: 'play-events-v2', target: 'acme/charts' })).toHaveLength(1);
    expect((await store.events({ afterId: 2 })).map((e) => e.id)).toEqual([3, 4]);
  });

  it('with a limit returns the newest events, still oldest first', async () => {
    const store = await fresh();
    for (let i = 1; i <= 5; i++) await store.append(event({ detail: { n: i } }));
    expect((await store.events({ limit: 2 })).map((e) => e.detail.n)).toEqual([4, 5]);
    expect((await store.events({ migration: 'play-events-v2', limit: 1 }))[0]?.detail.n).toBe(5);
    expect(await store.events({ limit: 0 })).toEqual([]);
  });

  it('lists runs newest first, finishes them, and keeps everything across a reopen (when durable)', async () => {
    let store = await fresh();
    const a = await store.startRun(run('play-events-v2', '2026-11-24T08:00:00.000Z'));
    const b = await store.startRun(run('clicks-v3', '2026-11-24T08:01:00.000Z'));
    const c = await store.startRun(run('play-events-v2', '2026-11-24T08:02:00.000Z'));
    await store.finishRun(a, 'paused', { state: 'paused', targets: [{ repo: 'acme/recs', state: 'failed' }] });
    await store.append(event());
    if (subject.durable) {
      await store.close();
      store = await open();
    }
    expect((await store.runs()).map((r) => r.id)).toEqual([c, b, a]);
    expect((await store.runs({ migration: 'play-events-v2' })).map((r) => r.id)).toEqual([c, a]);
    expect((await store.runs({ limit: 1 })).map((r) => r.id)).toEqual([c]);
    const first = (await store.runs({ migration: 'play-events-v2' }))[1]!;
    expect(first).toMatchObject({
      id: a,
      ...run('play-events-v2', '2026-11-24T08:00:00.000Z'),
      state: 'paused',
      summary: { state: 'paused', targets: [{ repo: 'acme/recs', state: 'failed' }] },
    });
    expect(first.finishedAt).not.toBeNull();
    expect((await store.runs())[0]).toMatchObject({ id: c, finishedAt: null, state: null, summary: null });
    expect(await store.events()).toHaveLength(1);
  });

  it('migrations() gives each migration with its newest run, newest first', async () => {
    const store = await fresh();
    const a = await store.startRun(run('play-events-v2', '2026-11-24T08:00:00.000Z'));
    const b = await store.startRun(run('clicks-v3', '2026-11-24T08:01:00.000Z'));
    const c = await store.startRun(run('play-events-v2', '2026-11-24T08:02:00.000Z'));
    await store.finishRun(c, 'completed', { ok: true });
    expect((await store.migrations()).map((r) => [r.migration, r.id, r.state])).toEqual([
      ['play-events-v2', c, 'completed'],
      ['clicks-v3', b, null],
    ]);
    expect((await store.migrations()).some((r) => r.id === a)).toBe(false);
  });

  it('finishing an unknown run is a StateError', async () => {
    const store = await fresh();
    await expect(store.finishRun(42, 'completed', null)).rejects.toThrow(StateError);
  });

  it('round-trips pause and resume overrides; a never-set control is not paused, updated at the epoch', async () => {
    const store = await fresh();
    expect(await store.getControl('play-events-v2')).toEqual({
      migration: 'play-events-v2',
      pausedBy: null,
      pausedReason: null,
      acceptedWaves: [],
      updatedAt: NEVER,
    });
    const paused = {
      migration: 'play-events-v2',
      pausedBy: 'dana',
      pausedReason: 'wait',
      acceptedWaves: [],
      updatedAt: '2026-11-24T08:10:00.000Z',
    };
    await store.setControl(paused);
    expect(await store.getControl('play-events-v2')).toEqual(paused);
    const resumed = {
      migration: 'play-events-v2',
      pausedBy: null,
      pausedReason: null,
      acceptedWaves: [1, 2],
      updatedAt: '2026-11-24T08:20:00.000Z',
    };
    await store.setControl(resumed);
    expect(await store.getControl('play-events-v2')).toEqual(resumed);
    expect((await store.getControl('other')).pausedBy).toBeNull();
  });

  it("round-trips a fleet's breaker; a never-set one is closed with an empty window", async () => {
    const store = await fresh();
    expect(await store.getBreaker('/fleet')).toEqual({
      key: '/fleet',
      state: 'closed',
      openedAt: null,
      reason: null,
      outcomes: [],
      canary: null,
      updatedAt: NEVER,
    });
    const open: BreakerRecord = {
      key: '/fleet',
      state: 'half-open',
      openedAt: '2026-11-24T08:00:00.000Z',
      reason: '5 of 8 failed',
      outcomes: [{ at: '2026-11-24T07:59:00.000Z', ok: false, migration: 'play-events-v2', target: 'acme/recs' }],
      canary: { migration: 'play-events-v2', target: 'acme/charts', action: 'merge', at: '2026-11-24T08:30:00.000Z' },
      updatedAt: '2026-11-24T08:30:00.000Z',
    };
    await store.setBreaker(open);
    // Byte for byte: the breaker tick compares JSON texts to skip writing an unchanged breaker.
    expect(JSON.stringify(await store.getBreaker('/fleet'))).toBe(JSON.stringify(open));
    await store.setBreaker({ ...open, state: 'closed', canary: null });
    expect(await store.getBreaker('/fleet')).toMatchObject({ state: 'closed', canary: null });
  });

  it('keeps change sets: requested in a batch, put once (the first wins), counted down to the last; a new head forgets the old', async () => {
    const store = await fresh();
    const key = (target: string, headSha = 'h1') => ({ migration: 'play-events-v2', target, headSha, manifestHash: 'm1' });
    const set = (n: number) => ({ edits: [{ path: 'a.yaml', before: 'v1', after: `v${n}` }], summaries: [], findings: [] });
    expect(await store.cachedChangeSets([key('acme/a')])).toEqual(new Map());
    await store.requestChangeSets([key('acme/a'), key('acme/b'), key('acme/c')], 'batch-1', '2026-11-24T09:00:00.000Z');
    expect(await store.cachedChangeSets([key('acme/a'), key('acme/b')])).toEqual(new Map());
    expect(await store.putChangeSet(key('acme/a'), set(2), '2026-11-24T09:01:00.000Z')).toEqual({ batch: 'batch-1', pending: 2 });
    // Put again (a job run twice): the first set stays, nothing is counted twice.
    expect(await store.putChangeSet(key('acme/a'), set(3), '2026-11-24T09:01:30.000Z')).toEqual({ batch: 'batch-1', pending: 2 });
    expect(await store.putChangeSet(key('acme/b'), set(2), '2026-11-24T09:02:00.000Z')).toEqual({ batch: 'batch-1', pending: 1 });
    // A later fan-out takes the pending key into its batch; the computed ones stay computed.
    await store.requestChangeSets([key('acme/a'), key('acme/c')], 'batch-2', '2026-11-24T09:03:00.000Z');
    expect(await store.putChangeSet(key('acme/c'), set(2), '2026-11-24T09:04:00.000Z')).toEqual({ batch: 'batch-2', pending: 0 });
    const cached = await store.cachedChangeSets([key('acme/a'), key('acme/b'), key('acme/c'), key('acme/d')]);
    expect([...cached.keys()]).toEqual([key('acme/a'), key('acme/b'), key('acme/c')].map(changeSetKeyText));
    expect(cached.get(changeSetKeyText(key('acme/a')))).toEqual(set(2));
    // A key nobody asked for is kept, with no batch.
    expect(await store.putChangeSet(key('acme/e'), set(2), '2026-11-24T09:05:00.000Z')).toEqual({ batch: null, pending: 0 });
    // A new head of acme/a forgets its old set (one row per target and migration).
    await store.requestChangeSets([key('acme/a', 'h2')], 'batch-3', '2026-11-24T09:06:00.000Z');
    expect(await store.cachedChangeSets([key('acme/a'), key('acme/a', 'h2')])).toEqual(new Map());
    // Another migration's key is its own.
    expect(await store.cachedChangeSets([{ ...key('acme/b'), migration: 'other' }])).toEqual(new Map());
  });

  it('gives a lease to one holder at a time: renewed by it, refused to others until it expires or is released', async () => {
    const store = await fresh();
    const t = (s: number) => new Date(Date.parse('2026-11-24T09:00:00.000Z') + s * 1000).toISOString();
    expect(await store.takeLease('reconcile:m', 'a', t(0), 60_000)).toEqual({
      name: 'reconcile:m',
      holder: 'a',
      since: t(0),
      expiresAt: t(60),
    });
    expect(await store.takeLease('reconcile:m', 'b', t(10), 60_000)).toEqual({
      name: 'reconcile:m',
      holder: 'a',
      since: t(0),
      expiresAt: t(60),
    });
    expect(await store.takeLease('reconcile:other', 'b', t(10), 60_000)).toMatchObject({ holder: 'b' });
    // Renewed by its holder: same since, later expiry.
    expect(await store.takeLease('reconcile:m', 'a', t(30), 60_000)).toEqual({
      name: 'reconcile:m',
      holder: 'a',
      since: t(0),
      expiresAt: t(90),
    });
    expect((await store.takeLease('reconcile:m', 'b', t(89), 60_000)).holder).toBe('a');
    // Expired: the next taker has it.
    expect(await store.takeLease('reconcile:m', 'b', t(90), 60_000)).toEqual({
      name: 'reconcile:m',
      holder: 'b',
      since: t(90),
      expiresAt: t(150),
    });
    // Released only by its holder.
    await store.releaseLease('reconcile:m', 'a');
    expect((await store.takeLease('reconcile:m', 'c', t(91), 60_000)).holder).toBe('b');
    await store.releaseLease('reconcile:m', 'b');
    expect((await store.takeLease('reconcile:m', 'c', t(92), 60_000)).holder).toBe('c');
  });

  if (kind === 'sqlite' || kind === 'postgres') {
    it('gives a lease to exactly one of many takers at once, each on its own connection', async () => {
      const store = await fresh();
      const others = await Promise.all(Array.from({ length: 5 }, () => open()));
      const at = '2026-11-24T09:00:00.000Z';
      const results = await Promise.all([store, ...others].map((s, i) => s.takeLease('reconcile:m', `p${i}`, at, 60_000)));
      const holders = new Set(results.map((r) => r.holder));
      expect(holders.size).toBe(1);
      expect(results.filter((r, i) => r.holder === `p${i}`)).toHaveLength(1);
    });
  }

  if (kind === 'sqlite' || kind === 'postgres') {
    it('is append-only: UPDATE and DELETE of the journal are refused, even through a raw connection', async () => {
      const store = await fresh();
      await store.append(event());
      await store.close();
      if (kind === 'sqlite') {
        const db = new Database(subject.where!);
        try {
          expect(() => db.prepare(`UPDATE journal SET outcome = 'error'`).run()).toThrow(/append-only/);
          expect(() => db.prepare('DELETE FROM journal').run()).toThrow(/append-only/);
          expect(db.prepare('SELECT outcome FROM journal').pluck().all()).toEqual(['ok']);
        } finally {
          db.close();
        }
      } else {
        const client = new pg.Client({ connectionString: subject.where! });
        await client.connect();
        try {
          await expect(client.query(`UPDATE fleetwave.journal SET outcome = 'error'`)).rejects.toHaveProperty(
            'message',
            'the Fleetwave journal is append-only: UPDATE is refused',
          );
          await expect(client.query('DELETE FROM fleetwave.journal')).rejects.toHaveProperty(
            'message',
            expect.stringMatching(/append-only: DELETE/),
          );
          await expect(client.query('TRUNCATE fleetwave.journal')).rejects.toHaveProperty(
            'message',
            expect.stringMatching(/append-only: TRUNCATE/),
          );
          expect((await client.query('SELECT outcome FROM fleetwave.journal')).rows).toEqual([{ outcome: 'ok' }]);
        } finally {
          await client.end();
        }
      }
    });

    it('refuses an outcome outside ok/error/skipped', async () => {
      const store = await fresh();
      await expect(store.append(event({ outcome: 'maybe' as JournalEvent['outcome'] }))).rejects.toHaveProperty(
        'message',
        expect.stringMatching(/CHECK constraint|check constraint/),
      );
      expect(await store.events()).toEqual([]);
    });
  }
});
