/**
 * decide: a pure function from what is true now (plan + observation + human overrides + time) to the
 * target states and the actions that move the migration forward. Level-triggered: it looks at the
 * whole state every time, so a lost, duplicated or reordered event changes nothing.
 */
import type { RepoName } from '../forge/port.js';
import type { BreakerRecord, ControlRecord } from '../store/port.js';
import type { BreakerPolicy } from './breaker.js';
import type { Action, Approval, DatasetGateView, DecidePolicy, Decision, DerivedTarget, TargetView } from './decision.js';
import { twoPhaseApplies } from './gates/approvals.js';
import { checksVerdict } from './gates/checks.js';
import type { GateContext, WaveFacts } from './gates/gate.js';
import { GATES } from './gates/index.js';
import { TERMINAL_STATES, type MigrationState, type TargetState, type WaveSummary } from './model.js';
import { scheduleGate } from './gates/schedule.js';
import { nudgeActions } from './nudge.js';
import { upkeepActions } from './upkeep.js';

export type { Action, Approval, DatasetGateView, DecidePolicy, Decision, DerivedTarget, TargetView } from './decision.js';
export { TERMINAL_STATES } from './model.js';

export interface DecideInput {
  migration: string;
  targets: readonly TargetView[];
  waveCount: number;
  policy: DecidePolicy;
  control: Pick<ControlRecord, 'pausedBy' | 'pausedReason' | 'acceptedWaves'>;
  now: Date;
  /** The current manifest's hash and the approvals given so far (two-phase only). */
  manifestHash?: string;
  approvals?: readonly Approval[];
  /** The fleet's circuit breaker with this tick's outcomes recorded (src/rollout/breaker-tick.ts); absent: no breaker. */
  breaker?: { record: BreakerRecord; policy: BreakerPolicy } | null;
  /** The targets as deriveTarget sees them, when the caller derived them already this tick (else derived here). */
  derived?: readonly DerivedTarget[];
  /** The dataset gate's view of this tick (src/rollout/dataset-gate.ts); absent: no dataset gate. */
  dataset?: DatasetGateView;
}

const TERMINAL = TERMINAL_STATES;

/** What deriveTarget needs to tell a head still waiting for its first check from one without CI (gates/checks.ts). */
export interface ChecksContext {
  now: Date;
  policy: Pick<DecidePolicy, 'checksGraceMs' | 'withoutChecks'>;
}

/**
 * The state of one target, from the forge's facts alone. A PR whose checks failed on a head that has
 * had fewer than `retryFailedChecks` re-runs is still open: its checks are to be re-run (a flaky check
 * must not count as a failure of the wave).
 */
