/**
 * The rollout policy: a migration's manifest compiled once per reconcile tick into what the engine
 * applies — decide's policy (automerge, two-phase approvals, re-runs, revert, failure threshold, soak,
 * maxOpenPRs), the tiers, the canary rule and how long a code search answers. Durations and fractions
 * are parsed here and nowhere else in the tick.
 */
import type { LoadedManifest, RolloutSpec } from '../manifest/types.js';
import { tierResolver, type TierResolver } from '../plan/tiers.js';
import { parseDuration, parseFraction } from '../util/duration.js';
import { parseWeeklyWindow, type WeeklyWindow, type WorkSchedule } from '../util/work-schedule.js';
import type { DecidePolicy } from './decision.js';
import { DEFAULT_CHECKS_GRACE_MS } from './gates/checks.js';

export interface RolloutPolicy {
  /** What decide applies. */
  decide: DecidePolicy;
  /** Re-runs of failed checks per head before a PR counts as failed (decide's, with its default). */
  retryFailedChecks: number;
  /** The targets' tiers: risk order, approvals by tier. */
  tiers: TierResolver;
  /** `rollout.canary`: how many canaries the rule picks, or the named canaries. */
  canary: RolloutSpec['canary'];
  /** A journalled code search answers again for this long (`consumers.searchEvery`; 0: always search). */
  searchEveryMs: number;
  /** `rollout.sunsetWarnings`: how long before `metadata.sunset` each warning goes out. */
  sunsetWarningsMs: number[];
}

/** Compiles `loaded`'s manifest into the policy the tick applies. */
export function compilePolicy(loaded: LoadedManifest): RolloutPolicy {
  const decide = policyOf(loaded);
  return {
    decide,
    retryFailedChecks: decide.retryFailedChecks ?? 0,
    tiers: tierResolver(loaded.manifest.rollout),
    canary: loaded.manifest.rollout.canary,
    searchEveryMs: parseDuration(loaded.manifest.consumers.searchEvery) ?? 0,
    sunsetWarningsMs: loaded.manifest.rollout.sunsetWarnings.map((w) => parseDuration(w) ?? 0),
  };
}

/** decide's policy from a manifest: two-phase approvals, thresholds and durations parsed. */
export function policyOf(loaded: LoadedManifest): DecidePolicy {
  const r = loaded.manifest.rollout;
  const approvers = {
    approvers: r.approvals?.from ?? [loaded.manifest.metadata.owner],
    required: r.approvals?.required ?? 1,
    expiresAfterMs: parseDuration(r.approvals?.expiresAfter ?? '7d') ?? 7 * 86_400_000,
  };
  // Two-phase for every target (a sensitive dataset, or `approvals` alone), or, with
  // `requireApprovalFor`, for the targets of those tiers only.
  const all = loaded.manifest.metadata.sensitive || (r.approvals !== undefined && r.requireApprovalFor.length === 0);
  const flagged = !all && r.requireApprovalFor.length > 0;
  return {
    automerge: r.automerge,
    twoPhase: all || flagged ? approvers : null,
    approvalScope: all ? 'all' : 'flagged',
    retryFailedChecks: r.retryFailedChecks,
    revertOnFailure: r.revertOnFailure,
    failureThreshold: parseFraction(r.failureThreshold) ?? 0.2,
    soakMs: parseDuration(r.soak) ?? 0,
    maxOpenPRs: r.maxOpenPRs,
    checksGraceMs: parseDuration(r.checksGrace) ?? DEFAULT_CHECKS_GRACE_MS,
    withoutChecks: r.withoutChecks,
    schedule: scheduleOf(r),
    rebaseWhen: r.rebaseWhen,
    nudgeAfterMs: r.nudgeAfter === undefined ? null : (parseDuration(r.nudgeAfter) ?? null),
  };
}

/** `rollout.schedule` with its time zone and holidays, or null when there is none (the manifest checked each window). */
function scheduleOf(r: RolloutSpec): WorkSchedule | null {
  if (r.schedule === undefined) return null;
  const texts = Array.isArray(r.schedule) ? r.schedule : [r.schedule];
  const windows = texts.map(parseWeeklyWindow).filter((w): w is WeeklyWindow => typeof w !== 'string');
  return { windows, timezone: r.timezone, holidays: new Set(r.holidays) };
}
