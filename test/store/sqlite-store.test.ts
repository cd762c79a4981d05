import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../../src/store/sqlite/migrations.js';
import { NEVER, openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { JournalEvent, Store } from '../../src/store/port.js';
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

function event(over: Partial<JournalEvent> = {}): JournalEvent {
  return {
    at: '2026-11-24T08:00:00.000Z',
    migration: 'play-events-v2',
    target: 'acme/recs',
    action: 'open-pr',
    outcome: 'ok',
    detail: { pr: 1, files: ['src/config.ts'] },
    version: '0.1.0',
    manifestHash: 'abc123',
    ...over,
  };
}

const run = (migration: string, startedAt: string) => ({
  migration,
  manifestPath: `migrations/${migration}.yaml`,
  manifestHash: `hash-${migration}`,
  fleet: '/tmp/fleet',
  startedAt,
});

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

describe('journal', () => {
  it('appends events and queries them by migration and target, oldest first', async () => {
    const store = openStore();
    await store.append(event({ target: 'acme/recs', action: 'open-pr' }));
    await store.append(event({ target: 'acme/charts', action: 'open-pr', detail: { pr: 2 } }));
    await store.append(event({ target: null, action: 'pause', outcome: 'skipped', detail: { reason: 'wave 1 failed 50%', wave: 1 } }));
    await store.append(event({ migration: 'other', target: 'acme/recs', action: 'merge', outcome: 'error' }));

    const all = await store.events();
    expect(all.map((e) => e.id)).toEqual([1, 2, 3, 4]);
    expect(all[2]).toEqual({
      id: 3,
      ...event({ target: null, action: 'pause', outcome: 'skipped', detail: { reason: 'wave 1 failed 50%', wave: 1 } }),
    });

    expect((await store.events({ migration: 'play-events-v2' })).map((e) => e.action)).toEqual(['open-pr', 'open-pr', 'pause']);
    expect((await store.events({ target: 'acme/recs' })).map((e) => [e.migration, e.action])).toEqual([
      ['play-events-v2', 'open-pr'],
      ['other', 'merge'],
    ]);
    expect(await store.events({ migration: 'play-events-v2', target: 'acme/charts' })).toHaveLength(1);
  });

  it('with a limit returns the newest events, still oldest first', async () => {
    const store = openStore();
    for (let i = 1; i <= 5; i++) await store.append(event({ detail: { n: i } }));
    expect((await store.events({ limit: 2 })).map((e) => e.detail.n)).toEqual([4, 5]);
    expect((await store.events({ migration: 'play-events-v2', limit: 1 }))[0]?.detail.n).toBe(5);
    expect(await store.events({ limit: 0 })).toEqual([]);
  });

  it('is append-only: UPDATE and DELETE abort, even through a raw connection', async () => {
    const store = openStore();
    await store.append(event());
    await store.close();
    const db = new Database(file);
    try {
      expect(() => db.prepare(`UPDATE journal SET outcome = 'error'`).run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM journal').run()).toThrow(/append-only/);
      expect(db.prepare('SELECT outcome FROM journal').pluck().all()).toEqual(['ok']);
    } finally {
      db.close();
    }
  });

  it('refuses an outcome outside ok/error/skipped', async () => {
    const store = openStore();
    await expect(store.append(event({ outcome: 'maybe' as JournalEvent['outcome'] }))).rejects.toHaveProperty(
      'message',
      expect.stringMatching(/CHECK constraint/),
    );
    expect(await store.events()).toEqual([]);
  });
});

describe('run history', () => {
  it('lists runs newest first, finishes them, and keeps everything across a reopen', async () => {
    let store = openStore();
    const a = await store.startRun(run('play-events-v2', '2026-11-24T08:00:00.000Z'));
    const b = await store.startRun(run('clicks-v3', '2026-11-24T08:01:00.000Z'));
    const c = await store.startRun(run('play-events-v2', '2026-11-24T08:02:00.000Z'));
    await store.finishRun(a, 'paused', { state: 'paused', targets: [{ repo: 'acme/recs', state: 'failed' }] });
    await store.append(event());
    await store.setControl({
      migration: 'play-events-v2',
      pausedBy: 'dana',
      pausedReason: 'holiday',
      acceptedWaves: [1],
      updatedAt: '2026-11-24T08:03:00.000Z',
    });
    await store.close();

    store = openStore();
    expect((await store.runs()).map((r) => r.id)).toEqual([c, b, a]);
    expect((await store.runs({ migration: 'play-events-v2' })).map((r) => r.id)).toEqual([c, a]);
    expect((await store.runs({ limit: 1 })).map((r) => r.id)).toEqual([c]);
    const first = (await store.runs({ migration: 'play-events-v2' }))[1]!;
    expect(first).toEqual({
      id: a,
      ...run('play-events-v2', '2026-11-24T08:00:00.000Z'),
      finishedAt: fixedNow().toISOString(),
      state: 'paused',
      summary: { state: 'paused', targets: [{ repo: 'acme/recs', state: 'failed' }] },
    });
    expect((await store.runs())[0]).toMatchObject({ id: c, finishedAt: null, state: null, summary: null });
    expect(await store.events()).toHaveLength(1);
    expect((await store.getControl('play-events-v2')).pausedBy).toBe('dana');
  });

  it('migrations() gives each migration with its newest run, newest first', async () => {
    const store = openStore();
    const a = await store.startRun(run('play-events-v2', '2026-11-24T08:00:00.000Z'));
    const b = await store.startRun(run('clicks-v3', '2026-11-24T08:01:00.000Z'));
    const c = await store.startRun(run('play-events-v2', '2026-11-24T08:02:00.000Z'));
    await store.finishRun(c, 'completed', { ok: true });
    expect((await store.migrations()).map((r) => [r.migration, r.id, r.state])).toEqual([
      ['play-events-v2', c, 'completed'],
      ['clicks-v3', b, null],
    ]);
    expect((await store.migrations()).some((r) => r.id === a)).toBe(false);
  });

  it('finishing an unknown run is a StateError', async () => {
    const store = openStore();
    await expect(store.finishRun(42, 'completed', null)).rejects.toThrow(StateError);
  });
});

describe('control records', () => {
  it('round-trips pause and resume overrides', async () => {
    const store = openStore();
    expect(await store.getControl('play-events-v2')).toEqual({
      migration: 'play-events-v2',
      pausedBy: null,
      pausedReason: null,
      acceptedWaves: [],
      updatedAt: NEVER,
    });
    const paused = {
      migration: 'play-events-v2',
      pausedBy: 'dana',
      pausedReason: 'wait for the data team',
      acceptedWaves: [],
      updatedAt: '2026-11-24T08:10:00.000Z',
    };
    await store.setControl(paused);
    expect(await store.getControl('play-events-v2')).toEqual(paused);
    const resumed = {
      migration: 'play-events-v2',
      pausedBy: null,
      pausedReason: null,
      acceptedWaves: [2, 1],
      updatedAt: '2026-11-24T08:20:00.000Z',
    };
    await store.setControl(resumed);
    expect(await store.getControl('play-events-v2')).toEqual({ ...resumed, acceptedWaves: [1, 2] });
    expect((await store.getControl('other')).pausedBy).toBeNull();
  });
});
