/** The newest run of a migration in a store, for the commands that act on a migration by name. */
import type { RunRecord, Store } from '../store/port.js';
import { InputError } from '../util/errors.js';

export async function lastRunOf(store: Store, migration: string): Promise<RunRecord> {
  const run = (await store.runs({ migration, limit: 1 }))[0];
  if (run) return run;
  const known = (await store.migrations()).map((r) => r.migration);
  throw new InputError(`no migration named ${migration} in ${store.location}; known: ${known.join(', ') || 'none'}`);
}
