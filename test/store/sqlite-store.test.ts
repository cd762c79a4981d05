import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../../src/store/sqlite/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/port.js';
import { StateError } from '../../src/util/errors.js';

let dir: string;
let file: string;
const open: Store[] = [];
const fixedNow = () => new Date('2026-11-24T09:00:00.000Z');

function openStore(path = file): Store {
  const s = openSqliteStore(path, { now: fixedNow });
  open.push(s);
  return s;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleetwave-store-'));
  file = join(dir, 'state', 'fleetwave.sqlite');
});

afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('openSqliteStore', () => {
  it('creates the file (and its folder) with the current schema version, in WAL mode', async () => {
    const store = openStore();
    expect(store.location).toBe(file);
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT MAX(version) FROM schema_version').pluck().get()).toBe(SCHEMA_VERSION);
      const columns = (db.prepare('PRAGMA table_info(journal)').all() as { name: string }[]).map((c) => c.name);
      expect(columns).toEqual(['id', 'at', 'migration', 'target', 'action', 'outcome', 'detail', 'version', 'manifest_hash']);
    } finally {
      db.close();
    }
  });

  it('refuses a file that is not a SQLite database, naming the file and what to do', () => {
    const bad = join(dir, 'notes.sqlite');
    writeFileSync(bad, 'this is a text file, not a database\n'.repeat(200));
    const before = readFileSync(bad, 'utf8');
    let caught: unknown;
    try {
      openStore(bad);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(StateError);
    expect((caught as Error).message).toContain(bad);
    expect((caught as Error).message).toMatch(/not a SQLite database/);
    expect((caught as Error).message).toMatch(/--state/);
    expect(readFileSync(bad, 'utf8')).toBe(before);
  });

  it('refuses a store written by a newer Fleetwave', async () => {
    await openStore().close();
    const db = new Database(file);
    db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(SCHEMA_VERSION + 1, 'later');
    db.close();
    expect(() => openStore()).toThrow(StateError);
    expect(() => openStore()).toThrow(new RegExp(`${file}.*schema version ${SCHEMA_VERSION + 1}.*upgrade Fleetwave`));
  });

  it('refuses another program’s SQLite database instead of writing into it', () => {
    const other = join(dir, 'other.sqlite');
    const db = new Database(other);
    db.exec('CREATE TABLE users (id INTEGER)');
    db.close();
    expect(() => openStore(other)).toThrow(/not a Fleetwave store/);
    const check = new Database(other, { readonly: true });
    expect(check.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all()).toEqual(['users']);
    check.close();
  });

  it('refuses a folder given as the store path', () => {
    expect(() => openStore(dir)).toThrow(/is a folder/);
  });
});
