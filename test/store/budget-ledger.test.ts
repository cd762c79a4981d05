/**
 * The budget ledger's contract (src/store/budget-ledger.ts), one suite run against every ledger: the
 * in-process one (memory and JSON-file stores), SQLite's, PostgreSQL's (a real server,
 * test/store/postgres-test-db.ts) and Redis's (a real server, test/store/redis-test-server.ts). Times
 * are given, not read from a clock. What only a shared ledger does (two handles on one file, database
 * or server see each other's sends; concurrent askers get one slot) runs on SQLite, PostgreSQL and
 * Redis, the deletion of old rows on SQLite and PostgreSQL; real processes sharing one budget are in
 * test/forge/github/shared-budget.test.ts.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { BudgetLedger, SendLimits } from '../../src/store/budget-ledger.js';
import { RedisBudgetLedger } from '../../src/store/redis/budget-ledger.js';
import { freshPrefix, redisUrl, sayWhenRedisSkipped, WITH_REDIS } from './redis-test-server.js';
import { cleanUpStores, storeKinds } from './store-kinds.js';

const T0 = Date.UTC(2026, 11, 7, 9, 0, 0);
const MIN = 60_000;
const GAP: SendLimits = { perMinute: 80, perHour: 500, minGapMs: 1000 };

/** Something that holds a ledger and closes: a store, or the Redis ledger itself. */
interface Holder {
  budgetLedger: BudgetLedger;
  close(): Promise<void>;
}

/** A fresh ledger's place: `open()` gives a handle on it (again: the same file, database or key prefix). */
interface LedgerUnderTest {
  open(): Promise<Holder>;
  /** The SQLite file or PostgreSQL URL, for reading its rows directly; null for Redis and in-process. */
  where: string | null;
}

type LedgerKind = 'memory' | 'json-file' | 'sqlite' | 'postgres' | 'redis';

sayWhenRedisSkipped('test/store/budget-ledger.test.ts');
const kinds: [LedgerKind, () => Promise<LedgerUnderTest>][] = [
  ...storeKinds('test/store/budget-ledger.test.ts').map(([kind, make]): [LedgerKind, () => Promise<LedgerUnderTest>] => [
    kind,
    () => make(),
  ]),
  ...(WITH_REDIS
    ? ([
        [
          'redis',
          async () => {
            const prefix = freshPrefix();
            return {
              open: async () => {
                const ledger = await RedisBudgetLedger.open(redisUrl(), { prefix });
                return { budgetLedger: ledger, close: () => ledger.close() };
              },
              where: null,
            };
          },
        ],
      ] as [LedgerKind, () => Promise<LedgerUnderTest>][])
    : []),
];

const opened: Holder[] = [];
afterAll(async () => {
  for (const s of opened.splice(0)) await s.close();
  await cleanUpStores();
});

/** The rows of budget_sends for `key` in a shared store (its file or database, read directly). */
async function rawSends(where: string, key: string): Promise<number[]> {
  if (where.startsWith('postgres')) {
    const client = new pg.Client({ connectionString: where });
    await client.connect();
    try {
      const r = await client.query<{ at: string }>('SELECT at FROM fleetwave.budget_sends WHERE key = $1 ORDER BY at', [key]);
      return r.rows.map((row) => Number(row.at));
    } finally {
      await client.end();
    }
  }
  const db = new Database(where, { readonly: true });
  try {
    return db.prepare('SELECT at FROM budget_sends WHERE key = ? ORDER BY at').pluck().all(key) as number[];
  } finally {
    db.close();
  }
}

