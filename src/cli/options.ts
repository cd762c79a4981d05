import { resolve } from 'node:path';
import { Option } from 'commander';
import { redactUrl } from '../store/redact-url.js';

/**
 * The store unless `--state` says otherwise: FLEETWAVE_STATE (a file path or a postgres:// URL, read by
 * src/composition/open-store.ts), else the embedded default file.
 */
export function defaultStatePath(): string {
  const value = process.env.FLEETWAVE_STATE ?? '.fleetwave/fleetwave.sqlite';
  return /^[a-z][a-z0-9+.-]+:/i.test(value) ? value : resolve(value);
}

/** The `--state` option's help: what it accepts. */
export const STATE_HELP = 'the store: a file (SQLite) or a postgres:// URL (PostgreSQL); default FLEETWAVE_STATE';

/**
 * A store option (`--state <file>` unless `flags` says otherwise) defaulting to defaultStatePath(), whose
 * default `--help` shows with any password as `***` (FLEETWAVE_STATE may hold a PostgreSQL URL with one).
 */
export function stateOption(description: string = STATE_HELP, flags = '--state <file>'): Option {
  const value = defaultStatePath();
  return new Option(flags, description).default(value, redactUrl(value));
}

/** Exit codes of `run`, `demo` and `status` by migration state. */
export function exitCodeForState(state: string): number {
  switch (state) {
    case 'completed':
      return 0;
    case 'paused':
      return 3;
    case 'running':
      return 4;
    default:
      return 1;
  }
}
