/**
 * decide's vocabulary: what it knows of each target (TargetView), the rollout policy it applies, the
 * actions it asks for and the decision it returns. A leaf of types, so decide, its gates
 * (src/rollout/gates/) and the breaker read them without importing one another.
 */
import type { WorkSchedule } from '../util/work-schedule.js';
import type { Finding } from '../codemod/port.js';
import type { BranchInfo, CheckState, PullRequestInfo, RepoName } from '../forge/port.js';
import type { BreakerRecord } from '../store/port.js';
import type { DatasetGateView, MigrationState, TargetState, WaveSummary } from './model.js';

export type { DatasetEvidence, DatasetGateView } from './model.js';

/** Everything decide needs to know about one target. */
export interface TargetView {
  /** The target: a repository, or a workspace folder of one (`owner/name/<folder>`, src/plan/workspaces.ts). */
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
  /**
   * Its pull request was written by an agent (the `agent` rule; the PR marker says so): people review
   * and merge it; decide never asks for its merge, whatever `automerge` or an approval says.
   */
  agentWritten?: boolean;
  /** The agent's PR only adds comments above the blocking reads (`fallback: annotate`). */
  annotationOnly?: boolean;
  /** The target's own time zone for the schedule (its catalog entity's `fleetwave.io/timezone`), when known. */
  timezone?: string | null;
  /** Of an open PR of the rules' (not an agent's) without a person's commit: how it stands against its default branch now. */
  upkeep?: Upkeep;
  /** Its current pull request was nudged already (the journal's `nudge`): never twice. */
  nudged?: boolean;
}

/**
 * An open PR against the default branch as it is now (PR upkeep, `rollout.rebaseWhen`): observe fills
 * `needed` and `regenerable` only when something moved (the base, the PR's mergeability, the manifest),
 * from the change set computed on the default branch's current head.
 */
export interface Upkeep {
  /** The default branch's head now. */
  baseHead: string;
  /** The default branch moved on since the PR's branch was made (its merge base is not the head). */
  behind: boolean;
  /** The PR no longer merges cleanly into its base. */
  conflicted: boolean;
  /** The PR's marker names another manifest (hash) than the current one, and the change it makes now differs: made again. */
  manifestChanged: boolean;
  /** The manifest changed but its change on the current head is the PR's own: only the body is refreshed. */
  bodyStale: boolean;
  /** The rules still change something on the current head (false: someone migrated it by hand); null: not computed. */
  needed: boolean | null;
  /** The change can be made again on the current head (no blocking finding there). */
  regenerable: boolean;
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
  /** How long a PR head without any check counts as pending (`rollout.checksGrace`; default 15 min). */
  checksGraceMs?: number;
  /** After the grace, a head without any check waits for a human (`wait`, default) or merges (`merge`). */
  withoutChecks?: 'wait' | 'merge';
  /** `rollout.schedule`: when PRs may open and merge; absent or null: at any time. */
  schedule?: WorkSchedule | null;
  /** `rollout.rebaseWhen`: when an open PR's change is made again on the default branch's new head (default `conflicted`). */
  rebaseWhen?: 'behind' | 'conflicted' | 'never';
  /** `rollout.nudgeAfter`: a PR waiting for people longer than this gets one comment mentioning its owners; absent: never. */
  nudgeAfterMs?: number | null;
}

export type Action =
  | { kind: 'open'; repo: RepoName; wave: number; adoptBranch: BranchInfo | null }
  | { kind: 'merge'; repo: RepoName; number: number; headSha: string }
  | { kind: 'revert'; repo: RepoName; number: number; reason: string }
  | { kind: 'rerun-checks'; repo: RepoName; number: number; headSha: string; attempt: number }
  /** Make the PR's change again on the default branch's head `baseSha` (a new bot commit on the same branch) and refresh its body. */
  | { kind: 'update-pr'; repo: RepoName; number: number; headSha: string; baseSha: string; why: UpdateWhy }
  /** Close a PR whose consumer no longer needs the change, with a comment saying why. */
  | { kind: 'close-pr'; repo: RepoName; number: number; reason: string }
  /** Comment once on a PR that waits for people longer than `rollout.nudgeAfter`, mentioning its owners (src/rollout/nudge.ts). */
  | { kind: 'nudge'; repo: RepoName; number: number; since: string; why: string | null }
  | { kind: 'pause'; reason: string; wave: number };

/** Why a PR is updated: made again on the new head (`behind`, `conflicted`, `manifest`), or its body alone refreshed (`body`). */
export type UpdateWhy = 'behind' | 'conflicted' | 'manifest' | 'body';

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
  /** The dataset gate as decide was given it (absent when it was not). */
  dataset?: DatasetGateView;
  /** The fleet's circuit breaker after its gate (only when decide was given one): the record to keep, and whether it held this migration back. */
  breaker?: { record: BreakerRecord; held: boolean };
}
