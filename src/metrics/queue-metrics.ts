/**
 * Metrics of the job queue and its workers, read from the queue when Prometheus scrapes (every replica
 * on one database answers the same): jobs by state, the wait from enqueue to start, completed and
 * failed attempts in the last hour, workers live and stale and the jobs each runs.
 */
import { Gauge, Registry } from 'prom-client';
import { JOB_KINDS, type JobQueue } from '../queue/port.js';
import { WORKER_STALE_MS } from '../report/dashboard-queue.js';

export function queueMetricsRegistry(queue: JobQueue, now: () => Date = () => new Date()): Registry {
  const registry = new Registry();
  new Gauge({
    name: 'fleetwave_jobs',
    help: 'Jobs in the queue by state: waiting (ready or backing off), running, dead (failed their last attempt).',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const s = await queue.stats();
      this.reset();
      this.set({ state: 'waiting' }, s.waiting);
      this.set({ state: 'running' }, s.running);
      this.set({ state: 'dead' }, s.dead);
    },
  });
  new Gauge({
    name: 'fleetwave_jobs_by_kind',
    help: 'Jobs in the queue by kind (reconcile-local, reconcile-app, deliver-alert, deliver-alert-app) and state (waiting, running, dead).',
    labelNames: ['kind', 'state'] as const,
    registers: [registry],
    async collect() {
      const s = await queue.stats();
      this.reset();
      for (const kind of JOB_KINDS) {
        const k = s.byKind[kind];
        this.set({ kind, state: 'waiting' }, k?.waiting ?? 0);
        this.set({ kind, state: 'running' }, k?.running ?? 0);
        this.set({ kind, state: 'dead' }, k?.dead ?? 0);
      }
    },
  });
  new Gauge({
    name: 'fleetwave_job_failures_last_hour',
    help: 'Job attempts that failed in the last hour, by kind.',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      const s = await queue.stats();
      this.reset();
      for (const kind of JOB_KINDS) this.set({ kind }, s.byKind[kind]?.failedLastHour ?? 0);
    },
  });
  new Gauge({
    name: 'fleetwave_job_attempts_last_hour',
    help: 'Job attempts that ended in the last hour, by outcome (completed, failed).',
    labelNames: ['outcome'] as const,
    registers: [registry],
    async collect() {
      const s = await queue.stats();
      this.reset();
      this.set({ outcome: 'completed' }, s.completedLastHour);
      this.set({ outcome: 'failed' }, s.failedLastHour);
    },
  });
  new Gauge({
    name: 'fleetwave_job_wait_seconds',
    help: 'Time from enqueue to start of the jobs started in the last hour: the median and the longest.',
    labelNames: ['stat'] as const,
    registers: [registry],
    async collect() {
      const s = await queue.stats();
      this.reset();
      if (s.latencyMsP50 !== null) this.set({ stat: 'p50' }, s.latencyMsP50 / 1000);
      if (s.latencyMsMax !== null) this.set({ stat: 'max' }, s.latencyMsMax / 1000);
    },
  });
  new Gauge({
    name: 'fleetwave_workers',
    help: `Registered workers: live, or stale (no heartbeat for ${WORKER_STALE_MS / 1000} s).`,
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      const workers = await queue.workers();
      const stale = workers.filter((w) => now().getTime() - Date.parse(w.lastSeen) > WORKER_STALE_MS).length;
      this.reset();
      this.set({ state: 'live' }, workers.length - stale);
      this.set({ state: 'stale' }, stale);
    },
  });
  new Gauge({
    name: 'fleetwave_worker_jobs',
    help: 'Jobs each worker runs now, and its concurrency.',
    labelNames: ['worker', 'of'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const w of await queue.workers()) {
        this.set({ worker: w.id, of: 'running' }, w.running.length);
        this.set({ worker: w.id, of: 'concurrency' }, w.concurrency);
      }
    },
  });
  return registry;
}
