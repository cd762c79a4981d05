import { describe, expect, it } from '@jest/globals';
import type { MigrationSummary, TargetSummary } from '../../src/rollout/model.js';
import { renderRunSummary } from '../../src/report/run-summary.js';

const target = (repo: string, wave: number | null, state: TargetSummary['state'], extra: Partial<TargetSummary> = {}): TargetSummary => ({
  repo,
  wave,
  state,
  pr: wave === null ? null : `https://github.com/${repo}/pull/1`,
  prNumber: wave === null ? null : 1,
  reason: null,
  needsHuman: false,
  checks: null,
  findings: [],
  ...extra,
});

const summary = (targets: TargetSummary[]): MigrationSummary => ({
  migration: 'play-events-v2',
  state: 'completed',
  reason: null,
  manifest: 'migrations/play-events-v2.yaml',
  manifestHash: 'abc',
  fleet: 'fleet',
  store: 'fleetwave.sqlite',
  waves: [
    { index: 0, size: 1, state: 'finished', failed: 0, failedShare: 0 },
    { index: 1, size: 2, state: 'finished', failed: 0, failedShare: 0 },
  ],
  targets,
  counts: { merged: 3, open: 0, planned: 0, failed: 0, reverted: 0, blocked: 1, skipped: 0 },
  waitingUntil: null,
});

describe('renderRunSummary', () => {
  it('lists targets in rollout order: the canary, then wave by wave, then those in no wave; blocked findings below', () => {
    const text = renderRunSummary(
      summary([
        target('acme/zeta', 1, 'merged'),
        target('acme/legacy', null, 'blocked', {
          reason: 'reads `legacy_flag`',
          findings: [
            {
              severity: 'blocking',
              file: 'src/a.ts',
              line: 7,
              field: 'legacy_flag',
              message: 'reads `legacy_flag`, which the transform drops',
            },
          ],
        }),
        target('acme/alpha', 1, 'merged'),
        target('acme/sandbox', 0, 'merged'),
      ]),
    );
    const rows = text.split('\n').filter((l) => l.startsWith('  acme/'));
    expect(rows.map((l) => l.trim().split(/\s+/).slice(0, 3))).toEqual([
      ['acme/sandbox', 'canary', 'merged'],
      ['acme/alpha', '1', 'merged'],
      ['acme/zeta', '1', 'merged'],
      ['acme/legacy', '-', 'blocked'],
    ]);
    expect(text).toContain('waves: canary 1 finished · #1 2 finished');
    expect(text).toContain('    acme/legacy: src/a.ts:7: legacy_flag: reads `legacy_flag`, which the transform drops');
  });

  it("counts the agent rule's work apart in a line of its own (issue 19)", () => {
    const text = renderRunSummary({
      ...summary([target('acme/zeta', 1, 'open', { agentWritten: true })]),
      agent: { opened: 1, merged: 0, passedVerifiers: 1, vetoed: 0, failed: 2 },
    });
    expect(text).toContain('  agent: 1 draft PR opened (0 merged by people), 1 passed the verifiers, 0 vetoed by the judge, 2 failed');
    expect(renderRunSummary(summary([target('acme/zeta', 1, 'merged')]))).not.toContain('agent:');
  });

  it('says discovery may be partial for each code search the forge answered incompletely', () => {
    const text = renderRunSummary({ ...summary([target('acme/zeta', 1, 'merged')]), searchIncomplete: ['data/play-events/v1'] });
    expect(text.split('\n').filter((l) => l.includes('partial'))).toEqual([
      '  discovery may be partial: the code search for "data/play-events/v1" answered incompletely (it ran out of time); ' +
        'consumers it missed get no pull request until a later search finds them',
    ]);
    expect(renderRunSummary(summary([target('acme/zeta', 1, 'merged')]))).not.toContain('partial');
  });

  it('names who was asked to review each pull request', () => {
    const text = renderRunSummary({
      ...summary([
        target('acme/a', 0, 'open', { reviewers: { users: ['jane'], teams: ['recs-team'] } }),
        target('acme/b', 1, 'merged', { reviewers: { users: ['joe'], teams: [] } }),
      ]),
      counts: { merged: 1, open: 1, planned: 0, failed: 0, reverted: 0, blocked: 0, skipped: 0 },
    });
    expect(text).toContain('https://github.com/acme/a/pull/1 — reviewers: @jane, team recs-team');
    expect(text).toContain('https://github.com/acme/b/pull/1 — reviewers: @joe');
  });
});
