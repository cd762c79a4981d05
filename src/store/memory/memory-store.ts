/**
 * A store that lives in memory: for simulations and dry runs. Same contract as the SQLite store
 * (append-only journal, newest-first runs), gone when the process ends.
 */
import { StateError } from '../../util/errors.js';
import { readStoredEvent } from '../journal-events.js';
import { changeSetKeyText, DELIVERY_MEMORY_MS } from '../port.js';
import type {
  BreakerRecord,
  ChangeSetCache,
  ChangeSetKey,
  ControlRecord,
  EventFilter,
  JournalEvent,
  LeaseRecord,
  MigrationClaim,
  PendingReconcile,
  ReconcileAsk,
  ReconcileQueue,
  RunRecord,
  Store,
  StoredEvent,
} from '../port.js';
import type { WithBudgetLedger } from '../budget-ledger.js';
import { InProcessLedger } from './budget-ledger.js';

/** Everything a memory store holds, as plain data: what a store that persists it (src/store/json-file) saves. */
export interface MemoryStoreSnapshot {
  events: StoredEvent[];
  runs: RunRecord[];
  controls: ControlRecord[];
  /** Circuit breakers by fleet (absent in snapshots written before there were any). */
  breakers?: BreakerRecord[];
  /** The App's pending reconciles (absent in snapshots written before there were any). */
  pending?: PendingReconcile[];
  /** Claims on migration names (absent in older snapshots). */
  claims?: MigrationClaim[];
  /** Webhook deliveries handled, id → ISO time (absent in older snapshots). */
  deliveries?: Record<string, string>;
  /** The change-set cache's rows (absent in older snapshots). */
  changeSets?: ChangeSetRow[];
}

/** One row of the change-set cache: its key, its batch, and the set once computed (null: pending). */
export interface ChangeSetRow extends ChangeSetKey {
  batch: string | null;
  set: unknown;
  requestedAt: string;
  computedAt: string | null;
}

export class MemoryStore implements Store, ReconcileQueue, WithBudgetLedger, ChangeSetCache {
  readonly location = ':memory:';
  /** Counts this process's sends only (src/store/memory/budget-ledger.ts). */
  readonly budgetLedger = new InProcessLedger();
  private readonly leases = new Map<string, LeaseRecord>();
  private readonly journal: StoredEvent[] = [];
  /** The journal's events by migration, by target, and by both (each list in id order): lookups, not scans. */
  private readonly byMigration = new Map<string, StoredEvent[]>();
  private readonly byTarget = new Map<string, StoredEvent[]>();
  private readonly byMigrationTarget = new Map<string, Map<string, StoredEvent[]>>();
  private readonly runList: RunRecord[] = [];
  private readonly controls = new Map<string, ControlRecord>();
  private readonly breakers = new Map<string, BreakerRecord>();
  /** Pending reconciles by `installation:migration`. */
  private readonly pending = new Map<string, PendingReconcile>();
  private readonly claimed = new Map<string, MigrationClaim>();
  /** Webhook deliveries handled: id → when. */
  private readonly deliveries = new Map<string, string>();
  /** The change-set cache by changeSetKeyText. */
  private readonly changeSets = new Map<string, ChangeSetRow>();

  /**
   * Starts from `initial` (a `snapshot()` of an earlier store), else empty. Its events are checked as
   * they are read (src/store/journal-events.ts); `source` names where they came from in the error.
   */
  constructor(initial?: MemoryStoreSnapshot, source = 'the memory store snapshot') {
    if (!initial) return;
    for (const e of initial.events) this.add({ ...readStoredEvent(e, source, String((e as Partial<StoredEvent> | null)?.id)) });
    for (const r of initial.runs) this.runList.push({ ...r });
    for (const c of initial.controls) this.controls.set(c.migration, { ...c, acceptedWaves: [...c.acceptedWaves] });
    for (const b of initial.breakers ?? []) this.breakers.set(b.key, copyBreaker(b));
    for (const p of initial.pending ?? []) this.pending.set(pendingKey(p.installation, p.migration), { ...p });
    for (const c of initial.claims ?? []) this.claimed.set(c.migration, copyClaim(c));
    for (const [id, at] of Object.entries(initial.deliveries ?? {})) this.deliveries.set(id, at);
    for (const r of initial.changeSets ?? []) this.changeSets.set(changeSetKeyText(r), { ...r });
  }

  /** A copy of everything held: journal (oldest first), runs (oldest first), control records. */
  snapshot(): MemoryStoreSnapshot {
    return {
      events: this.journal.map((e) => ({ ...e })),
      runs: this.runList.map((r) => ({ ...r })),
      controls: [...this.controls.values()].map((c) => ({ ...c, acceptedWaves: [...c.acceptedWaves] })),
      breakers: [...this.breakers.values()].map(copyBreaker),
      pending: this.pendingList(),
      claims: this.claimList(),
      deliveries: Object.fromEntries(this.deliveries),
      changeSets: [...this.changeSets.values()].map((r) => ({ ...r })),
    };
  }

