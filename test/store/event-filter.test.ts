/**
 * `Store.events(filter)` answers the same in every store (memory: from its indexes; JSON file: the
 * memory store behind a file; SQLite: a real file, by its indexes; PostgreSQL: a real server): for every combination of
 * migration, target, afterId and limit, exactly the events a plain scan of the journal selects, oldest
 * first, and with `limit` the newest `limit` of them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../../src/simulate/prng.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import type { EventFilter, JournalEvent, StoredEvent } from '../../src/store/port.js';
import { cleanUpStores, storeKinds } from './store-kinds.js';

const MIGRATIONS = ['events-v2', 'orders-v3', 'users-v1'];
const TARGETS = ['acme/a', 'acme/b', 'acme/c', 'acme/d', 'acme/e'];

/** A journal of 240 events over three migrations and five targets (and migration-wide events), seeded. */
function journal(): JournalEvent[] {
  const random = mulberry32(11);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  return Array.from({ length: 240 }, (_, i) => ({
    at: new Date(Date.UTC(2026, 10, 24, 8, 0, i)).toISOString(),
    migration: pick(MIGRATIONS),
    target: random() < 0.15 ? null : pick(TARGETS),
    action: pick(['open-pr', 'merge', 'rerun-checks', 'search', 'pause']),
    outcome: 'ok',
    detail: { n: i },
    version: '0.1.0',
    manifestHash: 'h',
  }));
}

/** What the filter means, by a scan of the whole journal. */
function scan(all: readonly StoredEvent[], f: EventFilter): StoredEvent[] {
  const out = all.filter(
    (e) =>
      (f.migration === undefined || e.migration === f.migration) &&
      (f.target === undefined || e.target === f.target) &&
      (f.afterId === undefined || e.id > f.afterId),
  );
  return f.limit === undefined ? out : out.slice(Math.max(0, out.length - f.limit));
}

function filters(): EventFilter[] {
  const out: EventFilter[] = [];
  for (const migration of [undefined, ...MIGRATIONS, 'never-seen'])
    for (const target of [undefined, ...TARGETS.slice(0, 3), 'acme/never'])
      for (const afterId of [undefined, 0, 97, 239, 240])
        for (const limit of [undefined, 1, 7, 1000]) {
          const f: EventFilter = {};
          if (migration !== undefined) f.migration = migration;
          if (target !== undefined) f.target = target;
          if (afterId !== undefined) f.afterId = afterId;
          if (limit !== undefined) f.limit = limit;
          out.push(f);
        }
  return out;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleetwave-event-filter-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await cleanUpStores();
});

describe.each(storeKinds('test/store/event-filter.test.ts'))('%s store: events(filter)', (_kind, make) => {
  it('selects what a scan selects for every migration, target, afterId and limit, oldest first', async () => {
    const store = await (await make()).open();
    try {
      for (const e of journal()) await store.append(e);
      const all = await store.events();
      expect(all.map((e) => e.id)).toEqual(Array.from({ length: 240 }, (_, i) => i + 1));
      for (const f of filters())
        expect({ f, got: (await store.events(f)).map((e) => e.id) }).toEqual({ f, got: scan(all, f).map((e) => e.id) });
    } finally {
      await store.close();
    }
  });

  it("finds one target's events of one migration, and the newest of them with a limit", async () => {
    const store = await (await make()).open();
    try {
      const at = '2026-11-24T08:00:00.000Z';
      const base = { at, outcome: 'ok' as const, detail: {}, version: '0.1.0', manifestHash: 'h' };
      await store.append({ ...base, migration: 'm', target: 'acme/x', action: 'open-pr' });
      await store.append({ ...base, migration: 'm', target: 'acme/y', action: 'open-pr' });
      await store.append({ ...base, migration: 'other', target: 'acme/x', action: 'open-pr' });
      await store.append({ ...base, migration: 'm', target: null, action: 'pause' });
      await store.append({ ...base, migration: 'm', target: 'acme/x', action: 'rerun-checks' });
      await store.append({ ...base, migration: 'm', target: 'acme/x', action: 'merge' });
      const ids = async (f: EventFilter) => (await store.events(f)).map((e) => `${e.id}:${e.action}`);
      expect(await ids({ migration: 'm', target: 'acme/x' })).toEqual(['1:open-pr', '5:rerun-checks', '6:merge']);
      expect(await ids({ migration: 'm', target: 'acme/x', limit: 2 })).toEqual(['5:rerun-checks', '6:merge']);
      expect(await ids({ migration: 'm', target: 'acme/x', afterId: 1 })).toEqual(['5:rerun-checks', '6:merge']);
      expect(await ids({ migration: 'm', afterId: 4 })).toEqual(['5:rerun-checks', '6:merge']);
      expect(await ids({ migration: 'm', limit: 1 })).toEqual(['6:merge']);
      expect(await ids({ migration: 'other', target: 'acme/y' })).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

describe('memory store from a snapshot', () => {
  it('indexes the events it starts from as it does appended ones', async () => {
    const first = new MemoryStore();
    for (const e of journal()) await first.append(e);
    const second = new MemoryStore(first.snapshot());
    await second.append({ ...journal()[0]!, migration: 'events-v2', target: 'acme/a' });
    for (const f of filters()) expect((await second.events(f)).map((e) => e.id)).toEqual(scan(await second.events(), f).map((e) => e.id));
    expect((await second.events({ migration: 'events-v2', target: 'acme/a' })).at(-1)?.id).toBe(241);
  });
});
