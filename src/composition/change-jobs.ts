/**
 * Change sets as jobs (src/rollout/change-cache.ts): the fan-out a reconcile run as a job hands its
 * missing change sets to — one `compute-changes` job per target (`compute-changes-app` for the App's
 * `reconcile-app`), keyed by the change set's key — and the part of such a job that does not depend on
 * the fleet: skip what the cache holds, keep what was computed (or why it could not be), and enqueue
 * the reconcile again when the batch's last set is in. The computation itself is the entry point's
 * (the local fleet's: src/cli/local-jobs.ts; the App's: src/app/fleetwave-app.ts computeChangesJob).
 * docs/operations.md, "Job kinds".
 */
import type { ChangeSet } from '../codemod/port.js';
import type { ComputeChangesPayload, Job, JobQueue } from '../queue/port.js';
import type { ChangeFanOut } from '../rollout/tick.js';
import type { ChangeSetCache, ChangeSetKey } from '../store/port.js';
import { changeSetFailure, failsForGood, type ChangeSetFailure } from '../rollout/change-cache.js';
import type { Logger } from '../util/log.js';

/** A change job's key: its change set's key (one job per key at a time, anywhere). */
export function changeJobKey(k: ChangeSetKey): string {
  return `changes:${k.migration}:${k.target}@${k.headSha}:${k.manifestHash}`;
}

/** The fan-out of the reconcile job `reconcile`: its change jobs, which enqueue it again when done. */
export function changeFanOut(
  queue: JobQueue,
  cache: ChangeSetCache,
  reconcile: ComputeChangesPayload['reconcile'],
  minimum?: number,
): ChangeFanOut {
  return {
    cache,
    ...(minimum !== undefined ? { minimum } : {}),
    async enqueue(keys, batch) {
      for (const key of keys)
        await queue.enqueue({
          kind: reconcile.kind === 'reconcile-app' ? 'compute-changes-app' : 'compute-changes',
          key: changeJobKey(key),
          payload: { key, batch, reconcile },
          reason: `changes of ${key.target} for ${reconcile.key}`,
        });
    },
  };
}

/**
 * A `compute-changes` job: the set from the cache when a run of it (or a twin) kept one already, else
 * `compute` (null: the manifest changed since the fan-out; nothing is kept). When the batch has no
 * set left to compute, the reconcile is enqueued again (a waiting one takes it in).
 *
 * A computation that fails for good — an error a retry would repeat (failsForGood, src/rollout/change-cache.ts), or any error on the
 * queue's last attempt — is kept as the key's failure (src/rollout/change-cache.ts ChangeSetFailure) and
 * counts the batch down like a set: the reconcile then fails that target with the reason and goes on
 * with the others, where a dead job would leave the batch pending and the migration waiting. The job
 * itself completes. Other errors are thrown: the queue retries them.
 */
export async function carryOutChangeJob(
  job: Job,
  deps: { cache: ChangeSetCache; queue: JobQueue; log: Logger; now?: () => Date },
  compute: (key: ChangeSetKey) => Promise<ChangeSet | null>,
): Promise<'computed' | 'cached' | 'stale' | 'failed'> {
  const p = job.payload as ComputeChangesPayload;
  const now = deps.now ?? (() => new Date());
  // Kept already (this job ran before and died after keeping it, or a twin did): its batch's count was
  // taken then; the reconcile is asked for again all the same (a waiting one takes the request in).
  const cached = (await deps.cache.cachedChangeSets([p.key])).size > 0;
  let outcome: 'computed' | 'cached' | 'stale' | 'failed' = 'cached';
  let pending = 0;
  if (!cached) {
    let kept: ChangeSet | ChangeSetFailure | null;
    try {
      kept = await compute(p.key);
      outcome = kept === null ? 'stale' : 'computed';
    } catch (err) {
      const last = job.attempt >= deps.queue.policy.maxAttempts;
      if (!last && !failsForGood(err)) throw err;
      kept = changeSetFailure(err);
      outcome = 'failed';
      deps.log.error(
        { migration: p.key.migration, target: p.key.target, head: p.key.headSha, err: kept.failed, attempt: job.attempt, last },
        'change set could not be computed: the target fails with the reason',
      );
    }
    if (kept !== null) pending = (await deps.cache.putChangeSet(p.key, kept, now().toISOString())).pending;
  }
  deps.log.info({ migration: p.key.migration, target: p.key.target, head: p.key.headSha, outcome, pending }, 'change set');
  if (pending === 0) {
    const r = await deps.queue.enqueue({ ...p.reconcile, reason: `change sets computed (batch ${p.batch})` });
    deps.log.info({ migration: p.key.migration, job: r.id, folded: r.folded }, 'reconcile enqueued again');
  }
  return outcome;
}
