/**
 * A store in one JSON file: the memory store (same contract: append-only journal numbered from 1,
 * oldest-first events, newest-first runs) loaded from the file when the store opens and written back
 * whole, through a temp file renamed over it, after changes. Pure JavaScript, so it goes into the
 * Action's single-file bundle where the SQLite store (a native module) cannot.
 *
 * Writes are coalesced: appends mark the store dirty and one write follows on the next turn of the
 * event loop; `finishRun`, `setControl`, `flush` and `close` write at once. A crash loses at most the
 * last few journal lines, and the file is never half-written. Losing the file loses history, not
 * correctness: the next reconcile rebuilds every target's state from the forge.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeFileAtomicSync } from '../../util/atomic-write.js';
import { StateError } from '../../util/errors.js';
import type { BudgetLedger, WithBudgetLedger } from '../budget-ledger.js';
import { type ChangeSetRow, MemoryStore, type MemoryStoreSnapshot } from '../memory/memory-store.js';
import type {
  ChangeSetCache,
  ChangeSetKey,
  BreakerRecord,
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

export const JSON_STORE_FORMAT = 'fleetwave-json-store';
export const JSON_STORE_VERSION = 1;

interface StoreFile extends MemoryStoreSnapshot {
  format: typeof JSON_STORE_FORMAT;
  version: number;
}

function isArray(v: unknown): v is unknown[] {
  return Array.isArray(v);
}

/** The snapshot in `file`, an empty one when the file does not exist; StateError when it is not a store. */
function load(file: string): MemoryStoreSnapshot {
  if (!existsSync(file)) return { events: [], runs: [], controls: [] };
  if (statSync(file).isDirectory())
    throw new StateError(`${file} is a folder, not a store file: give a file path as state-path, e.g. ${file}/fleetwave-state.json.`);
  const text = readFileSync(file, 'utf8');
  let data: Partial<StoreFile>;
  try {
    data = JSON.parse(text) as Partial<StoreFile>;
  } catch (err) {
    throw new StateError(
      `${file} is not a Fleetwave JSON store (${(err as Error).message}). Delete it or point state-path elsewhere: a new store rebuilds target state from GitHub (only history is lost).`,
      { cause: err },
    );
  }
  if (
    data === null ||
    typeof data !== 'object' ||
    data.format !== JSON_STORE_FORMAT ||
    !isArray(data.events) ||
    !isArray(data.runs) ||
    !isArray(data.controls)
  ) {
    throw new StateError(
      `${file} is not a Fleetwave JSON store (no "format": "${JSON_STORE_FORMAT}" with events, runs and controls). Delete it or point state-path elsewhere; only history is lost.`,
    );
  }
  if (typeof data.version !== 'number' || data.version > JSON_STORE_VERSION) {
    throw new StateError(
      `${file} was written by a newer Fleetwave (store version ${String(data.version)}, this one reads ${JSON_STORE_VERSION}): upgrade Fleetwave, or delete the file (only history is lost).`,
    );
  }
  const events = data.events as StoredEvent[];
  events.forEach((e, i) => {
    if (e?.id !== i + 1)
      throw new StateError(
        `${file}: journal event ${i + 1} has id ${String(e?.id)}; the journal is append-only and numbered from 1. Delete the file (only history is lost).`,
      );
  });
  return {
    events,
    runs: data.runs as RunRecord[],
    controls: data.controls as ControlRecord[],
    breakers: isArray(data.breakers) ? (data.breakers as BreakerRecord[]) : [],
    pending: isArray(data.pending) ? (data.pending as PendingReconcile[]) : [],
    claims: isArray(data.claims) ? (data.claims as MigrationClaim[]) : [],
    deliveries: data.deliveries && typeof data.deliveries === 'object' ? (data.deliveries as Record<string, string>) : {},
    changeSets: isArray(data.changeSets) ? (data.changeSets as ChangeSetRow[]) : [],
  };
}

class JsonFileStore implements Store, ReconcileQueue, WithBudgetLedger, ChangeSetCache {
  /** One process's count (the Action's run): the memory store's in-process ledger; it is not saved. */
  readonly budgetLedger: BudgetLedger;
  private dirty = false;
  private scheduled: NodeJS.Immediate | null = null;
  private writeError: unknown = null;
  private closed = false;

  constructor(
    readonly location: string,
    private readonly memory: MemoryStore,
  ) {
    this.budgetLedger = memory.budgetLedger;
  }

