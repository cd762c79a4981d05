/**
 * The fleet's circuit breaker, as pure functions over (record, outcomes, now). One breaker per fleet
 * (per installation in the App, per fleet folder in local mode) watches the outcomes of every
 * migration of that fleet:
 *
 *   closed ── failures in the window ≥ minFailures and ≥ failureRatio of its outcomes ──▶ open
 *   open ── coolDown elapsed ──▶ half-open
 *   half-open ── one canary action (a PR opening or a merge) is let through across the fleet;
 *                its success closes the breaker, its failure (or no answer within canaryTimeout)
 *                re-opens it with a new cool-down.
 *
 * The record lives in the store (`Store.getBreaker`/`setBreaker`), so the breaker survives restarts;
 * time is always passed in, never read. docs/breaker.md and docs/decisions/0003-circuit-breaker.md.
 */
import type { BreakerRecord } from '../store/port.js';
import { parseDuration, parseFraction } from '../util/duration.js';
import { InputError } from '../util/errors.js';
import type { Action, DerivedTarget, TargetView } from './decision.js';

export type BreakerOutcome = BreakerRecord['outcomes'][number];

export interface BreakerPolicy {
  /** The sliding window over which outcomes count. */
  windowMs: number;
  /** At least this many failures in the window… */
  minFailures: number;
  /** …that are at least this share (0..1) of the window's outcomes open the breaker. */
  failureRatio: number;
  /** How long the breaker stays open before it lets a canary through. */
  coolDownMs: number;
  /** A canary without an outcome after this long counts as a failure. */
  canaryTimeoutMs: number;
}

export const DEFAULT_BREAKER_POLICY: BreakerPolicy = {
  windowMs: 3_600_000,
  minFailures: 5,
  failureRatio: 0.5,
  coolDownMs: 30 * 60_000,
  canaryTimeoutMs: 6 * 3_600_000,
};

/** The breaker of a fleet that never recorded anything. */
export function closedBreaker(key: string, at = new Date(0)): BreakerRecord {
  return { key, state: 'closed', openedAt: null, reason: null, outcomes: [], canary: null, updatedAt: at.toISOString() };
}

/** When an open breaker goes half-open. */
export function halfOpenAt(record: BreakerRecord, policy: BreakerPolicy): Date | null {
  return record.state === 'open' && record.openedAt ? new Date(Date.parse(record.openedAt) + policy.coolDownMs) : null;
}

function prune(outcomes: readonly BreakerOutcome[], policy: BreakerPolicy, now: Date): BreakerOutcome[] {
  const from = now.getTime() - policy.windowMs;
  return outcomes.filter((o) => Date.parse(o.at) > from);
}

function open(record: BreakerRecord, reason: string, now: Date): BreakerRecord {
  return { ...record, state: 'open', openedAt: now.toISOString(), reason, canary: null, updatedAt: now.toISOString() };
}

/**
 * Time passes: outcomes older than the window slide out, an open breaker whose cool-down is over goes
 * half-open, and a half-open canary that never answered counts as failed.
 */
export function advance(record: BreakerRecord, policy: BreakerPolicy, now: Date): BreakerRecord {
  let next: BreakerRecord = { ...record, outcomes: prune(record.outcomes, policy, now) };
  const halfOpen = halfOpenAt(next, policy);
  if (halfOpen && halfOpen.getTime() <= now.getTime()) next = { ...next, state: 'half-open', canary: null, updatedAt: now.toISOString() };
  if (next.state === 'half-open' && next.canary && Date.parse(next.canary.at) + policy.canaryTimeoutMs <= now.getTime()) {
    const c = next.canary;
    next = open(
      next,
      `the half-open canary (${c.action} on ${c.target} of ${c.migration}) had no outcome within ${formatMs(policy.canaryTimeoutMs)}`,
      now,
    );
  }
  return next;
}

/** The window's counts. */
export function windowCounts(record: BreakerRecord, policy: BreakerPolicy, now: Date): { failures: number; outcomes: number } {
  const inWindow = prune(record.outcomes, policy, now);
  return { failures: inWindow.filter((o) => !o.ok).length, outcomes: inWindow.length };
}

/** Whether the window's failures pass the threshold. */
export function tripped(record: BreakerRecord, policy: BreakerPolicy, now: Date): boolean {
  const { failures, outcomes } = windowCounts(record, policy, now);
  return failures >= policy.minFailures && outcomes > 0 && failures / outcomes >= policy.failureRatio;
}

/**
 * Record outcomes (of any migration of the fleet) and re-evaluate: a closed breaker whose window
 * passes the threshold opens. Outcomes seen while open or half-open are kept in the window but do
 * not move the state: only the canary does (`resolveCanary`).
 */
