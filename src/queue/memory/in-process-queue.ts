/**
 * The job queue in this process's memory (the embedded SQLite mode): the port's guarantees among the
 * workers of one process. Nothing survives the process; the App in this mode keeps its durable
 * record of pending reconciles in the store (ReconcileQueue), as before.
 */
import { randomUUID } from 'node:crypto';
import {
  backoffDelay,
  DEFAULT_QUEUE_POLICY,
  type DeadJob,
  type EnqueueResult,
  type Job,
  type JobKind,
  type JobQueue,
  type JobRequest,
  type KindStats,
  type QueuePolicy,
  type QueueStats,
  type WorkerRecord,
} from '../port.js';

interface Entry {
  request: JobRequest;
  id: string;
  enqueuedAt: number;
  /** Not handed out before this time (a retry's backoff). */
  readyAt: number;
  /** Attempts handed out so far. */
  attempts: number;
  /** Set while taken: when its lease ends. */
  leaseUntil: number | null;
  startedAt: number | null;
}

const HOUR = 3600_000;

export class InProcessQueue implements JobQueue {
  readonly location = 'in-process';
  private readonly entries = new Map<string, Entry>();
  private readonly dead: DeadJob[] = [];
  private readonly finished: { at: number; ok: boolean; kind: JobKind }[] = [];
  private readonly latencies: { at: number; ms: number }[] = [];
  private readonly registry = new Map<string, WorkerRecord>();
  readonly policy: QueuePolicy;

  constructor(
    policy: Partial<QueuePolicy> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.policy = { ...DEFAULT_QUEUE_POLICY, ...policy };
  }

  enqueue(request: JobRequest): Promise<EnqueueResult> {
    for (const e of this.entries.values()) {
      if (e.request.kind === request.kind && e.request.key === request.key && e.leaseUntil === null && e.attempts === 0)
        return Promise.resolve({ id: null, folded: true });
    }
    const id = randomUUID();
    const at = this.now();
    this.entries.set(id, { request, id, enqueuedAt: at, readyAt: at, attempts: 0, leaseUntil: null, startedAt: null });
    return Promise.resolve({ id, folded: false });
  }

  take(limit: number): Promise<Job[]> {
    const now = this.now();
    // A lease that ran out: its worker is gone; the job is ready again (the attempt counted).
    for (const e of this.entries.values()) if (e.leaseUntil !== null && e.leaseUntil <= now) e.leaseUntil = null;
    const busy = new Set([...this.entries.values()].filter((e) => e.leaseUntil !== null).map((e) => e.request.key));
    const ready = [...this.entries.values()]
      .filter((e) => e.leaseUntil === null && e.readyAt <= now)
      .sort((a, b) => a.readyAt - b.readyAt || a.enqueuedAt - b.enqueuedAt);
    const taken: Job[] = [];
    for (const e of ready) {
      if (taken.length >= limit) break;
      if (busy.has(e.request.key)) continue;
      busy.add(e.request.key);
      e.attempts++;
      e.leaseUntil = now + this.policy.leaseMs;
      e.startedAt = now;
      this.latencies.push({ at: now, ms: now - e.enqueuedAt });
      taken.push({
        ...e.request,
        id: e.id,
        attempt: e.attempts,
        enqueuedAt: new Date(e.enqueuedAt).toISOString(),
        startedAt: new Date(now).toISOString(),
      });
    }
    return Promise.resolve(taken);
  }

  complete(job: Job): Promise<void> {
    if (this.mine(job)) {
      this.entries.delete(job.id);
      this.finished.push({ at: this.now(), ok: true, kind: job.kind });
    }
    return Promise.resolve();
  }

  fail(job: Job, error: string): Promise<'retry' | 'dead'> {
    const e = this.entries.get(job.id);
    const now = this.now();
    this.finished.push({ at: now, ok: false, kind: job.kind });
    if (!e) return Promise.resolve('retry');
    if (e.attempts >= this.policy.maxAttempts) {
      this.entries.delete(job.id);
      this.dead.unshift({ ...e.request, id: e.id, attempts: e.attempts, error, diedAt: new Date(now).toISOString() });
      return Promise.resolve('dead');
    }
    e.leaseUntil = null;
    e.readyAt = now + backoffDelay(this.policy, e.attempts);
    return Promise.resolve('retry');
  }

  release(job: Job): Promise<void> {
    const e = this.entries.get(job.id);
    if (e && this.mine(job)) {
      e.leaseUntil = null;
      e.attempts--;
      e.readyAt = this.now();
    }
    return Promise.resolve();
  }

  /** Whether the job is still this attempt's (not handed out again after its lease ran out). */
  private mine(job: Job): boolean {
    const e = this.entries.get(job.id);
    return e !== undefined && e.attempts === job.attempt && e.leaseUntil !== null;
  }

  stats(): Promise<QueueStats> {
    const since = this.now() - HOUR;
    // Only the last hour counts: older records go, so a long-lived process keeps no more than an hour's.
    while (this.finished.length && this.finished[0]!.at < since) this.finished.shift();
    while (this.latencies.length && this.latencies[0]!.at < since) this.latencies.shift();
    const recent = this.latencies.filter((l) => l.at >= since).map((l) => l.ms);
    recent.sort((a, b) => a - b);
    const running = [...this.entries.values()].filter((e) => e.leaseUntil !== null).length;
    const done = this.finished.filter((f) => f.at >= since);
    const byKind: Partial<Record<JobKind, KindStats>> = {};
    const of = (kind: JobKind) => (byKind[kind] ??= { waiting: 0, running: 0, dead: 0, failedLastHour: 0 });
    for (const e of this.entries.values()) of(e.request.kind)[e.leaseUntil !== null ? 'running' : 'waiting']++;
    for (const d of this.dead) of(d.kind).dead++;
    for (const f of done) if (!f.ok) of(f.kind).failedLastHour++;
    return Promise.resolve({
      byKind,
      waiting: this.entries.size - running,
      running,
      dead: this.dead.length,
      completedLastHour: done.filter((f) => f.ok).length,
      failedLastHour: done.filter((f) => !f.ok).length,
      latencyMsP50: recent.length ? recent[Math.floor((recent.length - 1) / 2)]! : null,
      latencyMsMax: recent.length ? recent[recent.length - 1]! : null,
    });
  }

  deadJobs(limit = 50): Promise<DeadJob[]> {
    return Promise.resolve(this.dead.slice(0, limit));
  }

  heartbeat(worker: WorkerRecord): Promise<void> {
    this.registry.set(worker.id, worker);
    return Promise.resolve();
  }

  removeWorker(id: string): Promise<void> {
    this.registry.delete(id);
    return Promise.resolve();
  }

  workers(): Promise<WorkerRecord[]> {
    return Promise.resolve([...this.registry.values()].sort((a, b) => b.lastSeen.localeCompare(a.lastSeen)));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
