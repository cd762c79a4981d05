/**
 * The job queue on PostgreSQL, with pg-boss (docs/decisions/0013-job-queue.md): every App replica and
 * `fleetwave worker` on one database shares it. pg-boss keeps the jobs (schema `pgboss`), hands them
 * out with FOR UPDATE SKIP LOCKED, retries a failed one with exponential backoff, copies one that
 * failed its last attempt to the dead-letter queue, and fails (then retries) a job still active after
 * its expiry — the lease of a worker that died — in its maintenance, which one process at a time runs
 * every `maintenanceSeconds`.
 *
 * One job per key at a time: pg-boss's own singleton policies block every fetch while a key's next
 * job waits behind its running one (measured, decision record), so the key's lock is a PostgreSQL
 * session advisory lock instead, held on a connection of its own for as long as the job runs. The
 * server drops it when that connection ends — a killed worker's lock is gone at once; its job is
 * handed out again when its expiry has passed. A job taken while its key is locked elsewhere is put
 * back (a copy ready in 2 s, carrying its attempts; the taken one cancelled).
 *
 * Workers' heartbeats and the failures they report live in two tables of their own, in the schema
 * `fleetwave_queue` (`worker`, `job_failure`), created here.
 */
import pg from 'pg';
import PgBoss from 'pg-boss';
import { redactUrl } from '../../store/redact-url.js';
import { StateError } from '../../util/errors.js';
import type { Logger } from '../../util/log.js';
import {
  DEFAULT_QUEUE_POLICY,
  type DeadJob,
  type EnqueueResult,
  type Job,
  type JobKind,
  type JobQueue,
  type JobRequest,
  type QueuePolicy,
  type QueueStats,
  type WorkerRecord,
} from '../port.js';

export const JOB_QUEUE = 'fleetwave-jobs';
export const DEAD_QUEUE = 'fleetwave-dead';
/** The first key of every advisory lock this queue takes (the second: hashtext of the job's key). */
const LOCK_SPACE = 20_013;
/** A job taken while its key runs elsewhere is ready again after this many seconds. */
const DEFER_SECONDS = 2;

/** What pg-boss stores as a job's data. */
interface JobData extends JobRequest {
  enqueuedAt: string;
  /** Attempts made before this copy (a job put back is a new copy). */
  priorAttempts: number;
}

export interface PgBossQueueOptions {
  policy?: Partial<QueuePolicy>;
  /** How often the expiry of taken jobs is checked, across all processes (default 30 s). */
  maintenanceSeconds?: number;
  /** Connections for pg-boss (default 4); the key locks take one more per running job. */
  poolSize?: number;
  /** Where pg-boss's background errors (a failed maintenance run) are logged. */
  logger?: Logger;
}

const CREATE_TABLES = `
CREATE SCHEMA IF NOT EXISTS fleetwave_queue;
CREATE TABLE IF NOT EXISTS fleetwave_queue.worker (
  id TEXT PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL, concurrency INTEGER NOT NULL,
  running JSONB NOT NULL, started_at TIMESTAMPTZ NOT NULL, last_seen TIMESTAMPTZ NOT NULL);
CREATE TABLE IF NOT EXISTS fleetwave_queue.job_failure (
  id BIGSERIAL PRIMARY KEY, at TIMESTAMPTZ NOT NULL DEFAULT now(), job_id TEXT NOT NULL, kind TEXT NOT NULL,
  key TEXT NOT NULL, attempt INTEGER NOT NULL, error TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS job_failure_at ON fleetwave_queue.job_failure (at);`;

export async function openPgBossQueue(url: string, options: PgBossQueueOptions = {}): Promise<JobQueue> {
  const location = redactUrl(url);
  const policy = { ...DEFAULT_QUEUE_POLICY, ...options.policy };
  const boss = new PgBoss({
    connectionString: url,
    max: options.poolSize ?? 4,
    schedule: false,
    supervise: true,
    maintenanceIntervalSeconds: options.maintenanceSeconds ?? 30,
  });
  boss.on('error', (err: Error) => options.logger?.warn({ err: err.message, queue: location }, 'job queue maintenance failed'));
  const locks = new pg.Pool({ connectionString: url, max: 64, idleTimeoutMillis: 10_000 });
  locks.on('error', () => undefined);
  try {
    await boss.start();
    const queues: PgBoss.Queue[] = [{ name: DEAD_QUEUE }, { name: JOB_QUEUE, policy: 'short', deadLetter: DEAD_QUEUE }];
    for (const q of queues) {
      const name = q.name;
      if (await boss.getQueue(name)) continue;
      // Two processes starting at once both create it: the second's error is that it exists.
      await boss.createQueue(name, q).catch(async (err: unknown) => {
        if (!(await boss.getQueue(name))) throw err;
      });
    }
    await locks.query(CREATE_TABLES).catch(async (err: unknown) => {
      // CREATE … IF NOT EXISTS can still collide when two processes create at once; the second try sees them.
      if ((err as { code?: string }).code !== '23505') throw err;
      await locks.query(CREATE_TABLES);
    });
  } catch (err) {
    await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
    await locks.end().catch(() => undefined);
    throw new StateError(
      `cannot open the job queue on ${location}: ${err instanceof Error ? err.message : String(err)}. ` +
        'Check the server is up and the user may create schemas and tables in that database.',
    );
  }
  return new PgBossQueue(location, boss, locks, policy);
}

