/**
 * The job queue for a store setting (the same `--state` / FLEETWAVE_STATE): on a postgres:// URL the
 * shared queue in that database (pg-boss, src/queue/postgres/), else an in-process queue — the
 * embedded mode has no other process to share one with. Its policy from the environment:
 * FLEETWAVE_JOB_ATTEMPTS (default 5), FLEETWAVE_JOB_BACKOFF_SECONDS (first retry's delay, doubling;
 * default 5), FLEETWAVE_JOB_LEASE_SECONDS (how long a taken job is its worker's before another may
 * take it; default 900), FLEETWAVE_QUEUE_MAINTENANCE_SECONDS (how often expired jobs are looked for;
 * default 30). docs/operations.md, "The job queue and workers".
 */
import { InProcessQueue } from '../queue/memory/in-process-queue.js';
import type { JobQueue, QueuePolicy } from '../queue/port.js';
import { InputError } from '../util/errors.js';
import type { Logger } from '../util/log.js';
import { stateLocation } from './open-store.js';

function whole(env: Record<string, string | undefined>, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new InputError(`${name}=${raw}: give a whole number from ${min} to ${max}`);
  return n;
}

export function queuePolicyFromEnv(env: Record<string, string | undefined>): Partial<QueuePolicy> {
  const attempts = whole(env, 'FLEETWAVE_JOB_ATTEMPTS', 1, 1000);
  const backoff = whole(env, 'FLEETWAVE_JOB_BACKOFF_SECONDS', 1, 86_399);
  // pg-boss refuses an expiry of 24 hours or more.
  const lease = whole(env, 'FLEETWAVE_JOB_LEASE_SECONDS', 1, 86_399);
  return {
    ...(attempts !== undefined ? { maxAttempts: attempts } : {}),
    ...(backoff !== undefined ? { backoffMs: backoff * 1000 } : {}),
    ...(lease !== undefined ? { leaseMs: lease * 1000 } : {}),
  };
}

/** Whether the setting names a store other processes share (PostgreSQL). */
export function sharedQueue(state: string, setting = '--state'): boolean {
  return stateLocation(state, setting).kind === 'postgres';
}

export async function openQueue(
  state: string,
  options: { setting?: string; logger?: Logger; env?: Record<string, string | undefined> } = {},
): Promise<JobQueue> {
  const env = options.env ?? process.env;
  const policy = queuePolicyFromEnv(env);
  const location = stateLocation(state, options.setting);
  if (location.kind !== 'postgres') return new InProcessQueue(policy);
  const maintenanceSeconds = whole(env, 'FLEETWAVE_QUEUE_MAINTENANCE_SECONDS', 1);
  return (await import('../queue/postgres/pg-boss-queue.js')).openPgBossQueue(location.url, {
    policy,
    ...(maintenanceSeconds !== undefined ? { maintenanceSeconds } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