export function recordOutcomes(
  record: BreakerRecord,
  outcomes: readonly BreakerOutcome[],
  policy: BreakerPolicy,
  now: Date,
): BreakerRecord {
  let next = advance({ ...record, outcomes: [...record.outcomes, ...outcomes] }, policy, now);
  if (outcomes.length) next = { ...next, updatedAt: now.toISOString() };
  if (next.state === 'closed' && tripped(next, policy, now)) {
    const { failures, outcomes: total } = windowCounts(next, policy, now);
    next = open(
      next,
      `${failures} failures in ${total} outcomes within ${formatMs(policy.windowMs)} (threshold: ${policy.minFailures} failures and ${Math.round(policy.failureRatio * 100)}%)`,
      now,
    );
  }
  return next;
}

/** The half-open canary's outcome: success closes the breaker (and clears the window), failure re-opens it. */
export function resolveCanary(record: BreakerRecord, ok: boolean, now: Date, detail: string): BreakerRecord {
  if (record.state !== 'half-open' || !record.canary) return record;
  if (ok) return { ...record, state: 'closed', reason: null, outcomes: [], canary: null, updatedAt: now.toISOString() };
  return open(record, `the half-open canary failed: ${detail}`, now);
}

/** The canary went away without an outcome (its PR was closed, its target dropped): let another through. */
export function releaseCanary(record: BreakerRecord, now: Date): BreakerRecord {
  return record.canary ? { ...record, canary: null, updatedAt: now.toISOString() } : record;
}

/** A human closes the breaker (`fleetwave breaker --reset`): closed, window cleared. */
export function resetBreaker(record: BreakerRecord, now: Date): BreakerRecord {
  return { ...record, state: 'closed', reason: null, outcomes: [], canary: null, updatedAt: now.toISOString() };
}

/** Actions the breaker holds back: those that change a consumer (open, merge). Reverts and pauses always go. */
export function isGated(action: Action): action is Extract<Action, { kind: 'open' | 'merge' }> {
  return action.kind === 'open' || action.kind === 'merge';
}

export interface GateResult {
  /** The actions that may run now. */
  actions: Action[];
  /** The record with the canary claimed, when one was let through. */
  record: BreakerRecord;
  /** Why this migration waits (null when the breaker holds nothing of it back). */
  reason: string | null;
  /** The migration pauses: the breaker is open, or half-open with the canary elsewhere. */
  pause: boolean;
  /** When the breaker goes half-open (open only). */
  waitingUntil: string | null;
}

/**
 * Which of a migration's actions the breaker lets through. Closed: all. Open: none that change a
 * consumer. Half-open: the canary's own actions (its PR's opening and merge); with no canary yet, the
 * first gated action becomes it (claimed in the returned record, which the caller persists before
 * acting, so a crash cannot let a second one through).
 */
export function gate(record: BreakerRecord, migration: string, actions: readonly Action[], policy: BreakerPolicy, now: Date): GateResult {
  if (record.state === 'closed') return { actions: [...actions], record, reason: null, pause: false, waitingUntil: null };
  const ungated = actions.filter((a) => !isGated(a));
  const reset = '`fleetwave breaker --reset` closes it';
  if (record.state === 'open') {
    const at = halfOpenAt(record, policy)!.toISOString();
    return {
      actions: ungated,
      record,
      reason: `circuit breaker open since ${record.openedAt}: ${record.reason ?? 'too many failures'}; every migration of the fleet is paused until ${at}, when one canary is let through (${reset})`,
      pause: true,
      waitingUntil: at,
    };
  }
  let canary = record.canary;
  let next = record;
  if (!canary) {
    const first = actions.find(isGated);
    if (first) {
      canary = { migration, target: first.repo, action: first.kind, at: now.toISOString() };
      next = { ...record, canary, updatedAt: now.toISOString() };
    }
  }
  if (canary && canary.migration === migration) {
    const own = actions.filter((a) => isGated(a) && a.repo === canary.target);
    return {
      actions: [...ungated, ...own],
      record: next,
      reason: `circuit breaker half-open: ${canary.action} on ${canary.target} is the fleet's one canary; its outcome closes or re-opens the breaker`,
      pause: false,
      waitingUntil: null,
    };
  }
  return {
    actions: ungated,
    record: next,
    reason: canary
      ? `circuit breaker half-open: waiting for the canary (${canary.action} on ${canary.target} of ${canary.migration}); every other migration of the fleet is paused (${reset})`
      : `circuit breaker half-open: the next action of any migration of the fleet is its one canary (${reset})`,
    pause: true,
    waitingUntil: null,
  };
}

/** An outcome a reconcile observed for one target, keyed so that it is recorded once. */
export interface ObservedOutcome {
  target: string;
  ok: boolean;
  /** Unique per target and per failure (or merge): a re-run observes the same key and records nothing. */
  key: string;
  reason: string | null;
  pr: number | null;
}

/**
 * The outcomes a decision shows: a target failing its checks or an action, a failed or reverted
 * merge (failures); a merge (success). A target handed to a human (a human's commit) is neither.
 */
