/**
 * One reconcile per migration at a time, across every process that shares the store: a tick that may
 * act takes the store's lease `reconcile:<migration>` (src/store/port.ts Leases) and gives it up when
 * it ends. Another process's tick waits for it — a line in the log says whose it is and since when —
 * up to `waitMs`, then stops with an error naming the holder. The lease expires `ttlMs` after it was
 * last renewed (every third of that while the tick runs), so a process that died frees it by then.
 * Without it, two `fleetwave run`s on one store both open the same pull requests (docs/store.md,
 * "The reconcile lease").
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { LeaseRecord } from '../store/port.js';
import { StateError } from '../util/errors.js';
import type { LeasePolicy, ReconcileDeps } from './tick.js';

export const DEFAULT_LEASE: LeasePolicy = { ttlMs: 60_000, waitMs: 15 * 60_000, pollMs: 1_000 };

/** This process's holder id: host, pid and a random part (a pid is reused across restarts). */
export const PROCESS_HOLDER = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;

/** A holder id as people read it. */
export function describeHolder(lease: LeaseRecord): string {
  const [host, pid] = lease.holder.split(':');
  return pid ? `pid ${pid} on ${host} since ${lease.since} (lease until ${lease.expiresAt})` : `${lease.holder} since ${lease.since}`;
}

/** Another process held the migration's lease for longer than the tick would wait. */
export class ReconcileLeaseHeldError extends StateError {}

/** Runs `work` holding the reconcile lease of `migration` in `deps.store`. */
export async function withReconcileLease<T>(deps: ReconcileDeps, migration: string, work: () => Promise<T>): Promise<T> {
  const policy = { ...DEFAULT_LEASE, ...deps.lease };
  const name = `reconcile:${migration}`;
  const holder = deps.leaseHolder ?? PROCESS_HOLDER;
  const take = () => deps.store.takeLease(name, holder, new Date().toISOString(), policy.ttlMs);
  const started = Date.now();
  let lease = await take();
  let said = 0;
  while (lease.holder !== holder) {
    const waited = Date.now() - started;
    if (waited >= policy.waitMs) {
      throw new ReconcileLeaseHeldError(
        `${migration} is being reconciled by another process on ${deps.store.location}: ${describeHolder(lease)}; waited ${Math.round(waited / 1000)} s. ` +
          'Let that run finish (or stop it); a process that died frees the lease when it expires.',
      );
    }
    if (said === 0 || Date.now() - said >= 30_000) {
      said = Date.now();
      deps.logger.warn(
        { migration, holder: lease.holder, since: lease.since, expiresAt: lease.expiresAt },
        `waiting for ${migration}'s reconcile: ${describeHolder(lease)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, policy.pollMs));
    lease = await take();
  }
  // Renewed while the tick runs, so a long tick keeps it; a failed renewal is logged (the next tick takes it again).
  const renew = setInterval(
    () => {
      take().then(
        (now) => {
          if (now.holder !== holder)
            deps.logger.error({ migration, holder: now.holder }, `lost ${migration}'s reconcile lease to ${describeHolder(now)}`);
        },
        (err: unknown) =>
          deps.logger.warn({ migration, err: err instanceof Error ? err.message : String(err) }, 'could not renew the reconcile lease'),
      );
    },
    Math.max(1_000, Math.floor(policy.ttlMs / 3)),
  );
  renew.unref();
  try {
    return await work();
  } finally {
    clearInterval(renew);
    await deps.store.releaseLease(name, holder);
  }
}
