/**
 * decide: a pure function from what is true now (plan + observation + human overrides + time) to the
 * target states and the actions that move the migration forward. Level-triggered: it looks at the
 * whole state every time, so a lost, duplicated or reordered event changes nothing.
 */
import type { Finding } from '../codemod/port.js';
import type { BranchInfo, CheckState, PullRequestInfo, RepoName } from '../forge/port.js';
import type { ControlRecord } from '../store/port.js';
import type { MigrationState, TargetState, WaveSummary } from './model.js';

/** Everything decide needs to know about one target. */
export interface TargetView {
  repo: RepoName;
  /** null: not in any wave (blocked, or nothing to change). */
  wave: number | null;
  /** Blocking findings of impact analysis; non-empty means no PR may be opened. */
  blocking: Finding[];
  /** Whether the codemods produce any edit on the default branch (only known for targets without a PR). */
  hasChanges: boolean;
  pr: PullRequestInfo | null;
  branch: BranchInfo | null;
  /** An error from executing an action on this target earlier in this run (e.g. a merge conflict). */
  error: string | null;
  /** Checks on the merge commit of the default branch, while the merge is within its soak time (else null). */
  postMerge?: CheckState | null;
  /** Re-runs of failed checks already requested for the open PR's current head (from the journal). */
  checkReruns?: number;
  /** The target's tier (manifest `rollout.tiers`, else the catalog), when known. */
  tier?: string | null;
  /** The target's tier requires an approval before its merge (`rollout.requireApprovalFor`). */
  needsApproval?: boolean;
}

/** An approval of a migration, bound to the manifest's hash (CLI `approve`, `/fleetwave approve`). */
export interface Approval {
  by: string;
  at: string;
  manifestHash: string;
}

/** Two-phase rollout: open and go green first, merge only after an approval. */
export interface TwoPhasePolicy {
  approvers: string[];
  required: number;
  expiresAfterMs: number;
}

export interface DecidePolicy {
  automerge: boolean;
  twoPhase?: TwoPhasePolicy | null;
  /**
   * Which targets two-phase applies to: 'all' (a sensitive dataset, or `rollout.approvals` alone) or
   * only those marked `needsApproval` (their tier is in `rollout.requireApprovalFor`). Default 'all'.
   */
  approvalScope?: 'all' | 'flagged';
  /** How many times failed checks are re-run on the same head before the PR counts as failed (default 0). */
  retryFailedChecks?: number;
  /** Revert a merge whose post-merge checks fail. */
  revertOnFailure?: boolean;
  /** Failed share of a finished wave above which the fleet pauses (0..1). */
  failureThreshold: number;
  soakMs: number;
  maxOpenPRs: number;
}

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
}

export type Action =
  | { kind: 'open'; repo: RepoName; wave: number; adoptBranch: BranchInfo | null }
  | { kind: 'merge'; repo: RepoName; number: number; headSha: string }
  | { kind: 'revert'; repo: RepoName; number: number; reason: string }
  | { kind: 'rerun-checks'; repo: RepoName; number: number; headSha: string; attempt: number }
  | { kind: 'pause'; reason: string; wave: number };

export interface DerivedTarget {
  repo: RepoName;
  wave: number | null;
  state: TargetState;
  reason: string | null;
  needsHuman: boolean;
}

export interface Decision {
  state: MigrationState;
  reason: string | null;
  targets: DerivedTarget[];
  waves: WaveSummary[];
  actions: Action[];
  waitingUntil: string | null;
}

/** States a target does not leave on its own. */
export const TERMINAL_STATES: ReadonlySet<TargetState> = new Set<TargetState>(['merged', 'failed', 'skipped', 'reverted', 'blocked']);
const TERMINAL = TERMINAL_STATES;

/**
 * The state of one target, from the forge's facts alone. A PR whose checks failed on a head that has
 * had fewer than `retryFailedChecks` re-runs is still open: its checks are to be re-run (a flaky check
 * must not count as a failure of the wave).
 */
