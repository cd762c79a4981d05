/**
 * The SQLite store finds one target's events of one migration by an index (schema migration 3), and a
 * store written before that migration gets the index when it is opened, its journal kept.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/sqlite/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

let dir: string;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleetwave-journal-index-'));
  file = join(dir, 'fleetwave.sqlite');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** SQLite's plan for a query, one line per step (e.g. "SEARCH journal USING INDEX …"). */
function plan(db: Database.Database, sql: string, ...params: unknown[]): string {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('\n');
}

const event = {
  at: '2026-11-24T08:00:00.000Z',
  action: 'open-pr',
  outcome: 'ok' as const,
  detail: {},
  version: '0.1.0',
  manifestHash: 'h',
};

describe('the journal indexes of the SQLite store', () => {
  it("answers the store's journal queries by index: (migration, target), (migration, after an id), and their newest few", async () => {
    const store = openSqliteStore(file);
    for (let i = 0; i < 50; i++) await store.append({ ...event, migration: `m${i % 3}`, target: `acme/r${i % 7}` });
    await store.close();
    const db = new Database(file, { readonly: true });
    try {
      // The shapes SqliteStore.events runs (src/store/sqlite/sqlite-store.ts).
      const byTarget = plan(db, 'SELECT * FROM journal WHERE migration = ? AND target = ? ORDER BY id', 'm1', 'acme/r2');
      expect(byTarget).toMatch(/SEARCH journal USING INDEX journal_by_migration_target \(migration=\? AND target=\?\)/);
      expect(byTarget).not.toMatch(/TEMP B-TREE|SCAN journal/);
      const newest = plan(
        db,
        'SELECT * FROM (SELECT * FROM journal WHERE migration = ? AND target = ? ORDER BY id DESC LIMIT ?) ORDER BY id',
        'm1',
        'acme/r2',
        1,
      );
      expect(newest).toMatch(/USING INDEX journal_by_migration_target/);
      const after = plan(db, 'SELECT * FROM journal WHERE migration = ? AND id > ? ORDER BY id', 'm1', 40);
      expect(after).toMatch(/SEARCH journal USING INDEX journal_by_migration \(migration=\? AND (?:id|rowid)>\?\)/);
      expect(after).not.toMatch(/TEMP B-TREE|SCAN journal/);
    } finally {
      db.close();
    }
  });

  it('a store written at schema version 2 gets the index when opened, and keeps its journal', async () => {
    const old = new Database(file);
    old.exec('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    for (const v of [1, 2]) {
      old.exec(MIGRATIONS[v - 1]!);
      old.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(v, '2026-11-01T00:00:00.000Z');
    }
    old
      .prepare(
        `INSERT INTO journal (at, migration, target, action, outcome, detail, version, manifest_hash) VALUES (?, 'm', 'acme/x', 'merge', 'ok', '{"pr":3}', '0.1.0', 'h')`,
      )
      .run(event.at);
    old.close();

    const store = openSqliteStore(file);
    try {
      expect((await store.events({ migration: 'm', target: 'acme/x' })).map((e) => [e.id, e.action, e.detail])).toEqual([
        [1, 'merge', { pr: 3 }],
      ]);
    } finally {
      await store.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(3);
      expect(db.prepare('SELECT MAX(version) FROM schema_version').pluck().get()).toBe(SCHEMA_VERSION);
      expect(
        db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'journal_by_migration_target'`).pluck().get(),
      ).toMatch(/ON journal \(migration, target, id\)/);
    } finally {
      db.close();
    }
  });
});
