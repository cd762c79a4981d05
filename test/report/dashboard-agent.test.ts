/**
 * The dashboard counts the agent rule's work apart (docs/rules/agent.md): a line with its draft PRs and
 * runs, and a mark on each target whose PR an agent wrote.
 */
import { describe, expect, it } from '@jest/globals';
import { renderMigrationHtml } from '../../src/report/dashboard-html.js';
import type { MigrationPage } from '../../src/report/dashboard-model.js';
import type { MigrationSummary, TargetSummary } from '../../src/rollout/model.js';

const target = (repo: string, agentWritten: boolean): TargetSummary => ({
  repo,
  wave: 0,
  state: 'open',
  pr: `u/${repo}`,
  prNumber: 1,
  reason: agentWritten ? 'written by an agent: waiting for a person to review and merge it' : null,
  needsHuman: false,
  checks: 'success',
  findings: [],
  ...(agentWritten ? { agentWritten: true } : {}),
});

describe('the dashboard and the agent rule', () => {
  it("shows the agent's counts and marks its targets", () => {
    const summary = {
      targets: [target('acme/a', true), target('acme/b', false)],
      counts: { planned: 0, blocked: 0, open: 2, merged: 0, failed: 0, reverted: 0, skipped: 0 },
      waves: [],
      agent: { opened: 1, merged: 0, passedVerifiers: 1, vetoed: 1, failed: 2 },
    } as unknown as MigrationSummary;
    const page = {
      migration: 'm',
      state: 'running',
      reason: null,
      summary,
      lastRun: { startedAt: '2026-12-01T00:00:00Z', finishedAt: null, state: null, manifest: 'm.yaml', manifestHash: 'h', fleet: 'acme' },
      runs: [],
      failures: [],
      blocked: [],
      leftForOwners: [],
      needsHuman: [],
      burndown: { total: 0, remaining: 0, points: [], references: { remaining: null, rescanned: 0 }, basis: 'journal' },
      prDurations: null,
      events: [],
      alerts: [],
      breaker: null,
      href: '/m',
    } as unknown as MigrationPage;
    const html = renderMigrationHtml(page, { basePath: '', generatedAt: '2026-12-01T00:00:00Z' });
    expect(html).toContain('agent: 1 draft PR opened (0 merged by people), 1 passed the verifiers, 1 vetoed by the judge, 2 failed');
    expect(html.match(/agent · people merge/g)).toHaveLength(1);
    expect(html).toMatch(/data-repo="acme\/a">.*agent · people merge/s);
  });
});
