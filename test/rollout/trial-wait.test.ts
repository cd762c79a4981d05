/**
 * How `runTrial` (src/rollout/trial-run.ts) waits for CI, on the memory forge with a simulated clock:
 * a code host reports no check on a new head for a while, then pending, then a result (GitHub creates
 * check suites some seconds after a push: src/rollout/gates/checks.ts). The checks' answers over time
 * are scripted here per repository over the memory forge's own; the waiting is the engine's.
 */
import { describe, expect, it } from '@jest/globals';
import type { ChangeApplier } from '../../src/codemod/port.js';
import { MemoryForge } from '../../src/forge/memory/memory-forge.js';
import type { CheckState } from '../../src/forge/port.js';
import { manifestSchema } from '../../src/manifest/schema.js';
import type { LoadedManifest } from '../../src/manifest/types.js';
import type { ReconcileDeps } from '../../src/rollout/reconcile.js';
import { runTrial } from '../../src/rollout/trial-run.js';
import { SimulatedClock } from '../../src/simulate/clock.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { silentLogger } from '../../src/util/log.js';

function manifest(): LoadedManifest {
  const m = manifestSchema.parse({
    apiVersion: 'fleetwave/v1',
    kind: 'DatasetMigration',
    metadata: { name: 'events-v2', owner: 'data-platform' },
    dataset: { source: { uri: 'data/events/v1/', format: 'avro' }, target: { uri: 'data/events/v2/', format: 'parquet' } },
    consumers: { discover: [{ search: 'data/events/v1' }] },
    rollout: { canary: 1, waves: ['100%'], soak: '0s', checksGrace: '2m' },
  });
  return { manifest: m, path: 'events-v2.yaml', hash: 'h', text: '' };
}

const change: ChangeApplier = {
  compute: async () => ({
    edits: [{ path: 'config.yaml', before: 'dataset: data/events/v1\n', after: 'dataset: data/events/v2\n' }],
    summaries: [],
    findings: [],
  }),
};

const MIN = 60_000;

describe('runTrial waiting for CI', () => {
  it('waits through none and pending: passes what goes green, says no CI after the grace or at the timeout, deletes every branch', async () => {
    const clock = new SimulatedClock();
    const repos = ['acme/green', 'acme/nothing', 'acme/slow', 'acme/red'];
    const forge = new MemoryForge(
      repos.map((repo) => ({ repo, files: { 'config.yaml': 'dataset: data/events/v1\n' } })),
      { clock, random: () => 0.5 },
    );
    const start = clock.ms();
    // What each repository's CI says of the trial head, by minutes since the push.
    const script: Record<string, (min: number) => CheckState> = {
      'acme/green': (m) => (m < 1 ? 'none' : m < 4 ? 'pending' : 'success'),
      'acme/nothing': () => 'none',
      'acme/slow': (m) => (m < 1 ? 'none' : 'pending'),
      'acme/red': (m) => (m < 3 ? 'pending' : 'failure'),
    };
    forge.getCommitChecks = async (repo) => {
      const state = script[repo]!((clock.ms() - start) / MIN);
      return {
        state,
        runs:
          state === 'none'
            ? []
            : [{ name: 'ci', state, ...(state === 'failure' ? { summary: 'FAIL test/a.test.ts\n  expected v1' } : {}) }],
      };
    };
    const sleeps: number[] = [];
    const deps: ReconcileDeps = { forge, store: new MemoryStore(), changes: change, logger: silentLogger, now: () => clock.now() };
    const report = await runTrial(
      deps,
      manifest(),
      { fleet: 'memory' },
      {
        timeoutMs: 10 * MIN,
        pollMs: 30_000,
        sleep: async (ms) => {
          sleeps.push(ms);
          clock.advance(ms);
        },
      },
    );
    const states = Object.fromEntries(report.results.map((r) => [r.repo, r.state]));
    expect(states).toEqual({ 'acme/green': 'passed', 'acme/nothing': 'no-ci', 'acme/slow': 'no-ci', 'acme/red': 'failed' });
    expect(report.results.find((r) => r.repo === 'acme/nothing')!.reason).toBe('no check reported within 120 s');
    expect(report.results.find((r) => r.repo === 'acme/slow')!.reason).toBe('checks still pending when the trial timed out');
    expect(report.results.find((r) => r.repo === 'acme/red')!.failing).toEqual([
      { name: 'ci', tail: 'FAIL test/a.test.ts\n  expected v1' },
    ]);
    // It polled every 30 s until the 10 min timeout (the slow one kept it waiting), never sleeping past
    // it; the memory forge's requests take simulated time of their own (seconds in all).
    expect(sleeps.every((s) => s <= 30_000)).toBe(true);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(10 * MIN);
    expect(clock.ms() - start).toBeGreaterThanOrEqual(10 * MIN);
    expect(clock.ms() - start).toBeLessThan(10 * MIN + 30_000);
    for (const repo of repos) expect(await forge.getBranch(repo, 'fleetwave-trial/events-v2')).toBeNull();
    expect(report.notDeleted).toEqual([]);
  });

  it('stops waiting once every head settled (at the next poll)', async () => {
    const clock = new SimulatedClock();
    const forge = new MemoryForge([{ repo: 'acme/a', files: { 'config.yaml': 'dataset: data/events/v1\n' } }], {
      clock,
      random: () => 0.5,
    });
    const start = clock.ms();
    forge.getCommitChecks = async () => {
      const state: CheckState = clock.ms() - start < 2 * MIN ? 'pending' : 'success';
      return { state, runs: [{ name: 'ci', state }] };
    };
    const deps: ReconcileDeps = { forge, store: new MemoryStore(), changes: change, logger: silentLogger, now: () => clock.now() };
    const report = await runTrial(deps, manifest(), { fleet: 'memory' }, { pollMs: 30_000, sleep: async (ms) => clock.advance(ms) });
    expect(report.aggregate).toEqual({ total: 1, passed: 1, failed: 0, noCi: 0, errors: 0 });
    expect(clock.ms() - start).toBeGreaterThanOrEqual(2 * MIN);
    expect(clock.ms() - start).toBeLessThan(2 * MIN + 30_000);
  });
});
