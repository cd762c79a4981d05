/**
 * Approvals (two-phase rollout): phase one opens every PR of the active wave and waits until each is
 * green (or terminal); phase two merges a gated target only with enough valid approvals — from the
 * named approvers, for this manifest's hash, not expired — or when its PR itself was approved on its
 * current head by enough of them.
 */
import type { PullRequestInfo } from '../../forge/port.js';
import type { DecidePolicy, TargetView, TwoPhasePolicy } from '../decision.js';
import { TERMINAL_STATES } from '../model.js';
import { checksVerdict } from './checks.js';
import type { Gate, GateContext } from './gate.js';

/** Whether two-phase applies to a target: to all under scope 'all', else to those whose tier needs an approval. */
export function twoPhaseApplies(policy: DecidePolicy, view: TargetView): boolean {
  return Boolean(policy.twoPhase) && (policy.approvalScope !== 'flagged' || view.needsApproval === true);
}

export const approvalsGate: Gate = {
  name: 'approvals',
  actions(actions, ctx, active) {
    const tp = ctx.policy.twoPhase;
    if (!tp) return { actions: [...actions], reason: null };
    const wave = waveGate(ctx, tp, active);
    const allowed = actions.filter((a) => {
      if (a.kind !== 'merge') return true;
      const view = ctx.views.get(a.repo)!;
      return !twoPhaseApplies(ctx.policy, view) || wave.approved || approvedByReviews(view.pr!, tp);
    });
    return { actions: allowed, reason: wave.reason };
  },
};

/** The two-phase gate of the active wave: whether its merges may go, else why not. */
function waveGate(ctx: GateContext, tp: TwoPhasePolicy, active: number): { approved: boolean; reason: string | null } {
  const wave = ctx.derived.filter((d) => d.wave === active && twoPhaseApplies(ctx.policy, ctx.views.get(d.repo)!));
  // Green means checks on the head reported success (or, after the grace, no CI by the manifest's choice).
  const green = (pr: PullRequestInfo | null) => pr !== null && checksVerdict(pr, ctx.policy, ctx.now).merge;
  const phaseOneDone = wave.every((d) => TERMINAL_STATES.has(d.state) || (d.state === 'open' && green(ctx.views.get(d.repo)!.pr)));
  const valid = new Set<string>();
  const notes: string[] = [];
  for (const a of ctx.approvals) {
    if (!tp.approvers.includes(a.by)) notes.push(`${a.by} is not an approver (${tp.approvers.join(', ')})`);
    else if (a.manifestHash !== ctx.manifestHash)
      notes.push(`the approval by ${a.by} is for an older manifest (${a.manifestHash.slice(0, 12)}); approve again`);
    else if (Date.parse(a.at) + tp.expiresAfterMs <= ctx.now.getTime()) notes.push(`the approval by ${a.by} expired`);
    else valid.add(a.by);
  }
  const approved = phaseOneDone && valid.size >= tp.required;
  let reason: string | null = null;
  if (active >= 0 && !approved && wave.length > 0) {
    reason = !phaseOneDone
      ? `two-phase: wave ${active} is opening its pull requests and waiting for green checks; nothing merges before an approval`
      : `two-phase: wave ${active} is green and waits for ${tp.required - valid.size} more approval${tp.required - valid.size === 1 ? '' : 's'} from ${tp.approvers.join(', ')} (\`fleetwave approve ${ctx.migration}\`)${notes.length ? `; ${[...new Set(notes)].join('; ')}` : ''}`;
  }
  return { approved, reason };
}

/** A PR approved on its current head by enough of the named approvers may merge on its own. */
function approvedByReviews(pr: PullRequestInfo, tp: TwoPhasePolicy): boolean {
  const by = new Set(
    pr.reviews
      .filter((r) => r.state === 'APPROVED' && tp.approvers.includes(r.author) && (!r.commitSha || r.commitSha === pr.headSha))
      .map((r) => r.author),
  );
  return by.size >= tp.required;
}
