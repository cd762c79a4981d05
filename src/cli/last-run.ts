/** The newest run of a migration in a store, for the commands that act on a migration by name. */
import type { RunRecord, Store } from '../store/port.js';
import { InputError } from '../util/errors.js';

export function lastRunOf(store: Store, migration: string): RunRecord {
  const run = store.runs({ migration, limit: 1 })[0];
  if (run) return run;
  const known = store.migrations().map((r) => r.migration);
  throw new InputError(`no migration named ${migration} in ${store.location}; known: ${known.join(', ') || 'none'}`);
}
