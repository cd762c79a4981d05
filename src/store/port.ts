/**
 * The store port: history and metrics, never correctness. Deleting the store loses the journal and the
 * run history; the next reconcile rebuilds every target's state from the forge.
 */

export interface JournalEvent {
  /** ISO time. */
  at: string;
  migration: string;
  /** `owner/name`, or null for migration-wide events (pause, wave start). */
  target: string | null;
  /** What was done: open-pr, push, merge, revert, close, comment, pause, resume, plan, check … */
  action: string;
  outcome: 'ok' | 'error' | 'skipped';
  detail: Record<string, unknown>;
  /** Fleetwave version that did it. */
  version: string;
  manifestHash: string;
}

export interface StoredEvent extends JournalEvent {
  id: number;
}

export interface RunRecord {
  id: number;
  migration: string;
  manifestPath: string;
  manifestHash: string;
  fleet: string;
  startedAt: string;
  finishedAt: string | null;
  state: string | null;
  /** The run's last summary (the JSON `run --json` printed), for `status` and dashboards. */
  summary: unknown;
}

/** Human overrides of the migration's derived state (pause, resume). */
export interface ControlRecord {
  migration: string;
  /** Set by `pause`; cleared by `resume`. */
  pausedBy: string | null;
  pausedReason: string | null;
  /** Waves whose failure share a human accepted with `resume`, so the rollout may go past them. */
  acceptedWaves: number[];
  updatedAt: string;
}

export interface Store {
  /** Where it lives (a file path for SQLite). */
  readonly location: string;
  append(event: JournalEvent): void;
  events(filter?: { migration?: string; target?: string; limit?: number }): StoredEvent[];
  startRun(run: Omit<RunRecord, 'id' | 'finishedAt' | 'state' | 'summary'>): number;
  finishRun(id: number, state: string, summary: unknown): void;
  /** Newest first. */
  runs(filter?: { migration?: string; limit?: number }): RunRecord[];
  /** Every migration the store has seen, with its newest run. */
  migrations(): RunRecord[];
  getControl(migration: string): ControlRecord;
  setControl(control: ControlRecord): void;
  close(): void;
}
