/**
 * The fleet-safety half of a reconcile tick, around decide's actions: before acting, record the
 * outcomes the decision shows (journalled once per target per failure or merge) into the fleet's
 * circuit breaker and let through only what the breaker allows; after acting, record the merges just
 * made, and raise the alerts the tick's transitions call for (journal + log, then the sinks).
 * The breaker's logic is src/rollout/breaker.ts, the alerts' src/alerts/.
 */
import { deriveAlerts } from '../alerts/alert.js';
import { ALERT_EVENT, deliverPending, journalAlert, raisedByKey } from '../alerts/outbox.js';
import type { AlertSink } from '../alerts/sink.js';
import type { LoadedManifest } from '../manifest/types.js';
import { setBreakerState } from '../metrics/registry.js';
import type { BreakerRecord, Store } from '../store/port.js';
import type { Logger } from '../util/log.js';
import { VERSION } from '../version.js';
import {
  DEFAULT_BREAKER_POLICY, canaryOutcome, gate, mergedKey, observedOutcomes, recordOutcomes, releaseCanary, resolveCanary, type BreakerOutcome, type BreakerPolicy,
} from './breaker.js';
import type { Action, Decision } from './decide.js';
import type { JournalView } from './journal-view.js';

/** What the safety steps need of ReconcileDeps. */
export interface SafetyDeps {
  store: Store;
  logger: Logger;
  now(): Date;
  /** The breaker's policy; undefined: the defaults; null: no breaker. Entry points read FLEETWAVE_BREAKER_* (src/alerts/from-env.ts). */
  breaker?: BreakerPolicy | null;
  /** Where alerts go beyond the journal and the log (entry points wire FLEETWAVE_ALERT_URL's sink: src/alerts/from-env.ts). */
  alerts?: readonly AlertSink[];
  /** The catalog's owner of a repository, when configured: a revert alert mentions them too. */
  ownerOf?: (repo: string) => Promise<string | null>;
}

export interface SafetyTick {
  policy: BreakerPolicy | null;
  /** The breaker's key: the fleet. */
  key: string;
  /** The breaker paused this (otherwise running) migration in this tick. */
  held: boolean;
}

interface ObservationLike {
  views: Parameters<typeof observedOutcomes>[1];
  heads: Parameters<typeof observedOutcomes>[2];
}

export function safetyPolicy(deps: Pick<SafetyDeps, 'breaker'>): BreakerPolicy | null {
  return deps.breaker === undefined ? DEFAULT_BREAKER_POLICY : deps.breaker;
}

const OUTCOME_EVENTS = new Set(['failure', 'success']);

/**
 * Before acting: journal the decision's new outcomes, feed them to the breaker, settle the canary,
 * and gate the actions. Returns the decision to act on (paused with the breaker's reason when it holds
 * this migration back). Synchronous from the breaker's read to its write, so ticks of several
 * migrations in one process never lose each other's updates.
 */
export function beforeActions(
  deps: SafetyDeps,
  loaded: LoadedManifest,
  options: { fleet: string; dryRun?: boolean },
  decision: Decision,
  observation: ObservationLike,
  history: JournalView,
): { decision: Decision; tick: SafetyTick } {
  const policy = safetyPolicy(deps);
  const tick: SafetyTick = { policy, key: options.fleet, held: false };
  if (!policy) return { decision, tick };
  const { store } = deps;
  const now = deps.now();
  const migration = loaded.manifest.metadata.name;
  const seen = new Set([...OUTCOME_EVENTS].flatMap((action) => history.ofAction(action).map((e) => String(e.detail.key))));
  // A revert a person asked for (`fleetwave rollback`, `/fleetwave rollback`: journalled with `by`) is a decision, not a failure.
  const rolledBack = new Set(history.ofAction('revert').filter((e) => e.outcome === 'ok' && e.detail.by != null && e.target).map((e) => e.target!));
  const fresh = observedOutcomes(decision.targets, observation.views, observation.heads).filter(
    (o) => !seen.has(o.key) && !(rolledBack.has(o.target) && !o.ok && o.key.endsWith(':after-merge')),
  );
  let record = store.getBreaker(tick.key);
  const before = record.state;
  if (!options.dryRun) {
    for (const o of fresh) {
      store.append({
        at: now.toISOString(),
        migration,
        target: o.target,
        action: o.ok ? 'success' : 'failure',
        outcome: o.ok ? 'ok' : 'error',
        detail: { key: o.key, pr: o.pr, reason: o.reason },
        version: VERSION,
        manifestHash: loaded.hash,
      });
    }
  }
  record = recordOutcomes(record, fresh.map((o) => ({ at: now.toISOString(), ok: o.ok, migration, target: o.target })), policy, now);
  if (record.canary?.migration === migration) {
    const c = canaryOutcome(record, decision.targets, observation.views);
    if (c.result === 'ok' || c.result === 'failed') record = resolveCanary(record, c.result === 'ok', now, c.detail);
    else if (c.result === 'gone') record = releaseCanary(record, now);
  }
  const g = gate(record, migration, decision.actions, policy, now);
  record = g.record;
  if (!options.dryRun) persist(deps, record, before);
  const gated: Decision = { ...decision, actions: g.actions };
  if (g.pause && decision.state === 'running') {
    tick.held = true;
    gated.state = 'paused';
    gated.reason = g.reason;
    gated.waitingUntil = g.waitingUntil ?? decision.waitingUntil;
  } else if (g.reason && decision.state === 'running') {
    gated.reason = decision.reason ? `${decision.reason}; ${g.reason}` : g.reason;
  }
  return { decision: gated, tick };
}

