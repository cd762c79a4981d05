import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JSON_STORE_FORMAT, JSON_STORE_VERSION, openJsonFileStore } from '../../src/store/json-file/json-file-store.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import type { JournalEvent, Store } from '../../src/store/port.js';
import { StateError } from '../../src/util/errors.js';

let dir: string;
let file: string;

function event(over: Partial<JournalEvent> = {}): JournalEvent {
  return {
    at: '2026-11-24T08:00:00.000Z',
    migration: 'play-events-v2',
    target: 'acme/recs',
    action: 'open-pr',
    outcome: 'ok',
    detail: { pr: 1 },
    version: '0.1.0',
    manifestHash: 'abc123',
    ...over,
  };
}

const run = (migration: string) => ({
  migration,
  manifestPath: `m/${migration}.yaml`,
  manifestHash: `h-${migration}`,
  fleet: 'github:acme',
  startedAt: '2026-11-24T08:00:00.000Z',
});

/** The same operations, for comparing the JSON store with the memory store. */
async function exercise(store: Store): Promise<void> {
  await store.append(event({ target: 'acme/recs' }));
  await store.append(event({ target: 'acme/charts', detail: { pr: 2 } }));
  const a = await store.startRun(run('play-events-v2'));
  await store.append(event({ target: null, action: 'pause', outcome: 'skipped', detail: { wave: 1 } }));
  await store.append(event({ migration: 'other', action: 'merge', outcome: 'error' }));
  const b = await store.startRun(run('other'));
  await store.finishRun(a, 'paused', { state: 'paused', targets: 2 });
  await store.startRun(run('play-events-v2'));
  await store.finishRun(b, 'completed', null);
  await store.setControl({
    migration: 'play-events-v2',
    pausedBy: 'octocat',
    pausedReason: 'wave 1',
    acceptedWaves: [1],
    updatedAt: '2026-11-24T09:00:00.000Z',
  });
}

/** Everything a store answers, minus the clock-stamped finishedAt. */
async function observable(store: Store) {
  const strip = (rs: Awaited<ReturnType<Store['runs']>>) => rs.map(({ finishedAt, ...r }) => ({ ...r, finished: finishedAt !== null }));
  return {
    events: await store.events(),
    byMigration: await store.events({ migration: 'play-events-v2' }),
    byTarget: await store.events({ target: 'acme/recs' }),
    last2: await store.events({ limit: 2 }),
    runs: strip(await store.runs()),
    runsOfOne: strip(await store.runs({ migration: 'play-events-v2', limit: 1 })),
    migrations: strip(await store.migrations()),
    control: await store.getControl('play-events-v2'),
    never: await store.getControl('never-seen'),
  };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleetwave-json-store-'));
  file = join(dir, 'state', 'fleetwave-state.json');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('openJsonFileStore', () => {
  it('answers exactly as the memory store does, and again after being closed and reopened', async () => {
    const memory = new MemoryStore();
    await exercise(memory);
    const store = openJsonFileStore(file);
    await exercise(store);
    expect(await observable(store)).toEqual(await observable(memory));
    await store.close();

    const reopened = openJsonFileStore(file);
    expect(await observable(reopened)).toEqual(await observable(memory));
    expect((await reopened.runs()).find((r) => r.state === 'paused')?.finishedAt).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
    // Numbering continues where the journal ended: append-only.
    await reopened.append(event({ action: 'comment' }));
    expect((await reopened.events({ limit: 1 }))[0]).toMatchObject({ id: 5, action: 'comment' });
    await reopened.close();
  });

  it('writes a JSON file with its format and version, through a temp file that does not stay behind', async () => {
    const store = openJsonFileStore(file);
    expect(existsSync(file)).toBe(false);
    await store.append(event());
    await store.setControl({
      migration: 'play-events-v2',
      pausedBy: null,
      pausedReason: null,
      acceptedWaves: [2],
      updatedAt: '2026-11-24T09:00:00.000Z',
    });
    const data = JSON.parse(readFileSync(file, 'utf8')) as { format: string; version: number; events: unknown[]; controls: unknown[] };
    expect(data).toMatchObject({ format: JSON_STORE_FORMAT, version: JSON_STORE_VERSION });
    expect(data.events).toHaveLength(1);
    expect(data.controls).toEqual([
      { migration: 'play-events-v2', pausedBy: null, pausedReason: null, acceptedWaves: [2], updatedAt: '2026-11-24T09:00:00.000Z' },
    ]);
    await store.close();
    expect(readdirSync(join(dir, 'state'))).toEqual(['fleetwave-state.json']);
  });

  it('coalesces appends into one write on the next turn of the event loop', async () => {
    const store = openJsonFileStore(file);
    for (let i = 0; i < 50; i++) await store.append(event({ detail: { n: i } }));
    expect(existsSync(file)).toBe(false);
    await new Promise((r) => setImmediate(r));
    expect((JSON.parse(readFileSync(file, 'utf8')) as { events: unknown[] }).events).toHaveLength(50);
    await store.close();
    await expect(store.append(event())).rejects.toThrow(/closed/);
  });

  it('refuses a file that is not a store, naming it and saying that deleting it loses only history', () => {
    writeFileSync(join(dir, 'notes.json'), 'not json at all');
    expect(() => openJsonFileStore(join(dir, 'notes.json'))).toThrow(StateError);
    expect(() => openJsonFileStore(join(dir, 'notes.json'))).toThrow(/notes\.json is not a Fleetwave JSON store.*only history is lost/);
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ users: [] }));
    expect(() => openJsonFileStore(join(dir, 'other.json'))).toThrow(/not a Fleetwave JSON store/);
    expect(readFileSync(join(dir, 'other.json'), 'utf8')).toBe('{"users":[]}');
  });

  it('refuses a store written by a newer Fleetwave, a journal with a gap, and a folder', () => {
    const newer = join(dir, 'newer.json');
    writeFileSync(
      newer,
      JSON.stringify({ format: JSON_STORE_FORMAT, version: JSON_STORE_VERSION + 1, events: [], runs: [], controls: [] }),
    );
    expect(() => openJsonFileStore(newer)).toThrow(/newer Fleetwave.*upgrade/);
    const gap = join(dir, 'gap.json');
    writeFileSync(gap, JSON.stringify({ format: JSON_STORE_FORMAT, version: 1, events: [{ ...event(), id: 2 }], runs: [], controls: [] }));
    expect(() => openJsonFileStore(gap)).toThrow(/append-only/);
    expect(() => openJsonFileStore(dir)).toThrow(/is a folder/);
  });
});
