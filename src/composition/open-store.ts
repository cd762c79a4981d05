/**
 * Where the store lives, from the one setting every entry point takes (`--state`, FLEETWAVE_STATE,
 * the Action's `state-path`): a file path (SQLite, or the JSON file where the entry point keeps one),
 * or a `postgres://` / `postgresql://` URL (PostgreSQL). Any other `scheme:` is refused rather than
 * taken for a file name. docs/store.md, "Choosing the store".
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { WithBudgetLedger } from '../store/budget-ledger.js';
import type { HistoryImport } from '../store/history.js';
import type { ChangeSetCache, ReconcileQueue, Store } from '../store/port.js';
import { redactUrl } from '../store/redact-url.js';
import { InputError } from '../util/errors.js';

export type StateLocation = { kind: 'sqlite'; path: string } | { kind: 'json'; path: string } | { kind: 'postgres'; url: string };

/** What a file path opens: SQLite (the CLI and the App), or the JSON file (the Action). */
export type FileStoreKind = 'sqlite' | 'json';

const ACCEPTED = 'a file path (SQLite), or postgres://user:password@host:5432/database (PostgreSQL)';

/**
 * A URL-like value: a scheme of two or more letters, then `:` (one letter is a Windows drive, `C:\…`).
 * `postgres:foo` or `sqlite:///x` is no file name anyone means.
 */
const SCHEME = /^([a-z][a-z0-9+.-]+):/i;

/** Reads the setting `value` (named `setting` in errors: `--state`, `FLEETWAVE_STATE` …). */
export function stateLocation(value: string, setting = '--state', files: FileStoreKind = 'sqlite'): StateLocation {
  const trimmed = value.trim();
  if (trimmed === '') throw new InputError(`${setting} is empty: give ${ACCEPTED}`);
  const scheme = SCHEME.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') {
    if (!trimmed.includes('://')) throw new InputError(`${setting} ${redactUrl(trimmed)}: a PostgreSQL URL starts with ${scheme}://`);
    return { kind: 'postgres', url: trimmed };
  }
  if (scheme !== undefined) {
    throw new InputError(`${setting} ${redactUrl(trimmed)}: '${scheme}:' is no store Fleetwave knows; give ${ACCEPTED}`);
  }
  return { kind: files, path: resolve(trimmed) };
}

export interface OpenStoreOptions {
  /** The setting's name in errors (default `--state`). */
  setting?: string;
  /** What a file path opens (default SQLite). */
  files?: FileStoreKind;
  /**
   * A store that must exist already (reports, dashboards, commands on a migration by name): a missing
   * file is an InputError instead of a new empty store. A database is always opened (and migrated).
   */
  mustExist?: boolean;
}

/**
 * Opens the store the setting names. Each implementation is loaded when chosen: the Action's bundle
 * never loads better-sqlite3 (a native module), and a SQLite user never loads the PostgreSQL client.
 * Its `budgetLedger` is where the request budget counts (src/store/budget-ledger.ts): shared by every
 * process on the same SQLite file or PostgreSQL database, one process's own for the JSON file.
 */
export async function openStore(
  value: string,
  options: OpenStoreOptions = {},
): Promise<Store & ReconcileQueue & WithBudgetLedger & ChangeSetCache & Partial<HistoryImport>> {
  const location = stateLocation(value, options.setting, options.files);
  if (location.kind === 'postgres') return (await import('../store/postgres/postgres-store.js')).openPostgresStore(location.url);
  if (options.mustExist && !existsSync(location.path)) {
    throw new InputError(
      `no store at ${location.path}: run a migration first (fleetwave run or fleetwave demo), or pass --state <file or postgres:// URL>`,
    );
  }
  return location.kind === 'json'
    ? (await import('../store/json-file/json-file-store.js')).openJsonFileStore(location.path)
    : (await import('../store/sqlite/sqlite-store.js')).openSqliteStore(location.path);
}
