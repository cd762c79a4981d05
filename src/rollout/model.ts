/**
 * The rollout's vocabulary: the states a target and a migration can be in, and the summary every
 * entry point renders (CLI `--json`, tracking issue, dashboard).
 */
import type { Finding } from '../codemod/port.js';
import type { RepoName } from '../forge/port.js';

export type TargetState = 'planned' | 'blocked' | 'open' | 'merged' | 'failed' | 'reverted' | 'skipped';
export type MigrationState = 'running' | 'paused' | 'completed' | 'failed';

/** States a target does not leave on its own. */
export const TERMINAL_STATES: ReadonlySet<TargetState> = new Set<TargetState>(['merged', 'failed', 'skipped', 'reverted', 'blocked']);

export interface TargetSummary {
  repo: RepoName;
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
}

export interface WaveSummary {
  index: number;
  size: number;
  state: 'waiting' | 'active' | 'finished';
  failed: number;
  failedShare: number;
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
}
