import { existsSync } from 'node:fs';
import type { Store } from '../store/port.js';
import { openSqliteStore } from '../store/sqlite/sqlite-store.js';
import { InputError } from '../util/errors.js';

/** Open an existing store for the dashboard and reports; a missing file is bad input, not a new empty store. */
export function openExistingStore(path: string): Store {
  if (!existsSync(path))
    throw new InputError(`no store at ${path}: run a migration first (fleetwave run or fleetwave demo), or pass --state <file>`);
  return openSqliteStore(path);
}