describe.each(kinds)('%s: the budget ledger', (kind, make) => {
  let subject: LedgerUnderTest;
  const open = async (): Promise<Holder> => {
    const s = await subject.open();
    opened.push(s);
    return s;
  };
  const fresh = async (): Promise<Holder> => {
    subject = await make();
    return open();
  };
  const shared = kind === 'sqlite' || kind === 'postgres' || kind === 'redis';

  it('grants a send and records it; the next waits out the gap, and a refusal records nothing', async () => {
    const { budgetLedger: ledger } = await fresh();
    expect(await ledger.trySend('1', T0, GAP)).toBe(0);
    expect(await ledger.trySend('1', T0 + 300, GAP)).toBe(700);
    // The refusal at +300 recorded nothing: at +1000 the gap since the one send is kept.
    expect(await ledger.trySend('1', T0 + 1000, GAP)).toBe(0);
    expect(await ledger.trySend('1', T0 + 1999, GAP)).toBe(1);
    // Another installation has its own count.
    expect(await ledger.trySend('2', T0 + 1999, GAP)).toBe(0);
  });

  it('keeps to the per-minute limit: the oldest send of the minute must leave the window first', async () => {
    const { budgetLedger: ledger } = await fresh();
    const limits = { perMinute: 3, perHour: 500, minGapMs: 0 };
    for (const at of [0, 10_000, 20_000]) expect(await ledger.trySend('7', T0 + at, limits)).toBe(0);
    expect(await ledger.trySend('7', T0 + 30_000, limits)).toBe(30_000);
    expect(await ledger.trySend('7', T0 + MIN - 1, limits)).toBe(1);
    expect(await ledger.trySend('7', T0 + MIN, limits)).toBe(0);
    // Now the sends of the minute are at 10 s, 20 s and 60 s: the next fits at 70 s.
    expect(await ledger.trySend('7', T0 + MIN + 5_000, limits)).toBe(5_000);
  });

  it('keeps to the hourly limit', async () => {
    const { budgetLedger: ledger } = await fresh();
    const limits = { perMinute: 80, perHour: 4, minGapMs: 0 };
    for (const m of [0, 10, 20, 30]) expect(await ledger.trySend('7', T0 + m * MIN, limits)).toBe(0);
    expect(await ledger.trySend('7', T0 + 40 * MIN, limits)).toBe(20 * MIN);
    expect(await ledger.trySend('7', T0 + 60 * MIN, limits)).toBe(0);
    expect(await ledger.trySend('7', T0 + 61 * MIN, limits)).toBe(9 * MIN);
  });

  it('holds an installation back until a rate limit ends, for sends and for reads; a shorter hold does not shorten it', async () => {
    const { budgetLedger: ledger } = await fresh();
    expect(await ledger.holdWait('9', T0)).toBe(0);
    await ledger.hold('9', T0 + 5_000);
    await ledger.hold('9', T0 + 2_000);
    expect(await ledger.holdWait('9', T0 + 1_000)).toBe(4_000);
    expect(await ledger.trySend('9', T0 + 1_000, GAP)).toBe(4_000);
    expect(await ledger.holdWait('8', T0 + 1_000)).toBe(0);
    expect(await ledger.trySend('8', T0 + 1_000, GAP)).toBe(0);
    expect(await ledger.holdWait('9', T0 + 5_000)).toBe(0);
    expect(await ledger.trySend('9', T0 + 5_000, GAP)).toBe(0);
  });

  if (shared)
    it('is one ledger for every handle on the same store: the sends and holds of one are seen by the other', async () => {
      const a = await fresh();
      const b = await open();
      expect(await a.budgetLedger.trySend('1', T0, GAP)).toBe(0);
      expect(await b.budgetLedger.trySend('1', T0 + 400, GAP)).toBe(600);
      await b.budgetLedger.hold('1', T0 + 10_000);
      expect(await a.budgetLedger.holdWait('1', T0 + 1_000)).toBe(9_000);
    });

  if (shared)
    it('grants one slot to concurrent askers on two handles', async () => {
      const a = await fresh();
      const b = await open();
      // The installation's row exists already (an earlier hold), as it does after its first send.
      await a.budgetLedger.hold('1', T0 - 1);
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? a : b).budgetLedger.trySend('1', T0, { perMinute: 80, perHour: 500, minGapMs: 1000 }),
        ),
      );
      expect(answers.filter((w) => w === 0)).toHaveLength(1);
      if (subject.where) expect(await rawSends(subject.where, '1')).toEqual([T0]);
    });

  if (kind === 'sqlite' || kind === 'postgres')
    it('deletes sends older than an hour as new ones are recorded', async () => {
      const { budgetLedger: ledger } = await fresh();
      for (const m of [0, 1, 2]) expect(await ledger.trySend('3', T0 + m * MIN, GAP)).toBe(0);
      expect(await rawSends(subject.where!, '3')).toEqual([T0, T0 + MIN, T0 + 2 * MIN]);
      expect(await ledger.trySend('3', T0 + 61 * MIN + 1, GAP)).toBe(0);
      expect(await rawSends(subject.where!, '3')).toEqual([T0 + 2 * MIN, T0 + 61 * MIN + 1]);
    });

  if (kind === 'memory') {
    it('counts per process: two memory stores do not see each other (the default of one process)', async () => {
      const a = await fresh();
      const b = await fresh();
      expect(await a.budgetLedger.trySend('1', T0, GAP)).toBe(0);
      expect(await b.budgetLedger.trySend('1', T0, GAP)).toBe(0);
    });
  }
});
