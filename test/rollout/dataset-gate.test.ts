/**
 * The dataset gate (issue 15): decide's rule over the tick's actions, and what the tick reads.
 * The end-to-end runs on a local fleet and a local lake are dataset-gate-fleet.test.ts.
 */
import { describe, expect, it } from '@jest/globals';
import type { PullRequestInfo } from '../../src/forge/port.js';
import type { VerificationRecord } from '../../src/data/verification-record.js';
import { decide, type DatasetGateView, type DecideInput, type TargetView } from '../../src/rollout/decide.js';
import { datasetView } from '../../src/rollout/dataset-gate.js';
import { renderDataEvidence } from '../../src/report/pull-request.js';
import { renderDatasetGate } from '../../src/report/run-summary.js';
import { datasetLocation } from '../../src/composition/dataset-gate.js';
import { parseManifest } from '../../src/manifest/load.js';
import { manifestText } from '../helpers/local-fleet.js';

const now = new Date('2026-11-24T12:00:00Z');
const control = { pausedBy: null, pausedReason: null, acceptedWaves: [] as number[] };

function pr(repo: string, state: PullRequestInfo['state'], checks: PullRequestInfo['checks']['state'], number = 1): PullRequestInfo {
  return {
    repo,
    number,
    url: `u/${repo}`,
    state,
    title: 't',
    body: 'b',
    branch: 'fleetwave/m',
    baseBranch: 'main',
    headSha: 'h1',
    createdAt: now.toISOString(),
    mergedAt: state === 'merged' ? now.toISOString() : undefined,
    checks: { state: checks, runs: [] },
    reviews: [],
  };
}
function view(repo: string, wave: number | null, p: PullRequestInfo | null = null): TargetView {
  return { repo, wave, blocking: [], hasChanges: true, pr: p, branch: null, error: null };
}
const input = (targets: TargetView[], dataset: DatasetGateView | undefined, revertOnFailure = false): DecideInput => ({
  migration: 'm',
  targets,
  waveCount: 3,
  policy: { automerge: true, failureThreshold: 0.5, soakMs: 0, maxOpenPRs: 25, revertOnFailure },
  control,
  now,
  ...(dataset ? { dataset } : {}),
});

const evidence = {
  target: '/lake/data/events/v2/',
  record: '/lake/data/events/v2/_fleetwave/verification.json',
  sourceRows: 1000,
  targetRows: 1000,
  files: 2,
  checksumsMatch: true,
  mismatchedRows: 0,
  verifiedAt: '2026-11-24T11:00:00.000Z',
  reportUrl: null,
  reasons: [] as string[],
};
const verified: DatasetGateView = { state: 'verified', reason: null, evidence };
const missing: DatasetGateView = { state: 'missing', reason: 'waiting for the dataset: no verification record at x', evidence: null };
const failed: DatasetGateView = {
  state: 'failed',
  reason: 'the target dataset failed verification: row counts differ (1000 vs 999)',
  evidence: { ...evidence, targetRows: 999, checksumsMatch: false, reasons: ['row counts differ (1000 vs 999)'] },
};

describe('the dataset gate in decide', () => {
  const fresh = [view('a/c', 0), view('a/x', 1)];

  it('verified: the canary opens', () => {
    const d = decide(input(fresh, verified));
    expect(d.actions).toEqual([{ kind: 'open', repo: 'a/c', wave: 0, adoptBranch: null }]);
    expect(d.state).toBe('running');
    expect(d.dataset).toEqual(verified);
  });

  it('missing or stale: nothing opens, the migration runs and says why', () => {
    for (const held of [missing, { ...missing, state: 'stale' as const, reason: 'waiting for the dataset: the record is stale' }]) {
      const d = decide(input(fresh, held));
      expect(d.actions).toEqual([]);
      expect(d.state).toBe('running');
      expect(d.reason).toBe(held.reason);
    }
  });

  it('missing: a pull request already open still merges', () => {
    const d = decide(input([view('a/c', 0, pr('a/c', 'open', 'success')), view('a/x', 1)], missing));
    expect(d.actions).toEqual([{ kind: 'merge', repo: 'a/c', number: 1, headSha: 'h1' }]);
  });

  it('failed: nothing opens or merges; the migration pauses with a journalled pause naming the failed check', () => {
    const d = decide(input([view('a/c', 0, pr('a/c', 'open', 'success')), view('a/x', 1)], failed));
    expect(d.state).toBe('paused');
    expect(d.reason).toContain('row counts differ');
    expect(d.actions).toEqual([{ kind: 'pause', reason: failed.reason, wave: -1 }]);
  });

  it('failed with revertOnFailure: the merged consumers are reverted, newest wave first', () => {
    const targets = [
      view('a/c', 0, pr('a/c', 'merged', 'success', 1)),
      view('a/x', 1, pr('a/x', 'merged', 'success', 2)),
      view('a/y', 1, pr('a/y', 'merged', 'success', 3)),
      view('a/z', 2, pr('a/z', 'merged', 'success', 4)),
      view('a/w', 2, pr('a/w', 'open', 'success', 5)),
    ];
    const d = decide(input(targets, failed, true));
    expect(d.state).toBe('paused');
    expect(d.actions.map((a) => (a.kind === 'revert' ? a.repo : a.kind))).toEqual(['a/z', 'a/x', 'a/y', 'a/c', 'pause']);
    expect(d.actions[0]).toMatchObject({ kind: 'revert', reason: expect.stringContaining('row counts differ') });
    // without revertOnFailure nothing is reverted
    expect(decide(input(targets, failed, false)).actions.map((a) => a.kind)).toEqual(['pause']);
  });

  it('skipped (dataset.gate: none) and unchecked let everything through', () => {
    for (const state of ['skipped', 'unchecked'] as const) {
      const d = decide(input(fresh, { state, reason: 'not gated', evidence: null }));
      expect(d.actions).toEqual([{ kind: 'open', repo: 'a/c', wave: 0, adoptBranch: null }]);
      expect(d.reason).toBeNull();
    }
  });
});

