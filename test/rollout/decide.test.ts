import { describe, expect, it } from '@jest/globals';
import type { BranchInfo, PullRequestInfo } from '../../src/forge/port.js';
import { decide, type DecideInput, type TargetView } from '../../src/rollout/decide.js';

const now = new Date('2026-11-24T12:00:00Z');
const policy = { automerge: true, failureThreshold: 0.2, soakMs: 0, maxOpenPRs: 25 };
const control = { pausedBy: null, pausedReason: null, acceptedWaves: [] as number[] };

function pr(
  repo: string,
  state: PullRequestInfo['state'],
  checks: PullRequestInfo['checks']['state'],
  extra: Partial<PullRequestInfo> = {},
): PullRequestInfo {
  return {
    repo,
    number: 1,
    url: `u/${repo}`,
    state,
    title: 't',
    body: 'b',
    branch: 'fleetwave/m',
    baseBranch: 'main',
    headSha: 'h1',
    createdAt: now.toISOString(),
    checks: { state: checks, runs: checks === 'failure' ? [{ name: 'test', state: 'failure' }] : [] },
    reviews: [],
    ...extra,
  };
}
function view(repo: string, wave: number | null, extra: Partial<TargetView> = {}): TargetView {
  return { repo, wave, blocking: [], hasChanges: true, pr: null, branch: null, error: null, ...extra };
}
const input = (targets: TargetView[], waveCount: number, extra: Partial<DecideInput> = {}): DecideInput => ({
  migration: 'm',
  targets,
  waveCount,
  policy,
  control,
  now,
  ...extra,
});

