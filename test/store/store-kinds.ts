/**
 * Every store behind the port, for the conformance tests that hold them all to one contract: memory,
 * JSON file and SQLite (real files in a temp folder), and PostgreSQL (a fresh database on a real server,
 * test/store/postgres-test-db.ts) when there is one. `make()` gives a new, empty store and a way to
 * reopen it (null for the memory store, which keeps nothing).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WithBudgetLedger } from '../../src/store/budget-ledger.js';
import { openJsonFileStore } from '../../src/store/json-file/json-file-store.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import type { ChangeSetCache, ReconcileQueue, Store } from '../../src/store/port.js';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { dropDatabases, freshDatabase, sayWhenSkipped, WITH_POSTGRES } from './postgres-test-db.js';

export type QueueStore = Store & ReconcileQueue & WithBudgetLedger & ChangeSetCache;

export interface StoreUnderTest {
  /** Opens the store (again, for a durable one: the same file or database). */
  open(): Promise<QueueStore>;
  /** Whether a reopened store has what the closed one held. */
  durable: boolean;
  /** The SQLite file or PostgreSQL URL (for raw connections), null for memory. */
  where: string | null;
}

export type StoreKind = 'memory' | 'json-file' | 'sqlite' | 'postgres';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fleetwave-store-kind-'));
  dirs.push(dir);
  return dir;
}

const makers: Record<StoreKind, (now?: () => Date) => Promise<StoreUnderTest>> = {
  memory: async () => {
    const s = new MemoryStore();
    return { open: async () => s, durable: false, where: null };
  },
  'json-file': async () => {
    const file = join(tempDir(), 'state.json');
    return { open: async () => openJsonFileStore(file), durable: true, where: file };
  },
  sqlite: async (now) => {
    const file = join(tempDir(), 'fleetwave.sqlite');
    return { open: async () => openSqliteStore(file, now ? { now } : {}), durable: true, where: file };
  },
  postgres: async (now) => {
    const url = await freshDatabase();
    return { open: () => openPostgresStore(url, now ? { now } : {}), durable: true, where: url };
  },
};

/** The kinds to run here: all four, PostgreSQL only with a server (see postgres-test-db.ts). */
export function storeKinds(file: string): [StoreKind, (now?: () => Date) => Promise<StoreUnderTest>][] {
  sayWhenSkipped(file);
  const kinds: StoreKind[] = ['memory', 'json-file', 'sqlite', ...(WITH_POSTGRES ? (['postgres'] as const) : [])];
  return kinds.map((k) => [k, makers[k]]);
}

/** Removes the temp folders and PostgreSQL databases (call in afterAll, stores closed). */
export async function cleanUpStores(): Promise<void> {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  await dropDatabases();
}
