/**
 * The App's queue of pending reconciles (ReconcileQueue), the same contract in every store: a request
 * folds into the entry already pending for its installation and migration, a reconcile that started
 * before a newer request leaves the entry pending, and the SQLite, JSON and PostgreSQL stores keep it
 * across a reopen (a crash after the webhook's answer loses nothing).
 */
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ReconcileAsk } from '../../src/store/port.js';
import { MIGRATIONS } from '../../src/store/sqlite/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { cleanUpStores, storeKinds } from './store-kinds.js';

afterAll(cleanUpStores);

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fleetwave-queue-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const ask = (over: Partial<ReconcileAsk> = {}): ReconcileAsk => ({
  installation: 7,
  migration: 'play-events-v2',
  account: 'acme',
  manifestRepo: null,
  manifestPath: null,
  reason: 'check_suite 1',
  at: '2026-01-01T00:00:00.000Z',
  ...over,
});

describe.each(storeKinds('test/store/pending-reconciles.test.ts'))('%s store: pending reconciles', (_name, make) => {
  it('folds requests for one migration into one entry, keeping the manifest location an earlier request gave', async () => {
    const { open } = await make();
    const store = await open();
    await store.requestReconcile(ask({ manifestRepo: 'acme/data-platform', manifestPath: 'migrations/p.yaml', reason: 'push 1' }));
    await store.requestReconcile(ask({ reason: 'check_suite 2', at: '2026-01-01T00:00:01.000Z' }));
    const last = await store.requestReconcile(ask({ reason: 'status 3', at: '2026-01-01T00:00:02.000Z' }));
    await store.requestReconcile(ask({ migration: 'other', at: '2026-01-01T00:00:03.000Z' }));
    expect(last).toEqual({
      installation: 7,
      migration: 'play-events-v2',
      account: 'acme',
      manifestRepo: 'acme/data-platform',
      manifestPath: 'migrations/p.yaml',
      reason: 'status 3',
      firstAt: '2026-01-01T00:00:00.000Z',
      lastAt: '2026-01-01T00:00:02.000Z',
      seq: 3,
    });
    expect((await store.pendingReconciles()).map((p) => [p.migration, p.seq])).toEqual([
      ['play-events-v2', 3],
      ['other', 1],
    ]);
    await store.close();
  });

  it('keeps an entry pending when a request came while its reconcile ran, and removes it once one ran after the last request', async () => {
    const { open } = await make();
    const store = await open();
    const started = await store.requestReconcile(ask());
    await store.requestReconcile(ask({ reason: 'status 2' })); // arrives during the reconcile
    expect(await store.completeReconcile(7, 'play-events-v2', started.seq)).toBe(false);
    const again = (await store.pendingReconciles())[0]!;
    expect(again.seq).toBe(2);
    expect(await store.completeReconcile(7, 'play-events-v2', again.seq)).toBe(true);
    expect(await store.pendingReconciles()).toEqual([]);
    await store.close();
  });

  it('keeps pending entries across a reopen when the store persists', async () => {
    const { open, durable } = await make();
    const first = await open();
    await first.requestReconcile(ask());
    if (!durable) return;
    await first.close();
    const second = await open();
    expect((await second.pendingReconciles()).map((p) => p.migration)).toEqual(['play-events-v2']);
    await second.close();
  });
});

describe('sqlite store schema', () => {
  it('adds the queue to a store written at schema version 3, keeping its journal', async () => {
    const file = join(tempDir(), 'old.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    MIGRATIONS.slice(0, 3).forEach((m, i) => {
      db.exec(m);
      db.prepare('INSERT INTO schema_version VALUES (?, ?)').run(i + 1, '2026-01-01T00:00:00Z');
    });
    db.close();
    const store = openSqliteStore(file);
    await store.requestReconcile(ask());
    expect(await store.pendingReconciles()).toHaveLength(1);
    await store.close();
  });
});
