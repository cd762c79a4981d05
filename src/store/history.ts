/**
 * A store's history as one value, read through the port: what `fleetwave store export` writes and
 * `fleetwave store migrate` copies into another store (docs/store.md, "Moving a store"). Journal
 * events keep their ids (alert deliveries name the event they deliver), runs theirs.
 */
import type { BreakerRecord, ControlRecord, MigrationClaim, PendingReconcile, RunRecord, Store, StoredEvent } from './port.js';

export interface StoreHistory {
  /** Oldest first. */
  events: StoredEvent[];
  /** Oldest first. */
  runs: RunRecord[];
  /** The control records ever set (a never-set one is not kept). */
  controls: ControlRecord[];
  /** The breakers of the fleets the runs name, when ever set. */
  breakers: BreakerRecord[];
  pending: PendingReconcile[];
  claims: MigrationClaim[];
}

/** A store that takes a history in, ids kept: only into an empty store. */
export interface HistoryImport {
  importHistory(history: StoreHistory): Promise<void>;
}

const NEVER = new Date(0).toISOString();

/**
 * Reads `store`'s history. Webhook delivery ids are not part of it (the port does not list them; they
 * matter for a week, against GitHub's redeliveries), nor leases (they belong to running processes).
 */
export async function readHistory(store: Store & { pendingReconciles?(): Promise<PendingReconcile[]> }): Promise<StoreHistory> {
  const events = await store.events();
  const runs = (await store.runs()).reverse();
  const migrations = [...new Set([...runs.map((r) => r.migration), ...events.map((e) => e.migration)])];
  const controls = (await Promise.all(migrations.map((m) => store.getControl(m)))).filter((c) => c.updatedAt !== NEVER);
  const fleets = [...new Set(runs.map((r) => r.fleet))];
  const breakers = (await Promise.all(fleets.map((f) => store.getBreaker(f)))).filter((b) => b.updatedAt !== NEVER);
  return {
    events,
    runs,
    controls,
    breakers,
    pending: store.pendingReconciles ? await store.pendingReconciles() : [],
    claims: await store.claims(),
  };
}
