/**
 * Code search is reused for `consumers.searchEvery` (GitHub allows 10 code searches a minute): a
 * reconcile within that time answers discovery from the journalled result, a later one searches again.
 */
import { describe, expect, it } from '@jest/globals';
import type { ChangeApplier } from '../../src/codemod/port.js';
import { MemoryForge } from '../../src/forge/memory/memory-forge.js';
import { manifestSchema } from '../../src/manifest/schema.js';
import type { LoadedManifest } from '../../src/manifest/types.js';
import { reconcileOnce, type ReconcileDeps } from '../../src/rollout/reconcile.js';
import { SimulatedClock } from '../../src/simulate/clock.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { silentLogger } from '../../src/util/log.js';

function manifest(searchEvery?: string): LoadedManifest {
  const m = manifestSchema.parse({
    apiVersion: 'fleetwave/v1',
    kind: 'DatasetMigration',
    metadata: { name: 'events-v2', owner: 'data-platform' },
    dataset: { source: { uri: 'data/events/v1/', format: 'avro' }, target: { uri: 'data/events/v2/', format: 'parquet' } },
    consumers: { discover: [{ search: 'data/events/v1' }], ...(searchEvery ? { searchEvery } : {}) },
    rollout: { canary: 1, waves: ['100%'], soak: '0s' },
  });
  return { manifest: m, path: 'events-v2.yaml', hash: 'h', text: '' };
}

/** Nothing to change anywhere: the reconcile only observes. */
const noChanges: ChangeApplier = { compute: async () => ({ edits: [], summaries: [], findings: [] }) };

function setup() {
  const clock = new SimulatedClock();
  const forge = new MemoryForge(
    [0, 1, 2].map((i) => ({ repo: `acme/c${i}`, files: { 'config.yaml': 'dataset: data/events/v1\n' } })),
    { clock, random: () => 0.5 },
  );
  const searches: string[] = [];
  const search = forge.searchCode.bind(forge);
  forge.searchCode = async (text: string) => {
    searches.push(text);
    return search(text);
  };
  const store = new MemoryStore();
  const deps: ReconcileDeps = { forge, store, changes: noChanges, logger: silentLogger, now: () => clock.now() };
  return { clock, searches, store, deps };
}

describe('consumers.searchEvery', () => {
  it('defaults to 30m: a reconcile within it reuses the journalled search, a later one searches again', async () => {
    const { clock, searches, store, deps } = setup();
    const m = manifest();
    expect(m.manifest.consumers.searchEvery).toBe('30m');
    const first = await reconcileOnce(deps, m, { fleet: 'memory' });
    expect(searches).toHaveLength(1);
    expect(first.observation.discovery.consumers).toEqual(['acme/c0', 'acme/c1', 'acme/c2']);
    expect((await store.events({ migration: 'events-v2' })).filter((e) => e.action === 'search').map((e) => e.detail)).toEqual([
      { text: 'data/events/v1', repos: ['acme/c0', 'acme/c1', 'acme/c2'] },
    ]);

    clock.advance(29 * 60_000);
    const second = await reconcileOnce(deps, m, { fleet: 'memory' });
    expect(searches).toHaveLength(1);
    expect(second.observation.discovery.consumers).toEqual(first.observation.discovery.consumers);

    clock.advance(2 * 60_000);
    await reconcileOnce(deps, m, { fleet: 'memory' });
    expect(searches).toHaveLength(2);
  });

  it('0s searches on every reconcile; a dry run journals nothing', async () => {
    const { searches, store, deps } = setup();
    await reconcileOnce(deps, manifest('0s'), { fleet: 'memory' });
    await reconcileOnce(deps, manifest('0s'), { fleet: 'memory' });
    expect(searches).toHaveLength(2);
    const dry = setup();
    await reconcileOnce(dry.deps, manifest(), { fleet: 'memory', dryRun: true });
    await reconcileOnce(dry.deps, manifest(), { fleet: 'memory', dryRun: true });
    expect(dry.searches).toHaveLength(2);
    expect(await dry.store.events({ migration: 'events-v2' })).toEqual([]);
    expect((await store.events({ migration: 'events-v2' })).filter((e) => e.action === 'search')).toHaveLength(2);
  });
});
