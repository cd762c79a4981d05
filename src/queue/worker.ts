/**
 * A worker: takes jobs from the queue, up to `concurrency` at once, and carries each out with the
 * handler of its kind; completes it, or fails it (the queue retries it, or dead-letters it after the
 * last attempt). It reports itself every `heartbeatMs` (id, host, pid, concurrency, the jobs it runs).
 * `stop` takes no new job, waits up to `graceMs` for the running ones and gives the others back to
 * the queue unfinished, then removes its record.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../util/log.js';
import type { Job, JobKind, JobQueue, WorkerRecord } from './port.js';

export type JobHandler = (job: Job, log: Logger) => Promise<void>;

export interface WorkerOptions {
  concurrency: number;
  logger: Logger;
  /** How long to wait before asking again when the queue had nothing (default 1 s). */
  pollMs?: number;
  /** How often the worker reports itself (default 5 s). */
  heartbeatMs?: number;
}

export class QueueWorker {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly running = new Map<string, { job: Job; done: Promise<void> }>();
  private readonly startedAt = new Date().toISOString();
  private stopping = false;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private beat: NodeJS.Timeout | null = null;
  /** Jobs given back by stop: their handlers' outcome no longer counts. */
  private readonly released = new Set<string>();

  constructor(
    private readonly queue: JobQueue,
    private readonly handlers: Partial<Record<JobKind, JobHandler>>,
    private readonly options: WorkerOptions,
  ) {}

  /** Registers the worker and starts taking jobs. */
  async start(): Promise<void> {
    await this.heartbeat();
    this.beat = setInterval(() => {
      this.heartbeat().catch((err: unknown) =>
        this.options.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'worker heartbeat failed'),
      );
    }, this.options.heartbeatMs ?? 5_000);
    this.beat.unref();
    this.loop = this.takeLoop();
  }

  private record(): WorkerRecord {
    return {
      id: this.id,
      host: hostname(),
      pid: process.pid,
      concurrency: this.options.concurrency,
      running: [...this.running.values()].map(({ job }) => ({ id: job.id, kind: job.kind, key: job.key, startedAt: job.startedAt })),
      startedAt: this.startedAt,
      lastSeen: new Date().toISOString(),
    };
  }

  private heartbeat(): Promise<void> {
    return this.queue.heartbeat(this.record());
  }

  private async takeLoop(): Promise<void> {
    while (!this.stopping) {
      const free = this.options.concurrency - this.running.size;
      let jobs: Job[] = [];
      if (free > 0) {
        try {
          jobs = await this.queue.take(free);
        } catch (err) {
          this.options.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not take jobs; trying again');
        }
      }
      let started = 0;
      for (const job of jobs) {
        if (this.handlers[job.kind]) {
          this.run(job);
          started++;
          continue;
        }
        // Another worker (one with the App's credentials) is to carry it out: given back, unrun.
        this.options.logger.warn(
          { job: job.id, kind: job.kind },
          `this worker cannot carry out ${job.kind} jobs; given back (docs/operations.md)`,
        );
        await this.queue.release(job).catch(() => undefined);
      }
      if (started > 0 && !this.stopping) await this.heartbeat().catch(() => undefined);
      if (started === 0 || this.running.size >= this.options.concurrency) {
        // Until a slot frees (a job ends) or the poll interval passes.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.pollMs ?? 1_000);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = null;
      }
    }
  }

  private run(job: Job): void {
    const log = this.options.logger.child({ job: job.id, kind: job.kind, key: job.key, attempt: job.attempt });
    const started = Date.now();
    const handler = this.handlers[job.kind];
    const done = (async () => {
      try {
        if (!handler) throw new Error(`no handler for ${job.kind} jobs`);
        log.info({ reason: job.reason }, 'job started');
        await handler(job, log);
        if (this.released.has(job.id)) return;
        await this.queue.complete(job);
        log.info({ ms: Date.now() - started }, 'job completed');
      } catch (err) {
        if (this.released.has(job.id)) return;
        const message = err instanceof Error ? err.message : String(err);
        const outcome = await this.queue.fail(job, message).catch((e: unknown) => {
          log.error(
            { err: e instanceof Error ? e.message : String(e) },
            'could not record the failure; the job comes back after its lease',
          );
          return 'retry' as const;
        });
        log.error(
          { err: message, outcome, ms: Date.now() - started },
          outcome === 'dead' ? 'job failed its last attempt: dead-lettered' : 'job failed; retried later',
        );
      } finally {
        this.running.delete(job.id);
        this.wake?.();
      }
    })();
    this.running.set(job.id, { job, done });
  }

  /** Jobs running now. */
  get busy(): number {
    return this.running.size;
  }

  /**
   * Takes no new job; waits up to `graceMs` for the running ones, gives the rest back to the queue,
   * and removes the worker's record. Returns how many finished and how many were given back.
   */
  async stop(graceMs: number): Promise<{ finished: number; released: number }> {
    this.stopping = true;
    this.wake?.();
    if (this.beat) clearInterval(this.beat);
    await this.loop;
    const inFlight = [...this.running.values()];
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(inFlight.map((r) => r.done)), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    const left = [...this.running.values()];
    for (const { job } of left) {
      this.released.add(job.id);
      await this.queue
        .release(job)
        .catch((err: unknown) =>
          this.options.logger.warn(
            { job: job.id, err: err instanceof Error ? err.message : String(err) },
            'could not give the job back; it comes back after its lease',
          ),
        );
    }
    await this.queue.removeWorker(this.id).catch(() => undefined);
    return { finished: inFlight.length - left.length, released: left.length };
  }
}
