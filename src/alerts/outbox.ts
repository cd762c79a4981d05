/**
 * The journal as the alerts' outbox. A reconcile journals each new alert (`alert` event, detail: the
 * alert) and logs it; sinks then deliver what they have not delivered yet, each delivery journalled
 * (`alert-delivery`, detail: sink, alert event id, error). So an alert is raised once per transition
 * (the journal holds its dedup key), a replayed webhook or a re-run delivers nothing twice, and a sink
 * that failed is tried again by the next reconcile, up to `maxAttempts`. With a job queue, each
 * delivery is a job instead (dispatchPending, deliverAlert), retried by the queue: docs/alerts.md.
 */
import { readDetail, writeEvent, type StoredOf } from '../store/journal-events.js';
import type { Store, StoredEvent } from '../store/port.js';
import type { Logger } from '../util/log.js';
import type { Alert, AlertKind } from './alert.js';
import type { AlertSink } from './sink.js';

export const ALERT_EVENT = 'alert' as const;
export const DELIVERY_EVENT = 'alert-delivery' as const;

export interface RaisedAlert {
  /** The journal event's id. */
  id: number;
  at: string;
  alert: Alert;
}

function toAlert(e: StoredOf<'alert'>): Alert {
  const d = e.detail;
  return {
    kind: d.kind,
    action: d.action,
    migration: e.migration,
    target: e.target,
    summary: d.summary,
    severity: d.severity,
    dedupKey: d.dedupKey,
    owners: d.owners,
    details: d.details,
  };
}

/** Every alert journalled, oldest first (all migrations when `migration` is left out). */
export async function raisedAlerts(store: Store, migration?: string): Promise<RaisedAlert[]> {
  return alertsIn(await store.events(migration === undefined ? {} : { migration }), store.location);
}

/** The alerts among `events` (read from the store at `location`: named when an alert event cannot be read). */
export function alertsIn(events: readonly StoredEvent[], location = 'the journal'): RaisedAlert[] {
  return events
    .filter((e) => e.action === ALERT_EVENT)
    .map((e) => ({ id: e.id, at: e.at, alert: toAlert(readDetail(e, ALERT_EVENT, location)) }));
}

/** The last action journalled per dedup key, with the trigger's kind: what `deriveAlerts` needs. */
export function raisedByKey(
  events: readonly StoredEvent[],
  location?: string,
): Map<string, { action: 'trigger' | 'resolve'; kind: AlertKind }> {
  const out = new Map<string, { action: 'trigger' | 'resolve'; kind: AlertKind }>();
  for (const { alert } of alertsIn(events, location)) out.set(alert.dedupKey, { action: alert.action, kind: alert.kind });
  return out;
}

/** Journal and log one alert (the record every sink delivers from). */
export async function journalAlert(
  store: Store,
  alert: Alert,
  context: { at: string; manifestHash: string; logger: Logger },
): Promise<void> {
  await writeEvent(
    store,
    { at: context.at, migration: alert.migration, manifestHash: context.manifestHash },
    {
      target: alert.target,
      action: ALERT_EVENT,
      outcome: 'ok',
      detail: {
        kind: alert.kind,
        action: alert.action,
        severity: alert.severity,
        dedupKey: alert.dedupKey,
        summary: alert.summary,
        owners: alert.owners,
        details: alert.details,
      },
    },
  );
  const log = alert.action === 'resolve' ? context.logger.info.bind(context.logger) : context.logger.warn.bind(context.logger);
  log(
    { migration: alert.migration, alert: alert.kind, action: alert.action, severity: alert.severity, dedupKey: alert.dedupKey },
    `alert: ${alert.summary}`,
  );
}

export interface DeliverOptions {
  now: Date;
  logger: Logger;
  /** Alerts older than this are not sent to a sink that never had them (a newly configured sink is not flooded). */
  maxAgeMs?: number;
  /** Failed deliveries of one alert to one sink before it is given up. */
  maxAttempts?: number;
  /** The migration's journal as the caller already holds it, up to date (else it is read from the store). */
  events?: readonly StoredEvent[];
}

/** What the journal says of each (sink, alert) pair: delivered, and how many deliveries failed. */
function deliveryRecords(events: readonly StoredEvent[], location: string): { done: Set<string>; failures: Map<string, number> } {
  const done = new Set<string>();
  const failures = new Map<string, number>();
  for (const e of events) {
    if (e.action !== DELIVERY_EVENT) continue;
    const { detail } = readDetail(e, DELIVERY_EVENT, location);
    const k = `${detail.sink}|${detail.alertId}`;
    if (e.outcome === 'ok') done.add(k);
    else failures.set(k, (failures.get(k) ?? 0) + 1);
  }
  return { done, failures };
}

/**
 * Delivers one alert to one sink and journals the outcome (`alert-delivery`). Returns the error's
 * message when the sink failed (journalled and logged), null when it delivered.
 */
