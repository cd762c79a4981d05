/**
 * Change sets computed by jobs (with a job queue: docs/operations.md, "Job kinds"). A reconcile whose
 * targets need change sets not computed yet fans the work out: it records them in the store's
 * change-set cache as one batch, enqueues one `compute-changes` job per target (through the
 * `ChangeFanOut` of src/rollout/tick.ts, wired by src/composition/change-jobs.ts) and stops before
 * deciding anything (ChangesPendingError); workers compute them in parallel, and the job that puts
 * the batch's last set enqueues the migration's reconcile again, which then reads them from the cache
 * instead of computing. An `agent` rule's run is part of a change set's computation, so it too runs
 * in a job. The fan-out is given to reconciles run as jobs (`reconcile-local`, the App's `reconcile-app`);
 * without one (`fleetwave run`, the Action, the App without workers, its commands) change sets are
 * computed in the tick as before (observe.ts, changeSetFor).
 */
import { randomUUID } from 'node:crypto';
import { agentParamsOf } from '../codemod/agent/step.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ChangeSet, Finding } from '../codemod/port.js';
import { workspaceSpec, workspacesOfChangeSet } from '../plan/workspaces.js';
import type { Manifest } from '../manifest/types.js';
import type { RepoName } from '../forge/port.js';
import { changeSetKeyText, type ChangeSetKey } from '../store/port.js';
import type { ReconcileDeps, Tick } from './tick.js';
import { FleetwaveError, ForgeError } from '../util/errors.js';

/**
 * The key a target's change set is cached by: the migration, the target, the commit, the manifest's
 * hash. The one place a key is built (a target may later be more than a repository).
 */
export function changeSetKey(of: { migration: string; manifestHash: string }, repo: RepoName, headSha: string): ChangeSetKey {
  return { migration: of.migration, target: repo, headSha, manifestHash: of.manifestHash };
}

/**
 * The session's key of a repository's whole change set (src/rollout/tick.ts ReconcileSession.changeSets):
 * `<repo>@<head>`, or `<repo>@@<head>` with `consumers.workspaces` (its targets' parts are kept apart).
 */
export function repoSessionKey(manifest: Manifest, repo: RepoName, headSha: string): string {
  return workspaceSpec(manifest.consumers.workspaces) ? `${repo}@@${headSha}` : `${repo}@${headSha}`;
}

/**
 * What the cache keeps for a key whose change set could not be computed (a `compute-changes` job that
 * failed for good: an error that is not transient, or its last attempt). The reconcile reading it fails
 * that target with the reason, as it fails a target whose action failed (session.errors), and goes on
 * with the others. Kept under the key like a set: a moved head or a changed manifest computes again.
 */
export interface ChangeSetFailure {
  failed: string;
}

/**
 * Whether an error computing a change set is one a retry would only repeat — one of Fleetwave's own
 * (the codemod's InputError, a 404, a DataError) that is not a transient forge error — so that the
 * target fails with it. A transient forge error (network, 5xx, rate limit) or one of unknown kind (a
 * git process that died, a full disk) is tried again: by the queue under workers, by the next run
 * in-line (observe.ts).
 */
export function failsForGood(err: unknown): boolean {
  if (err instanceof ForgeError) return !err.transient;
  return err instanceof FleetwaveError;
}

/** The cache's record of a change set that could not be computed, saying why. */
export function changeSetFailure(err: unknown): ChangeSetFailure {
  return { failed: err instanceof Error ? err.message : String(err) };
}

function isChangeSetFailure(value: unknown): value is ChangeSetFailure {
  return typeof value === 'object' && value !== null && typeof (value as { failed?: unknown }).failed === 'string' && !('edits' in value);
}

/** The reason a target whose change set could not be computed fails with. */
export function changeSetFailureReason(f: ChangeSetFailure): string {
  return `its changes could not be computed: ${f.failed}`;
}

