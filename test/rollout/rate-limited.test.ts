/**
 * A forge still rate limited after the waits it was asked for (RateLimitedError: GitHub's REST 403/429
 * and GraphQL RATE_LIMITED answers, src/forge/github/request-budget.ts) ends the tick with its message:
 * no look at the target again and no retry within the run, since GitHub bans integrations that keep
 * retrying while rate limited. The next tick goes on.
 */
import { describe, expect, it } from '@jest/globals';
import type { ChangeApplier } from '../../src/codemod/port.js';
import { MemoryForge } from '../../src/forge/memory/memory-forge.js';
import { RateLimitedError } from '../../src/forge/port.js';
import { manifestSchema } from '../../src/manifest/schema.js';
import type { LoadedManifest } from '../../src/manifest/types.js';
import { reconcileOnce, type ReconcileDeps } from '../../src/rollout/reconcile.js';
import { runMigration } from '../../src/rollout/run.js';
import { SimulatedClock } from '../../src/simulate/clock.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { silentLogger } from '../../src/util/log.js';

const loaded: LoadedManifest = {
  manifest: manifestSchema.parse({
    apiVersion: 'fleetwave/v1',
    kind: 'DatasetMigration',
    metadata: { name: 'events-v2', owner: 'data-platform' },
    dataset: { source: { uri: 'data/events/v1/', format: 'avro' }, target: { uri: 'data/events/v2/', format: 'parquet' } },
    consumers: { discover: [{ repos: ['acme/c0'] }] },
    rollout: { canary: 0, waves: ['100%'] },
  }),
  path: 'events-v2.yaml',
  hash: 'h',
  text: '',
};

const oneEdit: ChangeApplier = {
  compute: async () => ({
    edits: [{ path: 'config.yaml', before: 'dataset: data/events/v1\n', after: 'dataset: data/events/v2\n' }],
    summaries: [],
    findings: [],
  }),
};

describe('a forge still rate limited after its waits', () => {
  it('ends the tick with its message, without asking the forge again, and the next tick goes on', async () => {
    const clock = new SimulatedClock();
    const forge = new MemoryForge([{ repo: 'acme/c0', files: { 'config.yaml': 'dataset: data/events/v1\n' } }], {
      clock,
      random: () => 0.5,
    });
    let lookups = 0;
    const find = forge.findPullRequests.bind(forge);
    forge.findPullRequests = async (repos, branch) => {
      lookups++;
      return find(repos, branch);
    };
    const push = forge.pushChanges.bind(forge);
    let limited = true;
    forge.pushChanges = async (request) => {
      if (limited)
        throw new RateLimitedError('GitHub rate limit: POST /repos/acme/c0/git/trees was still rate limited after 3 waits', true);
      return push(request);
    };
    const store = new MemoryStore();
    const deps: ReconcileDeps = { forge, store, changes: oneEdit, logger: silentLogger, now: () => clock.now() };

    await expect(runMigration(deps, loaded, { fleet: 'memory' }, { sleep: async () => undefined })).rejects.toThrow(
      /still rate limited after 3 waits/,
    );
    expect(lookups).toBe(1);
    expect((await store.runs({ migration: 'events-v2' })).map((r) => [r.state, r.summary])).toEqual([
      ['failed', { error: expect.stringMatching(/still rate limited after 3 waits/) }],
    ]);

    limited = false;
    const next = await reconcileOnce(deps, loaded, { fleet: 'memory' });
    expect(next.executed.map((a) => a.kind)).toEqual(['open']);
  });
});
