/**
 * One reconcile at a time per migration, and events that arrive meanwhile folded into one more run:
 * ten check_suite events in a burst cost two reconciles, not ten. Every caller gets the result of a
 * run that started after its event arrived.
 */
export class Coalescer<T> {
  private readonly lanes = new Map<string, { running: Promise<T>; next: Promise<T> | null }>();

  run(key: string, work: () => Promise<T>): Promise<T> {
    const lane = this.lanes.get(key);
    if (!lane) {
      const running = work().finally(() => this.done(key, running));
      this.lanes.set(key, { running, next: null });
      return running;
    }
    if (!lane.next) {
      const next = lane.running.catch(() => undefined).then(() => {
        lane.running = next;
        lane.next = null;
        return work();
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
