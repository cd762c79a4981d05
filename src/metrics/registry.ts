/**
 * Fleetwave's process metrics (prom-client), recorded by the parts that do the work in a process that
 * serves /metrics: the forge clients (API requests, rate-limit waits) and the circuit breaker.
 * Store-derived metrics (migrations, targets, PR durations, burndown, conversions and verifications
 * from the journal) are computed at scrape time by store-metrics.ts. Every name starts with `fleetwave_`; docs/metrics.md lists them.
 */
import { Counter, Gauge, Registry } from 'prom-client';

/** The registry every `record*` function below writes to. */
export const metricsRegistry = new Registry();

const apiRequests = new Counter({
  name: 'fleetwave_api_requests_total',
  help: 'Requests to a code host or catalog API, by service and outcome (ok, client-error, server-error, rate-limited, network-error).',
  labelNames: ['service', 'outcome'] as const,
  registers: [metricsRegistry],
});

const rateLimitWaits = new Counter({
  name: 'fleetwave_rate_limit_waits_total',
  help: 'Times a request waited for a rate limit (primary or secondary) before going on.',
  labelNames: ['service'] as const,
  registers: [metricsRegistry],
});

const rateLimitWaitSeconds = new Counter({
  name: 'fleetwave_rate_limit_wait_seconds_total',
  help: 'Seconds spent waiting for rate limits.',
  labelNames: ['service'] as const,
  registers: [metricsRegistry],
});

export const BREAKER_STATES = ['closed', 'half-open', 'open'] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

const breaker = new Gauge({
  name: 'fleetwave_breaker_state',
  help: 'Circuit breaker state: 1 for the current state of each breaker, 0 for the others.',
  labelNames: ['breaker', 'state'] as const,
  registers: [metricsRegistry],
});

/** Outcome of an API response status (0 when no response came). */
export function outcomeOf(status: number): 'ok' | 'client-error' | 'server-error' | 'rate-limited' | 'network-error' {
  if (status === 0) return 'network-error';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'server-error';
  if (status >= 400) return 'client-error';
  return 'ok';
}

/** One request to `service` (github, backstage, …) answered with `status` (0: no answer). */
export function recordApiRequest(service: string, status: number): void {
  apiRequests.inc({ service, outcome: outcomeOf(status) });
}

/** A wait of `seconds` for a rate limit of `service`. */
export function recordRateLimitWait(service: string, seconds: number): void {
  rateLimitWaits.inc({ service });
  if (seconds > 0) rateLimitWaitSeconds.inc({ service }, seconds);
}

export function setBreakerState(name: string, state: BreakerState): void {
  for (const s of BREAKER_STATES) breaker.set({ breaker: name, state: s }, s === state ? 1 : 0);
}