export function deriveTarget(t: TargetView, retryFailedChecks = 0, checks?: ChecksContext): DerivedTarget {
  // One object literal per result rather than a spread of a shared base: this runs for every target
  // twice a tick, and V8 builds such spreads many times slower (millions of calls at 10,000 targets).
  const target = (state: TargetState, reason: string | null, needsHuman = false): DerivedTarget => ({
    repo: t.repo,
    wave: t.wave,
    needsHuman,
    state,
    reason,
  });
  const humanCommit = t.branch?.commits.find((c) => !c.byBot);
  const pr = t.pr;
  if (pr?.state === 'merged') {
    if (pr.revertSha) return target('reverted', `merge reverted${pr.revertedAt ? ` at ${pr.revertedAt}` : ''}`);
    if (t.postMerge === 'failure')
      return target('failed', `checks on ${pr.baseBranch} failed after the merge (${pr.mergeSha?.slice(0, 7) ?? 'merge commit'})`);
    return target('merged', t.postMerge === 'pending' ? 'post-merge checks running' : null);
  }
  if (pr?.state === 'closed')
    return target('skipped', `pull request #${pr.number} was closed without merging${pr.closedBy ? ` by ${pr.closedBy}` : ''}`);
  if (pr?.state === 'open') {
    if (humanCommit) {
      return target(
        'failed',
        `commit ${humanCommit.sha.slice(0, 7)} by ${humanCommit.authorName}${/\[bot\]$/i.test(humanCommit.authorName) ? ' (not signed by the forge, so not the bot’s)' : ''} on the bot branch: Fleetwave will not push to or merge it; merge or close the pull request yourself`,
        true,
      );
    }
    if (t.error) return target('failed', t.error);
    if (pr.checks.state === 'failure') {
      const failing = pr.checks.runs.filter((r) => r.state === 'failure').map((r) => r.name);
      const what = `checks failed${failing.length ? `: ${failing.join(', ')}` : ''}`;
      const reruns = t.checkReruns ?? 0;
      if (reruns < retryFailedChecks)
        return target('open', `${what}; re-running them (re-run ${reruns + 1} of ${retryFailedChecks} for ${pr.headSha.slice(0, 7)})`);
      return target('failed', reruns > 0 ? `${what} (after ${reruns} re-run${reruns === 1 ? '' : 's'} on this head)` : what);
    }
    // It cannot merge as it is: made again on the new head (rebaseWhen), or left for a person.
    if (t.upkeep?.conflicted) return target('open', `conflicts with ${pr.baseBranch}`);
    if (pr.checks.state === 'success')
      return target(
        'open',
        t.annotationOnly
          ? 'annotations only (the agent could not migrate it): offered for a person to review and merge (Fleetwave never merges it)'
          : t.agentWritten
            ? 'written by an agent: waiting for a person to review and merge it (Fleetwave never merges it)'
            : null,
      );
    if (pr.checks.state === 'pending') return target('open', 'waiting for checks');
    // No check at all on the head yet: pending for the grace, then a human's (or the manifest's) call.
    if (!checks) return target('open', `no checks reported yet on ${pr.headSha.slice(0, 7)}`);
    const verdict = checksVerdict(pr, checks.policy, checks.now);
    return verdict.merge ? target('open', null) : target('open', verdict.reason, verdict.needsHuman);
  }
  // No pull request yet.
  if (t.blocking.length > 0) {
    const counts = new Map<string, number>();
    for (const f of t.blocking) counts.set(f.message, (counts.get(f.message) ?? 0) + 1);
    return target('blocked', [...counts].map(([m, n]) => (n > 1 ? `${m} (×${n})` : m)).join('; '));
  }
  if (humanCommit) {
    return target(
      'failed',
      `the bot branch has a commit by ${humanCommit.authorName} and no pull request: Fleetwave will not overwrite it`,
      true,
    );
  }
  if (t.error) return target('failed', t.error);
  if (!t.hasChanges && !t.branch) return target('skipped', 'nothing to change: the repository no longer uses the old dataset');
  return target('planned', null);
}

/** An open pull request written by an agent: people review and merge it; the rollout does not wait for it. */
function parkedForPeople(d: Pick<DerivedTarget, 'state' | 'repo'>, views: ReadonlyMap<RepoName, TargetView>): boolean {
  return d.state === 'open' && views.get(d.repo)?.agentWritten === true;
}

/** Every target's state, from the forge's facts alone (deriveTarget over the views, in their order). */
export function deriveTargets(targets: readonly TargetView[], retryFailedChecks = 0, checks?: ChecksContext): DerivedTarget[] {
  return targets.map((t) => deriveTarget(t, retryFailedChecks, checks));
}

/**
 * The states, the waves and the actions. The gates (src/rollout/gates/) hold it back: the wave gates
 * decide how far the rollout may go, the action gates which of the actions may go now.
 */
