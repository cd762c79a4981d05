/**
 * An agent's pull request (the `agent` rule: the PR marker says `agent: true`, observe sets
 * `agentWritten`) is never merged by Fleetwave, whatever `automerge`, an approval or `withoutChecks`
 * say: decide asks for no merge and says why the target waits.
 */
import { describe, expect, it } from '@jest/globals';
import type { PullRequestInfo } from '../../src/forge/port.js';
import { decide, type DecideInput, type TargetView } from '../../src/rollout/decide.js';
import { parseMarker, renderMarker } from '../../src/rollout/marker.js';

const now = new Date('2026-11-24T12:00:00Z');
const control = { pausedBy: null, pausedReason: null, acceptedWaves: [] as number[] };

function pr(repo: string, checks: PullRequestInfo['checks']['state']): PullRequestInfo {
  return {
    repo,
    number: 7,
    url: `u/${repo}`,
    state: 'open',
    title: 't',
    body: 'b',
    branch: 'fleetwave/m',
    baseBranch: 'main',
    headSha: 'h1',
    createdAt: '2026-11-20T12:00:00Z',
    checks: { state: checks, runs: [] },
    reviews: [],
  };
}
const view = (repo: string, extra: Partial<TargetView> = {}): TargetView => ({
  repo,
  wave: 0,
  blocking: [],
  hasChanges: true,
  pr: pr(repo, 'success'),
  branch: null,
  error: null,
  ...extra,
});
const input = (targets: TargetView[], policy: Partial<DecideInput['policy']> = {}): DecideInput => ({
  migration: 'm',
  targets,
  waveCount: 1,
  policy: { automerge: true, failureThreshold: 0.2, soakMs: 0, maxOpenPRs: 25, ...policy },
  control,
  now,
});

describe("decide and an agent's pull request", () => {
  it('merges the rules’ green PR but not the agent’s, with automerge on', () => {
    const d = decide(input([view('a/rules'), view('a/agent', { agentWritten: true })]));
    expect(d.actions).toEqual([{ kind: 'merge', repo: 'a/rules', number: 7, headSha: 'h1' }]);
    expect(d.targets.find((t) => t.repo === 'a/agent')).toEqual(
      expect.objectContaining({ state: 'open', reason: expect.stringContaining('written by an agent') }),
    );
  });

  it('asks for no merge of it under two-phase approvals or withoutChecks: merge either', () => {
    const twoPhase = { approvers: ['dana'], required: 1, expiresAfterMs: 86_400_000 };
    const approvedRun = (agentWritten: boolean) =>
      decide({
        ...input([view('a/x', { agentWritten })], { automerge: false, twoPhase }),
        approvals: [{ by: 'dana', at: now.toISOString(), manifestHash: 'h' }],
        manifestHash: 'h',
      }).actions.filter((a) => a.kind === 'merge');
    expect(approvedRun(false)).toHaveLength(1); // the same PR by the rules is merged once approved
    expect(approvedRun(true)).toEqual([]);
    const noChecksRun = (agentWritten: boolean) =>
      decide(input([view('a/x', { agentWritten, pr: pr('a/x', 'none') })], { withoutChecks: 'merge', checksGraceMs: 0 })).actions.filter(
        (a) => a.kind === 'merge',
      );
    expect(noChecksRun(false)).toHaveLength(1);
    expect(noChecksRun(true)).toEqual([]);
  });

  it('reads the agent flag back from the PR marker, and only from a marker that says so', () => {
    const marker = renderMarker({ migration: 'm', manifestHash: 'h', source: 's', agent: true });
    expect(parseMarker(`body\n${marker}`)).toEqual({ migration: 'm', manifestHash: 'h', source: 's', agent: true });
    expect(parseMarker(renderMarker({ migration: 'm', manifestHash: 'h', source: 's' }))?.agent).toBeUndefined();
  });

  it('does not hold its wave or a slot: the next wave opens while it waits for people, and the migration completes', () => {
    const planned: TargetView = { ...view('a/next', { pr: null }), wave: 1 };
    const d = decide({ ...input([view('a/agent', { agentWritten: true }), planned], { maxOpenPRs: 1 }), waveCount: 2 });
    expect(d.actions).toEqual([{ kind: 'open', repo: 'a/next', wave: 1, adoptBranch: null }]);
    const rulesPr = decide({ ...input([view('a/rules', { pr: pr('a/rules', 'pending') }), planned], { maxOpenPRs: 1 }), waveCount: 2 });
    expect(rulesPr.actions).toEqual([]); // the same with a rules' PR in flight: wave 1 waits
    const done = decide(input([view('a/agent', { agentWritten: true })]));
    expect(done.state).toBe('completed');
    expect(done.reason).toContain('1 pull request written by an agent waits for people');
  });
});
