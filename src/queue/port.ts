/**
 * The job queue port: work asked for by a webhook, a timer or a command, recorded at once and carried
 * out by whichever worker takes it. Two implementations: PostgreSQL (pg-boss, shared by every process
 * on one database: src/queue/postgres/) and in-process (the embedded SQLite mode: src/queue/memory/).
 * Both pass test/queue/conformance.test.ts. Why pg-boss: docs/decisions/0013-job-queue.md.
 *
 * The guarantees: a job whose key is running anywhere is not handed out (one reconcile per migration
 * at a time), others run in parallel; a failed job is retried no sooner than `backoffMs * 2^(attempt-1)`
 * after it failed (PostgreSQL: up to twice that, pg-boss's jitter) until `maxAttempts`, then it is dead (kept, listed by `deadJobs`, never run again); a taken job that is
 * neither completed nor failed within `leaseMs` (its process died) is handed out again.
 */

import type { ChangeSetKey } from '../store/port.js';

/**
 * What a job does; the worker knows how to carry out each (src/cli/commands/worker.ts): reconcile a
 * migration (`reconcile-local`, `reconcile-app`), deliver one alert to one sink (`deliver-alert`: the
 * FLEETWAVE_ALERT_URL receiver; `deliver-alert-app`: a comment in the App's tracking issue), compute
 * one target's change set for a reconcile that fanned them out (`compute-changes` for a
 * `reconcile-local`, on the local fleet; `compute-changes-app` for a `reconcile-app`, on the App
 * installation's GitHub: only a process with the App's settings carries it out).
 */
export type JobKind =
  'reconcile-local' | 'reconcile-app' | 'compute-changes' | 'compute-changes-app' | 'deliver-alert' | 'deliver-alert-app';

/** Every kind, in the order the dashboard and the metrics list them. */
export const JOB_KINDS: readonly JobKind[] = [
  'reconcile-local',
  'reconcile-app',
  'compute-changes',
  'compute-changes-app',
  'deliver-alert',
  'deliver-alert-app',
];

/** A reconcile of a manifest on a local fleet folder: what `fleetwave run` does, as a job. */
export interface ReconcileLocalPayload {
  manifest: string;
  fleet: string;
  manifestRepo?: string;
  lake?: string;
}

/** A reconcile the App was asked for by a webhook (the fields of a PendingReconcile). */
export interface ReconcileAppPayload {
  installation: number;
  migration: string;
  account: string;
  manifestRepo: string | null;
  manifestPath: string | null;
  /** The account's type (`Organization`, `User`) when the event said. */
  accountType?: string;
}

/**
 * One alert's delivery to one sink (src/alerts/outbox.ts, deliverAlert): the alert is the journal's
 * `alert` event `alertId` of `migration`, in the store of the process that enqueued it.
 */
export interface DeliverAlertPayload {
  migration: string;
  alertId: number;
  /** The sink's name: `webhook:<origin>` (deliver-alert) or `tracking-issue` (deliver-alert-app). */
  sink: string;
  dedupKey: string;
  /** deliver-alert-app: where the comment goes (the App's installation, its manifest repository and tracking issue). */
  issue?: { installation: number; repo: string; number: number };
}

/**
 * One target's change set, for the reconcile that fanned it out (src/rollout/change-cache.ts): kept
 * in the store's change-set cache under `key`; the job that computes `batch`'s last enqueues `reconcile`.
 */
export interface ComputeChangesPayload {
  key: ChangeSetKey;
  batch: string;
  /**
   * The reconcile to enqueue again; its payload also says where to compute: a `reconcile-local`'s
   * manifest and fleet paths (a `compute-changes` job), a `reconcile-app`'s installation and manifest
   * (a `compute-changes-app` job; the manifest's repository and path as the reconcile found them).
   */
  reconcile:
    | { kind: 'reconcile-local'; key: string; payload: ReconcileLocalPayload; reason: string }
    | { kind: 'reconcile-app'; key: string; payload: ReconcileAppPayload; reason: string };
}

export interface JobRequest {
  kind: JobKind;
  /**
   * Jobs with one key never run at once, anywhere: the migration's name for a reconcile; for a
   * delivery, the sink and the alert (src/composition/alert-jobs.ts), so it never waits on a reconcile.
   */
  key: string;
  payload: ReconcileLocalPayload | ReconcileAppPayload | ComputeChangesPayload | DeliverAlertPayload;
  /** What asked for it (an event and its delivery id, a command), for logs and the dashboard. */
  reason: string;
}

