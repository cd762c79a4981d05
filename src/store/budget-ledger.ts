/**
 * The budget ledger port: where the request budget (src/forge/github/request-budget.ts) counts the
 * content-creating requests it lets out, per installation, and where a rate-limit answer holds an
 * installation back. An in-process ledger counts for one process; a ledger in the shared store
 * (SQLite, PostgreSQL) counts for every process on that store, so N App replicas and workers together
 * stay within GitHub's limits (docs/operations.md, "One request budget across processes").
 *
 * Times are milliseconds since the epoch, from the caller's clock: processes on several machines
 * need synchronised clocks (NTP), as a skew shortens the gap between their sends by as much.
 */

/** The limits a send is checked against (GitHub's guidance: 80 a minute, 500 an hour, 1 s apart). */
export interface SendLimits {
  perMinute: number;
  perHour: number;
  minGapMs: number;
}

export interface BudgetLedger {
  /**
   * For one content-creating request of installation `key` at `now`: when it fits every limit and no
   * hold is on, records the send and returns 0, the check and the record in one atomic step across
   * every process sharing the ledger; else returns how many milliseconds to wait before asking again
   * (nothing recorded).
   */
  trySend(key: string, now: number, limits: SendLimits): Promise<number>;
  /** Milliseconds until the hold on `key` ends (0: none), for requests that are not counted. */
  holdWait(key: string, now: number): Promise<number>;
  /** Holds every request of `key` until `until` (GitHub answered with a rate limit); a later hold stays. */
  hold(key: string, until: number): Promise<void>;
}

/** A store that keeps a ledger: the shared one for SQLite and PostgreSQL, an in-process one otherwise. */
export interface WithBudgetLedger {
  readonly budgetLedger: BudgetLedger;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

/** What a ledger knows of one installation's recent sends, as `sendWait` reads it. */
export interface SendWindow {
  /** The newest send, null when there is none. */
  last: number | null;
  /** The `perMinute`-th newest send of the last minute (`at > now - 1 min`), null when there are fewer. */
  minuteEdge: number | null;
  /** The `perHour`-th newest send of the last hour (`at > now - 1 h`), null when there are fewer. */
  hourEdge: number | null;
  /** Until when the installation is held back by a rate limit, null when it never was. */
  heldUntil: number | null;
}

/** Milliseconds until one more send fits the window (0: now): the same rule for every ledger. */
export function sendWait(window: SendWindow, now: number, limits: SendLimits): number {
  let wait = 0;
  if (window.last !== null) wait = Math.max(wait, window.last + limits.minGapMs - now);
  if (window.minuteEdge !== null) wait = Math.max(wait, window.minuteEdge + MINUTE_MS - now);
  if (window.hourEdge !== null) wait = Math.max(wait, window.hourEdge + HOUR_MS - now);
  if (window.heldUntil !== null) wait = Math.max(wait, window.heldUntil - now);
  return wait;
}
