/**
 * The fleet's safety settings from the environment, for the entry points to wire into the reconcile
 * deps: the breaker policy (FLEETWAVE_BREAKER_*, docs/breaker.md) and the alert sinks
 * (FLEETWAVE_ALERT_URL, docs/alerts.md). A bad alert URL is logged once and alerts stay in the journal
 * and the log; a bad breaker setting throws (InputError naming the variable).
 */
import { breakerPolicyFromEnv, type BreakerPolicy } from '../rollout/breaker.js';
import type { Logger } from '../util/log.js';
import type { AlertSink } from './sink.js';
import { webhookSinkFromEnv } from './webhook-sink.js';

type Env = Readonly<Record<string, string | undefined>>;

let sinkConfigError: string | null = null;

export function alertSinksFromEnv(env: Env, logger: Logger): AlertSink[] {
  try {
    const sink = webhookSinkFromEnv(env);
    return sink ? [sink] : [];
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (sinkConfigError !== message) logger.error({ err: message }, 'alerts are not posted: fix FLEETWAVE_ALERT_URL');
    sinkConfigError = message;
    return [];
  }
}

export function safetyFromEnv(env: Env, logger: Logger): { breaker: BreakerPolicy | null; alerts: AlertSink[] } {
  return { breaker: breakerPolicyFromEnv(env), alerts: alertSinksFromEnv(env, logger) };
}
