/**
 * How a run retries after transient forge errors: the policy both the tick (an action's attempts on one
 * target) and the run loop (ticks that only deferred) count against. A leaf, so both import it.
 */

/** Transient failures are retried with capped exponential backoff and full jitter. */
export const RETRY = { baseMs: 500, capMs: 30_000, maxAttempts: 8 };

/** The wait before retry number `attempt` (from 0): a random share of the capped exponential backoff. */
export function backoffDelay(attempt: number, random: () => number): number {
  return Math.floor(random() * Math.min(RETRY.capMs, RETRY.baseMs * 2 ** attempt));
}
