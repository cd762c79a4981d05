/**
 * The budget ledger in PostgreSQL (src/store/budget-ledger.ts, schema 3): every process on the
 * database counts its sends in the same tables. A send is checked and recorded in one transaction
 * that first locks the installation's row of `budget_lanes` (`SELECT … FOR UPDATE`), so the processes
 * counting for one installation take turns, and each sees the sends the one before it committed
 * (READ COMMITTED reads anew at every statement). Sends older than an hour are deleted as new ones
 * are recorded.
 */
import type pg from 'pg';
import { StateError } from '../../util/errors.js';
import { type BudgetLedger, HOUR_MS, MINUTE_MS, type SendLimits, sendWait } from '../budget-ledger.js';

interface WindowRow {
  last: number | null;
  minute_edge: number | null;
  hour_edge: number | null;
}

export class PostgresBudgetLedger implements BudgetLedger {
  constructor(
    private readonly pool: pg.Pool,
    private readonly location: string,
  ) {}

  async trySend(key: string, now: number, limits: SendLimits): Promise<number> {
    now = Math.round(now);
    const client = await this.connect();
    try {
      await client.query('BEGIN');
      await client.query('INSERT INTO fleetwave.budget_lanes (key, held_until) VALUES ($1, 0) ON CONFLICT (key) DO NOTHING', [key]);
      const lane = await client.query<{ held_until: number }>('SELECT held_until FROM fleetwave.budget_lanes WHERE key = $1 FOR UPDATE', [
        key,
      ]);
      const window = await client.query<WindowRow>(
        `SELECT
           (SELECT MAX(at) FROM fleetwave.budget_sends WHERE key = $1) AS last,
           (SELECT at FROM fleetwave.budget_sends WHERE key = $1 AND at > $2 ORDER BY at DESC LIMIT 1 OFFSET $4) AS minute_edge,
           (SELECT at FROM fleetwave.budget_sends WHERE key = $1 AND at > $3 ORDER BY at DESC LIMIT 1 OFFSET $5) AS hour_edge`,
        [key, now - MINUTE_MS, now - HOUR_MS, limits.perMinute - 1, limits.perHour - 1],
      );
      const row = window.rows[0]!;
      const wait = sendWait(
        { last: row.last, minuteEdge: row.minute_edge, hourEdge: row.hour_edge, heldUntil: lane.rows[0]?.held_until ?? null },
        now,
        limits,
      );
      if (wait <= 0) {
        await client.query('DELETE FROM fleetwave.budget_sends WHERE key = $1 AND at <= $2', [key, now - HOUR_MS]);
        await client.query('INSERT INTO fleetwave.budget_sends (key, at) VALUES ($1, $2)', [key, now]);
      }
      await client.query('COMMIT');
      return Math.max(0, wait);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw this.failed(err);
    } finally {
      client.release();
    }
  }

  async holdWait(key: string, now: number): Promise<number> {
    try {
      const r = await this.pool.query<{ held_until: number }>('SELECT held_until FROM fleetwave.budget_lanes WHERE key = $1', [key]);
      return Math.max(0, (r.rows[0]?.held_until ?? 0) - now);
    } catch (err) {
      throw this.failed(err);
    }
  }

  async hold(key: string, until: number): Promise<void> {
    try {
      await this.pool.query(
        `INSERT INTO fleetwave.budget_lanes AS l (key, held_until) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET held_until = GREATEST(l.held_until, excluded.held_until)`,
        [key, Math.round(until)],
      );
    } catch (err) {
      throw this.failed(err);
    }
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (err) {
      throw this.failed(err);
    }
  }

  private failed(err: unknown): StateError {
    return new StateError(`${this.location}: the request budget's ledger: ${(err as Error).message}`, { cause: err });
  }
}
