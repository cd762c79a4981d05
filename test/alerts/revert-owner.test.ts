/**
 * A revert alert tells the reverted repository's owner too (the catalog's `ownerOf`), besides the
 * migration's owner; a catalog that cannot answer does not hold the alert back.
 */
import { describe, expect, it } from '@jest/globals';
import { raisedAlerts } from '../../src/alerts/outbox.js';
import { MemoryForge } from '../../src/forge/memory/memory-forge.js';
import { replaceChanges } from '../helpers/memory-replace-changes.js';
import { manifestSchema } from '../../src/manifest/schema.js';
import type { LoadedManifest } from '../../src/manifest/types.js';
import { newSession, reconcileOnce, type ReconcileDeps } from '../../src/rollout/reconcile.js';
import { SimulatedClock } from '../../src/simulate/clock.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { silentLogger } from '../../src/util/log.js';

const loaded: LoadedManifest = {
  manifest: manifestSchema.parse({
    apiVersion: 'fleetwave/v1',
    kind: 'DatasetMigration',
    metadata: { name: 'm', owner: 'data-platform' },
    dataset: { source: { uri: 'data/m/v1/', format: 'avro' }, target: { uri: 'data/m/v2/', format: 'parquet' } },
    consumers: { discover: [{ search: 'data/m/v1' }] },
    changes: [{ replace: { from: 'data/m/v1', to: 'data/m/v2', files: ['**/*'] } }],
    rollout: { canary: 0, waves: ['100%'], soak: '1h', maxOpenPRs: 100, failureThreshold: '100%', automerge: true, reviewers: 'none' }, // merges are verified during the soak; reviewers: none keeps the catalog's lookups to the alert's
  }),
  path: 'm.yaml',
  hash: 'h',
  text: '',
};

/** Rolls a two-repo fleet out until acme/broken, which passes its PR's checks and fails after the merge, is reverted. */
async function rollOut(ownerOf: ReconcileDeps['ownerOf']) {
  const clock = new SimulatedClock();
  const forge = new MemoryForge(
    [
      { repo: 'acme/broken', files: { 'a.ts': "export const p = 'data/m/v1';\n" }, failsAfterMerge: true },
      { repo: 'acme/fine', files: { 'a.ts': "export const p = 'data/m/v1';\n" } },
    ],
    { clock, random: () => 0.99, checkDurationMs: 60_000 },
  );
  const changes = replaceChanges(forge, 'data/m/v1', 'data/m/v2');

  const store = new MemoryStore();
  const deps: ReconcileDeps = {
    forge,
    store,
    changes,
    logger: silentLogger,
    now: () => clock.now(),
    breaker: null,
    alerts: [],
    ...(ownerOf ? { ownerOf } : {}),
  };
  const session = newSession();
  for (let i = 0; i < 8; i++) {
    await reconcileOnce(deps, loaded, { fleet: 'f' }, session);
    clock.advance(2 * 60_000);
  }
  return (await raisedAlerts(store)).filter((r) => r.alert.kind === 'revert').map((r) => r.alert);
}

describe('revert alerts', () => {
  it("name the reverted repository's owner from the catalog beside the migration's owner", async () => {
    const asked: string[] = [];
    const alerts = await rollOut(async (repo) => {
      asked.push(repo);
      return repo === 'acme/broken' ? 'group:default/recs-team' : null;
    });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ target: 'acme/broken', owners: ['data-platform', 'group:default/recs-team'] });
    expect(asked).toEqual(['acme/broken']);
  });

  it("keep the migration's owner alone when the catalog has no owner or fails", async () => {
    expect((await rollOut(async () => null))[0]).toMatchObject({ target: 'acme/broken', owners: ['data-platform'] });
    expect((await rollOut(async () => Promise.reject(new Error('catalog down'))))[0]).toMatchObject({
      target: 'acme/broken',
      owners: ['data-platform'],
    });
    expect((await rollOut(undefined))[0]).toMatchObject({ target: 'acme/broken', owners: ['data-platform'] });
  });
});
