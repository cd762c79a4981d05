/**
 * One migration's journal as a reconcile run reads it: the whole journal is read from the store once,
 * when the run's first tick starts, and indexed by target and by action; every later look (in that
 * tick or a later one of the same run) asks the store only for the events appended since (`afterId`),
 * the run's own and any other process's, and adds them to the indexes. So each reader sees exactly what
 * a fresh full read would show at that moment (the journal is append-only and its ids grow in the order
 * of appending), while a tick costs the new events, not one full read per reader.
 *
 * Kept in the run's ReconcileSession; a new run (or a restarted process) reads the journal again.
 *
 * Readers ask for a kind (`ofKind('approve')`, `lastIs('pause')`) and get events typed with that kind's
 * detail (src/store/journal-events.ts), each checked once against its kind's schema: an event that does
 * not fit is a StateError naming the store, the event's id and what is wrong.
 */
import { readDetail, type ActionKind, type EventKind, type StoredOf } from '../store/journal-events.js';
import type { Store, StoredEvent } from '../store/port.js';

const NONE: readonly StoredEvent[] = Object.freeze([]);

export class JournalView {
  private readonly events: StoredEvent[] = [];
  private readonly byTarget = new Map<string, StoredEvent[]>();
  private readonly byAction = new Map<string, StoredEvent[]>();
  private lastId = 0;
  /** How many events of each kind (in byAction's list) were checked against their kind's schema. */
  private readonly checked = new Map<string, number>();

  private constructor(
    private readonly store: Store,
    readonly migration: string,
  ) {}

  /** Reads `migration`'s journal from `store` (the run's one full read). */
  static async open(store: Store, migration: string): Promise<JournalView> {
    const view = new JournalView(store, migration);
    view.add(await store.events({ migration }));
    return view;
  }

  /** Whether this is the view of `migration` in `store` (a session may outlive a store, or move on to another migration). */
  isOf(store: Store, migration: string): boolean {
    return this.store === store && this.migration === migration;
  }

  /** Every event of the migration, oldest first. */
  async all(): Promise<readonly StoredEvent[]> {
    await this.catchUp();
    return this.events;
  }

  /** The migration's events about one target, oldest first. */
  async ofTarget(target: string): Promise<readonly StoredEvent[]> {
    await this.catchUp();
    return this.byTarget.get(target) ?? NONE;
  }

  /** The migration's events of one action (`merge`, `search`, `rerun-checks` …), oldest first. */
  async ofAction(action: string): Promise<readonly StoredEvent[]> {
    await this.catchUp();
    return this.byAction.get(action) ?? NONE;
  }

  /** The migration's events of one kind, oldest first, typed with (and checked against) that kind's detail. */
  async ofKind<K extends EventKind | ActionKind>(kind: K): Promise<readonly StoredOf<K>[]> {
    const events = await this.ofAction(kind);
    for (let i = this.checked.get(kind) ?? 0; i < events.length; i++) readDetail(events[i]!, kind, this.store.location);
    this.checked.set(kind, events.length);
    return events as readonly StoredOf<K>[];
  }

  /** The migration's latest event when it is of `kind` (checked), else undefined. */
  async lastIs<K extends EventKind | ActionKind>(kind: K): Promise<StoredOf<K> | undefined> {
    const last = await this.last();
    return last?.action === kind ? readDetail(last, kind, this.store.location) : undefined;
  }

  /** The migration's latest event. */
  async last(): Promise<StoredEvent | undefined> {
    await this.catchUp();
    return this.events.at(-1);
  }

  /** Adds what was appended to the store since the last look. */
  private async catchUp(): Promise<void> {
    this.add(await this.store.events({ migration: this.migration, afterId: this.lastId }));
  }

  private add(events: readonly StoredEvent[]): void {
    for (const e of events) {
      // A store that ignored `afterId` would hand back what is here already: never index an event twice.
      if (e.id <= this.lastId) continue;
      this.lastId = e.id;
      this.events.push(e);
      if (e.target !== null) push(this.byTarget, e.target, e);
      push(this.byAction, e.action, e);
    }
  }
}

function push(index: Map<string, StoredEvent[]>, key: string, e: StoredEvent): void {
  const list = index.get(key);
  if (list) list.push(e);
  else index.set(key, [e]);
}
