/**
 * The trial run's pure parts (`fleetwave trial`, src/rollout/trial-run.ts does the pushing and
 * waiting): which targets to try, what each head's checks say, the aggregate, and the canary
 * preference a trial leaves behind. No forge, store or clock here: everything comes in as values.
 */
import type { CheckRun, CheckState, RepoName } from '../forge/port.js';

/**
 * The short-lived branch a trial pushes each target's change to (a workspace of a monorepo its own,
 * `fleetwave-trial/<migration>.ws/<folder>`, as src/rollout/marker.ts names PR branches). Never the bot
 * branch of a PR.
 */
export function trialBranchName(migration: string, folder: string | null = null): string {
  return folder === null ? `fleetwave-trial/${migration}` : `fleetwave-trial/${migration}.ws/${folder}`;
}

/** What a trial says of one target. */
export type TrialState = 'passed' | 'failed' | 'no-ci' | 'error';

export interface TrialTargetResult {
  repo: RepoName;
  state: TrialState;
  /** The trial commit (absent when nothing was pushed). */
  sha?: string;
  /** The failing checks: name and the tail of their output (`failed`). */
  failing?: { name: string; tail: string }[];
  /** What went wrong (`error`: the push or the branch; `no-ci`: why it counts as no CI). */
  reason?: string;
}

export interface TrialAggregate {
  total: number;
  passed: number;
  failed: number;
  noCi: number;
  errors: number;
}

export function aggregate(results: readonly TrialTargetResult[]): TrialAggregate {
  const count = (s: TrialState) => results.filter((r) => r.state === s).length;
  return { total: results.length, passed: count('passed'), failed: count('failed'), noCi: count('no-ci'), errors: count('error') };
}

/** A trial's whole answer: what `fleetwave trial --json` prints. */
export interface TrialReport {
  migration: string;
  branch: string;
  /** The targets that could be tried (no PR yet, a change to make, nothing blocking). */
  candidates: number;
  /** Targets left out, and why (a pull request already exists, no change, blocked). */
  skipped: { repo: RepoName; reason: string }[];
  sample?: number;
  seed?: number;
  aggregate: TrialAggregate;
  results: TrialTargetResult[];
  /** Trial branches that could not be deleted, and why (a human committed to one meanwhile, the forge refused). */
  notDeleted: { repo: RepoName; reason: string }[];
  startedAt: string;
  finishedAt: string;
}

/** How the sample is drawn: every candidate, the `size` lowest-risk ones, or `size` drawn with `seed`. */
export interface SampleSpec {
  size?: number;
  seed?: number;
}

/**
 * The targets a trial tries: lowest risk first, then by name; `size` of them when given. With a
 * seed, `size` are drawn at random (a seeded shuffle: the same seed, the same draw), then listed in
 * risk order too.
 */
export function pickSample(candidates: readonly RepoName[], risk: (repo: RepoName) => number, spec: SampleSpec = {}): RepoName[] {
  const byRisk = [...candidates].sort((a, b) => risk(a) - risk(b) || (a < b ? -1 : a > b ? 1 : 0));
  const size = spec.size === undefined ? byRisk.length : Math.max(0, Math.min(spec.size, byRisk.length));
  if (spec.seed === undefined) return byRisk.slice(0, size);
  const random = mulberry32(spec.seed);
  const pool = [...byRisk];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  const drawn = new Set(pool.slice(0, size));
  return byRisk.filter((r) => drawn.has(r));
}

/** A small seeded generator (Mulberry32): the trial's draw is the same for the same seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One trial head's checks read at `elapsedMs` after its push: settled (passed, failed with the
 * failing checks' tails, no CI), or null while it may still change. `none` (no check reported) is
 * pending until `graceMs` (rollout.checksGrace: a code host creates check suites some seconds after a
 * push, see gates/checks.ts) and no CI after it; `pending` is pending until the trial's timeout, when
 * `timedOut` says the head never settled.
 */
export function settle(
  checks: { state: CheckState; runs: readonly CheckRun[] },
  elapsedMs: number,
  limits: { graceMs: number; timedOut: boolean },
): Omit<TrialTargetResult, 'repo' | 'sha'> | null {
  switch (checks.state) {
    case 'success':
      return { state: 'passed' };
    case 'failure': {
      const failing = checks.runs
        .filter((r) => r.state === 'failure')
        .map((r) => ({ name: r.name, tail: (r.summary ?? '').trim() || '(no output reported)' }));
      return { state: 'failed', failing: failing.length ? failing : [{ name: 'checks', tail: '(no failing check named)' }] };
    }
    case 'none':
      if (limits.graceMs === 0) return { state: 'no-ci', reason: 'no check on the trial head' };
      if (elapsedMs >= limits.graceMs || limits.timedOut)
        return { state: 'no-ci', reason: `no check reported within ${Math.round(Math.min(elapsedMs, limits.graceMs) / 1000)} s` };
      return null;
    case 'pending':
      return limits.timedOut ? { state: 'no-ci', reason: 'checks still pending when the trial timed out' } : null;
  }
}

/**
 * The canary candidates in the order a trial suggests: targets whose trial passed first, then those
 * not tried, then those whose trial did not pass (failed, no CI, error); the given order (risk, then
 * name) within each group. A trial that failed on a target says the change breaks it there: it is
 * the last place to try it first.
 */
export function preferTrialPassed(candidates: readonly RepoName[], trial: ReadonlyMap<RepoName, TrialState> | null): RepoName[] {
  if (!trial || trial.size === 0) return [...candidates];
  const rank = (r: RepoName) => {
    const s = trial.get(r);
    return s === 'passed' ? 0 : s === undefined ? 1 : 2;
  };
  return candidates
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i)
    .map((x) => x.r);
}

/** A journalled trial's result (the `trial` event's detail) as each target's state; null without one. */
export function trialStates(
  detail:
    { passed: readonly string[]; failed: Record<string, string>; noCi: readonly string[]; errors: Record<string, string> } | undefined,
): Map<RepoName, TrialState> | null {
  if (!detail) return null;
  const states = new Map<RepoName, TrialState>();
  for (const r of detail.passed) states.set(r, 'passed');
  for (const r of Object.keys(detail.failed)) states.set(r, 'failed');
  for (const r of detail.noCi) states.set(r, 'no-ci');
  for (const r of Object.keys(detail.errors)) states.set(r, 'error');
  return states;
}
