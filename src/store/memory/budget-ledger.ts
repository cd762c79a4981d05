/**
 * The budget ledger of one process (src/store/budget-ledger.ts): the memory and JSON-file stores', and
 * the request budget's when it is given none. It counts only what this process sends, so two
 * processes on it together may send twice what the limits allow.
 */
import { type BudgetLedger, HOUR_MS, MINUTE_MS, type SendLimits, sendWait } from '../budget-ledger.js';

export class InProcessLedger implements BudgetLedger {
  /** Per installation: the times of its sends in the last hour, oldest first. */
  private readonly sends = new Map<string, number[]>();
  private readonly holds = new Map<string, number>();

  async trySend(key: string, now: number, limits: SendLimits): Promise<number> {
    let stamps = this.sends.get(key);
    if (!stamps) this.sends.set(key, (stamps = []));
    while (stamps.length && stamps[0]! <= now - HOUR_MS) stamps.shift();
    const inMinute = stamps.filter((t) => t > now - MINUTE_MS);
    const wait = sendWait(
      {
        last: stamps[stamps.length - 1] ?? null,
        minuteEdge: inMinute.length >= limits.perMinute ? inMinute[inMinute.length - limits.perMinute]! : null,
        hourEdge: stamps.length >= limits.perHour ? stamps[stamps.length - limits.perHour]! : null,
        heldUntil: this.holds.get(key) ?? null,
      },
      now,
      limits,
    );
    if (wait > 0) return wait;
    stamps.push(now);
    return 0;
  }

  async holdWait(key: string, now: number): Promise<number> {
    return Math.max(0, (this.holds.get(key) ?? 0) - now);
  }

  async hold(key: string, until: number): Promise<void> {
    this.holds.set(key, Math.max(this.holds.get(key) ?? 0, until));
  }
}
