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
function exercise(store: Store): void {
  store.append(event({ target: 'acme/recs' }));
  store.append(event({ target: 'acme/charts', detail: { pr: 2 } }));
  const a = store.startRun(run('play-events-v2'));
  store.append(event({ target: null, action: 'pause', outcome: 'skipped', detail: { wave: 1 } }));
  store.append(event({ migration: 'other', action: 'merge', outcome: 'error' }));
  const b = store.startRun(run('other'));
  store.finishRun(a, 'paused', { state: 'paused', targets: 2 });
  store.startRun(run('play-events-v2'));
  store.finishRun(b, 'completed', null);
  store.setControl({
    migration: 'play-events-v2',
    pausedBy: 'octocat',
    pausedReason: 'wave 1',
    acceptedWaves: [1],
    updatedAt: '2026-11-24T09:00:00.000Z',
  });
}

/** Everything a store answers, minus the clock-stamped finishedAt. */
function observable(store: Store) {
  const strip = (rs: ReturnType<Store['runs']>) => rs.map(({ finishedAt, ...r }) => ({ ...r, finished: finishedAt !== null }));
  return {
    events: store.events(),
    byMigration: store.events({ migration: 'play-events-v2' }),
    byTarget: store.events({ target: 'acme/recs' }),
    last2: store.events({ limit: 2 }),
    runs: strip(store.runs()),
    runsOfOne: strip(store.runs({ migration: 'play-events-v2', limit: 1 })),
    migrations: strip(store.migrations()),
    control: store.getControl('play-events-v2'),
    never: store.getControl('never-seen'),
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
  it('answers exactly as the memory store does, and again after being closed and reopened', () => {
    const memory = new MemoryStore();
    exercise(memory);
    const store = openJsonFileStore(file);
    exercise(store);
    expect(observable(store)).toEqual(observable(memory));
    store.close();

    const reopened = openJsonFileStore(file);
    expect(observable(reopened)).toEqual(observable(memory));
    expect(reopened.runs().find((r) => r.state === 'paused')?.finishedAt).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
    // Numbering continues where the journal ended: append-only.
    reopened.append(event({ action: 'comment' }));
    expect(reopened.events({ limit: 1 })[0]).toMatchObject({ id: 5, action: 'comment' });
    reopened.close();
  });

  it('writes a JSON file with its format and version, through a temp file that does not stay behind', () => {
    const store = openJsonFileStore(file);
    expect(existsSync(file)).toBe(false);
    store.append(event());
    store.setControl({
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
    store.close();
    expect(readdirSync(join(dir, 'state'))).toEqual(['fleetwave-state.json']);
  });

  it('coalesces appends into one write on the next turn of the event loop', async () => {
    const store = openJsonFileStore(file);
    for (let i = 0; i < 50; i++) store.append(event({ detail: { n: i } }));
    expect(existsSync(file)).toBe(false);
    await new Promise((r) => setImmediate(r));
    expect((JSON.parse(readFileSync(file, 'utf8')) as { events: unknown[] }).events).toHaveLength(50);
    store.close();
    expect(() => store.append(event())).toThrow(/closed/);
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