class PgBossQueue implements JobQueue {
  /** The lock connection of each job this process runs. */
  private readonly held = new Map<string, pg.PoolClient>();

  constructor(
    readonly location: string,
    private readonly boss: PgBoss,
    private readonly locks: pg.Pool,
    readonly policy: QueuePolicy,
  ) {}

  private async send(data: JobData, startAfterSeconds = 0): Promise<string | null> {
    const expireInSeconds = Math.max(1, Math.round(this.policy.leaseMs / 1000));
    return this.boss.send(JOB_QUEUE, data as unknown as object, {
      singletonKey: `${data.kind}:${data.key}`,
      retryLimit: Math.max(0, this.policy.maxAttempts - 1 - data.priorAttempts),
      retryDelay: Math.max(1, Math.round(this.policy.backoffMs / 1000)),
      retryBackoff: true,
      expireInSeconds,
      ...(startAfterSeconds > 0 ? { startAfter: startAfterSeconds } : {}),
    });
  }

  async enqueue(request: JobRequest): Promise<EnqueueResult> {
    const id = await this.send({ ...request, enqueuedAt: new Date().toISOString(), priorAttempts: 0 });
    return { id, folded: id === null };
  }

  async take(limit: number): Promise<Job[]> {
    if (limit <= 0) return [];
    const fetched = await this.boss.fetch<JobData>(JOB_QUEUE, { batchSize: limit, includeMetadata: true });
    const taken: Job[] = [];
    for (const j of fetched) {
      const data = j.data;
      const client = await this.locks.connect();
      let locked = false;
      try {
        const res = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok', [LOCK_SPACE, data.key]);
        locked = res.rows[0]?.ok === true && !taken.some((t) => t.key === data.key);
        if (res.rows[0]?.ok && !locked) await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_SPACE, data.key]);
      } catch (err) {
        client.release(true);
        await this.boss.cancel(JOB_QUEUE, j.id).catch(() => undefined);
        await this.send({ ...data, priorAttempts: data.priorAttempts + j.retryCount }, DEFER_SECONDS);
        throw err;
      }
      if (!locked) {
        client.release();
        // Its key runs elsewhere: ready again shortly, as a copy (put back first, so a crash here loses nothing).
        await this.send({ ...data, priorAttempts: data.priorAttempts + j.retryCount }, DEFER_SECONDS);
        await this.boss.cancel(JOB_QUEUE, j.id);
        continue;
      }
      this.held.set(j.id, client);
      taken.push({
        kind: data.kind,
        key: data.key,
        payload: data.payload,
        reason: data.reason,
        id: j.id,
        attempt: data.priorAttempts + j.retryCount + 1,
        enqueuedAt: data.enqueuedAt,
        startedAt: new Date(j.startedOn).toISOString(),
      });
    }
    return taken;
  }

  private async unlock(job: Job): Promise<void> {
    const client = this.held.get(job.id);
    if (!client) return;
    this.held.delete(job.id);
    try {
      await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [LOCK_SPACE, job.key]);
      client.release();
    } catch {
      // The connection is broken: ending it drops the lock with it.
      client.release(true);
    }
  }

  async complete(job: Job): Promise<void> {
    try {
      await this.boss.complete(JOB_QUEUE, job.id);
    } finally {
      await this.unlock(job);
    }
  }

  async fail(job: Job, error: string): Promise<'retry' | 'dead'> {
    try {
      await this.locks.query('INSERT INTO fleetwave_queue.job_failure (job_id, kind, key, attempt, error) VALUES ($1, $2, $3, $4, $5)', [
        job.id,
        job.kind,
        job.key,
        job.attempt,
        error.slice(0, 2000),
      ]);
      await this.boss.fail(JOB_QUEUE, job.id, { message: error.slice(0, 2000), attempt: job.attempt });
    } finally {
      await this.unlock(job);
    }
    return job.attempt >= this.policy.maxAttempts ? 'dead' : 'retry';
  }

  async release(job: Job): Promise<void> {
    try {
      await this.send({ ...job, enqueuedAt: job.enqueuedAt, priorAttempts: job.attempt - 1 });
      await this.boss.cancel(JOB_QUEUE, job.id);
    } finally {
      await this.unlock(job);
    }
  }

  async stats(): Promise<QueueStats> {
    const { rows } = await this.locks.query<{
      waiting: number;
      running: number;
      dead: number;
      completed: number;
      failed: number;
      p50: number | null;
      max: number | null;
    }>(
      `SELECT
         (SELECT count(*)::int FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry')) AS waiting,
         (SELECT count(*)::int FROM pgboss.job WHERE name = $1 AND state = 'active') AS running,
         (SELECT count(*)::int FROM pgboss.job WHERE name = $2) AS dead,
         (SELECT count(*)::int FROM pgboss.job WHERE name = $1 AND state = 'completed' AND completed_on > now() - interval '1 hour') AS completed,
         (SELECT count(*)::int FROM fleetwave_queue.job_failure WHERE at > now() - interval '1 hour') AS failed,
         l.p50, l.max
       FROM (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY ms) AS p50, max(ms) AS max FROM (
         SELECT extract(epoch FROM started_on - (data->>'enqueuedAt')::timestamptz) * 1000 AS ms
         FROM pgboss.job WHERE name = $1 AND started_on > now() - interval '1 hour') s) l`,
      [JOB_QUEUE, DEAD_QUEUE],
    );
    const r = rows[0]!;
    const kinds = await this.locks.query<{ kind: JobKind; waiting: number; running: number; dead: number; failed: number }>(
      `SELECT kind, sum(waiting)::int AS waiting, sum(running)::int AS running, sum(dead)::int AS dead, sum(failed)::int AS failed FROM (
         SELECT data->>'kind' AS kind, (state IN ('created', 'retry'))::int AS waiting, (state = 'active')::int AS running, 0 AS dead, 0 AS failed
           FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry', 'active')
         UNION ALL SELECT data->>'kind', 0, 0, 1, 0 FROM pgboss.job WHERE name = $2
         UNION ALL SELECT kind, 0, 0, 0, 1 FROM fleetwave_queue.job_failure WHERE at > now() - interval '1 hour') k
       GROUP BY kind`,
      [JOB_QUEUE, DEAD_QUEUE],
    );
    const byKind: QueueStats['byKind'] = {};
    for (const k of kinds.rows) byKind[k.kind] = { waiting: k.waiting, running: k.running, dead: k.dead, failedLastHour: k.failed };
    return {
      byKind,
      waiting: r.waiting,
      running: r.running,
      dead: r.dead,
      completedLastHour: r.completed,
      failedLastHour: r.failed,
      latencyMsP50: r.p50 === null ? null : Math.round(Number(r.p50)),
      latencyMsMax: r.max === null ? null : Math.round(Number(r.max)),
    };
  }

  async deadJobs(limit = 50): Promise<DeadJob[]> {
    type Output = { message?: string; attempt?: number; value?: { message?: string } } | null;
    const { rows } = await this.locks.query<{ id: string; data: JobData; output: Output; at: Date }>(
      'SELECT id, data, output, created_on AS at FROM pgboss.job WHERE name = $1 ORDER BY created_on DESC LIMIT $2',
      [DEAD_QUEUE, limit],
    );
    return rows.map((r) => ({
      kind: r.data.kind,
      key: r.data.key,
      payload: r.data.payload,
      reason: r.data.reason,
      id: r.id,
      attempts: r.output?.attempt ?? this.policy.maxAttempts,
      // A job whose lease ran out on its last attempt: pg-boss's own message.
      error: r.output?.message ?? r.output?.value?.message ?? 'failed',
      diedAt: r.at.toISOString(),
    }));
  }

  async heartbeat(w: WorkerRecord): Promise<void> {
    await this.locks.query(
      `INSERT INTO fleetwave_queue.worker (id, host, pid, concurrency, running, started_at, last_seen) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET concurrency = EXCLUDED.concurrency, running = EXCLUDED.running, last_seen = EXCLUDED.last_seen`,
      [w.id, w.host, w.pid, w.concurrency, JSON.stringify(w.running), w.startedAt, w.lastSeen],
    );
    // Workers gone for a day are forgotten (shown as stale until then).
    await this.locks.query(`DELETE FROM fleetwave_queue.worker WHERE last_seen < now() - interval '1 day'`);
  }

  async removeWorker(id: string): Promise<void> {
    await this.locks.query('DELETE FROM fleetwave_queue.worker WHERE id = $1', [id]);
  }

  async workers(): Promise<WorkerRecord[]> {
    const { rows } = await this.locks.query<{
      id: string;
      host: string;
      pid: number;
      concurrency: number;
      running: WorkerRecord['running'];
      started_at: Date;
      last_seen: Date;
    }>('SELECT * FROM fleetwave_queue.worker ORDER BY last_seen DESC');
    return rows.map((r) => ({
      id: r.id,
      host: r.host,
      pid: r.pid,
      concurrency: r.concurrency,
      running: r.running,
      startedAt: r.started_at.toISOString(),
      lastSeen: r.last_seen.toISOString(),
    }));
  }

  async close(): Promise<void> {
    for (const [, client] of this.held) client.release(true);
    this.held.clear();
    await this.boss.stop({ graceful: false, wait: true, close: true });
    await this.locks.end();
  }
}
