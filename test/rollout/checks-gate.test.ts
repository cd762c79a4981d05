/**
 * Nothing merges before its checks ran (src/rollout/gates/checks.ts). On GitHub a new head has no
 * check suite or status for some seconds after the push (`statusCheckRollup: null`, the port's
 * `none`): that is pending for `rollout.checksGrace`, then a human's call unless the manifest says
 * `withoutChecks: merge` (docs/github-behaviour.md).
 */
import { describe, expect, it } from '@jest/globals';
import type { PullRequestInfo } from '../../src/forge/port.js';
import { decide, deriveTarget, type DecideInput, type DecidePolicy, type TargetView } from '../../src/rollout/decide.js';
import { checksGate } from '../../src/rollout/gates/checks.js';
import { GATES } from '../../src/rollout/gates/index.js';
import { policyOf } from '../../src/rollout/policy.js';
import { parseManifest } from '../../src/manifest/load.js';
import { playEventsManifest } from '../helpers/play-events-manifest.js';
import { openPullRequest, targetView } from '../helpers/pull-request.js';

const opened = new Date('2026-11-24T12:00:00Z');
const minutes = (n: number) => new Date(opened.getTime() + n * 60_000);
const policy: DecidePolicy = { automerge: true, failureThreshold: 0.2, soakMs: 0, maxOpenPRs: 25 };
const control = { pausedBy: null, pausedReason: null, acceptedWaves: [] as number[] };

function pr(checks: PullRequestInfo['checks']['state'], extra: Partial<PullRequestInfo> = {}): PullRequestInfo {
  return openPullRequest('a/c', { createdAt: opened.toISOString(), checks: { state: checks, runs: [] }, ...extra });
}
const view = (p: PullRequestInfo): TargetView => targetView('a/c', p);
const input = (p: PullRequestInfo, now: Date, extra: Partial<DecidePolicy> = {}): DecideInput => ({
  migration: 'm',
  targets: [view(p)],
  waveCount: 1,
  policy: { ...policy, ...extra },
  control,
  now,
});
const merges = (d: ReturnType<typeof decide>) => d.actions.filter((a) => a.kind === 'merge');

describe('checks gate: a PR merges only when checks on its current head reported success', () => {
  it('does not merge a PR whose head has no check yet, and says it waits for them within the grace', () => {
    const d = decide(input(pr('none'), minutes(1)));
    expect(merges(d)).toEqual([]);
    expect(d.targets[0]).toMatchObject({ state: 'open', needsHuman: false });
    expect(d.targets[0]!.reason).toMatch(/no checks yet on abcdef0: waiting for them to start \(until 2026-11-24T12:15:00\.000Z\)/);
  });

  it('counts the grace from the head commit when it is newer than the PR (the head moved)', () => {
    const moved = pr('none', { headSince: minutes(20).toISOString() });
    expect(decide(input(moved, minutes(30))).targets[0]).toMatchObject({ state: 'open', needsHuman: false });
    expect(decide(input(moved, minutes(36))).targets[0]).toMatchObject({ state: 'open', needsHuman: true });
  });

  it('after the grace, a PR with still no check needs a human by default, and is not merged', () => {
    const d = decide(input(pr('none'), minutes(16)));
    expect(merges(d)).toEqual([]);
    expect(d.targets[0]).toMatchObject({ state: 'open', needsHuman: true });
    expect(d.targets[0]!.reason).toMatch(/no checks reported on abcdef0 within 15 min .*rollout\.withoutChecks: merge/);
  });

  it('merges a PR without any check after the grace only when the manifest says withoutChecks: merge', () => {
    expect(merges(decide(input(pr('none'), minutes(5), { withoutChecks: 'merge' })))).toEqual([]);
    expect(merges(decide(input(pr('none'), minutes(16), { withoutChecks: 'merge' })))).toEqual([
      { kind: 'merge', repo: 'a/c', number: 7, headSha: 'abcdef0123' },
    ]);
    expect(merges(decide(input(pr('none'), minutes(3), { withoutChecks: 'merge', checksGraceMs: 2 * 60_000 })))).toHaveLength(1);
  });

  it('merges green PRs at once, and never pending ones', () => {
    expect(merges(decide(input(pr('success'), minutes(0))))).toHaveLength(1);
    expect(merges(decide(input(pr('pending'), minutes(60))))).toEqual([]);
  });

  it('drops a merge asked for a head that is not the PR head, or for checks that did not succeed', () => {
    const ctx = (p: PullRequestInfo) => ({
      migration: 'm',
      policy,
      now: minutes(60),
      acceptedWaves: new Set<number>(),
      derived: [deriveTarget(view(p))],
      views: new Map([['a/c', view(p)]]),
      manifestHash: undefined,
      approvals: [],
      breaker: undefined,
    });
    const stale = { kind: 'merge' as const, repo: 'a/c', number: 7, headSha: 'oldhead' };
    const current = { kind: 'merge' as const, repo: 'a/c', number: 7, headSha: 'abcdef0123' };
    expect(checksGate.actions!([stale, current], ctx(pr('success')), 0).actions).toEqual([current]);
    const held = checksGate.actions!([current], ctx(pr('none')), 0);
    expect(held.actions).toEqual([]);
    expect(held.reason).toBe('1 merge wait for checks on the current head (a/c)');
    expect(GATES).toContain(checksGate);
  });

  it('two-phase: a wave whose PR has no check yet is not green, so it is not offered for approval', () => {
    const twoPhase = { approvers: ['ann'], required: 1, expiresAfterMs: 86_400_000 };
    const waiting = decide(input(pr('none'), minutes(1), { twoPhase }));
    expect(waiting.reason).toMatch(/two-phase: wave 0 is opening its pull requests and waiting for green checks/);
    const green = decide(input(pr('success'), minutes(1), { twoPhase }));
    expect(green.reason).toMatch(/two-phase: wave 0 is green and waits for 1 more approval from ann/);
  });

  it('reads rollout.checksGrace and rollout.withoutChecks from the manifest, 15m and wait by default', () => {
    const manifest = (rollout: string[]) => parseManifest(playEventsManifest('repos: [acme/c1]', rollout), 'm.yaml');
    expect(policyOf(manifest([]))).toMatchObject({ checksGraceMs: 15 * 60_000, withoutChecks: 'wait' });
    expect(policyOf(manifest(['checksGrace: 5m', 'withoutChecks: merge']))).toMatchObject({
      checksGraceMs: 5 * 60_000,
      withoutChecks: 'merge',
    });
  });
});
