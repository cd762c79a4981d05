import { describe, expect, it } from '@jest/globals';
import { parseTrackingMarker, renderTrackingIssue } from '../../src/app/tracking-issue.js';
import { computeBurndown } from '../../src/report/burndown.js';
import { renderBurndownMermaid } from '../../src/report/burndown-mermaid.js';
import type { MigrationSummary } from '../../src/rollout/model.js';

const summary: MigrationSummary = {
  migration: 'play-events-v2',
  state: 'running',
  reason: null,
  manifest: 'migrations/p.yaml',
  manifestHash: 'f'.repeat(64),
  fleet: 'github:acme',
  store: 's',
  waves: [
    { index: 0, size: 1, state: 'finished', failed: 0, failedShare: 0 },
    { index: 1, size: 1, state: 'active', failed: 0, failedShare: 0 },
  ],
  targets: [
    {
      repo: 'acme/a',
      wave: 0,
      state: 'merged',
      pr: 'https://github.com/acme/a/pull/1',
      prNumber: 1,
      reason: null,
      needsHuman: false,
      checks: 'success',
      findings: [],
    },
    {
      repo: 'acme/b',
      wave: 1,
      state: 'open',
      pr: 'https://github.com/acme/b/pull/2',
      prNumber: 2,
      reason: 'waiting for checks',
      needsHuman: false,
      checks: 'pending',
      findings: [],
    },
  ],
  counts: { planned: 0, blocked: 0, open: 1, merged: 1, failed: 0, reverted: 0, skipped: 0 },
  waitingUntil: null,
};

describe('tracking issue', () => {
  it('carries the state, the targets, a Mermaid burndown of remaining consumers, and its marker', () => {
    const events = [
      { at: '2026-11-24T10:00:00Z', target: 'acme/a', action: 'merge', outcome: 'ok' as const, detail: { pr: 1 } },
      { at: '2026-11-24T10:00:05Z', target: 'acme/a', action: 'rescan', outcome: 'ok' as const, detail: { references: 0 } },
    ];
    const burndown = renderBurndownMermaid(computeBurndown({ summary, events, asOf: '2026-11-24T11:00:00Z' }), {
      title: summary.migration,
    });
    const body = renderTrackingIssue(summary, 'migrations/p.yaml', burndown);
    expect(body).toContain('**State: running**');
    expect(body).toContain('### Burndown');
    expect(body).toContain('xychart-beta');
    expect(body).toMatch(/1 of 2 left/);
    expect(body).toContain('[#2](https://github.com/acme/b/pull/2)');
    expect(parseTrackingMarker(body)).toEqual({ migration: 'play-events-v2', manifest: 'migrations/p.yaml' });
  });
});
