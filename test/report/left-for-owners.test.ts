/**
 * Files Fleetwave left unchanged for a consumer's owners (a workflow file GitHub would refuse without
 * the `workflows` permission, docs/github-behaviour.md) are named by the plan and the dashboard, not
 * only by the PR body: a consumer whose only change was a workflow file gets no PR at all.
 */
import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../../src/codemod/port.js';
import { renderMigrationHtml } from '../../src/report/dashboard-html.js';
import type { MigrationPage } from '../../src/report/dashboard-model.js';
import { leftForOwners } from '../../src/report/left-for-owners.js';
import { renderPlan } from '../../src/report/plan.js';

const workflow: Finding = {
  severity: 'warning',
  file: '.github/workflows/nightly.yml',
  message: 'workflow file left unchanged (`replace` would have changed it)',
};
const targets = [
  { repo: 'acme/recs', findings: [workflow, { severity: 'info' as const, file: 'gen/a.ts', message: 'generated file left unchanged' }] },
  { repo: 'acme/billing', findings: [] },
];

describe('files left for the owners', () => {
  it('are the warning findings, by consumer', () => {
    expect(leftForOwners(targets)).toEqual([{ repo: 'acme/recs', findings: [workflow] }]);
  });

  it('are listed by the plan', () => {
    const plan = renderPlan({
      migration: 'm',
      manifest: 'm.yaml',
      fleet: 'acme',
      state: 'running',
      waves: [],
      targets: targets.map((t) => ({
        ...t,
        state: 'skipped' as const,
        wave: null,
        pr: null,
        prNumber: null,
        reason: null,
        needsHuman: false,
        checks: null,
        edits: 0,
      })),
      blocked: [],
      excluded: [],
      warnings: [],
    });
    expect(plan).toContain(
      '  left unchanged for the owners (change by hand):\n    acme/recs\n      .github/workflows/nightly.yml: workflow file left unchanged',
    );
  });

  it('are listed by the dashboard', () => {
    const page = { leftForOwners: leftForOwners(targets) } as Partial<MigrationPage>;
    const html = renderMigrationHtml({ ...emptyPage(), ...page }, { basePath: '', generatedAt: '2026-12-01T00:00:00Z' });
    expect(html).toContain('Left unchanged for the owners (1)');
    expect(html).toContain('<code>.github/workflows/nightly.yml</code>');
  });
});

function emptyPage(): MigrationPage {
  return {
    migration: 'm',
    state: 'running',
    reason: null,
    summary: null,
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
}
