/**
 * decide's safety rules: failed checks re-run once per head before they count, approvals for some
 * tiers only, and the branch lookups observe makes (only for the targets decide may open now).
 */
import { describe, expect, it } from '@jest/globals';
import type { BranchInfo, PullRequestInfo } from '../../src/forge/port.js';
import { decide, deriveTarget, type DecideInput, type DecidePolicy, type TargetView } from '../../src/rollout/decide.js';
import { fetchNextBranches, rerunsOf } from '../../src/rollout/observe.js';
import type { StoredOf } from '../../src/store/journal-events.js';
import type { StoredEvent } from '../../src/store/port.js';

const now = new Date('2026-11-24T12:00:00Z');
const policy: DecidePolicy = { automerge: true, failureThreshold: 0.2, soakMs: 0, maxOpenPRs: 25, retryFailedChecks: 1 };
const control = { pausedBy: null, pausedReason: null, acceptedWaves: [] as number[] };

function pr(repo: string, checks: PullRequestInfo['checks']['state'], extra: Partial<PullRequestInfo> = {}): PullRequestInfo {
  return {
    repo,
    number: 7,
    url: `u/${repo}`,
    state: 'open',
    title: 't',
    body: 'b',
    branch: 'fleetwave/m',
    baseBranch: 'main',
    headSha: 'h1'.padEnd(40, '0'),
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

describe('failed checks are re-run once per head before they count', () => {
  it('a PR whose checks failed on a head never re-run is open, and its checks are re-run', () => {
    const t = view('a/flaky', 0, { pr: pr('a/flaky', 'failure'), checkReruns: 0 });
    expect(deriveTarget(t, 1)).toMatchObject({
      state: 'open',
      reason: expect.stringMatching(/checks failed: test; re-running them \(re-run 1 of 1 for h100000\)/),
    });
    const d = decide(input([t, view('a/next', 1)], 2));
    expect(d.actions).toEqual([{ kind: 'rerun-checks', repo: 'a/flaky', number: 7, headSha: pr('x', 'failure').headSha, attempt: 1 }]);
    // The wave is not finished while the re-run is due: the next wave does not start, nothing pauses.
    expect(d.state).toBe('running');
    expect(d.waves[0]!.state).toBe('active');
  });

  it('after its re-run a PR whose checks fail again is failed, and is never re-run a second time', () => {
    const t = view('a/broken', 0, { pr: pr('a/broken', 'failure'), checkReruns: 1 });
    expect(deriveTarget(t, 1)).toMatchObject({ state: 'failed', reason: 'checks failed: test (after 1 re-run on this head)' });
    const d = decide(input([t], 1));
    expect(d.actions.filter((a) => a.kind === 'rerun-checks')).toEqual([]);
    expect(d.state).toBe('paused');
  });

  it('with retryFailedChecks 0 a failure counts at once', () => {
    const t = view('a/f', 0, { pr: pr('a/f', 'failure') });
    const d = decide(input([t], 1, { policy: { ...policy, retryFailedChecks: 0 } }));
    expect(d.targets[0]!.state).toBe('failed');
    expect(d.actions.some((a) => a.kind === 'rerun-checks')).toBe(false);
  });

  it('counts re-runs from the journal per head and attempt: a replayed claim is one re-run, a new head starts again', () => {
    const ev = (target: string, sha: string, attempt: number, outcome: StoredEvent['outcome'] = 'ok') =>
      ({
        id: 1,
        at: now.toISOString(),
        migration: 'm',
        target,
        action: 'rerun-checks',
        outcome,
        detail: { sha, attempt },
        version: 't',
        manifestHash: 'h',
      }) as StoredOf<'rerun-checks'>;
    const events = [ev('a/x', 's1', 1), ev('a/x', 's1', 1), ev('a/x', 's1', 1, 'error'), ev('a/y', 's1', 1), ev('a/x', 's2', 1)];
    expect(rerunsOf(events, 'a/x', 's1')).toBe(1);
    expect(rerunsOf(events, 'a/x', 's2')).toBe(1);
    expect(rerunsOf(events, 'a/x', 's3')).toBe(0);
  });
});

describe('approvals for some tiers only (requireApprovalFor)', () => {
  const flagged: DecidePolicy = {
    ...policy,
    twoPhase: { approvers: ['ada'], required: 1, expiresAfterMs: 3_600_000 },
    approvalScope: 'flagged',
  };

  it('a critical target waits for an approval while the others of its wave merge', () => {
    const targets = [
      view('a/critical', 1, { pr: pr('a/critical', 'success'), tier: 'critical', needsApproval: true }),
      view('a/plain', 1, { pr: pr('a/plain', 'success'), tier: 'standard', needsApproval: false }),
    ];
    const d = decide(input(targets, 2, { policy: flagged, manifestHash: 'h', approvals: [] }));
    expect(d.actions).toEqual([{ kind: 'merge', repo: 'a/plain', number: 7, headSha: targets[1]!.pr!.headSha }]);
    expect(d.reason).toMatch(/two-phase: wave 1 is green and waits for 1 more approval from ada/);
    const approved = decide(
      input(targets, 2, { policy: flagged, manifestHash: 'h', approvals: [{ by: 'ada', at: now.toISOString(), manifestHash: 'h' }] }),
    );
    expect(approved.actions.map((a) => a.kind === 'merge' && a.repo)).toEqual(['a/critical', 'a/plain']);
  });

  it('a wave without critical targets merges without any approval', () => {
    const d = decide(
      input([view('a/plain', 0, { pr: pr('a/plain', 'success'), needsApproval: false })], 1, {
        policy: flagged,
        manifestHash: 'h',
        approvals: [],
      }),
    );
    expect(d.actions).toEqual([expect.objectContaining({ kind: 'merge', repo: 'a/plain' })]);
    expect(d.reason).toBeNull();
  });
});

describe('fetchNextBranches: branch lookups only where decide may open now', () => {
  const bot: BranchInfo = {
    name: 'fleetwave/m',
    sha: 'b'.repeat(40),
    commits: [{ sha: 'b'.repeat(40), authorName: 'bot', authorEmail: 'bot@x', byBot: true, message: 'm' }],
  };
  const human: BranchInfo = {
    name: 'fleetwave/m',
    sha: 'c'.repeat(40),
    commits: [{ sha: 'c'.repeat(40), authorName: 'Ada', authorEmail: 'ada@x', byBot: false, message: 'fix' }],
  };

  it('looks up as many planned targets of the active wave as there are free slots, and none of later waves', async () => {
    const views = [
      view('a/c', 0, { pr: pr('a/c', 'success', { state: 'merged' }) }),
      ...['a/w1', 'a/w2', 'a/w3', 'a/w4'].map((r) => view(r, 1)),
      view('a/later', 2),
    ];
    const asked: string[] = [];
    await fetchNextBranches(views, 3, 2, async (repo) => (asked.push(repo), null));
    expect(asked).toEqual(['a/w1', 'a/w2']);
  });

  it('a human branch fails its target and frees its slot; a wave emptied that way lets the next wave be asked', async () => {
    const views = [view('a/c', 0), view('a/n1', 1), view('a/n2', 1)];
    const branches: Record<string, BranchInfo | null> = { 'a/c': human, 'a/n1': bot, 'a/n2': null };
    const asked: string[] = [];
    await fetchNextBranches(views, 2, 5, async (repo) => (asked.push(repo), branches[repo]!));
    expect(asked).toEqual(['a/c', 'a/n1', 'a/n2']);
    expect(views.map((v) => deriveTarget(v).state)).toEqual(['failed', 'planned', 'planned']);
    // decide adopts the bot branch found for a target of the next wave.
    const d = decide(input(views, 2, { policy: { ...policy, failureThreshold: 1 } }));
    expect(d.actions).toContainEqual({ kind: 'open', repo: 'a/n1', wave: 1, adoptBranch: bot });
  });

  it('asks nothing when every slot is taken by PRs in flight', async () => {
    const views = [
      view('a/o1', 1, { pr: pr('a/o1', 'pending') }),
      view('a/o2', 1, { pr: pr('a/o2', 'failure'), checkReruns: 0 }),
      view('a/p', 1),
    ];
    const asked: string[] = [];
    await fetchNextBranches(views, 2, 2, async (repo) => (asked.push(repo), null), 1);
    expect(asked).toEqual([]);
  });
});
