/**
 * Reviewers from the catalog owner when CODEOWNERS names nobody, and a catalog that cannot answer
 * never holds a PR back (src/rollout/request-reviewers.ts), on the memory forge.
 */
import { describe, expect, it } from '@jest/globals';
import { MemoryForge } from '../../src/forge/memory/memory-forge.js';
import { manifestSchema } from '../../src/manifest/schema.js';
import { newSession, reconcileOnce, type ReconcileDeps } from '../../src/rollout/reconcile.js';
import { SimulatedClock } from '../../src/simulate/clock.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { silentLogger } from '../../src/util/log.js';
import { replaceChanges } from '../helpers/memory-replace-changes.js';

async function openOnce(ownerOf: NonNullable<ReconcileDeps['ownerOf']>) {
  const clock = new SimulatedClock();
  const forge = new MemoryForge([{ repo: 'acme/recs', files: { 'a.ts': "export const p = 'data/m/v1';\n" } }], {
    clock,
    random: () => 0.5,
  });
  const store = new MemoryStore();
  const manifest = manifestSchema.parse({
    apiVersion: 'fleetwave/v1',
    kind: 'DatasetMigration',
    metadata: { name: 'm', owner: 'data-platform' },
    dataset: { source: { uri: 'data/m/v1/', format: 'avro' }, target: { uri: 'data/m/v2/', format: 'parquet' } },
    consumers: { discover: [{ search: 'data/m/v1' }] },
    changes: [{ replace: { from: 'data/m/v1', to: 'data/m/v2', files: ['**/*'] } }],
    rollout: { canary: 0, waves: ['100%'] },
  });
  const deps: ReconcileDeps = {
    forge,
    store,
    changes: replaceChanges(forge, 'data/m/v1', 'data/m/v2'),
    logger: silentLogger,
    now: () => clock.now(),
    breaker: null,
    ownerOf,
  };
  await reconcileOnce(deps, { manifest, path: 'm.yaml', hash: 'h', text: '' }, { fleet: 'f' }, newSession());
  const events = await store.events({ migration: 'm' });
  return { forge, events: events.filter((e) => e.action === 'request-reviewers'), opened: events.filter((e) => e.action === 'open-pr') };
}

describe('reviewers from the catalog', () => {
  it("asks the catalog owner's team when the repository has no CODEOWNERS", async () => {
    const r = await openOnce(async () => 'group:default/recs-team');
    expect(r.events).toMatchObject([
      { target: 'acme/recs', outcome: 'ok', detail: { users: [], teams: ['recs-team'], source: 'catalog' } },
    ]);
    expect(r.forge.requests.get('requestReviewers')).toBe(1);
  });

  it('a catalog that cannot answer is journalled and the PR stays open', async () => {
    const r = await openOnce(async () => {
      throw new Error('catalog down');
    });
    expect(r.opened).toHaveLength(1);
    expect(r.events).toMatchObject([{ outcome: 'error', detail: { error: 'catalog down', source: 'none' } }]);
    expect(r.forge.requests.get('requestReviewers')).toBeUndefined();
  });
});