  /** Writes the whole store now (temp file + rename) when anything changed since the last write. */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = null;
    if (this.writeError) {
      const err = this.writeError;
      this.writeError = null;
      throw err;
    }
    if (!this.dirty) return;
    const file: StoreFile = { format: JSON_STORE_FORMAT, version: JSON_STORE_VERSION, ...this.memory.snapshot() };
    try {
      writeFileAtomicSync(this.location, `${JSON.stringify(file)}\n`);
    } catch (err) {
      throw new StateError(`cannot write the store ${this.location}: ${(err as Error).message}`, { cause: err });
    }
    this.dirty = false;
  }

  private changed(now: boolean): void {
    if (this.closed) throw new StateError(`the store ${this.location} is closed`);
    this.dirty = true;
    if (now) return this.flush();
    if (this.scheduled) return;
    this.scheduled = setImmediate(() => {
      this.scheduled = null;
      try {
        this.flush();
      } catch (err) {
        this.writeError = err; // reported by the next write or by close()
      }
    });
  }

  async append(event: JournalEvent): Promise<void> {
    await this.memory.append(event);
    this.changed(false);
  }

  async events(filter?: EventFilter): Promise<StoredEvent[]> {
    return await this.memory.events(filter);
  }

  async startRun(run: Omit<RunRecord, 'id' | 'finishedAt' | 'state' | 'summary'>): Promise<number> {
    const id = await this.memory.startRun(run);
    this.changed(false);
    return id;
  }

  async finishRun(id: number, state: string, summary: unknown): Promise<void> {
    await this.memory.finishRun(id, state, summary);
    this.changed(true);
  }

  async runs(filter?: { migration?: string; limit?: number }): Promise<RunRecord[]> {
    return await this.memory.runs(filter);
  }

  async migrations(): Promise<RunRecord[]> {
    return await this.memory.migrations();
  }

  async getControl(migration: string): Promise<ControlRecord> {
    return await this.memory.getControl(migration);
  }

  async setControl(control: ControlRecord): Promise<void> {
    await this.memory.setControl(control);
    this.changed(true);
  }

  async requestChangeSets(keys: readonly ChangeSetKey[], batch: string, at: string): Promise<void> {
    await this.memory.requestChangeSets(keys, batch, at);
    this.changed(true);
  }

  async putChangeSet(key: ChangeSetKey, set: unknown, at: string): Promise<{ batch: string | null; pending: number }> {
    const result = await this.memory.putChangeSet(key, set, at);
    this.changed(true);
    return result;
  }

  async cachedChangeSets(keys: readonly ChangeSetKey[]): Promise<Map<string, unknown>> {
    return await this.memory.cachedChangeSets(keys);
  }

  async getBreaker(key: string): Promise<BreakerRecord> {
    return await this.memory.getBreaker(key);
  }

  async setBreaker(record: BreakerRecord): Promise<void> {
    await this.memory.setBreaker(record);
    this.changed(true);
  }

  /** Written at once: a request is answered only once it is on disk. */
  async requestReconcile(ask: ReconcileAsk): Promise<PendingReconcile> {
    const entry = await this.memory.requestReconcile(ask);
    this.changed(true);
    return entry;
  }

  async pendingReconciles(): Promise<PendingReconcile[]> {
    return await this.memory.pendingReconciles();
  }

  async completeReconcile(installation: number, migration: string, seq: number): Promise<boolean> {
    const removed = await this.memory.completeReconcile(installation, migration, seq);
    if (removed) this.changed(true);
    return removed;
  }

  async claimMigration(claim: { migration: string; source: string; installation: number | null; at: string }): Promise<MigrationClaim> {
    const had = await this.memory.migrationClaim(claim.migration);
    const held = await this.memory.claimMigration(claim);
    if (!had) this.changed(true);
    return held;
  }

  async migrationClaim(migration: string): Promise<MigrationClaim | null> {
    return await this.memory.migrationClaim(migration);
  }

  async transferMigration(migration: string, to: { source: string; installation: number | null; at: string }): Promise<MigrationClaim> {
    const moved = await this.memory.transferMigration(migration, to);
    this.changed(true);
    return moved;
  }

  async setTrackingIssue(migration: string, issue: number): Promise<void> {
    await this.memory.setTrackingIssue(migration, issue);
    this.changed(true);
  }

  async claims(): Promise<MigrationClaim[]> {
    return await this.memory.claims();
  }

  async firstDelivery(id: string, at: string): Promise<boolean> {
    const first = await this.memory.firstDelivery(id, at);
    if (first) this.changed(true);
    return first;
  }

  /** Not in the file: a lease outlives no process, and the JSON store has one (the Action's run). */
  async takeLease(name: string, holder: string, at: string, ttlMs: number): Promise<LeaseRecord> {
    return this.memory.takeLease(name, holder, at, ttlMs);
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.memory.releaseLease(name, holder);
  }

  async forgetDelivery(id: string): Promise<void> {
    await this.memory.forgetDelivery(id);
    this.changed(true);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      this.flush();
    } finally {
      this.closed = true;
    }
  }
}

/** Open (the file is created on the first write) the JSON store at `path`. */
export function openJsonFileStore(path: string): Store & ReconcileQueue & WithBudgetLedger & ChangeSetCache & { flush(): void } {
  const file = resolve(path);
  return new JsonFileStore(file, new MemoryStore(load(file), file));
}
