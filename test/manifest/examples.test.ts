import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadManifest } from '../../src/manifest/load.js';

const examples = readdirSync('manifests')
  .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
  .sort()
  .map((f) => join('manifests', f));

describe('example manifests', () => {
  it('has the play-events example and at least two more', () => {
    expect(examples).toContain('manifests/play-events-v2.yaml');
    expect(examples.length).toBeGreaterThanOrEqual(3);
  });

  it.each(examples)('%s is valid and named after its file', async (file) => {
    const { manifest } = await loadManifest(file);
    expect(manifest.metadata.name).toBe(basename(file).replace(/\.ya?ml$/, ''));
  });

  it('keeps the sensitive example sensitive: approvals required, no automerge', async () => {
    const { manifest } = await loadManifest('manifests/billing-invoices-v3.yaml');
    expect(manifest.metadata.sensitive).toBe(true);
    expect(manifest.rollout.automerge).toBe(false);
    expect(manifest.rollout.approvals).toEqual({ required: 2, from: ['finance-data', 'data-platform'], expiresAfter: '7d' });
  });

  it('fills every default of the minimal example', async () => {
    const { manifest } = await loadManifest('manifests/search-clicks-move.yaml');
    expect(manifest.rollout).toEqual({
      canary: 1,
      waves: ['100%'],
      soak: '0s',
      timezone: 'UTC',
      holidays: [],
      rebaseWhen: 'conflicted',
      sunsetWarnings: ['30d', '7d', '1d'],
      maxOpenPRs: 25,
      failureThreshold: '20%',
      automerge: true,
      checksGrace: '15m',
      withoutChecks: 'wait',
      revertOnFailure: true,
      retryFailedChecks: 1,
      tierOrder: ['experimental', 'low', 'standard', 'production', 'high', 'critical'],
      defaultTier: 'standard',
      requireApprovalFor: [],
    });
    expect(manifest.dataset.transform).toEqual([]);
    expect(manifest.dataset.verify).toEqual({ rowCount: 'exact', checksums: 'all', sample: 1000, maxMismatchRatio: 0 });
  });
});
