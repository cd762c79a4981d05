/**
 * The codemod port: how the engine asks for the changes a consumer repository needs.
 * Rules live in `rules/`, one file each, and are registered in `rules/registry.ts`; the engine that
 * runs them implements `ChangeApplier`. The rollout engine only sees this interface.
 */
import type { Manifest } from '../manifest/types.js';
import type { AgentReport } from './agent/report.js';

/** One file's change: `before` null means created, `after` null means deleted. */
export interface Edit {
  path: string;
  before: string | null;
  after: string | null;
}

/** What one rule did in one repository: shown in the PR body. */
export interface RuleSummary {
  rule: string;
  /** A short human description, e.g. `replace data/play-events/v1 → data/play-events/v2`. */
  description: string;
  files: { path: string; count: number }[];
}

/** Something a human should know: a skipped file, an unresolved type, a finding that blocks. */
export interface Finding {
  severity: 'info' | 'warning' | 'blocking';
  file?: string;
  line?: number;
  field?: string;
  message: string;
}

export interface ChangeSet {
  edits: Edit[];
  summaries: RuleSummary[];
  findings: Finding[];
  /** The agent rule ran on this target (src/codemod/agent/): what it did. Its edits are then the agent's: reviewed by people, never merged by Fleetwave. */
  agent?: AgentReport;
  /**
   * With `consumers.workspaces`: the workspace folder of each file the set edits or names in a finding
   * (files outside every workspace are not listed). Set by the rollout when it splits a monorepo
   * (src/plan/workspaces.ts).
   */
  workspaces?: Record<string, string>;
}

export interface ChangeContext {
  manifest: Manifest;
  /** The repository being changed, e.g. `acme/recs`. */
  repo: string;
  /** Absolute path of a checked-out copy of the repository at its default branch. Read-only. */
  dir: string;
  /** Absolute path of the checked-out manifest repository at the manifest's commit (custom codemods, schemas). */
  manifestDir?: string;
  /** The commit `dir` holds, when known (the agent's cache is keyed by it). */
  headSha?: string;
}

/** Computes the edits for one repository. Deterministic and idempotent: on migrated code it returns no edit. */
export interface ChangeApplier {
  compute(ctx: ChangeContext): Promise<ChangeSet>;
}