  async requestChangeSets(keys: readonly ChangeSetKey[], batch: string, at: string): Promise<void> {
    for (const k of keys) {
      for (const [text, r] of this.changeSets)
        if (r.migration === k.migration && r.target === k.target && (r.headSha !== k.headSha || r.manifestHash !== k.manifestHash))
          this.changeSets.delete(text);
      const text = changeSetKeyText(k);
      const row = this.changeSets.get(text);
      if (!row) this.changeSets.set(text, { ...pickKey(k), batch, set: null, requestedAt: at, computedAt: null });
      else if (row.computedAt === null) row.batch = batch;
    }
  }

  async putChangeSet(key: ChangeSetKey, set: unknown, at: string): Promise<{ batch: string | null; pending: number }> {
    const text = changeSetKeyText(key);
    const row = this.changeSets.get(text) ?? { ...pickKey(key), batch: null, set: null, requestedAt: at, computedAt: null };
    if (row.computedAt === null) {
      row.set = JSON.parse(JSON.stringify(set)) as unknown;
      row.computedAt = at;
    }
    this.changeSets.set(text, row);
    if (row.batch === null) return { batch: null, pending: 0 };
    const pending = [...this.changeSets.values()].filter((r) => r.batch === row.batch && r.computedAt === null).length;
    return { batch: row.batch, pending };
  }

  async cachedChangeSets(keys: readonly ChangeSetKey[]): Promise<Map<string, unknown>> {
    const out = new Map<string, unknown>();
    for (const k of keys) {
      const row = this.changeSets.get(changeSetKeyText(k));
      if (row && row.computedAt !== null) out.set(changeSetKeyText(k), JSON.parse(JSON.stringify(row.set)) as unknown);
    }
    return out;
  }

  async append(event: JournalEvent): Promise<void> {
    this.add({ ...event, id: this.journal.length + 1 });
  }

  private add(e: StoredEvent): void {
    this.journal.push(e);
    listIn(this.byMigration, e.migration).push(e);
    if (e.target === null) return;
    listIn(this.byTarget, e.target).push(e);
    let targets = this.byMigrationTarget.get(e.migration);
    if (!targets) this.byMigrationTarget.set(e.migration, (targets = new Map()));
    listIn(targets, e.target).push(e);
  }

  /**
   * As the SQLite store: oldest first; with a limit, the newest `limit` events (still oldest first).
   * Answered from the index that fits the filter, so a target's events cost what that target has.
   */
  async events(filter: EventFilter = {}): Promise<StoredEvent[]> {
    const { migration, target } = filter;
    const selected =
      migration && target
        ? this.byMigrationTarget.get(migration)?.get(target)
        : migration
          ? this.byMigration.get(migration)
          : target
            ? this.byTarget.get(target)
            : this.journal;
    if (!selected) return [];
    const from = filter.afterId === undefined ? 0 : firstAfter(selected, filter.afterId);
    const start = filter.limit === undefined ? from : Math.max(from, selected.length - Math.max(0, Math.floor(filter.limit)));
    return selected.slice(start);
  }

  async startRun(run: Omit<RunRecord, 'id' | 'finishedAt' | 'state' | 'summary'>): Promise<number> {
    const id = this.runList.length + 1;
    this.runList.push({ ...run, id, finishedAt: null, state: null, summary: null });
    return id;
  }

  async finishRun(id: number, state: string, summary: unknown): Promise<void> {
    const run = this.runList.find((r) => r.id === id);
    if (!run) throw new StateError(`${this.location}: no run with id ${id} to finish (was the store replaced during the run?).`);
    Object.assign(run, { finishedAt: new Date().toISOString(), state, summary });
  }

  async runs(filter: { migration?: string; limit?: number } = {}): Promise<RunRecord[]> {
    const out = this.runList.filter((r) => !filter.migration || r.migration === filter.migration).reverse();
    return filter.limit === undefined ? out : out.slice(0, Math.max(0, Math.floor(filter.limit)));
  }

  async migrations(): Promise<RunRecord[]> {
    const seen = new Map<string, RunRecord>();
    for (const r of [...this.runList].reverse()) if (!seen.has(r.migration)) seen.set(r.migration, r);
    return [...seen.values()];
  }

  async getControl(migration: string): Promise<ControlRecord> {
    return (
      this.controls.get(migration) ?? {
        migration,
        pausedBy: null,
        pausedReason: null,
        acceptedWaves: [],
        updatedAt: new Date(0).toISOString(),
      }
    );
  }

  async setControl(control: ControlRecord): Promise<void> {
    this.controls.set(control.migration, { ...control, acceptedWaves: [...control.acceptedWaves] });
  }

  async getBreaker(key: string): Promise<BreakerRecord> {
    const b = this.breakers.get(key);
    return b
      ? copyBreaker(b)
      : { key, state: 'closed', openedAt: null, reason: null, outcomes: [], canary: null, updatedAt: new Date(0).toISOString() };
  }

  async setBreaker(record: BreakerRecord): Promise<void> {
    this.breakers.set(record.key, copyBreaker(record));
  }

