/**
 * The budget ledger in the SQLite file (src/store/budget-ledger.ts, schema 7): every process that
 * opens the same file counts its sends in the same tables. A send is checked and recorded in one
 * `BEGIN IMMEDIATE` transaction, which takes the file's write lock first, so two processes never both
 * see the last free slot; the other waits for the lock (the store's busy_timeout, 5 s).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { StateError } from '../../util/errors.js';
import { type BudgetLedger, HOUR_MS, MINUTE_MS, type SendLimits, type SendWindow, sendWait } from '../budget-ledger.js';

interface WindowRow {
  last: number | null;
  minute_edge: number | null;
  hour_edge: number | null;
  held_until: number | null;
}

export class SqliteBudgetLedger implements BudgetLedger {
  private readonly window: BetterSqlite3.Statement;
  private readonly insertSend: BetterSqlite3.Statement;
  private readonly pruneSends: BetterSqlite3.Statement;
  private readonly selectHold: BetterSqlite3.Statement;
  private readonly upsertHold: BetterSqlite3.Statement;
  private readonly send: (key: string, now: number, limits: SendLimits) => number;

  constructor(
    db: BetterSqlite3.Database,
    private readonly location: string,
  ) {
    this.window = db.prepare(
      `SELECT
         (SELECT MAX(at) FROM budget_sends WHERE key = @key) AS last,
         (SELECT at FROM budget_sends WHERE key = @key AND at > @minuteAgo ORDER BY at DESC LIMIT 1 OFFSET @perMinute - 1) AS minute_edge,
         (SELECT at FROM budget_sends WHERE key = @key AND at > @hourAgo ORDER BY at DESC LIMIT 1 OFFSET @perHour - 1) AS hour_edge,
         (SELECT held_until FROM budget_lanes WHERE key = @key) AS held_until`,
    );
    this.insertSend = db.prepare('INSERT INTO budget_sends (key, at) VALUES (?, ?)');
    this.pruneSends = db.prepare('DELETE FROM budget_sends WHERE key = ? AND at <= ?');
    this.selectHold = db.prepare('SELECT held_until FROM budget_lanes WHERE key = ?').pluck();
    this.upsertHold = db.prepare(
      `INSERT INTO budget_lanes (key, held_until) VALUES (?, ?)
       ON CONFLICT (key) DO UPDATE SET held_until = MAX(held_until, excluded.held_until)`,
    );
    const tx = db.transaction((key: string, now: number, limits: SendLimits): number => {
      const row = this.window.get({
        key,
        minuteAgo: now - MINUTE_MS,
        hourAgo: now - HOUR_MS,
        perMinute: limits.perMinute,
        perHour: limits.perHour,
      }) as WindowRow;
      const window: SendWindow = { last: row.last, minuteEdge: row.minute_edge, hourEdge: row.hour_edge, heldUntil: row.held_until };
      const wait = sendWait(window, now, limits);
      if (wait > 0) return wait;
      this.pruneSends.run(key, now - HOUR_MS);
      this.insertSend.run(key, now);
      return 0;
    });
    this.send = (key, now, limits) => tx.immediate(key, now, limits);
  }

  async trySend(key: string, now: number, limits: SendLimits): Promise<number> {
    return this.guard(() => this.send(key, now, limits));
  }

  async holdWait(key: string, now: number): Promise<number> {
    return this.guard(() => Math.max(0, ((this.selectHold.get(key) as number | undefined) ?? 0) - now));
  }

  async hold(key: string, until: number): Promise<void> {
    this.guard(() => this.upsertHold.run(key, Math.round(until)));
  }

  private guard<T>(work: () => T): T {
    try {
      return work();
    } catch (err) {
      throw new StateError(`${this.location}: the request budget's ledger: ${(err as Error).message}`, { cause: err });
    }
  }
}
