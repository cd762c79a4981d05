/**
 * Run a migration: reconcile until nothing more can happen now — every target is terminal, the
 * migration is paused, or it waits for checks or for the soak time. Journals the run in the store.
 */
import type { LoadedManifest } from '../manifest/types.js';
import type { Decision } from './decide.js';
import type { MigrationSummary } from './model.js';
import { newSession, reconcileOnce, summarize, type ReconcileDeps, type ReconcileOptions } from './reconcile.js';

export interface RunHooks {
  /** Called after each tick with the decision taken and how many actions were carried out. */
  onTick?(tick: number, decision: Decision, executed: number): void;
}

/** Upper bound on ticks in one run; each tick that acts moves at least one target forward. */
const MAX_TICKS = 10_000;

export async function runMigration(deps: ReconcileDeps, loaded: LoadedManifest, options: ReconcileOptions, hooks: RunHooks = {}): Promise<MigrationSummary> {
  const runId = options.dryRun
    ? null
    : deps.store.startRun({
        migration: loaded.manifest.metadata.name,
        manifestPath: loaded.path,
        manifestHash: loaded.hash,
        fleet: options.fleet,
        startedAt: deps.now().toISOString(),
      });
  const session = newSession();
  let summary: MigrationSummary | undefined;
  try {
    for (let tick = 1; tick <= MAX_TICKS; tick++) {
      const { decision, observation, executed } = await reconcileOnce(deps, loaded, options, session);
      hooks.onTick?.(tick, decision, executed.length);
      summary = summarize(loaded, options, deps.store, decision, observation);
      if (executed.length === 0 || options.dryRun) break;
    }
  } catch (err) {
    if (runId !== null) deps.store.finishRun(runId, 'failed', { error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
  if (runId !== null) deps.store.finishRun(runId, summary!.state, summary);
  return summary!;
}
