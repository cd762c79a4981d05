/**
 * Run a migration: reconcile until nothing more can happen now — every target is terminal, the
 * migration is paused, or it waits for checks or for the soak time. Journals the run in the store.
 */
import type { LoadedManifest } from '../manifest/types.js';
import { ChangesPendingError } from './change-cache.js';
import type { Decision } from './decide.js';
import type { MigrationSummary } from './model.js';
import { newSession, reconcileOnce, summarize, type ReconcileDeps, type ReconcileOptions } from './reconcile.js';
import { backoffDelay, RETRY } from './retry.js';

export interface RunHooks {
  /** Called after each tick with the decision taken and how many actions were carried out. */
  onTick?(tick: number, decision: Decision, executed: number): void;
  /** Waits (real time in the CLI, simulated in tests); defaults to setTimeout. */
  sleep?(ms: number): Promise<void>;
  /** Random source for backoff jitter. */
  random?(): number;
}

/** Upper bound on ticks in one run; each tick that acts moves at least one target forward. */
const MAX_TICKS = 10_000;

export async function runMigration(
  deps: ReconcileDeps,
  loaded: LoadedManifest,
  options: ReconcileOptions,
  hooks: RunHooks = {},
): Promise<MigrationSummary> {
  const runId = options.dryRun
    ? null
    : await deps.store.startRun({
        migration: loaded.manifest.metadata.name,
        manifestPath: loaded.path,
        manifestHash: loaded.hash,
        fleet: options.fleet,
        startedAt: deps.now().toISOString(),
      });
  const session = newSession();
  const sleep = hooks.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = hooks.random ?? Math.random;
  let summary: MigrationSummary | undefined;
  let failures = 0;
  try {
    for (let tick = 1; tick <= MAX_TICKS; tick++) {
      const { decision, observation, executed, deferred, failed } = await reconcileOnce(deps, loaded, options, session);
      hooks.onTick?.(tick, decision, executed.length);
      summary = summarize(loaded, options, deps.store, decision, observation, deps.now());
      if (options.dryRun) break;
      // An action that failed for good changed a target's state too: one more tick shows it.
      if (executed.length > 0 || failed.length > 0) {
        failures = 0;
        continue;
      }
      if (deferred.length === 0 || failures >= RETRY.maxAttempts) break;
      await sleep(backoffDelay(failures++, random));
    }
  } catch (err) {
    // Change sets handed to jobs (src/rollout/change-cache.ts): not a failure; the last job reconciles again.
    if (runId !== null && err instanceof ChangesPendingError)
      await deps.store.finishRun(runId, 'waiting-for-changes', { pending: err.pending, batch: err.batch });
    else if (runId !== null) await deps.store.finishRun(runId, 'failed', { error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
  if (runId !== null) await deps.store.finishRun(runId, summary!.state, summary);
  return summary!;
}
