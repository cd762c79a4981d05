/**
 * reconcile = observe → decide (with its gates) → execute → journal, for one migration. Every trigger
 * (CLI, webhook, timer, Action) ends in this call. It keeps nothing between calls that the forge cannot
 * give back: the optional `ReconcileSession` only caches work within one run. The steps share one tick
 * context (src/rollout/tick.ts): observe.ts, decide.ts + gates/, breaker-tick.ts, execute.ts.
 */
import type { LoadedManifest } from '../manifest/types.js';
import type { StoredOf } from '../store/journal-events.js';
import { afterActions, keepBreaker, recordBreakerOutcomes } from './breaker-tick.js';
import { readDatasetGate } from './dataset-gate.js';
import { decide, deriveTargets, type Action, type Approval, type Decision } from './decide.js';
import { executeAll } from './execute.js';
import { claimIdentity } from './identity.js';
import { observe, type Observation } from './observe.js';
import { withReconcileLease } from './reconcile-lease.js';
import { newSession, newTick, type ReconcileDeps, type ReconcileOptions, type ReconcileSession } from './tick.js';

export { newSession, type ReconcileDeps, type ReconcileOptions, type ReconcileSession } from './tick.js';
export { summarize } from './summary.js';
export type { Observation } from './observe.js';

/** The approvals among a migration's journal events (`fleetwave approve`, `/fleetwave approve`). */
export function approvalsOf(events: readonly StoredOf<'approve'>[]): Approval[] {
  // An approval names its manifest's hash in its detail; older ones carry it on the event only.
  return events
    .filter((e) => e.outcome === 'ok')
    .map((e) => ({ by: e.detail.by, at: e.at, manifestHash: e.detail.manifestHash ?? e.manifestHash }));
}

type TickResult = { decision: Decision; observation: Observation; executed: Action[]; deferred: Action[]; failed: Action[] };

/**
 * One reconcile tick: observe, decide, and (unless dry-run) execute and journal. A tick that may act
 * holds the migration's reconcile lease in the store (src/rollout/reconcile-lease.ts): another
 * process's tick of the same migration waits for it.
 */
export async function reconcileOnce(
  deps: ReconcileDeps,
  loaded: LoadedManifest,
  options: ReconcileOptions,
  session: ReconcileSession = newSession(),
): Promise<{ decision: Decision; observation: Observation; executed: Action[]; deferred: Action[]; failed: Action[] }> {
  if (options.dryRun) return reconcileTick(deps, loaded, options, session);
  return withReconcileLease(deps, loaded.manifest.metadata.name, () => reconcileTick(deps, loaded, options, session));
}

async function reconcileTick(
  deps: ReconcileDeps,
  loaded: LoadedManifest,
  options: ReconcileOptions,
  session: ReconcileSession,
): Promise<TickResult> {
  // Whose migration this is: claimed once per run; a manifest reusing another's name stops here (MigrationClaimedError).
  session.identity ??= await claimIdentity(deps, loaded, options);
  const tick = await newTick(deps, loaded, options, session, session.identity);
  const observation = await observe(tick);
  // The dataset gate: the target's verification record, read once per tick (src/rollout/dataset-gate.ts).
  const dataset = await readDatasetGate(tick);
  const derived = deriveTargets(observation.views, tick.policy.retryFailedChecks, { now: tick.now(), policy: tick.policy.decide });
  // The fleet's circuit breaker records the outcomes the targets show; its gate in decide may hold the actions back.
  const breaker = await recordBreakerOutcomes(tick, derived, observation);
  const decision = decide({
    migration: tick.migration,
    targets: observation.views,
    derived,
    waveCount: observation.waveCount,
    policy: tick.policy.decide,
    control: await deps.store.getControl(tick.migration),
    now: tick.now(),
    manifestHash: loaded.hash,
    approvals: tick.policy.decide.twoPhase ? approvalsOf(await tick.history.ofKind('approve')) : [],
    breaker: breaker && { record: breaker.record, policy: breaker.policy },
    dataset,
  });
  await keepBreaker(tick, breaker, decision);
  const { executed, deferred, failed } = await executeAll(tick, observation, decision);
  await afterActions(tick, breaker, decision, executed, observation);
  return { decision, observation, executed, deferred, failed };
}