/**
 * After acting: the merges just made are successes (the canary's too), then the alerts of this tick
 * are journalled, logged and handed to the sinks. A sink's failure is logged and journalled only.
 */
export async function afterActions(
  deps: SafetyDeps,
  loaded: LoadedManifest,
  options: { fleet: string; dryRun?: boolean },
  tick: SafetyTick,
  decision: Decision,
  executed: readonly Action[],
  history: JournalView,
): Promise<void> {
  if (options.dryRun) return;
  const { store } = deps;
  const now = deps.now();
  const migration = loaded.manifest.metadata.name;
  let record: BreakerRecord | null = null;
  let openedNow = false;
  if (tick.policy) {
    record = store.getBreaker(tick.key);
    const before = record.state;
    const merges: BreakerOutcome[] = [];
    for (const a of executed) {
      if (a.kind !== 'merge') continue;
      // Only a merge that happened (not an auto-merge merely enabled) is a success.
      const merged = history.ofTarget(a.repo).some((e) => e.action === 'merge' && e.outcome === 'ok' && e.detail.pr === a.number);
      if (!merged) continue;
      store.append({ at: now.toISOString(), migration, target: a.repo, action: 'success', outcome: 'ok', detail: { key: mergedKey(a.repo, a.number), pr: a.number, reason: null }, version: VERSION, manifestHash: loaded.hash });
      merges.push({ at: now.toISOString(), ok: true, migration, target: a.repo });
      if (record.canary?.migration === migration && record.canary.target === a.repo) record = resolveCanary(record, true, now, `merge of ${a.repo}#${a.number}`);
    }
    record = recordOutcomes(record, merges, policy(tick), now);
    openedNow = before === 'closed' && record.state === 'open';
    persist(deps, record, before);
  }

  const reverts = [];
  for (const a of executed) {
    if (a.kind !== 'revert') continue;
    // the owner is a courtesy: a catalog that cannot answer does not hold the alert back
    const owner = deps.ownerOf ? await deps.ownerOf(a.repo).catch(() => null) : null;
    reverts.push({ repo: a.repo, pr: a.number, reason: a.reason, owner });
  }
  const pauseAction = decision.actions.find((a): a is Extract<Action, { kind: 'pause' }> => a.kind === 'pause');
  const wave = pauseAction ? decision.waves[pauseAction.wave] : undefined;
  const alerts = deriveAlerts({
    migration,
    fleet: tick.key,
    owners: [loaded.manifest.metadata.owner],
    state: decision.state,
    reason: decision.reason,
    failedWave: decision.state === 'paused' && wave ? { index: wave.index, failed: wave.failed, size: wave.size } : null,
    breaker:
      record && record.state !== 'closed' && record.openedAt
        ? { openedAt: record.openedAt, reason: record.reason, state: record.state, holds: tick.held || (openedNow && decision.state === 'running') }
        : null,
    reverts,
    episode: history.ofAction('resume').length,
    raised: raisedByKey(history.ofAction(ALERT_EVENT)),
  });
  for (const alert of alerts) journalAlert(store, alert, { at: now.toISOString(), manifestHash: loaded.hash, logger: deps.logger });
  const sinks = deps.alerts ?? [];
  if (sinks.length) await deliverPending(store, migration, sinks, { now, logger: deps.logger, events: history.all() });
}

function policy(tick: SafetyTick): BreakerPolicy {
  return tick.policy!;
}

function persist(deps: SafetyDeps, record: BreakerRecord, before: BreakerRecord['state']): void {
  // Written only when it changed: a store that saves whole files (the Action's) is not rewritten every tick.
  if (JSON.stringify(deps.store.getBreaker(record.key)) !== JSON.stringify(record)) deps.store.setBreaker(record);
  setBreakerState(record.key, record.state);
  if (record.state !== before) {
    const log = record.state === 'closed' ? deps.logger.info.bind(deps.logger) : deps.logger.warn.bind(deps.logger);
    log({ breaker: record.key, from: before, to: record.state, reason: record.reason, canary: record.canary }, `circuit breaker ${record.state}`);
  }
}