/** The reconcile stopped before deciding: `pending` change sets are being computed by jobs. */
export class ChangesPendingError extends Error {
  constructor(
    readonly migration: string,
    readonly pending: number,
    readonly batch: string,
  ) {
    super(`${migration}: ${pending} change sets are computed by jobs (batch ${batch}); the last one enqueues the reconcile again`);
    this.name = 'ChangesPendingError';
  }
}

/**
 * Computes the whole change set of `repo` at `headSha`: the one computation both the tick and a change
 * job make. With `consumers.workspaces`, each file's workspace is noted (src/plan/workspaces.ts).
 */
export async function computeChangeSet(
  deps: Pick<ReconcileDeps, 'forge' | 'changes'>,
  manifest: Manifest,
  repo: RepoName,
  headSha: string,
  manifestDir?: string,
): Promise<ChangeSet> {
  const spec = workspaceSpec(manifest.consumers.workspaces);
  const checkout = await deps.forge.checkout(repo, headSha);
  try {
    const set = await deps.changes.compute({ manifest, repo, dir: checkout.dir, manifestDir, headSha });
    if (!spec) return set;
    const { workspaces, unsafe } = workspacesOfChangeSet(set, spec, (file) => existsSync(join(checkout.dir, file)));
    const kept: Finding[] = unsafe.map((folder) => ({
      severity: 'warning',
      message: `workspace ${folder} cannot name a git branch (a part starts with ".", ends in ".lock", or holds a space or one of ~^:?*[\\): its files stay in the repository's own pull request`,
    }));
    return { ...set, findings: [...set.findings, ...kept], workspaces };
  } finally {
    await checkout.dispose();
  }
}

/**
 * Before observe computes change sets: those the session lacks are read from the cache; when at least
 * `minimum` are still missing, they are requested as a batch, enqueued, and the tick stops
 * (ChangesPendingError). Fewer are left to the tick. Not in a dry run, and not without a fan-out.
 */
export async function prefetchChangeSets(tick: Tick, wanted: readonly { repo: RepoName; headSha: string }[]): Promise<void> {
  const fanOut = tick.deps.changeFanOut;
  if (!fanOut || tick.options.dryRun) return;
  const manifest = tick.loaded.manifest;
  const missing = wanted.filter((w) => !tick.session.changeSets.has(repoSessionKey(manifest, w.repo, w.headSha)));
  if (missing.length === 0) return;
  const of = { migration: tick.migration, manifestHash: tick.loaded.hash };
  const keys = missing.map((w) => changeSetKey(of, w.repo, w.headSha));
  const cached = await fanOut.cache.cachedChangeSets(keys);
  const still: ChangeSetKey[] = [];
  for (const k of keys) {
    const set = cached.get(changeSetKeyText(k));
    if (set === undefined) still.push(k);
    else if (isChangeSetFailure(set)) {
      // No change for it, and it fails with the reason (decide: no pull request and an error: failed).
      tick.session.changeSets.set(repoSessionKey(manifest, k.target, k.headSha), { edits: [], summaries: [], findings: [] });
      tick.session.errors.set(k.target, changeSetFailureReason(set));
    } else tick.session.changeSets.set(repoSessionKey(manifest, k.target, k.headSha), set as ChangeSet);
  }
  // With an `agent` rule, one set may be minutes of the agent's work: even one goes to a job, off the reconcile's slot.
  const minimum = agentParamsOf(manifest) ? 1 : (fanOut.minimum ?? 2);
  if (still.length === 0 || still.length < minimum) return;
  const batch = randomUUID();
  await fanOut.cache.requestChangeSets(still, batch, tick.now().toISOString());
  await fanOut.enqueue(still, batch);
  tick.deps.logger.info({ migration: tick.migration, batch, jobs: still.length, cached: cached.size }, 'change sets handed to jobs');
  throw new ChangesPendingError(tick.migration, still.length, batch);
}
