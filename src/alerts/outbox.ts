/**
 * The journal as the alerts' outbox. A reconcile journals each new alert (`alert` event, detail: the
 * alert) and logs it; sinks then deliver what they have not delivered yet, each delivery journalled
 * (`alert-delivery`, detail: sink, alert event id, error). So an alert is raised once per transition
 * (the journal holds its dedup key), a replayed webhook or a re-run delivers nothing twice, and a sink
 * that failed is tried again by the next reconcile, up to `maxAttempts`.
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
  const maxAge = options.maxAgeMs ?? 24 * 3_600_000;
  const maxAttempts = options.maxAttempts ?? 3;
  const done = new Set<string>();
  const failures = new Map<string, number>();
  for (const e of events) {
    if (e.action !== DELIVERY_EVENT) continue;
    const { detail } = readDetail(e, DELIVERY_EVENT, store.location);
    const k = `${detail.sink}|${detail.alertId}`;
    if (e.outcome === 'ok') done.add(k);
    else failures.set(k, (failures.get(k) ?? 0) + 1);
  }
  let delivered = 0;
  let failed = 0;
  for (const raised of alertsIn(events, store.location)) {
    if (Date.parse(raised.at) + maxAge < options.now.getTime()) continue;
    for (const sink of sinks) {
      const k = `${sink.name}|${raised.id}`;
      if (done.has(k) || (failures.get(k) ?? 0) >= maxAttempts) continue;
      const journal = async (outcome: 'ok' | 'error', error?: string) =>
        await writeEvent(
          store,
          { at: options.now.toISOString(), migration, manifestHash: events.find((e) => e.id === raised.id)?.manifestHash ?? '' },
          {
            target: raised.alert.target,
            action: DELIVERY_EVENT,
            outcome,
            detail: { sink: sink.name, alertId: raised.id, dedupKey: raised.alert.dedupKey, ...(error ? { error } : {}) },
          },
        );
      try {
        await sink.deliver(raised.alert, raised.at);
        await journal('ok');
        delivered++;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        await journal('error', message);
        options.logger.error(
          { migration, sink: sink.name, alert: raised.alert.kind, dedupKey: raised.alert.dedupKey, err: message },
          'alert not delivered',
        );
        failed++;
      }
    }
  }
  return { delivered, failed };
}
