/**
 * The rollout's vocabulary: the states a target and a migration can be in, and the summary every
 * entry point renders (CLI `--json`, tracking issue, dashboard).
 */
import type { OldDatasetStatus } from '../report/old-dataset.js';
import type { Finding } from '../codemod/port.js';
import type { RepoName } from '../forge/port.js';

export type TargetState = 'planned' | 'blocked' | 'open' | 'merged' | 'failed' | 'reverted' | 'skipped';
export type MigrationState = 'running' | 'paused' | 'completed' | 'failed';

/** States a target does not leave on its own. */
export const TERMINAL_STATES: ReadonlySet<TargetState> = new Set<TargetState>(['merged', 'failed', 'skipped', 'reverted', 'blocked']);

export interface TargetSummary {
  /** The target: a repository (`owner/name`), or a workspace folder of a monorepo (`owner/name/<folder>`, `consumers.workspaces`). */
  repo: RepoName;
  /** The workspace folder, for a workspace target (its repository is `repo` up to the second `/`). */
  workspace?: string;
  /** 0 is the canary wave; null when the target is in no wave (blocked, or nothing to change). */
  wave: number | null;
  state: TargetState;
  /** The pull request's URL, when one exists. */
  pr: string | null;
  prNumber: number | null;
  /** Why the target is where it is (failing check, human commit, blocked finding, nothing to change). */
  reason: string | null;
  /** A human committed on the bot branch: Fleetwave will not push to it or merge it. */
  needsHuman: boolean;
  checks: string | null;
  findings: Finding[];
  /** Its pull request was written by an agent (the `agent` rule): people merge it, Fleetwave never does. */
  agentWritten?: boolean;
  /**
   * With `rollout.schedule`, for a target still to open or merge: whether its window is open now, and
   * until when (open) or from when (closed: the next window; null when none within 400 days), in its
   * time zone.
   */
  window?: { open: boolean; until: string | null; timezone: string };
  /** Who was asked to review its pull request (user logins, team slugs), when anyone was. */
  reviewers?: { users: string[]; teams: string[] };
  /** Its open pull request is stuck: it waited for people longer than `rollout.nudgeAfter` and was nudged (when, who was mentioned). */
  stuck?: { since: string; nudgedAt: string; mentioned: string[] };
}

/**
 * The agent rule's work, counted apart from the rules' (summary, tracking issue, metrics): its pull
 * requests opened (annotate-only ones included) and merged (by people), and the outcomes of its runs —
 * passed the verifiers (its PR, or one to come), vetoed by the judge, failed (an annotate-only PR counts
 * here too).
 */
export interface AgentCounts {
  opened: number;
  merged: number;
  passedVerifiers: number;
  vetoed: number;
  failed: number;
}

export interface WaveSummary {
  index: number;
  size: number;
  state: 'waiting' | 'active' | 'finished';
  failed: number;
  failedShare: number;
}

/**
 * The data evidence a consumer is moved to: what the target dataset's verification record says
 * (src/data/verification-record.ts), shown in every pull request, the summary and the dashboard.
 */
export interface DatasetEvidence {
  /** The target dataset as verified, and where its record lives. */
  target: string;
  record: string;
  sourceRows: number;
  targetRows: number;
  /** Committed files of the target dataset that verify read. */
  files: number;
  /** The order-independent checksums of source (transformed) and target rows are equal. */
  checksumsMatch: boolean;
  mismatchedRows: number;
  verifiedAt: string;
  /** Where a person reads the whole report, when known. */
  reportUrl: string | null;
  /** Why it failed (empty when it passed). */
  reasons: string[];
}

/**
 * The dataset gate's view of this tick (src/rollout/dataset-gate.ts reads it once per tick, the gate is
 * gates/dataset.ts): verified opens; missing, stale and unreadable hold the opens; failed pauses;
 * skipped (`dataset.gate: none`) and unchecked (an engine built without a reader) let everything go.
 */
export interface DatasetGateView {
  state: 'verified' | 'missing' | 'stale' | 'unreadable' | 'failed' | 'skipped' | 'unchecked';
  /** Why it holds, pauses or is skipped; null when verified. */
  reason: string | null;
  /** The record's evidence, when there is a record. */
  evidence: DatasetEvidence | null;
}

export interface MigrationSummary {
  migration: string;
  state: MigrationState;
  /** Why paused or failed. */
  reason: string | null;
  manifest: string;
  manifestHash: string;
  fleet: string;
  store: string;
  waves: WaveSummary[];
  targets: TargetSummary[];
  counts: Record<TargetState, number>;
  /** When the rollout is only waiting for time (soak), the earliest time it can go on. */
  waitingUntil: string | null;
  /**
   * Code searches whose answer the forge said may be partial (GitHub's `incomplete_results`):
   * discovery may have missed consumers. Absent when every search was complete.
   */
  searchIncomplete?: string[];
  /** The dataset gate at this tick: its state, why it holds, the record's evidence (absent: not asked). */
  dataset?: DatasetGateView;
  /** The agent rule's pull requests and runs, when it did anything (absent otherwise). */
  agent?: AgentCounts;
  /** Whether the old dataset can be deleted yet, and what holds it (src/report/old-dataset.ts). */
  oldDataset?: OldDatasetStatus;
}
