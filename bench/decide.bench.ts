/**
 * decide over a simulated fleet (in-memory observation): time per reconcile tick's decision, next to
 * the time just to walk the observation once (the baseline, measured in the same run). Goal: linear,
 * under 100 ms for 10,000 targets.
 */
import { performance } from 'node:perf_hooks';
import type { PullRequestInfo } from '../src/forge/port.js';
import { assignWaves, rolloutOrder } from '../src/plan/waves.js';
import { decide, type TargetView } from '../src/rollout/decide.js';

function fleet(n: number): { views: TargetView[]; waveCount: number } {
  const repos = Array.from({ length: n }, (_, i) => `acme/repo-${String(i).padStart(6, '0')}`);
  const { ordered, canaries } = rolloutOrder(repos, 1);
  const { waveOf, sizes } = assignWaves(ordered, canaries, { waves: [1, '10%', '50%', '100%'] });
  const views = repos.map((repo, i): TargetView => {
    const wave = waveOf.get(repo) ?? null;
    // A fleet mid-rollout: early waves merged, the active wave a mix of open, failed and planned.
    const state: PullRequestInfo['state'] | null = wave !== null && wave < 2 ? 'merged' : wave === 2 && i % 3 !== 0 ? 'open' : null;
    const pr: PullRequestInfo | null = state
      ? {
          repo,
          number: i + 1,
          url: `https://example.test/${repo}/pull/${i + 1}`,
          state,
          title: 't',
          body: 'b',
          branch: 'fleetwave/m',
          baseBranch: 'main',
          headSha: `sha${i}`,
          createdAt: '2026-11-24T00:00:00Z',
          mergedAt: state === 'merged' ? '2026-11-24T01:00:00Z' : undefined,
          checks: { state: i % 17 === 0 ? 'failure' : i % 5 === 0 ? 'pending' : 'success', runs: [] },
          reviews: [],
        }
      : null;
    return { repo, wave, blocking: [], hasChanges: true, pr, branch: null, error: null };
  });
  return { views, waveCount: sizes.length };
}

function time(fn: () => unknown, reps: number): number {
  fn();
  const start = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return (performance.now() - start) / reps;
}

const rows: Record<string, string | number>[] = [];
for (const n of [1_000, 10_000, 100_000]) {
  const { views, waveCount } = fleet(n);
  const reps = n >= 100_000 ? 5 : 30;
  const walk = time(() => {
    let open = 0;
    for (const v of views) if (v.pr?.state === 'open' && v.pr.checks.state === 'success') open++;
    return open;
  }, reps);
  const now = new Date('2026-11-24T12:00:00Z');
  let actions = 0;
  const tick = time(() => {
    const d = decide({
      migration: 'm',
      targets: views,
      waveCount,
      now,
      control: { pausedBy: null, pausedReason: null, acceptedWaves: [] },
      policy: { automerge: true, failureThreshold: 0.2, soakMs: 0, maxOpenPRs: 1_000_000 },
    });
    actions = d.actions.length;
  }, reps);
  rows.push({
    targets: n,
    'baseline walk (ms)': walk.toFixed(3),
    'decide (ms)': tick.toFixed(2),
    'µs per target': ((tick * 1000) / n).toFixed(2),
    actions,
  });
}
console.table(rows);
console.log('goal: linear (µs per target flat), under 100 ms at 10,000 targets');