export function observedOutcomes(
  targets: readonly DerivedTarget[],
  views: readonly TargetView[],
  heads: ReadonlyMap<string, { sha: string }>,
): ObservedOutcome[] {
  const byRepo = new Map(views.map((v) => [v.repo, v]));
  const out: ObservedOutcome[] = [];
  for (const t of targets) {
    const pr = byRepo.get(t.repo)?.pr ?? null;
    if (t.state === 'merged' && pr) out.push({ target: t.repo, ok: true, key: mergedKey(t.repo, pr.number), reason: null, pr: pr.number });
    if ((t.state !== 'failed' && t.state !== 'reverted') || t.needsHuman) continue;
    let key: string;
    if (pr?.state === 'merged') key = `${t.repo}#${pr.number}:after-merge`;
    else if (pr) key = `${t.repo}#${pr.number}@${pr.headSha}`;
    else key = `${t.repo}@${heads.get(t.repo)?.sha ?? ''}:${t.reason ?? 'failed'}`;
    out.push({ target: t.repo, ok: false, key, reason: t.reason, pr: pr?.number ?? null });
  }
  return out;
}

/** The key of a merge's success (the same whether the merge was executed or observed). */
export function mergedKey(repo: string, pr: number): string {
  return `${repo}#${pr}:merged`;
}

/**
 * The canary's outcome as its migration now shows it: 'ok' (merged, or its new PR went green),
 * 'failed' (failed or reverted), 'gone' (closed, blocked, no longer a target) or 'pending'.
 */
export function canaryOutcome(
  record: BreakerRecord,
  targets: readonly DerivedTarget[],
  views: readonly TargetView[],
): { result: 'ok' | 'failed' | 'gone' | 'pending'; detail: string } {
  const c = record.canary;
  if (!c) return { result: 'pending', detail: '' };
  const t = targets.find((d) => d.repo === c.target);
  const what = `${c.action} on ${c.target} of ${c.migration}`;
  if (!t) return { result: 'gone', detail: `${what}: no longer a target` };
  if (t.state === 'merged') return { result: 'ok', detail: `${what}: merged` };
  if (t.state === 'failed' || t.state === 'reverted') return { result: 'failed', detail: `${what}: ${t.reason ?? t.state}` };
  if (t.state === 'open' && c.action === 'open' && views.find((v) => v.repo === c.target)?.pr?.checks.state === 'success')
    return { result: 'ok', detail: `${what}: checks passed` };
  if (t.state === 'skipped' || t.state === 'blocked') return { result: 'gone', detail: `${what}: ${t.state}` };
  return { result: 'pending', detail: what };
}

/**
 * The policy from the environment: FLEETWAVE_BREAKER=off disables it; FLEETWAVE_BREAKER_WINDOW (1h),
 * FLEETWAVE_BREAKER_FAILURES (5), FLEETWAVE_BREAKER_RATIO (50%), FLEETWAVE_BREAKER_COOLDOWN (30m),
 * FLEETWAVE_BREAKER_CANARY_TIMEOUT (6h) override the defaults. Null when disabled.
 */
export function breakerPolicyFromEnv(env: Readonly<Record<string, string | undefined>>): BreakerPolicy | null {
  const flag = env.FLEETWAVE_BREAKER?.trim().toLowerCase();
  if (flag === 'off' || flag === 'false' || flag === '0') return null;
  if (flag && flag !== 'on' && flag !== 'true' && flag !== '1')
    throw new InputError(`FLEETWAVE_BREAKER=${env.FLEETWAVE_BREAKER}: expected on or off`);
  const duration = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const ms = parseDuration(raw);
    if (ms === undefined || ms <= 0) throw new InputError(`${name}=${raw}: expected a duration such as 30m, 1h or 2h30m`);
    return ms;
  };
  const failures = env.FLEETWAVE_BREAKER_FAILURES;
  let minFailures = DEFAULT_BREAKER_POLICY.minFailures;
  if (failures !== undefined && failures.trim() !== '') {
    minFailures = Number(failures);
    if (!Number.isInteger(minFailures) || minFailures < 1)
      throw new InputError(`FLEETWAVE_BREAKER_FAILURES=${failures}: expected a whole number of at least 1`);
  }
  let failureRatio = DEFAULT_BREAKER_POLICY.failureRatio;
  const ratio = env.FLEETWAVE_BREAKER_RATIO;
  if (ratio !== undefined && ratio.trim() !== '') {
    const parsed = parseFraction(/%\s*$/.test(ratio) ? ratio : Number(ratio));
    if (parsed === undefined) throw new InputError(`FLEETWAVE_BREAKER_RATIO=${ratio}: expected a share such as 50% or 0.5`);
    failureRatio = parsed;
  }
  return {
    windowMs: duration('FLEETWAVE_BREAKER_WINDOW', DEFAULT_BREAKER_POLICY.windowMs),
    minFailures,
    failureRatio,
    coolDownMs: duration('FLEETWAVE_BREAKER_COOLDOWN', DEFAULT_BREAKER_POLICY.coolDownMs),
    canaryTimeoutMs: duration('FLEETWAVE_BREAKER_CANARY_TIMEOUT', DEFAULT_BREAKER_POLICY.canaryTimeoutMs),
  };
}

function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.round(ms / 1000)}s`;
}
