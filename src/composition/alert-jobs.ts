/**
 * Alerts' deliveries as jobs (with a job queue: a `fleetwave worker`, the App with
 * FLEETWAVE_APP_WORKERS=external): a reconcile journals its alerts and enqueues one job per alert and
 * sink instead of calling the sink, so a slow or down receiver never holds a reconcile; a worker
 * delivers it (src/alerts/outbox.ts, deliverAlert) and the queue retries a failure with its backoff,
 * then dead-letters it. Without a queue the reconcile delivers as before. docs/alerts.md.
 *
 * - `deliver-alert`: the FLEETWAVE_ALERT_URL receiver, posted by any worker with that URL (one POST per
 *   attempt: the queue's attempts and backoff are the retries);
 * - `deliver-alert-app`: a comment in the App's tracking issue, by a worker with the App's settings.
 */
import { type AlertDelivery, type AlertDispatch, deliverAlert } from '../alerts/outbox.js';
import type { AlertSink } from '../alerts/sink.js';
import { webhookSinkFromEnv } from '../alerts/webhook-sink.js';
import type { DeliverAlertPayload, JobQueue } from '../queue/port.js';
import type { JobHandler } from '../queue/worker.js';
import type { Store } from '../store/port.js';

/** A delivery's job key: the sink and the alert, never the migration (it must not wait on a reconcile). */
export function alertJobKey(delivery: Pick<AlertDelivery, 'sink' | 'alertId'>): string {
  return `alert:${delivery.sink}:${delivery.alertId}`;
}

/** A dispatch that enqueues each delivery as a `deliver-alert` job (a webhook sink). */
export function alertJobDispatch(queue: JobQueue): AlertDispatch {
  return async (delivery) => {
    await queue.enqueue({
      kind: 'deliver-alert',
      key: alertJobKey(delivery),
      payload: { ...delivery },
      reason: `alert ${delivery.dedupKey}`,
    });
  };
}

/** A dispatch that enqueues each delivery to the App's tracking issue as a `deliver-alert-app` job. */
export function trackingIssueDispatch(queue: JobQueue, issue: NonNullable<DeliverAlertPayload['issue']>): AlertDispatch {
  return async (delivery) => {
    await queue.enqueue({
      kind: 'deliver-alert-app',
      key: alertJobKey(delivery),
      payload: { ...delivery, issue },
      reason: `alert ${delivery.dedupKey}`,
    });
  };
}

/**
 * The handler of `deliver-alert` jobs: the sink FLEETWAVE_ALERT_URL names in this worker's
 * environment, one POST per attempt. A worker whose URL is not the job's sink fails the job with a
 * message saying so (every process that reconciles and every worker need the same FLEETWAVE_ALERT_URL).
 */
export function alertJobHandler(store: Store, env: Readonly<Record<string, string | undefined>> = process.env): JobHandler {
  return async (job, log) => {
    const p = job.payload as DeliverAlertPayload;
    const sink = webhookSinkFromEnv(env, { attempts: 1 });
    if (!sink || sink.name !== p.sink)
      throw new Error(
        `this worker's FLEETWAVE_ALERT_URL (${sink ? sink.name : 'not set'}) is not the job's receiver (${p.sink}): give every worker the FLEETWAVE_ALERT_URL of the processes that reconcile`,
      );
    await deliverOneLogged(store, p, sink, log);
  };
}

/** The handler of `deliver-alert-app` jobs, given how to build the tracking issue's sink (the App's). */
export function trackingIssueJobHandler(
  store: Store,
  sinkFor: (issue: NonNullable<DeliverAlertPayload['issue']>) => Promise<AlertSink>,
): JobHandler {
  return async (job, log) => {
    const p = job.payload as DeliverAlertPayload;
    if (!p.issue) throw new Error(`deliver-alert-app job ${job.id} names no tracking issue`);
    await deliverOneLogged(store, p, await sinkFor(p.issue), log);
  };
}

async function deliverOneLogged(store: Store, p: DeliverAlertPayload, sink: AlertSink, log: Parameters<JobHandler>[1]): Promise<void> {
  const outcome = await deliverAlert(store, p, sink, { now: new Date(), logger: log });
  log.info(
    { migration: p.migration, sink: sink.name, dedupKey: p.dedupKey, outcome },
    outcome === 'already' ? 'alert delivered before' : 'alert delivered',
  );
}
