/**
 * PR upkeep in decide (src/rollout/upkeep.ts): what `rollout.rebaseWhen` asks of an open PR whose
 * default branch moved on, whose manifest changed, or whose consumer no longer needs it.
 */
import { describe, expect, it } from '@jest/globals';
import { decide, type DecideInput, type TargetView } from '../../src/rollout/decide.js';
import type { Upkeep } from '../../src/rollout/decision.js';
import { openPullRequest, targetView } from '../helpers/pull-request.js';

const now = new Date('2027-01-11T10:00:00Z');
const control = { pausedBy: null, pausedReason: null, acceptedWaves: [] as number[] };
const input = (targets: TargetView[], policy: Partial<DecideInput['policy']> = {}): DecideInput => ({
  migration: 'm',
  targets,
  waveCount: 1,
  policy: { automerge: true, failureThreshold: 0.2, soakMs: 0, maxOpenPRs: 25, ...policy },
  control,
  now,
});
const upkeep = (extra: Partial<Upkeep>): Upkeep => ({
  baseHead: 'newbase0123',
  behind: true,
  conflicted: false,
  manifestChanged: false,
  bodyStale: false,
  needed: true,
  regenerable: true,
  ...extra,
});
const target = (u: Partial<Upkeep>, extra: Partial<TargetView> = {}) =>
  targetView('acme/c', openPullRequest('acme/c', { checks: { state: 'success', runs: [] } }), { upkeep: upkeep(u), ...extra });
const update = (why: string) => ({ kind: 'update-pr', repo: 'acme/c', number: 7, headSha: 'abcdef0123', baseSha: 'newbase0123', why });
const merge = { kind: 'merge', repo: 'acme/c', number: 7, headSha: 'abcdef0123' };

describe('PR upkeep', () => {
  it('conflicted (the default): a conflicting PR is made again instead of merged; one only behind merges as it is', () => {
    const conflicting = decide(input([target({ conflicted: true })]));
    expect(conflicting.actions).toEqual([update('conflicted')]);
    expect(conflicting.targets[0]).toEqual(expect.objectContaining({ state: 'open', reason: 'conflicts with main' }));
    expect(decide(input([target({})])).actions).toEqual([merge]);
  });

  it('behind: any PR whose base moved is made again; never: none, not even a conflicting one', () => {
    expect(decide(input([target({})], { rebaseWhen: 'behind' })).actions).toEqual([update('behind')]);
    // A conflicting PR would only fail to merge: it waits for a person.
    const never = decide(input([target({ conflicted: true })], { rebaseWhen: 'never' }));
    expect(never.actions).toEqual([]);
    expect(never.targets[0]).toEqual(expect.objectContaining({ state: 'open', reason: 'conflicts with main' }));
    expect(decide(input([target({ behind: false })], { rebaseWhen: 'behind' })).actions).toEqual([merge]);
  });

  it('a changed manifest makes the PR again whatever rebaseWhen says', () => {
    for (const rebaseWhen of ['never', 'conflicted', 'behind'] as const)
      expect(decide(input([target({ behind: false, manifestChanged: true })], { rebaseWhen })).actions).toEqual([update('manifest')]);
  });

  it('a changed manifest that makes the same change refreshes the body alone, even when it could not be made again', () => {
    expect(decide(input([target({ behind: false, bodyStale: true })])).actions).toEqual([update('body')]);
    expect(decide(input([target({ bodyStale: true, regenerable: false })])).actions).toEqual([update('body')]);
  });

  it('closes a PR whose consumer no longer needs the change, saying why', () => {
    const d = decide(input([target({ needed: false, regenerable: false })]));
    expect(d.actions).toEqual([
      {
        kind: 'close-pr',
        repo: 'acme/c',
        number: 7,
        reason: expect.stringContaining('`main` at newbase no longer needs its change'),
      },
    ]);
  });

  it('leaves a conflicting PR that cannot be made again (a blocking finding on the new head) alone, unmerged', () => {
    expect(decide(input([target({ conflicted: true, regenerable: false })])).actions).toEqual([]);
  });

  it('makes a failed PR left open for its team again when it conflicts, after its wave finished', () => {
    const failed = targetView('acme/c', openPullRequest('acme/c', { checks: { state: 'failure', runs: [] } }), {
      upkeep: upkeep({ conflicted: true }),
    });
    expect(decide(input([failed], { retryFailedChecks: 0, failureThreshold: 1 })).actions).toEqual([update('conflicted')]);
  });

  it('an open fleet breaker (which pauses the migration) holds the new commits', () => {
    const breaker = {
      record: {
        key: 'fleet',
        state: 'open' as const,
        openedAt: '2027-01-11T09:30:00Z',
        reason: 'too many failures',
        outcomes: [],
        canary: null,
        updatedAt: '2027-01-11T09:30:00Z',
      },
      policy: { windowMs: 3_600_000, minFailures: 3, failureRatio: 0.5, coolDownMs: 3_600_000, canaryTimeoutMs: 3_600_000 },
    };
    const d = decide({ ...input([target({ conflicted: true })]), breaker });
    expect(d.state).toBe('paused');
    expect(d.actions).toEqual([]);
  });

  it('does nothing while the migration is paused, nor for a target with an error', () => {
    const paused = { ...input([target({ conflicted: true })]), control: { ...control, pausedBy: 'dana', pausedReason: 'wait' } };
    expect(decide(paused).actions).toEqual([]);
    const failed = decide(input([target({ conflicted: true }, { error: 'update-pr failed: moved' })], { failureThreshold: 1 }));
    expect(failed.actions).toEqual([]);
  });
});
