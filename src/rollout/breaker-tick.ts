/**
 * The fleet-safety half of a reconcile tick, around decide: before it, record the outcomes the
 * targets show (journalled once per target per failure or merge) into the fleet's circuit breaker,
 * whose gate in decide (src/rollout/gates/breaker.ts) then lets through only what it allows, and keep
 * the record the gate left; after acting, record the merges just made, and raise the alerts the tick's
 * transitions call for (journal + log, then the sinks, or their jobs when there is a queue).
 * The breaker's logic is src/rollout/breaker.ts, the alerts' src/alerts/.
 */
import { deriveAlerts, type AlertInput } from '../alerts/alert.js';
import { oldDatasetStatus } from '../report/old-dataset.js';
import { deliverPending, dispatchPending, journalAlert, raisedByKey } from '../alerts/outbox.js';
import { setBreakerState } from '../metrics/registry.js';
import type { BreakerRecord } from '../store/port.js';
import {
  DEFAULT_BREAKER_POLICY,
  canaryOutcome,
  mergedKey,
  observedOutcomes,
  recordOutcomes,
  releaseCanary,
  resolveCanary,
  type BreakerOutcome,
  type BreakerPolicy,
} from './breaker.js';
import type { Action, Decision, DerivedTarget } from './decision.js';
import type { Observation } from './observe.js';
import { journal, type Tick } from './tick.js';
import { repoOf } from '../plan/workspaces.js';

/** The breaker of this tick: its policy, its key (the fleet) and its record with the tick's outcomes recorded. */
export interface BreakerTick {
  policy: BreakerPolicy;
  key: string;
  record: BreakerRecord;
  /** The record's state when the tick read it. */
  before: BreakerRecord['state'];
}

/** The breaker's policy of `deps`: undefined means the defaults, null no breaker. */
export function safetyPolicy(deps: { breaker?: BreakerPolicy | null }): BreakerPolicy | null {
  return deps.breaker === undefined ? DEFAULT_BREAKER_POLICY : deps.breaker;
}

/** What the breaker reads of the observation. */
interface ObservationLike {
  views: Parameters<typeof observedOutcomes>[1];
  heads: Parameters<typeof observedOutcomes>[2];
}

/**
 * Before decide: journal the targets' new outcomes (unless a dry run), feed them to the breaker and
 * settle its canary. Returns what decide's breaker gate needs, or null when there is no breaker.
 * Synchronous from the breaker's read to its write (keepBreaker), so ticks of several migrations in
 * one process never lose each other's updates.
 */
export async function recordBreakerOutcomes(
  tick: Tick,
  derived: readonly DerivedTarget[],
  observation: ObservationLike,
): Promise<BreakerTick | null> {
  const policy = safetyPolicy(tick.deps);
  if (!policy) return null;
  const { store } = tick.deps;
  const key = tick.options.fleet;
  const now = tick.now();
  const migration = tick.migration;
  const history = tick.history;
  const seen = new Set([...(await history.ofKind('failure')), ...(await history.ofKind('success'))].map((e) => e.detail.key));
  // A revert a person asked for (`fleetwave rollback`, `/fleetwave rollback`: journalled with `by`) is a decision, not a failure.
  const rolledBack = new Set(
    (await history.ofKind('revert')).flatMap((e) => (e.outcome === 'ok' && e.detail.by != null && e.target ? [e.target] : [])),
  );
  const fresh = observedOutcomes(derived, observation.views, observation.heads).filter(
    (o) => !seen.has(o.key) && !(rolledBack.has(o.target) && !o.ok && o.key.endsWith(':after-merge')),
  );
  let record = await store.getBreaker(key);
  const before = record.state;
  if (!tick.options.dryRun) {
    for (const o of fresh) {
      const detail = { key: o.key, pr: o.pr, reason: o.reason };
      await journal(
        tick,
        o.ok
          ? { target: o.target, action: 'success', outcome: 'ok', detail }
          : { target: o.target, action: 'failure', outcome: 'error', detail },
      );
    }
  }
  record = recordOutcomes(
    record,
    fresh.map((o) => ({ at: now.toISOString(), ok: o.ok, migration, target: o.target })),
    policy,
    now,
  );
  if (record.canary?.migration === migration) {
    const c = canaryOutcome(record, derived, observation.views);
    if (c.result === 'ok' || c.result === 'failed') record = resolveCanary(record, c.result === 'ok', now, c.detail);
    else if (c.result === 'gone') record = releaseCanary(record, now);
  }
  return { policy, key, record, before };
}

/** After decide: keep the breaker's record as decide's gate left it (not in a dry run). */
export async function keepBreaker(tick: Tick, breaker: BreakerTick | null, decision: Decision): Promise<void> {
  if (!breaker || tick.options.dryRun) return;
  await persist(tick, decision.breaker?.record ?? breaker.record, breaker.before);
}

/**
 * After acting: the merges just made are successes (the canary's too), then the alerts of this tick
 * are journalled, logged and handed to the sinks. A sink's failure is logged and journalled only.
 */
