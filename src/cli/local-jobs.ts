/**
 * What a `fleetwave worker` does with the jobs of local fleets: a `reconcile-local` job is what
 * `fleetwave run` does, its alert deliveries and its change sets handed to jobs on the same queue
 * (src/composition/alert-jobs.ts, src/composition/change-jobs.ts); a `compute-changes` job computes
 * one target's change set on the fleet the reconcile names, as the reconcile would
 * (src/rollout/change-cache.ts computeChangeSet), and keeps it in the store's change-set cache.
 */
import { resolve } from 'node:path';
import type { ChangeApplier } from '../codemod/port.js';
import { carryOutChangeJob, changeFanOut } from '../composition/change-jobs.js';
import { loadManifest } from '../manifest/load.js';
import type { ComputeChangesPayload, JobQueue, ReconcileLocalPayload } from '../queue/port.js';
import type { JobHandler } from '../queue/worker.js';
import { ChangesPendingError, computeChangeSet } from '../rollout/change-cache.js';
import type { ChangeSetCache, Store } from '../store/port.js';
import { runLocal } from './commands/run.js';
import { detectManifestRepo, openLocalContext } from './local-context.js';

export interface LocalJobSettings {
  /** The worker's store (its change-set cache too), and the `--state` that names it. */
  store: Store & ChangeSetCache;
  state: string;
  queue: JobQueue;
  /** The change applier (default: the engine's). */
  changes?: ChangeApplier;
  /** Fewer missing change sets than this are computed in the reconcile (default 2). */
  fanOutMinimum?: number;
}

export function localJobHandlers(s: LocalJobSettings): { 'reconcile-local': JobHandler; 'compute-changes': JobHandler } {
  const { store, queue } = s;
  return {
    'reconcile-local': async (job, log) => {
      const p = job.payload as ReconcileLocalPayload;
      const loaded = await loadManifest(p.manifest);
      try {
        const summary = await runLocal(
          loaded,
          {
            fleet: p.fleet,
            state: s.state,
            ...(p.manifestRepo ? { manifestRepo: p.manifestRepo } : {}),
            ...(p.lake ? { lake: p.lake } : {}),
          },
          { err: () => undefined, isTTY: false },
          {
            store,
            logger: log,
            queue,
            changeFanOut: changeFanOut(
              queue,
              store,
              { kind: 'reconcile-local', key: job.key, payload: p, reason: job.reason },
              s.fanOutMinimum,
            ),
            ...(s.changes ? { changes: s.changes } : {}),
          },
        );
        log.info({ migration: summary.migration, state: summary.state }, 'reconciled');
      } catch (err) {
        // Its change sets are being computed by jobs; the last of them enqueues this reconcile again.
        if (!(err instanceof ChangesPendingError)) throw err;
        log.info({ migration: err.migration, pending: err.pending, batch: err.batch }, 'waiting for change sets');
      }
    },
    'compute-changes': async (job, log) => {
      const { reconcile } = job.payload as ComputeChangesPayload;
      if (reconcile.kind !== 'reconcile-local')
        throw new Error(`compute-changes job ${job.id} is for a ${reconcile.kind} job: not a local fleet's`);
      const r = reconcile.payload;
      await carryOutChangeJob(job, { cache: store, queue, log }, async (key) => {
        const loaded = await loadManifest(r.manifest);
        // The manifest changed since the fan-out: its reconcile fans out again under the new hash.
        if (loaded.hash !== key.manifestHash) return null;
        const ctx = await openLocalContext({
          fleet: r.fleet,
          state: s.state,
          ...(r.lake ? { checkEnv: { FLEETWAVE_LAKE: resolve(r.lake) }, lake: r.lake } : {}),
          store,
          logger: log,
          ...(s.changes ? { changes: s.changes } : {}),
        });
        try {
          const { manifestDir } = detectManifestRepo(loaded.path, r.fleet, r.manifestRepo);
          return await computeChangeSet(ctx.deps, loaded.manifest, key.target, key.headSha, manifestDir);
        } finally {
          await ctx.close();
        }
      });
    },
  };
}
