/**
 * A consumer whose change set cannot be computed, in-line (no job queue): an error a retry would repeat
 * (the codemod refuses the consumer, a repository that cannot be checked out) fails that target with
 * the reason and the others go on, as a `compute-changes` job's failure does under workers
 * (src/rollout/change-cache.ts); a transient forge error, or an error of unknown kind, still stops the
 * run, to be tried again.
 */
import { describe, expect, it } from '@jest/globals';
import type { ChangeApplier } from '../../src/codemod/port.js';
import { MemoryForge } from '../../src/forge/memory/memory-forge.js';
import { manifestSchema } from '../../src/manifest/schema.js';
import type { LoadedManifest } from '../../src/manifest/types.js';
import type { ReconcileDeps } from '../../src/rollout/reconcile.js';
import { runMigration } from '../../src/rollout/run.js';
import { SimulatedClock } from '../../src/simulate/clock.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { ForgeError, InputError } from '../../src/util/errors.js';
import { silentLogger } from '../../src/util/log.js';

const REPOS = ['acme/a', 'acme/b', 'acme/c'];
const loaded: LoadedManifest = {
  manifest: manifestSchema.parse({
    apiVersion: 'fleetwave/v1',
    kind: 'DatasetMigration',
    metadata: { name: 'events-v2', owner: 'data-platform' },
    dataset: { source: { uri: 'data/events/v1/', format: 'avro' }, target: { uri: 'data/events/v2/', format: 'parquet' }, gate: 'none' },
    consumers: { discover: [{ repos: REPOS }] },
    rollout: { canary: 0, waves: ['100%'], failureThreshold: '100%', automerge: true, checksGrace: '0s' },
  }),
  path: 'events-v2.yaml',
  hash: 'h',
  text: '',
};

function applier(fail: (repo: string) => Error | null): ChangeApplier {
  return {
    compute: async (ctx) => {
      const err = fail(ctx.repo);
      if (err) throw err;
      return {
        edits: [{ path: 'config.yaml', before: 'dataset: data/events/v1\n', after: 'dataset: data/events/v2\n' }],
        summaries: [],
        findings: [],
      };
    },
  };
}

function world(changes: ChangeApplier): ReconcileDeps {
  const clock = new SimulatedClock();
  const forge = new MemoryForge(
    REPOS.map((repo) => ({ repo, files: { 'config.yaml': 'dataset: data/events/v1\n' } })),
    { clock, random: () => 0.5 },
  );
  return { forge, store: new MemoryStore(), changes, logger: silentLogger, now: () => clock.now() };
}

describe('a change set that cannot be computed, in-line', () => {
  it('fails that target with the reason and carries the others on', async () => {
    const deps = world(
      applier((repo) => (repo === 'acme/b' ? new InputError('changes[0]: config.yaml of acme/b is not YAML (line 3)') : null)),
    );
    const summary = await runMigration(deps, loaded, { fleet: 'memory' }, { sleep: async () => undefined });
    expect(summary.targets.map((t) => [t.repo, t.state, t.reason])).toEqual([
      ['acme/a', 'open', 'waiting for checks'],
      ['acme/b', 'failed', 'its changes could not be computed: changes[0]: config.yaml of acme/b is not YAML (line 3)'],
      ['acme/c', 'open', 'waiting for checks'],
    ]);
  });

  it('stops the run on a transient forge error or an error of unknown kind', async () => {
    for (const err of [new ForgeError('GitHub answered 502', true), new Error('bug')]) {
      const deps = world(applier((repo) => (repo === 'acme/b' ? err : null)));
      await expect(runMigration(deps, loaded, { fleet: 'memory' }, { sleep: async () => undefined })).rejects.toThrow(err.message);
    }
  });
});