export async function afterActions(
  tick: Tick,
  breaker: BreakerTick | null,
  decision: Decision,
  executed: readonly Action[],
  observation: Observation,
): Promise<void> {
  if (tick.options.dryRun) return;
  const { deps, loaded, history } = tick;
  const { store } = deps;
  const now = tick.now();
  const migration = tick.migration;
  let record: BreakerRecord | null = null;
  let openedNow = false;
  if (breaker) {
    record = await store.getBreaker(breaker.key);
    const before = record.state;
    const merges: BreakerOutcome[] = [];
    for (const a of executed) {
      if (a.kind !== 'merge') continue;
      // Only a merge that happened (not an auto-merge merely enabled) is a success.
      const merged = (await history.ofKind('merge')).some((e) => e.target === a.repo && e.outcome === 'ok' && e.detail.pr === a.number);
      if (!merged) continue;
      await journal(tick, {
        target: a.repo,
        action: 'success',
        outcome: 'ok',
        detail: { key: mergedKey(a.repo, a.number), pr: a.number, reason: null },
      });
      merges.push({ at: now.toISOString(), ok: true, migration, target: a.repo });
      if (record.canary?.migration === migration && record.canary.target === a.repo)
        record = resolveCanary(record, true, now, `merge of ${a.repo}#${a.number}`);
    }
    record = recordOutcomes(record, merges, breaker.policy, now);
    openedNow = before === 'closed' && record.state === 'open';
    await persist(tick, record, before);
  }

  const reverts = [];
  for (const a of executed) {
    if (a.kind !== 'revert') continue;
    // the owner is a courtesy: a catalog that cannot answer does not hold the alert back
    const owner = deps.ownerOf ? await deps.ownerOf(repoOf(a.repo)).catch(() => null) : null;
    reverts.push({ repo: a.repo, pr: a.number, reason: a.reason, owner });
  }
  const pauseAction = decision.actions.find((a): a is Extract<Action, { kind: 'pause' }> => a.kind === 'pause');
  const wave = pauseAction ? decision.waves[pauseAction.wave] : undefined;
  const alerts = deriveAlerts({
    migration,
    fleet: tick.options.fleet,
    owners: [loaded.manifest.metadata.owner],
    state: decision.state,
    reason: decision.reason,
    failedWave: decision.state === 'paused' && wave ? { index: wave.index, failed: wave.failed, size: wave.size } : null,
    breaker:
      record && record.state !== 'closed' && record.openedAt
        ? {
            openedAt: record.openedAt,
            reason: record.reason,
            state: record.state,
            holds: (decision.breaker?.held ?? false) || (openedNow && decision.state === 'running'),
          }
        : null,
    reverts,
    episode: (await history.ofKind('resume')).length,
    raised: raisedByKey(await history.ofKind('alert')),
    sunset: await sunsetInput(tick, decision, observation),
  });
  for (const alert of alerts) await journalAlert(store, alert, { at: now.toISOString(), manifestHash: loaded.hash, logger: deps.logger });
  const sinks = deps.alerts ?? [];
  if (!sinks.length) return;
  // With a job queue each delivery is a job (a slow receiver holds no reconcile); else the sinks are called here.
  if (deps.alertDispatch)
    await dispatchPending(
      store,
      migration,
      sinks.map((s) => s.name),
      deps.alertDispatch,
      { now, events: await history.all() },
    );
  else await deliverPending(store, migration, sinks, { now, logger: deps.logger, events: await history.all() });
}

/** The sunset as the alerts read it: only while a warning is due, with the unmigrated consumers' owners (the catalog's). */
async function sunsetInput(tick: Tick, decision: Decision, observation: Observation): Promise<AlertInput['sunset']> {
  const date = tick.loaded.manifest.metadata.sunset;
  const warnings = tick.policy.sunsetWarningsMs;
  if (!date) return null;
  const now = tick.now();
  // Before the first warning is due nothing is asked of the catalog.
  if (Date.parse(`${date}T00:00:00Z`) - now.getTime() > Math.max(0, ...warnings)) return null;
  const views = new Map(observation.views.map((v) => [v.repo, v]));
  const targets = decision.targets.map((d) => ({ repo: d.repo, state: d.state, pr: views.get(d.repo)?.pr?.url ?? null }));
  const status = oldDatasetStatus(targets, observation.oldDataset, date, now);
  const unmigrated = [];
  for (const repo of status.unmigrated) {
    // the owner is a courtesy: a catalog that cannot answer does not hold the warning back
    const owner = tick.deps.ownerOf ? await tick.deps.ownerOf(repoOf(repo)).catch(() => null) : null;
    unmigrated.push({ repo, owner });
  }
  return { date, warningsMs: warnings, now, unmigrated };
}

async function persist(tick: Tick, record: BreakerRecord, before: BreakerRecord['state']): Promise<void> {
  const { deps } = tick;
  // Written only when it changed: a store that saves whole files (the Action's) is not rewritten every tick.
  if (JSON.stringify(await deps.store.getBreaker(record.key)) !== JSON.stringify(record)) await deps.store.setBreaker(record);
  setBreakerState(record.key, record.state);
  if (record.state !== before) {
    const log = record.state === 'closed' ? deps.logger.info.bind(deps.logger) : deps.logger.warn.bind(deps.logger);
    log(
      { breaker: record.key, from: before, to: record.state, reason: record.reason, canary: record.canary },
      `circuit breaker ${record.state}`,
    );
  }
}
