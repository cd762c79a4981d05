/**
 * `fleetwave store export` and `store migrate` (src/cli/commands/store.ts): a SQLite store's whole
 * history — journal ids included — moves into a new SQLite file and into PostgreSQL (a real server,
 * test/store/postgres-test-db.ts), the new store goes on numbering after it, and a store that already
 * holds history is refused.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/composition/open-store.js';
import { bufferIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { readHistory } from '../../src/store/history.js';
import type { JournalEvent } from '../../src/store/port.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { dropDatabases, freshDatabase, sayWhenSkipped, WITH_POSTGRES } from '../store/postgres-test-db.js';

const dir = mkdtempSync(join(tmpdir(), 'fleetwave-store-migrate-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await dropDatabases();
});
sayWhenSkipped('test/cli/store-migrate.test.ts');

const event = (over: Partial<JournalEvent>): JournalEvent => ({
  at: '2026-11-24T08:00:00.000Z',
  migration: 'events-v2',
  target: 'acme/c01',
  action: 'open-pr',
  outcome: 'ok',
  detail: { pr: 1 },
  version: '0.1.0',
  manifestHash: 'h',
  ...over,
});

/** A SQLite store with some of everything (an alert delivery names its alert's event id). */
async function source(): Promise<string> {
  const file = join(dir, `source-${Math.random().toString(36).slice(2)}.sqlite`);
  const store = openSqliteStore(file);
  await store.append(event({}));
  await store.append(event({ target: null, action: 'alert', detail: { alert: 'paused', dedupKey: 'k' } }));
  await store.append(event({ target: null, action: 'alert-delivery', detail: { sink: 'webhook', event: 2 } }));
  const run = await store.startRun({
    migration: 'events-v2',
    manifestPath: 'm.yaml',
    manifestHash: 'h',
    fleet: '/fleet',
    startedAt: '2026-11-24T08:00:00.000Z',
  });
  await store.finishRun(run, 'paused', { state: 'paused' });
  await store.setControl({
    migration: 'events-v2',
    pausedBy: 'dana',
    pausedReason: 'holiday',
    acceptedWaves: [1],
    updatedAt: '2026-11-24T08:05:00.000Z',
  });
  await store.setBreaker({
    key: '/fleet',
    state: 'open',
    openedAt: '2026-11-24T08:01:00.000Z',
    reason: '3 of 4 failed',
    outcomes: [],
    canary: null,
    updatedAt: '2026-11-24T08:01:00.000Z',
  });
  await store.claimMigration({ migration: 'events-v2', source: 'acme/platform:m.yaml', installation: 7, at: '2026-11-24T08:00:00.000Z' });
  await store.requestReconcile({
    installation: 7,
    migration: 'events-v2',
    account: 'acme',
    manifestRepo: null,
    manifestPath: null,
    reason: 'push 1',
    at: '2026-11-24T08:06:00.000Z',
  });
  await store.close();
  return file;
}

const destinations: [string, () => Promise<string>][] = [
  ['a new SQLite file', async () => join(dir, `to-${Math.random().toString(36).slice(2)}.sqlite`)],
  ...(WITH_POSTGRES ? ([['PostgreSQL', freshDatabase]] as [string, () => Promise<string>][]) : []),
];

describe.each(destinations)('store migrate into %s', (_name, destination) => {
  it('copies every record with its id, numbers on after it, and refuses a store that holds history', async () => {
    const from = await source();
    const to = await destination();
    const io = bufferIO();
    expect(await main(['store', 'migrate', '--from', from, '--to', to], io)).toBe(0);
    expect(io.stdout.join('')).toContain('copied 3 events, 1 runs, 1 controls, 1 breakers, 1 pending reconciles, 1 claims');
    const old = openSqliteStore(from);
    const before = await readHistory(old);
    await old.close();
    const target = await openStore(to);
    try {
      expect(await readHistory(target)).toEqual(before);
      await target.append(event({ action: 'merge' }));
      expect((await target.events()).map((e) => e.id)).toEqual([1, 2, 3, 4]);
      const run = await target.startRun({
        migration: 'events-v2',
        manifestPath: 'm.yaml',
        manifestHash: 'h',
        fleet: '/fleet',
        startedAt: '2026-11-25T08:00:00.000Z',
      });
      expect(run).toBe(2);
    } finally {
      await target.close();
    }
    const again = bufferIO();
    expect(await main(['store', 'migrate', '--from', from, '--to', to], again)).toBe(1);
    expect(again.stderr.join('')).toContain('is not empty (it has a journal or runs)');
  });
});

describe('store export', () => {
  it('writes the history as one JSON file, ids kept', async () => {
    const from = await source();
    const out = join(dir, 'export.json');
    const io = bufferIO();
    expect(await main(['store', 'export', '--state', from, '--out', out], io)).toBe(0);
    const file = JSON.parse(readFileSync(out, 'utf8')) as { format: string; events: { id: number; action: string }[]; claims: unknown[] };
    expect(file.format).toBe('fleetwave-store-export');
    expect(file.events.map((e) => `${e.id}:${e.action}`)).toEqual(['1:open-pr', '2:alert', '3:alert-delivery']);
    expect(file.claims).toHaveLength(1);
    expect(io.stderr.join('')).toContain('exported 3 events, 1 runs');
  });
});