export interface EnqueueResult {
  /** The job's id; for a folded request, null. */
  id: string | null;
  /**
   * True when a job of the same kind and key was already waiting (not started): it will do this
   * request's work, so none is added (a burst of webhooks costs one reconcile).
   */
  folded: boolean;
}

export interface Job extends JobRequest {
  id: string;
  /** 1 for the first run, 2 for the first retry … */
  attempt: number;
  /** When it was asked for, and when this attempt was handed out (ISO). */
  enqueuedAt: string;
  startedAt: string;
}

export interface DeadJob extends JobRequest {
  id: string;
  attempts: number;
  /** The last attempt's error. */
  error: string;
  diedAt: string;
}

/** A worker process as it reports itself (a heartbeat every few seconds). */
export interface WorkerRecord {
  /** `host:pid:random`. */
  id: string;
  host: string;
  pid: number;
  concurrency: number;
  /** The jobs it runs now: kind and key. */
  running: { id: string; kind: JobKind; key: string; startedAt: string }[];
  startedAt: string;
  lastSeen: string;
}

export interface QueueStats {
  /** Ready or waiting for their retry time. */
  waiting: number;
  running: number;
  dead: number;
  /** Completed and failed attempts in the last hour (a failure that is retried counts once per attempt). */
  completedLastHour: number;
  failedLastHour: number;
  /** Time from enqueue to start, over the jobs started in the last hour (milliseconds; null: none). */
  latencyMsP50: number | null;
  latencyMsMax: number | null;
  /** The same counts per kind of job (kinds with none left out). */
  byKind: Partial<Record<JobKind, KindStats>>;
}

/** One kind's jobs: waiting, running, dead, and attempts that failed in the last hour. */
export interface KindStats {
  waiting: number;
  running: number;
  dead: number;
  failedLastHour: number;
}

export interface QueuePolicy {
  /** Attempts before a job is dead (default 5). */
  maxAttempts: number;
  /** The first retry's delay; each next one doubles (default 5 s; whole seconds on PostgreSQL). */
  backoffMs: number;
  /** How long a taken job is its worker's before it is handed out again (default 15 min). */
  leaseMs: number;
}

export const DEFAULT_QUEUE_POLICY: QueuePolicy = { maxAttempts: 5, backoffMs: 5_000, leaseMs: 15 * 60_000 };

export interface JobQueue {
  /** Where it lives, for logs (a URL without its password, or `in-process`). */
  readonly location: string;
  /**
   * Its attempts, backoff and lease. A handler whose job has no attempt left after this one
   * (`job.attempt >= policy.maxAttempts`) may record the failure itself (src/composition/change-jobs.ts).
   */
  readonly policy: QueuePolicy;
  /** Records the job durably (in-process: in memory) and returns; see EnqueueResult.folded. */
  enqueue(request: JobRequest): Promise<EnqueueResult>;
  /** Up to `limit` jobs ready now, none whose key runs anywhere (nor two of one key); [] when none. */
  take(limit: number): Promise<Job[]>;
  complete(job: Job): Promise<void>;
  /** The attempt failed: retried after its backoff, or dead after the last attempt. Says which. */
  fail(job: Job, error: string): Promise<'retry' | 'dead'>;
  /** Gives a taken job back unrun (the worker is stopping): ready again at once, no attempt counted. */
  release(job: Job): Promise<void>;
  stats(): Promise<QueueStats>;
  /** The newest dead jobs first. */
  deadJobs(limit?: number): Promise<DeadJob[]>;
  /** Registers or refreshes a worker (its heartbeat). */
  heartbeat(worker: WorkerRecord): Promise<void>;
  /** A worker that stopped cleanly. */
  removeWorker(id: string): Promise<void>;
  /** Every registered worker, the most recently seen first. */
  workers(): Promise<WorkerRecord[]>;
  close(): Promise<void>;
}

/** The least delay before the retry that follows failed attempt number `attempt` (1 = the first run). */
export function backoffDelay(policy: QueuePolicy, attempt: number): number {
  return policy.backoffMs * 2 ** Math.min(16, attempt - 1);
}
