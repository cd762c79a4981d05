/** A simulated clock: time moves only when the simulation says so. */
export class SimulatedClock {
  private t: number;
  constructor(start = Date.parse('2026-01-05T09:00:00Z')) {
    this.t = start;
  }
  now(): Date {
    return new Date(this.t);
  }
  ms(): number {
    return this.t;
  }
  advance(ms: number): void {
    if (ms > 0) this.t += ms;
  }
  advanceTo(ms: number): void {
    if (ms > this.t) this.t = ms;
  }
}
