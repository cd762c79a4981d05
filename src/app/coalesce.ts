/**
 * One reconcile at a time per migration, and events that arrive meanwhile folded into one more run:
 * ten check_suite events in a burst cost two reconciles, not ten. The folded run does the work of the
 * newest event (e.g. the newest manifest text), and every caller gets the result of a run that
 * started after its event arrived.
 */
interface Lane<T> {
  running: Promise<T>;
  next: Promise<T> | null;
  work: (() => Promise<T>) | null;
}

export class Coalescer<T> {
  private readonly lanes = new Map<string, Lane<T>>();

  run(key: string, work: () => Promise<T>): Promise<T> {
    const lane = this.lanes.get(key);
    if (!lane) {
      const running = work().finally(() => this.done(key, running));
      this.lanes.set(key, { running, next: null, work: null });
      return running;
    }
    lane.work = work;
    if (!lane.next) {
      const next: Promise<T> = lane.running
        .catch(() => undefined)
        .then(() => {
          const latest = lane.work!;
          lane.running = next;
          lane.next = null;
          lane.work = null;
          return latest();
        });
      lane.next = next;
      void next.finally(() => this.done(key, next)).catch(() => undefined);
    }
    return lane.next;
  }

  private done(key: string, p: Promise<T>): void {
    const lane = this.lanes.get(key);
    if (lane && lane.running === p && !lane.next) this.lanes.delete(key);
  }
}