export function deriveTarget(t: TargetView, retryFailedChecks = 0): DerivedTarget {
  // One object literal per result rather than a spread of a shared base: this runs for every target
  // twice a tick, and V8 builds such spreads many times slower (millions of calls at 10,000 targets).
  const target = (state: TargetState, reason: string | null, needsHuman = false): DerivedTarget => ({ repo: t.repo, wave: t.wave, needsHuman, state, reason });
  const humanCommit = t.branch?.commits.find((c) => !c.byBot);
  const pr = t.pr;
  if (pr?.state === 'merged') {
    if (pr.revertSha) return target('reverted', `merge reverted${pr.revertedAt ? ` at ${pr.revertedAt}` : ''}`);
    if (t.postMerge === 'failure') return target('failed', `checks on ${pr.baseBranch} failed after the merge (${pr.mergeSha?.slice(0, 7) ?? 'merge commit'})`);
    return target('merged', t.postMerge === 'pending' ? 'post-merge checks running' : null);
  }
  if (pr?.state === 'closed') return target('skipped', `pull request #${pr.number} was closed without merging${pr.closedBy ? ` by ${pr.closedBy}` : ''}`);
  if (pr?.state === 'open') {
    if (humanCommit) {
      return target(
        'failed',
        `commit ${humanCommit.sha.slice(0, 7)} by ${humanCommit.authorName} on the bot branch: Fleetwave will not push to or merge it; merge or close the pull request yourself`,
        true,
      );
    }
    if (t.error) return target('failed', t.error);
    if (pr.checks.state === 'failure') {
      const failing = pr.checks.runs.filter((r) => r.state === 'failure').map((r) => r.name);
      const what = `checks failed${failing.length ? `: ${failing.join(', ')}` : ''}`;
      const reruns = t.checkReruns ?? 0;
      if (reruns < retryFailedChecks) return target('open', `${what}; re-running them (re-run ${reruns + 1} of ${retryFailedChecks} for ${pr.headSha.slice(0, 7)})`);
      return target('failed', reruns > 0 ? `${what} (after ${reruns} re-run${reruns === 1 ? '' : 's'} on this head)` : what);
    }
    return target('open', pr.checks.state === 'pending' ? 'waiting for checks' : null);
  }
  // No pull request yet.
  if (t.blocking.length > 0) {
    const counts = new Map<string, number>();
    for (const f of t.blocking) counts.set(f.message, (counts.get(f.message) ?? 0) + 1);
    return target('blocked', [...counts].map(([m, n]) => (n > 1 ? `${m} (×${n})` : m)).join('; '));
  }
  if (humanCommit) {
    return target('failed', `the bot branch has a commit by ${humanCommit.authorName} and no pull request: Fleetwave will not overwrite it`, true);
  }
  if (t.error) return target('failed', t.error);
  if (!t.hasChanges && !t.branch) return target('skipped', 'nothing to change: the repository no longer uses the old dataset');
  return target('planned', null);
}

