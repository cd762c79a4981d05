/**
 * The fleet simulation at 1,000 and 10,000 targets: wall and CPU time, simulated hours to finish under
 * GitHub's content limits (80/min, 500/h, 1 s apart), requests per target. Printed, not asserted.
 * Baseline in the same run: the floor set by the content limits alone — the content-creating requests
 * the run made (push, open, merge, re-run, revert), at 500 an hour.
 */
import { performance } from 'node:perf_hooks';
import { simulate } from '../src/simulate/simulate.js';

const CONTENT = [
  'pushChanges',
  'openPullRequest',
  'mergePullRequest',
  'rerunChecks',
  'revertPullRequest',
  'comment',
  'updatePullRequest',
  'closePullRequest',
];

const rows: Record<string, string | number>[] = [];
for (const targets of [1_000, 10_000]) {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const r = await simulate({ targets, failRate: 0.1, flakyRate: 0.05, apiFaultRate: 0.05, crashRate: 0.02, seed: 1 });
  const used = process.cpuUsage(cpu);
  const content = CONTENT.reduce((n, m) => n + (r.requestsByMethod[m] ?? 0), 0);
  rows.push({
    targets,
    state: r.state,
    'wall (s)': ((performance.now() - start) / 1000).toFixed(1),
    'cpu (s)': ((used.user + used.system) / 1e6).toFixed(1),
    'simulated hours': r.simulatedHours,
    'content floor (h)': Math.round((content / 500) * 100) / 100,
    'rate-limit wait (h)': r.rateLimitWaitHours,
    requests: r.requests,
    'requests/target': r.requestsPerTarget,
    'content requests': content,
    'git fetches': r.gitFetches,
    merged: r.merged,
    failed: r.failed,
    reruns: r.requestsByMethod.rerunChecks ?? 0,
    duplicatePRs: r.duplicatePRs,
    lostTargets: r.lostTargets,
    crashes: r.crashes,
  });
}
console.table(rows);
console.log(
  'baseline: "content floor" = content-creating requests ÷ 500 per hour (GitHub\'s limit): no engine can finish sooner with those requests',
);