describe('what the tick reads', () => {
  const loaded = parseManifest(manifestText({ gate: 'verified' }), 'events-v2.yaml');
  const record = (pass: boolean): VerificationRecord => ({
    version: 1,
    migration: 'events-v2',
    manifestHash: loaded.hash,
    source: { uri: 's', files: [], fingerprint: 'f', rows: 10, checksum: 'aa' },
    target: {
      uri: 's3://b/v2/',
      files: [{ key: 'v2/p.parquet', size: 1, etag: 'e' }],
      fingerprint: 'g',
      rows: pass ? 10 : 9,
      checksum: pass ? 'aa' : 'bb',
    },
    pass,
    reasons: pass ? [] : ['row counts differ (10 vs 9)'],
    mismatchedRows: 0,
    maxMismatchRatio: 0,
    verifiedAt: '2026-11-24T11:00:00.000Z',
    reportUrl: pass ? 'https://ci/run/1' : null,
    fleetwaveVersion: '0.1.0',
  });

  it('missing names the record and the command to run; stale says why; failed names the failed check', () => {
    const at = 's3://b/v2/_fleetwave/verification.json';
    expect(datasetView(loaded, { verdict: { state: 'missing' }, recordUri: at }).reason).toBe(
      `waiting for the dataset: no verification record at ${at} — run \`fleetwave verify --manifest events-v2.yaml\``,
    );
    const stale = datasetView(loaded, {
      verdict: { state: 'stale', record: record(true), why: 'the source dataset changed' },
      recordUri: at,
    });
    expect(stale.reason).toContain('stale (the source dataset changed)');
    const bad = datasetView(loaded, { verdict: { state: 'failed', record: record(false) }, recordUri: at });
    expect(bad.state).toBe('failed');
    expect(bad.reason).toContain('row counts differ (10 vs 9)');
    expect(bad.evidence).toMatchObject({ targetRows: 9, checksumsMatch: false, files: 1 });
  });

  it('the evidence reaches the pull request body and the summary line', () => {
    const good = datasetView(loaded, { verdict: { state: 'verified', record: record(true) }, recordUri: 'x' });
    const body = renderDataEvidence(good, loaded.manifest);
    expect(body).toContain('- Rows: 10 in the new dataset, 10 in the old');
    expect(body).toContain('- Files: 1');
    expect(body).toContain('- Checksums: matched');
    expect(body).toContain('[report](https://ci/run/1)');
    expect(body).toContain('2026-11-24T11:00:00.000Z');
    expect(renderDatasetGate(good)).toContain('dataset gate: verified — 10 rows in 1 file, checksums matched');
    const skipped = renderDataEvidence({ state: 'skipped', reason: 'x', evidence: null }, loaded.manifest);
    expect(skipped).toContain('dataset.gate: none');
  });

  it('relative dataset URIs live under the data root; URIs and absolute paths are read as they are', () => {
    expect(datasetLocation('data/events/v2/', '/lake')).toBe('/lake/data/events/v2/');
    expect(datasetLocation('data/events/v2/', undefined)).toBeNull();
    expect(datasetLocation('s3://b/v2/', undefined)).toBe('s3://b/v2/');
    expect(datasetLocation('file:///data/v2/', '/lake')).toBe('file:///data/v2/');
    expect(datasetLocation('/data/v2/', '/lake')).toBe('/data/v2/');
    // The App's and the Action's FLEETWAVE_LAKE may be an object-store prefix.
    expect(datasetLocation('data/events/v2/', 's3://lake/')).toBe('s3://lake/data/events/v2/');
    expect(datasetLocation('./data/events/v2', 'az://acct/lake')).toBe('az://acct/lake/data/events/v2');
  });
});