export function decide(input: DecideInput): Decision {
  const { policy, control, now } = input;
  const retryFailedChecks = policy.retryFailedChecks ?? 0;
  const derived = input.targets.map((t) => deriveTarget(t, retryFailedChecks));
  const views = new Map(input.targets.map((t) => [t.repo, t]));

  // Wave summaries, in order, from one pass over the targets.
  const stats = Array.from({ length: input.waveCount }, () => ({ size: 0, failed: 0, unfinished: 0, lastMerge: 0 }));
  for (const d of derived) {
    if (d.wave === null) continue;
    const w = stats[d.wave]!;
    w.size++;
    if (d.state === 'failed' || d.state === 'reverted') w.failed++;
    if (!TERMINAL.has(d.state) || views.get(d.repo)?.postMerge === 'pending') w.unfinished++;
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

  // The active wave is the first one not finished; each finished wave before it must pass its gate.
  let reason: string | null = null;
  let state: MigrationState = 'running';
  let waitingUntil: string | null = null;
  let active = -1;
  const accepted = new Set(control.acceptedWaves);
  const actions: Action[] = [];
  for (const wave of waves) {
    if (wave.size === 0) continue;
    if (wave.state !== 'finished') {
      active = wave.index;
      wave.state = 'active';
      break;
    }
    if (wave.failedShare > policy.failureThreshold && !accepted.has(wave.index)) {
      state = 'paused';
      reason = `wave ${wave.index} failed ${wave.failed} of ${wave.size} (${pct(wave.failedShare)}), above the failure threshold of ${pct(policy.failureThreshold)}; fix or close the failed pull requests, then run \`fleetwave resume ${input.migration}\``;
      actions.push({ kind: 'pause', reason, wave: wave.index });
      break;
    }
    // Soak: the wave's merges must have stood for `soak` before the next wave starts.
    const lastMerge = stats[wave.index]!.lastMerge;
    if (policy.soakMs > 0 && lastMerge + policy.soakMs > now.getTime()) {
      waitingUntil = new Date(lastMerge + policy.soakMs).toISOString();
      active = -2; // waiting on time
      break;
    }
  }
  if (control.pausedBy && state !== 'paused') {
    state = 'paused';
    reason = `paused by ${control.pausedBy}${control.pausedReason ? `: ${control.pausedReason}` : ''}; run \`fleetwave resume ${input.migration}\``;
  }
  if (state === 'running' && active === -1) state = 'completed';

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
  const gated = (v: TargetView) => Boolean(policy.twoPhase) && (policy.approvalScope !== 'flagged' || v.needsApproval === true);
  if (policy.twoPhase) {
    const broken = new Set(derived.filter((d) => d.wave !== null && gated(views.get(d.repo)!) && views.get(d.repo)!.error?.startsWith('merge failed')).map((d) => d.wave));
    for (const d of derived) {
      const pr = views.get(d.repo)!.pr;
      if (broken.has(d.wave) && gated(views.get(d.repo)!) && pr?.state === 'merged' && !pr.revertSha) actions.push({ kind: 'revert', repo: d.repo, number: pr.number, reason: `another merge of wave ${d.wave} failed in phase two` });
    }
  }

  if (state === 'running') {
    // Merges first (they free slots), then opens within maxOpenPRs, for waves up to the active one.
    // In flight: open PRs on their way to merge. Failed PRs are parked for their teams and do not
    // hold a slot, or a fleet with more failures than maxOpenPRs would stall without a word.
    let open = derived.filter((d) => d.state === 'open').length;
    const gate = policy.twoPhase ? twoPhaseGate(input, derived, views, active, gated) : null;
    if (gate?.reason) reason = gate.reason;
    for (const d of derived) {
      const view = views.get(d.repo)!;
      if (d.state !== 'open' || !view.pr || view.pr.checks.state === 'pending') continue;
      if (view.pr.checks.state === 'failure') {
        // Open with failed checks: a re-run is due (deriveTarget said so). Once per head and attempt.
        const attempt = (view.checkReruns ?? 0) + 1;
        actions.push({ kind: 'rerun-checks', repo: d.repo, number: view.pr.number, headSha: view.pr.headSha, attempt });
        continue;
      }
      const reviewed = gated(view) ? approvedByReviews(view.pr, policy.twoPhase!) : false;
      if (gate && gated(view) && !gate.approved && !reviewed) continue;
      if (policy.automerge || reviewed || (gate?.approved && gated(view))) actions.push({ kind: 'merge', repo: d.repo, number: view.pr.number, headSha: view.pr.headSha });
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
  return { state, reason, targets: derived, waves, actions, waitingUntil };
}

function pct(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

/**
 * The two-phase gate of the active wave: phase one opens every PR of the wave and waits until each is
 * green (or terminal); phase two merges only with enough valid approvals — from the named approvers,
 * for this manifest's hash, not expired.
 */
function twoPhaseGate(
  input: DecideInput,
  derived: readonly DerivedTarget[],
  views: ReadonlyMap<RepoName, TargetView>,
  active: number,
  gated: (v: TargetView) => boolean,
): { approved: boolean; reason: string | null } {
  const tp = input.policy.twoPhase!;
  const wave = derived.filter((d) => d.wave === active && gated(views.get(d.repo)!));
  const settled = (s: CheckState | undefined) => s !== 'pending' && s !== 'failure';
  const phaseOneDone = wave.every((d) => TERMINAL.has(d.state) || (d.state === 'open' && settled(views.get(d.repo)!.pr?.checks.state)));
  const valid = new Set<string>();
  const notes: string[] = [];
  for (const a of input.approvals ?? []) {
    if (!tp.approvers.includes(a.by)) notes.push(`${a.by} is not an approver (${tp.approvers.join(', ')})`);
    else if (a.manifestHash !== input.manifestHash) notes.push(`the approval by ${a.by} is for an older manifest (${a.manifestHash.slice(0, 12)}); approve again`);
    else if (Date.parse(a.at) + tp.expiresAfterMs <= input.now.getTime()) notes.push(`the approval by ${a.by} expired`);
    else valid.add(a.by);
  }
  const approved = phaseOneDone && valid.size >= tp.required;
  let reason: string | null = null;
  if (active >= 0 && !approved && wave.length > 0) {
    reason = !phaseOneDone
      ? `two-phase: wave ${active} is opening its pull requests and waiting for green checks; nothing merges before an approval`
      : `two-phase: wave ${active} is green and waits for ${tp.required - valid.size} more approval${tp.required - valid.size === 1 ? '' : 's'} from ${tp.approvers.join(', ')} (\`fleetwave approve ${input.migration}\`)${notes.length ? `; ${[...new Set(notes)].join('; ')}` : ''}`;
  }
  return { approved, reason };
}

/** A PR approved on its current head by enough of the named approvers may merge on its own. */
function approvedByReviews(pr: PullRequestInfo, tp: TwoPhasePolicy): boolean {
  const by = new Set(pr.reviews.filter((r) => r.state === 'APPROVED' && tp.approvers.includes(r.author) && (!r.commitSha || r.commitSha === pr.headSha)).map((r) => r.author));
  return by.size >= tp.required;
}
