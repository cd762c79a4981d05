/**
 * A code search the forge says may be partial (GitHub's `incomplete_results: true`, a search that ran
 * out of time, "REST API endpoints for search"): the reconcile journals it on the `search` event, logs
 * a warning, and the run summary says discovery may be partial, also while the journalled answer is
 * reused within `consumers.searchEvery`. An older journal's search event (no `incomplete`) still reads.
 */
import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import type { ChangeApplier } from '../../src/codemod/port.js';
import { MemoryForge } from '../../src/forge/memory/memory-forge.js';
import { manifestSchema } from '../../src/manifest/schema.js';
import type { LoadedManifest } from '../../src/manifest/types.js';
import { renderRunSummary } from '../../src/report/run-summary.js';
import { reconcileOnce, summarize, type ReconcileDeps } from '../../src/rollout/reconcile.js';
import { SimulatedClock } from '../../src/simulate/clock.js';
import { writeEvent } from '../../src/store/journal-events.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';

function manifest(): LoadedManifest {
  const m = manifestSchema.parse({
    apiVersion: 'fleetwave/v1',
    kind: 'DatasetMigration',
    metadata: { name: 'events-v2', owner: 'data-platform' },
    dataset: { source: { uri: 'data/events/v1/', format: 'avro' }, target: { uri: 'data/events/v2/', format: 'parquet' } },
    consumers: { discover: [{ search: 'data/events/v1' }], searchEvery: '30m' },
    rollout: { canary: 1, waves: ['100%'], soak: '0s' },
  });
  return { manifest: m, path: 'events-v2.yaml', hash: 'h', text: '' };
}

/** Nothing to change anywhere: the reconcile only observes. */
const noChanges: ChangeApplier = { compute: async () => ({ edits: [], summaries: [], findings: [] }) };

function setup(incompleteSearch?: { found: number }) {
  const clock = new SimulatedClock();
  const forge = new MemoryForge(
    [0, 1, 2].map((i) => ({ repo: `acme/c${i}`, files: { 'config.yaml': 'dataset: data/events/v1\n' } })),
    { clock, random: () => 0.5, ...(incompleteSearch ? { incompleteSearch } : {}) },
  );
  const store = new MemoryStore();
  const logged: { level: number; msg: string; search?: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line) as (typeof logged)[number]) });
  const deps: ReconcileDeps = { forge, store, changes: noChanges, logger, now: () => clock.now() };
  const searches = async () => (await store.events({ migration: 'events-v2' })).filter((e) => e.action === 'search').map((e) => e.detail);
  const tick = async () => {
    const loaded = manifest();
    const options = { fleet: 'memory' };
    const result = await reconcileOnce(deps, loaded, options);
    return { ...result, summary: summarize(loaded, options, store, result.decision, result.observation, deps.now()) };
  };
  return { clock, store, deps, logged, searches, tick };
}

describe('a partial code search', () => {
  it('is journalled on the search event, logged as a warning and named in the run summary, also when reused', async () => {
    const { clock, logged, searches, tick } = setup({ found: 2 });
    const first = await tick();
    expect(await searches()).toEqual([{ text: 'data/events/v1', repos: ['acme/c0', 'acme/c1'], incomplete: true }]);
    expect(logged.filter((l) => l.level === 40).map((l) => [l.search, l.msg])).toEqual([
      ['data/events/v1', expect.stringMatching(/^code search answered incompletely/)],
    ]);
    expect(first.summary.searchIncomplete).toEqual(['data/events/v1']);
    expect(renderRunSummary(first.summary)).toContain(
      '  discovery may be partial: the code search for "data/events/v1" answered incompletely (it ran out of time)',
    );

    // Within searchEvery the journalled answer is reused: still partial, and still said.
    clock.advance(60_000);
    const second = await tick();
    expect(await searches()).toHaveLength(1);
    expect(second.summary.searchIncomplete).toEqual(['data/events/v1']);
  });

  it('says nothing of a complete search, nor of an older journal search event that has no incomplete field', async () => {
    const { clock, store, logged, searches, tick } = setup();
    // A search event as journals before this field wrote it.
    await writeEvent(
      store,
      { at: new Date(clock.now().getTime() - 60_000).toISOString(), migration: 'events-v2', manifestHash: 'h' },
      { target: null, action: 'search', outcome: 'ok', detail: { text: 'data/events/v1', repos: ['acme/c0'] } },
    );
    const reused = await tick();
    expect(reused.observation.discovery.consumers).toEqual(['acme/c0']);
    expect(reused.summary.searchIncomplete).toBeUndefined();
    expect(renderRunSummary(reused.summary)).not.toContain('discovery may be partial');
    expect(logged.filter((l) => l.level === 40)).toEqual([]);
    expect(await searches()).toHaveLength(1);
  });
});
