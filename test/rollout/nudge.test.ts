/**
 * Stuck pull requests in decide (src/rollout/nudge.ts): a PR open longer than `rollout.nudgeAfter`
 * with no review, that Fleetwave is not about to merge, gets one nudge — never twice, never while
 * paused, never outside the schedule's windows.
 */
import { describe, expect, it } from '@jest/globals';
import { decide, type DecideInput, type TargetView } from '../../src/rollout/decide.js';
import { parseWeeklyWindow } from '../../src/util/work-schedule.js';
import { openPullRequest, targetView } from '../helpers/pull-request.js';

const HOUR = 3_600_000;
const now = new Date('2027-01-13T10:00:00Z'); // a Wednesday
const control = { pausedBy: null, pausedReason: null, acceptedWaves: [] as number[] };
const input = (targets: TargetView[], policy: Partial<DecideInput['policy']> = {}): DecideInput => ({
  migration: 'm',
  targets,
  waveCount: 1,
  policy: { automerge: true, failureThreshold: 1, soakMs: 0, maxOpenPRs: 25, nudgeAfterMs: 48 * HOUR, ...policy },
  control,
  now,
});
// Open since Monday 07:00: 51 hours.
const stale = (extra: Partial<TargetView> = {}, pr: Parameters<typeof openPullRequest>[1] = {}) =>
  targetView('acme/c', openPullRequest('acme/c', { createdAt: '2027-01-11T07:00:00Z', ...pr }), extra);
const nudge = (why: unknown) => ({ kind: 'nudge', repo: 'acme/c', number: 7, since: '2027-01-11T07:00:00Z', why });

describe('nudging stuck pull requests', () => {
  it('an agent’s PR and one waiting for an approval are nudged once; one Fleetwave merges now is not', () => {
    expect(decide(input([stale({ agentWritten: true })])).actions).toEqual([nudge(expect.stringContaining('written by an agent'))]);
    const twoPhase = { approvers: ['dana'], required: 1, expiresAfterMs: 86_400_000 };
    // The approvals gate holds the merge: waiting for a person, so nudged.
    expect(decide(input([stale()], { twoPhase })).actions).toEqual([nudge(null)]);
    expect(decide(input([stale()])).actions).toEqual([{ kind: 'merge', repo: 'acme/c', number: 7, headSha: 'abcdef0123' }]);
  });

  it('not before nudgeAfter, not with a review, not twice, not without nudgeAfter, not while paused', () => {
    const agent = { agentWritten: true };
    expect(decide(input([stale(agent, { createdAt: '2027-01-12T07:00:00Z' })])).actions).toEqual([]);
    const reviewed = { reviews: [{ author: 'jane', state: 'COMMENTED' as const, submittedAt: '2027-01-12T08:00:00Z' }] };
    expect(decide(input([stale(agent, reviewed)])).actions).toEqual([]);
    expect(decide(input([stale({ ...agent, nudged: true })])).actions).toEqual([]);
    expect(decide(input([stale(agent)], { nudgeAfterMs: null })).actions).toEqual([]);
    const paused = { ...input([stale(agent)]), control: { ...control, pausedBy: 'dana', pausedReason: 'hold' } };
    expect(decide(paused).actions).toEqual([]);
  });

  it('waits for the schedule’s window, like opens and merges', () => {
    const window = parseWeeklyWindow('Mon-Fri 12:00-17:00');
    if (typeof window === 'string') throw new Error(window);
    const schedule = { windows: [window], timezone: 'UTC', holidays: new Set<string>() };
    const d = decide(input([stale({ agentWritten: true })], { schedule }));
    expect(d.actions).toEqual([]);
  });
});