  async requestReconcile(ask: ReconcileAsk): Promise<PendingReconcile> {
    const key = pendingKey(ask.installation, ask.migration);
    const old = this.pending.get(key);
    const { at, ...fields } = ask;
    const entry: PendingReconcile = old
      ? {
          ...old,
          account: ask.account,
          // A later request without a manifest location keeps the one an earlier request gave.
          ...(ask.manifestRepo === null ? {} : { manifestRepo: ask.manifestRepo, manifestPath: ask.manifestPath }),
          reason: ask.reason,
          lastAt: at,
          seq: old.seq + 1,
        }
      : { ...fields, manifestPath: ask.manifestRepo === null ? null : ask.manifestPath, firstAt: at, lastAt: at, seq: 1 };
    this.pending.set(key, entry);
    return { ...entry };
  }

  async pendingReconciles(): Promise<PendingReconcile[]> {
    return this.pendingList();
  }

  private pendingList(): PendingReconcile[] {
    return [...this.pending.values()]
      .map((p) => ({ ...p }))
      .sort((a, b) => a.firstAt.localeCompare(b.firstAt) || a.installation - b.installation || a.migration.localeCompare(b.migration));
  }

  async completeReconcile(installation: number, migration: string, seq: number): Promise<boolean> {
    const key = pendingKey(installation, migration);
    const entry = this.pending.get(key);
    if (!entry || entry.seq > seq) return false;
    this.pending.delete(key);
    return true;
  }

  async claimMigration(claim: { migration: string; source: string; installation: number | null; at: string }): Promise<MigrationClaim> {
    const held = this.claimed.get(claim.migration);
    if (held) return copyClaim(held);
    const created: MigrationClaim = {
      migration: claim.migration,
      source: claim.source,
      installation: claim.installation,
      trackingIssue: null,
      previousSources: [],
      claimedAt: claim.at,
    };
    this.claimed.set(claim.migration, created);
    return copyClaim(created);
  }

  async migrationClaim(migration: string): Promise<MigrationClaim | null> {
    const held = this.claimed.get(migration);
    return held ? copyClaim(held) : null;
  }

  async transferMigration(migration: string, to: { source: string; installation: number | null; at: string }): Promise<MigrationClaim> {
    const held = this.claimed.get(migration);
    if (!held) return this.claimMigration({ migration, ...to });
    const moved: MigrationClaim = {
      ...held,
      source: to.source,
      installation: to.installation,
      previousSources: [...held.previousSources.filter((s) => s !== to.source), held.source],
      claimedAt: to.at,
    };
    this.claimed.set(migration, moved);
    return copyClaim(moved);
  }

  async setTrackingIssue(migration: string, issue: number): Promise<void> {
    const held = this.claimed.get(migration);
    if (held) held.trackingIssue = issue;
  }

  async claims(): Promise<MigrationClaim[]> {
    return this.claimList();
  }

  private claimList(): MigrationClaim[] {
    return [...this.claimed.values()].map(copyClaim).sort((a, b) => a.migration.localeCompare(b.migration));
  }

  async firstDelivery(id: string, at: string): Promise<boolean> {
    if (this.deliveries.has(id)) return false;
    const horizon = Date.parse(at) - DELIVERY_MEMORY_MS;
    for (const [old, when] of this.deliveries) if (Date.parse(when) < horizon) this.deliveries.delete(old);
    this.deliveries.set(id, at);
    return true;
  }

  async takeLease(name: string, holder: string, at: string, ttlMs: number): Promise<LeaseRecord> {
    const held = this.leases.get(name);
    if (held && held.holder !== holder && held.expiresAt > at) return { ...held };
    const lease = { name, holder, since: held?.holder === holder ? held.since : at, expiresAt: addMs(at, ttlMs) };
    this.leases.set(name, lease);
    return { ...lease };
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    if (this.leases.get(name)?.holder === holder) this.leases.delete(name);
  }

  async forgetDelivery(id: string): Promise<void> {
    this.deliveries.delete(id);
  }

  async close(): Promise<void> {}
}

function copyClaim(c: MigrationClaim): MigrationClaim {
  return { ...c, previousSources: [...c.previousSources] };
}

function pendingKey(installation: number, migration: string): string {
  return `${installation}:${migration}`;
}

function pickKey(k: ChangeSetKey): ChangeSetKey {
  return { migration: k.migration, target: k.target, headSha: k.headSha, manifestHash: k.manifestHash };
}

function copyBreaker(b: BreakerRecord): BreakerRecord {
  return { ...b, outcomes: b.outcomes.map((o) => ({ ...o })), canary: b.canary ? { ...b.canary } : null };
}

function listIn(index: Map<string, StoredEvent[]>, key: string): StoredEvent[] {
  let list = index.get(key);
  if (!list) index.set(key, (list = []));
  return list;
}

/** The position of the first event with an id above `id` in `events` (in id order): a binary search. */
function firstAfter(events: readonly StoredEvent[], id: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid]!.id <= id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `at` (ISO) plus `ms`, as ISO. */
function addMs(at: string, ms: number): string {
  return new Date(Date.parse(at) + ms).toISOString();
}
