/**
 * The optional JSON POST of every alert, in PagerDuty Events v2 shape, to a configured URL
 * (FLEETWAVE_ALERT_URL; the routing key from FLEETWAVE_PAGERDUTY_ROUTING_KEY). Global fetch, a
 * timeout per attempt, retries with capped exponential backoff and full jitter on network errors,
 * timeouts, 429 and 5xx. Neither the routing key nor the URL's path (webhook URLs often carry a
 * secret) ever reaches a log line or an error message: only the URL's origin does.
 *
 * Redirects are not followed (issue 14): a 3xx is a failed delivery, not retried, so the alert body
 * (and the routing key in it) goes only to the configured URL, never to wherever a receiver points.
 * The answer's body is not read (cancelled), so a large one costs nothing.
 */
import { InputError } from '../util/errors.js';
import type { Alert } from './alert.js';
import { pagerDutyEvent } from './pagerduty.js';
import type { AlertSink } from './sink.js';

export interface WebhookSinkOptions {
  url: string;
  /** PagerDuty's integration key; left out of the body when absent. */
  routingKey?: string;
  /** PagerDuty `payload.source`: where the alert comes from (default `fleetwave`). */
  source?: string;
  timeoutMs?: number;
  /** Attempts in all, the first included. */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** Thrown when an alert could not be posted; its message names the URL's origin only. */
export class AlertDeliveryError extends Error {}

export function webhookSink(options: WebhookSinkOptions): AlertSink {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new InputError('FLEETWAVE_ALERT_URL: not a URL (expected e.g. https://events.pagerduty.com/v2/enqueue)');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new InputError(`FLEETWAVE_ALERT_URL: expected an http(s) URL, got ${url.protocol}`);
  const where = url.origin;
  const attempts = Math.max(1, options.attempts ?? 4);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 10_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  return {
    name: `webhook:${where}`,
    async deliver(alert: Alert, raisedAt: string): Promise<void> {
      const event = pagerDutyEvent(alert, { routingKey: options.routingKey ?? '', source: options.source ?? 'fleetwave', raisedAt });
      if (!options.routingKey) delete (event as { routing_key?: string }).routing_key;
      const body = JSON.stringify(event);
      let last = '';
      for (let attempt = 0; attempt < attempts; attempt++) {
        if (attempt > 0) await sleep(Math.floor(random() * Math.min(cap, base * 2 ** (attempt - 1))));
        let status = 0;
        try {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json', 'user-agent': 'fleetwave-alerts' },
            body,
            signal: AbortSignal.timeout(timeoutMs),
            redirect: 'manual',
          });
          status = res.status;
          await res.body?.cancel().catch(() => undefined);
          if (res.ok) return;
          if (status >= 300 && status < 400) {
            last = `${where} answered a redirect (${status}); alerts are not sent on to another URL: set FLEETWAVE_ALERT_URL to the final one`;
            break;
          }
          last = `${where} answered ${status}`;
          if (status !== 429 && status < 500) break; // a 4xx other than 429 will not get better
        } catch (err) {
          const name = (err as { name?: string } | null)?.name;
          last =
            name === 'TimeoutError' || name === 'AbortError'
              ? `${where} did not answer within ${timeoutMs} ms`
              : `${where} unreachable (${(err as { cause?: { code?: string } }).cause?.code ?? name ?? 'network error'})`;
        }
      }
      throw new AlertDeliveryError(`alert ${alert.kind} not delivered: ${last}`);
    },
  };
}

/**
 * The webhook sink from FLEETWAVE_ALERT_URL and FLEETWAVE_PAGERDUTY_ROUTING_KEY, or none when no URL
 * is set; `tuning` overrides the retries (a delivery job makes one attempt: the queue retries it).
 */
export function webhookSinkFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  tuning: Pick<WebhookSinkOptions, 'attempts'> = {},
): AlertSink | null {
  const url = env.FLEETWAVE_ALERT_URL?.trim();
  if (!url) return null;
  const routingKey = env.FLEETWAVE_PAGERDUTY_ROUTING_KEY?.trim() || undefined;
  return webhookSink({ url, routingKey, source: env.FLEETWAVE_ALERT_SOURCE?.trim() || undefined, ...tuning });
}
