import { describe, expect, it } from '@jest/globals';
import { parseTrackingMarker, renderTrackingIssue } from '../../src/app/tracking-issue.js';
import { computeBurndown } from '../../src/report/burndown.js';
import { renderBurndownMermaid } from '../../src/report/burndown-mermaid.js';
import type { MigrationSummary } from '../../src/rollout/model.js';
import { latestTrial } from '../../src/report/trial.js';

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

  it("counts the agent rule's work apart (issue 19): its draft PRs, merged by people, passed, vetoed, failed", () => {
    const agent = { opened: 2, merged: 1, passedVerifiers: 2, vetoed: 1, failed: 3 };
    expect(renderTrackingIssue({ ...summary, agent }, 'migrations/p.yaml')).toContain(
      '**Agent** (draft PRs people review; never merged by Fleetwave) — 2 draft PRs opened (1 merged by people), 2 passed the verifiers, 1 vetoed by the judge, 3 failed',
    );
    expect(renderTrackingIssue(summary, 'migrations/p.yaml')).not.toContain('**Agent**');
  });

  it('shows the latest trial run from the journal (counts and who did not pass), and nothing without one', () => {
    const events = [
      {
        at: '2026-01-01T09:00:00.000Z',
        action: 'trial',
        detail: { branch: 'fleetwave-trial/play-events-v2', passed: ['acme/a'], failed: {}, noCi: [], errors: {} },
      },
      {
        at: '2026-01-02T09:00:00.000Z',
        action: 'trial',
        detail: {
          branch: 'fleetwave-trial/play-events-v2',
          passed: ['acme/a'],
          failed: { 'acme/b': 'test: expected v1' },
          noCi: ['acme/c'],
          errors: {},
        },
      },
      { at: '2026-01-02T10:00:00.000Z', action: 'search', detail: { text: 'x', repos: [] } },
    ];
    const body = renderTrackingIssue(summary, 'migrations/p.yaml', undefined, latestTrial(events));
    expect(body).toContain('### Trial run');
    expect(body).toContain(
      '2026-01-02T09:00:00.000Z on `fleetwave-trial/play-events-v2` (no pull request opened): **1 passed, 1 failed, 1 without CI**',
    );
    expect(body).toContain('Failed: acme/b');
    expect(body).toContain('No CI: acme/c');
    expect(renderTrackingIssue(summary, 'migrations/p.yaml', undefined, latestTrial([]))).not.toContain('Trial run');
  });

  it('stays within the 65,536 characters GitHub takes in an issue for 3,000 targets: the ones still to do first, blocked and commands kept', () => {
    const targets: MigrationSummary['targets'] = Array.from({ length: 3000 }, (_, i) => {
      const state = i % 10 === 0 ? 'open' : i % 50 === 1 ? 'blocked' : 'merged';
      return {
        repo: `acme/consumer-${String(i).padStart(4, '0')}`,
        wave: 1 + (i % 5),
        state,
        pr: state === 'blocked' ? null : `https://github.com/acme/consumer-${i}/pull/${i + 1}`,
        prNumber: state === 'blocked' ? null : i + 1,
        reason: state === 'open' ? 'waiting for checks' : state === 'blocked' ? 'reads legacy_flag' : null,
        needsHuman: false,
        checks: state === 'open' ? 'pending' : null,
        findings: state === 'blocked' ? [{ severity: 'blocking' as const, file: 'jobs/a.sql', line: 3, message: 'reads legacy_flag' }] : [],
      };
    });
    const big = { ...summary, targets, counts: { ...summary.counts, open: 300, merged: 2640, blocked: 60 } };
    const body = renderTrackingIssue(big, 'migrations/p.yaml');
    expect(new TextEncoder().encode(body).length).toBeLessThanOrEqual(65_536);
    expect(parseTrackingMarker(body)).toEqual({ migration: 'play-events-v2', manifest: 'migrations/p.yaml' });
    expect(body).toContain('### Blocked consumers');
    expect(body).toContain('### Commands');
    const rows = body.split('\n').filter((l) => l.startsWith('| acme/consumer-'));
    // every open target is listed before any merged one; the rest is counted and pointed at
    const firstMerged = rows.findIndex((r) => r.includes(' merged |'));
    expect(rows.slice(0, firstMerged === -1 ? rows.length : firstMerged).every((r) => !r.includes(' merged |'))).toBe(true);
    expect(rows.filter((r) => r.includes(' open |'))).toHaveLength(300);
    expect(rows.length).toBeLessThan(3000);
    expect(body).toMatch(new RegExp(`_${3000 - rows.length} more targets are not shown here .*\`fleetwave status play-events-v2\``));
  });
});
