/**
 * A virtual clock for the request budget: `sleep` never waits in real time. Sleepers are woken in
 * the order of their wake-up times, one at a time, each after every pending promise has settled
 * (setImmediate), and `now` jumps to the wake-up time — so concurrent callers see time pass as they
 * would on a real clock.
 */
import type { BudgetClock } from '../../../src/forge/github/request-budget.js';

export class FakeClock implements BudgetClock {
  readonly sleeps: number[] = [];
  private readonly timers: { at: number; seq: number; wake: () => void }[] = [];
  private seq = 0;
  private ticking = false;

  constructor(
    public t = Date.UTC(2026, 0, 1),
    private readonly rnd = 0.5,
  ) {}

  now(): number {
    return this.t;
  }

  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    return new Promise((resolve) => {
      this.timers.push({ at: this.t + ms, seq: this.seq++, wake: resolve });
      this.schedule();
    });
  }

  random(): number {
    return this.rnd;
  }

  private schedule(): void {
    if (this.ticking) return;
    this.ticking = true;
    setImmediate(() => {
      this.ticking = false;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (!next) return;
      this.t = Math.max(this.t, next.at);
      next.wake();
      if (this.timers.length) this.schedule();
    });
  }
}