describe('decide', () => {
  it('opens the canary alone first', () => {
    const d = decide(input([view('a/c', 0), view('a/x', 1), view('a/y', 1)], 2));
    expect(d.actions).toEqual([{ kind: 'open', repo: 'a/c', wave: 0, adoptBranch: null }]);
    expect(d.state).toBe('running');
  });

  it('merges green PRs and opens the next wave only when the previous one is finished', () => {
    const targets = [view('a/c', 0, { pr: pr('a/c', 'open', 'success') }), view('a/x', 1)];
    expect(decide(input(targets, 2)).actions).toEqual([{ kind: 'merge', repo: 'a/c', number: 1, headSha: 'h1' }]);
    const merged = [view('a/c', 0, { pr: pr('a/c', 'merged', 'success', { mergedAt: now.toISOString() }) }), view('a/x', 1)];
    expect(decide(input(merged, 2)).actions).toEqual([{ kind: 'open', repo: 'a/x', wave: 1, adoptBranch: null }]);
  });

  it('pauses the fleet when a finished wave fails above the threshold, and goes on once the wave is accepted', () => {
    const targets = [view('a/c', 0, { pr: pr('a/c', 'open', 'failure') }), view('a/x', 1)];
    const d = decide(input(targets, 2));
    expect(d.state).toBe('paused');
    expect(d.reason).toMatch(/wave 0 failed 1 of 1/);
    expect(d.actions).toEqual([expect.objectContaining({ kind: 'pause', wave: 0 })]);
    const resumed = decide(input(targets, 2, { control: { ...control, acceptedWaves: [0] } }));
    expect(resumed.state).toBe('running');
    expect(resumed.actions).toEqual([{ kind: 'open', repo: 'a/x', wave: 1, adoptBranch: null }]);
  });

  it('keeps going when the failed share is at or under the threshold', () => {
    const wave1 = Array.from({ length: 5 }, (_, i) =>
      view(`a/w${i}`, 1, { pr: pr(`a/w${i}`, i === 0 ? 'open' : 'merged', i === 0 ? 'failure' : 'success') }),
    );
    const d = decide(input([...wave1, view('a/next', 2)], 3));
    expect(d.state).toBe('running');
    expect(d.waves[1]).toMatchObject({ failed: 1, size: 5, failedShare: 0.2, state: 'finished' });
    expect(d.actions).toEqual([{ kind: 'open', repo: 'a/next', wave: 2, adoptBranch: null }]);
  });

  it('never opens more than maxOpenPRs', () => {
    const targets = Array.from({ length: 10 }, (_, i) => view(`a/r${i}`, 1));
    const d = decide(input(targets, 2, { policy: { ...policy, maxOpenPRs: 3 } }));
    expect(d.actions.filter((a) => a.kind === 'open')).toHaveLength(3);
  });

  it('hands a branch with a human commit over: failed, needs a human, no push or merge', () => {
    const branch: BranchInfo = {
      name: 'fleetwave/m',
      sha: 'h2',
      commits: [
        { sha: 'h1', authorName: 'bot', authorEmail: 'bot@x', byBot: true, message: 'm' },
        { sha: 'h2', authorName: 'Ada', authorEmail: 'ada@x', byBot: false, message: 'fix' },
      ],
    };
    const d = decide(input([view('a/c', 0, { pr: pr('a/c', 'open', 'success', { headSha: 'h2' }), branch })], 1));
    // A canary handed to a human counts as failed: the fleet pauses, and nothing is pushed or merged.
    expect(d.actions.map((a) => a.kind)).toEqual(['pause']);
    expect(d.targets[0]).toMatchObject({ state: 'failed', needsHuman: true });
    expect(d.targets[0]!.reason).toMatch(/Ada/);
  });

  it('never opens a PR for a blocked target, and skips one with nothing to change', () => {
    const d = decide(
      input(
        [
          view('a/blocked', null, {
            blocking: [{ severity: 'blocking', message: 'reads dropped field legacy_flag', field: 'legacy_flag' }],
          }),
          view('a/done', null, { hasChanges: false }),
        ],
        1,
      ),
    );
    expect(d.actions).toEqual([]);
    expect(d.targets.map((t) => t.state)).toEqual(['blocked', 'skipped']);
    expect(d.state).toBe('completed');
  });

  it('adopts a pushed branch that has no PR yet (a crash between push and PR) instead of pushing again', () => {
    const branch: BranchInfo = {
      name: 'fleetwave/m',
      sha: 'h1',
      commits: [{ sha: 'h1', authorName: 'bot', authorEmail: 'bot@x', byBot: true, message: 'm' }],
    };
    const d = decide(input([view('a/c', 0, { branch })], 1));
    expect(d.actions).toEqual([{ kind: 'open', repo: 'a/c', wave: 0, adoptBranch: branch }]);
  });

  it('waits for the soak time before the next wave', () => {
    const merged = [
      view('a/c', 0, { pr: pr('a/c', 'merged', 'success', { mergedAt: new Date(now.getTime() - 10 * 60_000).toISOString() }) }),
      view('a/x', 1),
    ];
    const d = decide(input(merged, 2, { policy: { ...policy, soakMs: 30 * 60_000 } }));
    expect(d.actions).toEqual([]);
    expect(d.state).toBe('running');
    expect(d.waitingUntil).toBe(new Date(now.getTime() + 20 * 60_000).toISOString());
  });

  it('a human pause stops merges and opens', () => {
    const d = decide(
      input([view('a/c', 0, { pr: pr('a/c', 'open', 'success') }), view('a/x', 0)], 1, {
        control: { pausedBy: 'ada', pausedReason: 'incident', acceptedWaves: [] },
      }),
    );
    expect(d.state).toBe('paused');
    expect(d.reason).toMatch(/ada: incident/);
    expect(d.actions).toEqual([]);
  });

  it('reverts a merge whose post-merge checks fail, even while paused, and counts it against its wave', () => {
    const merged = pr('a/c', 'merged', 'success', { mergedAt: now.toISOString(), mergeSha: 'm1' });
    const d = decide(
      input([view('a/c', 0, { pr: merged, postMerge: 'failure' }), view('a/x', 1)], 2, { policy: { ...policy, revertOnFailure: true } }),
    );
    expect(d.targets[0]).toMatchObject({ state: 'failed' });
    expect(d.actions).toContainEqual(expect.objectContaining({ kind: 'revert', repo: 'a/c', number: 1 }));
    expect(d.state).toBe('paused');
    const reverted = decide(
      input([view('a/c', 0, { pr: { ...merged, revertSha: 'r1' } }), view('a/x', 1)], 2, { policy: { ...policy, revertOnFailure: true } }),
    );
    expect(reverted.targets[0]!.state).toBe('reverted');
    expect(reverted.actions.map((a) => a.kind)).toEqual(['pause']);
  });

  it('holds the next wave while post-merge checks run', () => {
    const merged = pr('a/c', 'merged', 'success', { mergedAt: now.toISOString(), mergeSha: 'm1' });
    const d = decide(input([view('a/c', 0, { pr: merged, postMerge: 'pending' }), view('a/x', 1)], 2));
    expect(d.actions).toEqual([]);
    expect(d.waves[0]!.state).toBe('active');
  });

  describe('two-phase', () => {
    const twoPhase = { approvers: ['ada', 'bob'], required: 1, expiresAfterMs: 3_600_000 };
    const tp = { ...policy, twoPhase };
    const wave = () => [view('a/c', 0, { pr: pr('a/c', 'open', 'success') }), view('a/d', 0, { pr: pr('a/d', 'open', 'pending') })];

    it('opens and waits for green, merging nothing before an approval', () => {
      const d = decide(input(wave(), 1, { policy: tp, manifestHash: 'h', approvals: [] }));
      expect(d.actions).toEqual([]);
      expect(d.reason).toMatch(/waiting for green checks/);
      const green = [view('a/c', 0, { pr: pr('a/c', 'open', 'success') }), view('a/d', 0, { pr: pr('a/d', 'open', 'success') })];
      const waiting = decide(input(green, 1, { policy: tp, manifestHash: 'h', approvals: [] }));
      expect(waiting.actions).toEqual([]);
      expect(waiting.reason).toMatch(/waits for 1 more approval from ada, bob/);
    });

    it('merges the green wave after a valid approval', () => {
      const green = [view('a/c', 0, { pr: pr('a/c', 'open', 'success') }), view('a/d', 0, { pr: pr('a/d', 'open', 'success') })];
      const d = decide(
        input(green, 1, { policy: tp, manifestHash: 'h', approvals: [{ by: 'ada', at: now.toISOString(), manifestHash: 'h' }] }),
      );
      expect(d.actions.map((a) => a.kind)).toEqual(['merge', 'merge']);
    });

    it('refuses an approval for an older manifest, from a stranger, or expired', () => {
      const green = [view('a/c', 0, { pr: pr('a/c', 'open', 'success') })];
      const old = new Date(now.getTime() - 2 * 3_600_000).toISOString();
      const d = decide(
        input(green, 1, {
          policy: tp,
          manifestHash: 'new',
          approvals: [
            { by: 'ada', at: now.toISOString(), manifestHash: 'old' },
            { by: 'eve', at: now.toISOString(), manifestHash: 'new' },
            { by: 'bob', at: old, manifestHash: 'new' },
          ],
        }),
      );
      expect(d.actions).toEqual([]);
      expect(d.reason).toMatch(/older manifest/);
      expect(d.reason).toMatch(/eve is not an approver/);
      expect(d.reason).toMatch(/bob expired/);
    });

    it('lets a PR approved by a named approver on its head merge', () => {
      const reviewed = pr('a/c', 'open', 'success', {
        reviews: [{ author: 'bob', state: 'APPROVED', submittedAt: now.toISOString(), commitSha: 'h1' }],
      });
      const d = decide(
        input([view('a/c', 0, { pr: reviewed }), view('a/d', 0, { pr: pr('a/d', 'open', 'pending') })], 1, {
          policy: tp,
          manifestHash: 'h',
          approvals: [],
        }),
      );
      expect(d.actions).toEqual([{ kind: 'merge', repo: 'a/c', number: 1, headSha: 'h1' }]);
    });

    it('reverts the wave when a merge fails in phase two', () => {
      const targets = [
        view('a/c', 0, { pr: pr('a/c', 'merged', 'success', { mergedAt: now.toISOString(), mergeSha: 'm' }) }),
        view('a/d', 0, { pr: pr('a/d', 'open', 'success'), error: 'merge failed: conflict' }),
      ];
      const d = decide(
        input(targets, 1, {
          policy: { ...tp, failureThreshold: 1 },
          manifestHash: 'h',
          approvals: [{ by: 'ada', at: now.toISOString(), manifestHash: 'h' }],
        }),
      );
      expect(d.actions).toContainEqual(expect.objectContaining({ kind: 'revert', repo: 'a/c' }));
    });
  });
});
