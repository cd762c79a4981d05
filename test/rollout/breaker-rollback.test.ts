/**
 * A rollback a person asked for is a decision, not a failure: its reverts do not count against the
 * fleet's circuit breaker, while reverts Fleetwave makes on its own do.
 */
import { describe, expect, it } from '@jest/globals';
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
    metadata: { name: 'm', owner: 'dana' },
    dataset: { source: { uri: 'data/m/v1/', format: 'avro' }, target: { uri: 'data/m/v2/', format: 'parquet' } },
    consumers: { discover: [{ search: 'data/m/v1' }] },
    changes: [{ replace: { from: 'data/m/v1', to: 'data/m/v2', files: ['**/*'] } }],
    rollout: { canary: 0, waves: ['100%'], soak: '0s', maxOpenPRs: 100, failureThreshold: '100%', automerge: true },
  }),
  path: 'm.yaml',
  hash: 'h',
  text: '',
};

async function mergedFleet() {
  const clock = new SimulatedClock();
  const repos = Array.from({ length: 6 }, (_, i) => `acme/c${i}`);
  const forge = new MemoryForge(
    repos.map((repo) => ({ repo, files: { 'a.ts': "export const p = 'data/m/v1';\n" } })),
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
    breaker: { windowMs: 3_600_000, minFailures: 3, failureRatio: 0.3, coolDownMs: 1_800_000, canaryTimeoutMs: 21_600_000 },
    alerts: [],
  };
  const session = newSession();
  const tick = () => reconcileOnce(deps, loaded, { fleet: 'f' }, session);
  for (let i = 0; i < 6; i++) {
    await tick();
    clock.advance(2 * 60_000);
  }
  return { forge, store, repos, tick };
}

describe('breaker and rollbacks', () => {
  it('does not count the reverts of a rollback asked for by a person, and does count reverts made without one', async () => {
    const { forge, store, repos, tick } = await mergedFleet();
    expect((await tick()).decision.targets.every((t) => t.state === 'merged')).toBe(true);
    const revert = async (repo: string, by: string | null) => {
      const { sha } = await forge.revertPullRequest(repo, 1, 'rollback');
      await store.append({
        at: new Date().toISOString(),
        migration: 'm',
        target: repo,
        action: 'revert',
        outcome: 'ok',
        detail: { pr: 1, sha, reason: 'rollback', ...(by ? { by } : {}) },
        version: 't',
        manifestHash: 'h',
      });
    };
    for (const repo of repos.slice(0, 4)) await revert(repo, 'dana');
    const after = await tick();
    expect(after.decision.targets.filter((t) => t.state === 'reverted')).toHaveLength(4);
    expect((await store.events({ migration: 'm' })).filter((e) => e.action === 'failure')).toHaveLength(0);
    expect((await store.getBreaker('f')).state).toBe('closed');
    // Reverts journalled without a person (as Fleetwave's own are) are failures (2 of 8 outcomes: below the threshold).
    for (const repo of repos.slice(4)) await revert(repo, null);
    await tick();
    expect((await store.events({ migration: 'm' })).filter((e) => e.action === 'failure').map((e) => e.target)).toEqual([
      'acme/c4',
      'acme/c5',
    ]);
    expect((await store.getBreaker('f')).state).toBe('closed');
  });
});