export function decide(input: DecideInput): Decision {
  const { policy, control, now } = input;
  const derived = input.derived ? [...input.derived] : deriveTargets(input.targets, policy.retryFailedChecks ?? 0, { now, policy });
  const views = new Map<RepoName, TargetView>(input.targets.map((t) => [t.repo, t]));
  const ctx: GateContext = {
    migration: input.migration,
    policy,
    now,
    acceptedWaves: new Set(control.acceptedWaves),
    derived,
    views,
    manifestHash: input.manifestHash,
    approvals: input.approvals ?? [],
    breaker: input.breaker ?? undefined,
    dataset: input.dataset,
  };

  // Wave summaries, in order, from one pass over the targets.
  const stats = Array.from({ length: input.waveCount }, () => ({ size: 0, failed: 0, unfinished: 0, lastMerge: 0 }));
  for (const d of derived) {
    if (d.wave === null) continue;
    const w = stats[d.wave]!;
    w.size++;
    if (d.state === 'failed' || d.state === 'reverted') w.failed++;
    // An agent's open PR waits for people, not for Fleetwave: parked like a failed PR, it holds neither its wave nor a slot.
    if ((!TERMINAL.has(d.state) && !parkedForPeople(d, views)) || views.get(d.repo)?.postMerge === 'pending') w.unfinished++;
    const mergedAt = policy.soakMs > 0 ? views.get(d.repo)?.pr?.mergedAt : undefined;
    if (mergedAt) w.lastMerge = Math.max(w.lastMerge, Date.parse(mergedAt) || 0);
  }
  const waves: WaveSummary[] = stats.map((w, index) => ({
    index,
    size: w.size,
    state: w.unfinished === 0 ? 'finished' : 'waiting',
    failed: w.failed,
    failedShare: w.size ? w.failed / w.size : 0,
  }));

  // The active wave is the first one not finished; each finished wave before it must pass the wave gates.
  let reason: string | null = null;
  let state: MigrationState = 'running';
  let waitingUntil: string | null = null;
  let active = -1;
  let actions: Action[] = [];
  walk: for (const wave of waves) {
    if (wave.size === 0) continue;
    if (wave.state !== 'finished') {
      active = wave.index;
      wave.state = 'active';
      break;
    }
    const facts: WaveFacts = { ...wave, lastMerge: stats[wave.index]!.lastMerge };
    for (const g of GATES) {
      const hold = g.wave?.(facts, ctx);
      if (!hold) continue;
      if ('pause' in hold) {
        state = 'paused';
        reason = hold.pause;
        actions.push({ kind: 'pause', reason, wave: wave.index });
      } else {
        waitingUntil = hold.waitUntil;
        active = -2; // waiting on time
      }
      break walk;
    }
  }
  if (control.pausedBy && state !== 'paused') {
    state = 'paused';
    reason = `paused by ${control.pausedBy}${control.pausedReason ? `: ${control.pausedReason}` : ''}; run \`fleetwave resume ${input.migration}\``;
  }
  if (state === 'running' && active === -1) state = 'completed';
  const parked = derived.filter((d) => parkedForPeople(d, views)).length;
  if (state === 'completed' && parked > 0 && reason === null)
    reason = `${parked} pull request${parked === 1 ? '' : 's'} written by an agent wait${parked === 1 ? 's' : ''} for people to review and merge (Fleetwave never merges them)`;

  // Post-merge failures are reverted whatever the migration's state: a broken default branch waits for nobody.
  if (policy.revertOnFailure) {
    for (const d of derived) {
      const pr = views.get(d.repo)!.pr;
      if (pr?.state === 'merged' && !pr.revertSha && views.get(d.repo)!.postMerge === 'failure') {
        actions.push({ kind: 'revert', repo: d.repo, number: pr.number, reason: d.reason ?? 'post-merge checks failed' });
      }
    }
  }

  // Two-phase went wrong: a merge of a wave failed, so that wave's merges are undone.
  const gated = (v: TargetView) => twoPhaseApplies(policy, v);
  if (policy.twoPhase) {
    const broken = new Set(
      derived
        .filter((d) => d.wave !== null && gated(views.get(d.repo)!) && views.get(d.repo)!.error?.startsWith('merge failed'))
        .map((d) => d.wave),
    );
    for (const d of derived) {
      const pr = views.get(d.repo)!.pr;
      if (broken.has(d.wave) && gated(views.get(d.repo)!) && pr?.state === 'merged' && !pr.revertSha)
        actions.push({ kind: 'revert', repo: d.repo, number: pr.number, reason: `another merge of wave ${d.wave} failed in phase two` });
    }
  }

  // PR upkeep (src/rollout/upkeep.ts) unless paused: a failed PR left open for its team is kept fresh
  // after its wave too. A PR made again (or closed) this tick is not merged on its old head.
  const kept = state === 'paused' ? [] : upkeepActions(derived, views, policy);
  actions.push(...kept);
  const renewed = new Set(kept.map((a) => ('repo' in a ? a.repo : '')));

  if (state === 'running') {
    // Merges first (they free slots), then opens within maxOpenPRs, for waves up to the active one.
    // In flight: open PRs on their way to merge. Failed PRs are parked for their teams and do not
    // hold a slot, or a fleet with more failures than maxOpenPRs would stall without a word.
    // A merge of a two-phase target is asked for here and let through by the approvals gate.
    let open = derived.filter((d) => d.state === 'open' && !parkedForPeople(d, views)).length;
    for (const d of derived) {
      // A conflicting PR would only fail to merge.
      if (renewed.has(d.repo) || views.get(d.repo)?.upkeep?.conflicted) continue;
      const view = views.get(d.repo)!;
      if (d.state !== 'open' || !view.pr || view.pr.checks.state === 'pending') continue;
      if (view.pr.checks.state === 'failure') {
        // Open with failed checks: a re-run is due (deriveTarget said so). Once per head and attempt.
        const attempt = (view.checkReruns ?? 0) + 1;
        actions.push({ kind: 'rerun-checks', repo: d.repo, number: view.pr.number, headSha: view.pr.headSha, attempt });
        continue;
      }
      // An agent's pull request is merged by people only, whatever automerge or an approval says.
      if (view.agentWritten) continue;
      if (policy.automerge || gated(view)) actions.push({ kind: 'merge', repo: d.repo, number: view.pr.number, headSha: view.pr.headSha });
    }

    if (active >= 0) {
      for (const d of derived) {
        if (d.state !== 'planned' || d.wave === null || d.wave > active) continue;
        if (open >= policy.maxOpenPRs) break;
        actions.push({ kind: 'open', repo: d.repo, wave: d.wave, adoptBranch: views.get(d.repo)!.branch });
        open++;
      }
    }
  }

  // The action gates: each lets through what may go now; while the migration runs, says why the rest waits.
  let breaker: Decision['breaker'];
  for (const g of GATES) {
    if (!g.actions) continue;
    const verdict = g.actions(actions, ctx, active);
    actions = verdict.actions;
    if (verdict.breaker) breaker = { record: verdict.breaker, held: false };
    if (state === 'completed' && verdict.pause && verdict.pauseCompleted) {
      state = 'paused';
      reason = verdict.reason;
      continue;
    }
    if (state !== 'running') continue;
    if (verdict.pause) {
      state = 'paused';
      reason = verdict.reason;
      waitingUntil = verdict.waitingUntil ?? waitingUntil;
      if (verdict.breaker) breaker = { record: verdict.breaker, held: true };
    } else if (verdict.reason) {
      reason = reason ? `${reason}; ${verdict.reason}` : verdict.reason;
      // A gate that holds actions until a time (the schedule): the earliest such time.
      if (verdict.waitingUntil && (!waitingUntil || Date.parse(verdict.waitingUntil) < Date.parse(waitingUntil)))
        waitingUntil = verdict.waitingUntil;
    }
  }
  // A gate that paused the migration (the breaker, the dataset) holds PR upkeep's new commits too.
  if (state === 'paused') actions = actions.filter((a) => a.kind !== 'update-pr');
  // Stuck pull requests (src/rollout/nudge.ts): after the gates, so a merge they held (an approval not
  // given yet) does not count as progress; one comment each, unless paused, inside the schedule's windows.
  if (state !== 'paused') {
    const acting = new Set(actions.flatMap((a) => ('repo' in a ? [a.repo] : [])));
    actions.push(...scheduleGate.actions!(nudgeActions(derived, views, policy, now, acting), ctx, active).actions);
  }
  const decision: Decision = { state, reason, targets: derived, waves, actions, waitingUntil };
  if (input.dataset) decision.dataset = input.dataset;
  if (breaker) decision.breaker = breaker;
  return decision;
}