async function deliverOne(
  store: Store,
  migration: string,
  raised: RaisedAlert,
  sink: AlertSink,
  manifestHash: string,
  options: { now: Date; logger: Logger },
): Promise<string | null> {
  const journal = async (outcome: 'ok' | 'error', error?: string) =>
    await writeEvent(
      store,
      { at: options.now.toISOString(), migration, manifestHash },
      {
        target: raised.alert.target,
        action: DELIVERY_EVENT,
        outcome,
        detail: { sink: sink.name, alertId: raised.id, dedupKey: raised.alert.dedupKey, ...(error ? { error } : {}) },
      },
    );
  try {
    await sink.deliver(raised.alert, raised.at);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await journal('error', message);
    options.logger.error(
      { migration, sink: sink.name, alert: raised.alert.kind, dedupKey: raised.alert.dedupKey, err: message },
      'alert not delivered',
    );
    return message;
  }
  await journal('ok');
  return null;
}

/**
 * Deliver the migration's journalled alerts that `sinks` have not delivered yet. Never throws for a
 * sink's failure: it is logged and journalled (`alert-delivery`, outcome error).
 */
export async function deliverPending(
  store: Store,
  migration: string,
  sinks: readonly AlertSink[],
  options: DeliverOptions,
): Promise<{ delivered: number; failed: number }> {
  if (sinks.length === 0) return { delivered: 0, failed: 0 };
  const events = options.events ?? (await store.events({ migration }));
  const maxAge = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const maxAttempts = options.maxAttempts ?? 3;
  const { done, failures } = deliveryRecords(events, store.location);
  let delivered = 0;
  let failed = 0;
  for (const raised of alertsIn(events, store.location)) {
    if (Date.parse(raised.at) + maxAge < options.now.getTime()) continue;
    for (const sink of sinks) {
      const k = `${sink.name}|${raised.id}`;
      if (done.has(k) || (failures.get(k) ?? 0) >= maxAttempts) continue;
      const hash = events.find((e) => e.id === raised.id)?.manifestHash ?? '';
      if ((await deliverOne(store, migration, raised, sink, hash, options)) === null) delivered++;
      else failed++;
    }
  }
  return { delivered, failed };
}

const DEFAULT_MAX_AGE_MS = 24 * 3_600_000;

/** One alert's delivery to one sink, as a job's payload names it (src/queue/port.ts, `deliver-alert`). */
export interface AlertDelivery {
  migration: string;
  /** The `alert` event's id in the journal. */
  alertId: number;
  /** The sink's name (`webhook:https://host`, `tracking-issue`). */
  sink: string;
  dedupKey: string;
}

/** Hands deliveries to whoever carries them out (a job queue's workers: src/composition/alert-jobs.ts). */
export type AlertDispatch = (delivery: AlertDelivery) => Promise<void>;

/**
 * With a job queue: hands each of the migration's alerts that a sink has no delivery record of
 * (neither delivered nor failed) to `dispatch`, instead of calling the sink. The job's worker then
 * delivers it (deliverAlert), and the queue retries a failure; so a delivery with a record is the
 * queue's, not handed out again. Returns how many were handed out.
 */
export async function dispatchPending(
  store: Store,
  migration: string,
  sinks: readonly string[],
  dispatch: AlertDispatch,
  options: Pick<DeliverOptions, 'now' | 'maxAgeMs' | 'events'>,
): Promise<number> {
  if (sinks.length === 0) return 0;
  const events = options.events ?? (await store.events({ migration }));
  const maxAge = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const { done, failures } = deliveryRecords(events, store.location);
  let handed = 0;
  for (const raised of alertsIn(events, store.location)) {
    if (Date.parse(raised.at) + maxAge < options.now.getTime()) continue;
    for (const sink of sinks) {
      const k = `${sink}|${raised.id}`;
      if (done.has(k) || failures.has(k)) continue;
      await dispatch({ migration, alertId: raised.id, sink, dedupKey: raised.alert.dedupKey });
      handed++;
    }
  }
  return handed;
}

/**
 * A delivery job's work: delivers the alert to `sink` unless the journal says it was delivered
 * already (a job run twice, or after a worker died between the POST and the journal's record,
 * delivers once, or — in that crash — at most twice). Throws when the sink failed (journalled), so
 * the queue retries it with its backoff and dead-letters it after its last attempt.
 */
export async function deliverAlert(
  store: Store,
  delivery: Pick<AlertDelivery, 'migration' | 'alertId'>,
  sink: AlertSink,
  options: { now: Date; logger: Logger },
): Promise<'delivered' | 'already'> {
  const events = await store.events({ migration: delivery.migration });
  const raised = alertsIn(events, store.location).find((r) => r.id === delivery.alertId);
  if (!raised)
    throw new Error(
      `alert ${delivery.alertId} of ${delivery.migration} is not in the journal at ${store.location}: is this the App's store?`,
    );
  if (deliveryRecords(events, store.location).done.has(`${sink.name}|${raised.id}`)) return 'already';
  const hash = events.find((e) => e.id === raised.id)?.manifestHash ?? '';
  const error = await deliverOne(store, delivery.migration, raised, sink, hash, options);
  if (error !== null) throw new Error(error);
  return 'delivered';
}
