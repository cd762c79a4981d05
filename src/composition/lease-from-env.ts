/**
 * The reconcile lease's timings from FLEETWAVE_LEASE_SECONDS (how long a lease lasts unless renewed,
 * default 60) and FLEETWAVE_LEASE_WAIT_SECONDS (how long a tick waits for another process's, default
 * 900); docs/store.md, "The reconcile lease". Every entry point's reconcile reads them through
 * engineDeps: `fleetwave run`, the App and the workers that carry out its jobs.
 */
import type { LeasePolicy } from '../rollout/tick.js';
import { InputError } from '../util/errors.js';

export function leaseFromEnv(env: Record<string, string | undefined>): Partial<LeasePolicy> {
  const seconds = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new InputError(`${name}=${raw}: give a number of seconds above 0`);
    return n * 1000;
  };
  const ttlMs = seconds('FLEETWAVE_LEASE_SECONDS');
  const waitMs = seconds('FLEETWAVE_LEASE_WAIT_SECONDS');
  return { ...(ttlMs !== undefined ? { ttlMs } : {}), ...(waitMs !== undefined ? { waitMs } : {}) };
}
