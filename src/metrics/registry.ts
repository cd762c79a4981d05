/**
 * Fleetwave's process metrics (prom-client), recorded by the parts that do the work: the forge
 * clients (API requests, rate-limit waits), the circuit breaker, the data converter and verifier.
 * Store-derived metrics (migrations, targets, PR durations, burndown) are computed at scrape time by
 * store-metrics.ts. Every name starts with `fleetwave_`; docs/metrics.md lists them.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

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

const verifications = new Counter({
  name: 'fleetwave_verifications_total',
  help: 'Dataset verifications (old data against new), by migration and result (pass, fail).',
  labelNames: ['migration', 'result'] as const,
  registers: [metricsRegistry],
});

const verificationSeconds = new Histogram({
  name: 'fleetwave_verification_duration_seconds',
  help: 'How long one dataset verification took.',
  labelNames: ['migration'] as const,
  buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
  registers: [metricsRegistry],
});

const rowsConverted = new Counter({
  name: 'fleetwave_rows_converted_total',
  help: 'Rows written to the new dataset by conversion.',
  labelNames: ['migration'] as const,
  registers: [metricsRegistry],
});

const conversionSeconds = new Counter({
  name: 'fleetwave_conversion_seconds_total',
  help: 'Seconds spent converting data (with rows converted: throughput).',
  labelNames: ['migration'] as const,
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

export function recordVerification(migration: string, result: { passed: boolean; seconds: number }): void {
  verifications.inc({ migration, result: result.passed ? 'pass' : 'fail' });
  verificationSeconds.observe({ migration }, result.seconds);
}

export function recordRowsConverted(migration: string, rows: number, seconds?: number): void {
  if (rows > 0) rowsConverted.inc({ migration }, rows);
  if (seconds !== undefined && seconds > 0) conversionSeconds.inc({ migration }, seconds);
}
