/**
 * The fleet simulation at 1,000 and 10,000 targets: wall time, simulated hours to finish under
 * GitHub's content limits (80/min, 500/h, 1 s apart), requests per target. Printed, not asserted.
 */
import { performance } from 'node:perf_hooks';
import { simulate } from '../src/simulate/simulate.js';

const rows: Record<string, string | number>[] = [];
for (const targets of [1_000, 10_000]) {
  const start = performance.now();
  const r = await simulate({ targets, failRate: 0.1, flakyRate: 0.05, apiFaultRate: 0.05, crashRate: 0.02, seed: 1 });
  rows.push({
    targets,
    state: r.state,
    'wall (s)': ((performance.now() - start) / 1000).toFixed(1),
    'simulated hours': r.simulatedHours,
    'rate-limit wait (h)': r.rateLimitWaitHours,
    requests: r.requests,
    'requests/target': r.requestsPerTarget,
    merged: r.merged,
    failed: r.failed,
    duplicatePRs: r.duplicatePRs,
    lostTargets: r.lostTargets,
    crashes: r.crashes,
  });
}
console.table(rows);
console.log('baseline: content-creating requests alone need ≥ 3 per merged target (push, PR, merge) → at 500/h, 1,000 targets need ≥ 6 h');
