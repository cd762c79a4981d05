import { describe, expect, it } from '@jest/globals';
import { metricsRegistry, outcomeOf, recordApiRequest, recordRateLimitWait, setBreakerState } from '../../src/metrics/registry.js';

async function value(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = metricsRegistry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
}

describe('the process metrics other parts record', () => {
  it('counts API requests by service and outcome, and rate-limit waits with their seconds', async () => {
    recordApiRequest('github-test', 200);
    recordApiRequest('github-test', 201);
    recordApiRequest('github-test', 403);
    recordApiRequest('github-test', 429);
    recordApiRequest('github-test', 502);
    recordApiRequest('github-test', 0);
    recordRateLimitWait('github-test', 1.5);
    recordRateLimitWait('github-test', 0);
    expect(await value('fleetwave_api_requests_total', { service: 'github-test', outcome: 'ok' })).toBe(2);
    for (const outcome of ['client-error', 'rate-limited', 'server-error', 'network-error']) {
      expect(await value('fleetwave_api_requests_total', { service: 'github-test', outcome })).toBe(1);
    }
    expect(await value('fleetwave_rate_limit_waits_total', { service: 'github-test' })).toBe(2);
    expect(await value('fleetwave_rate_limit_wait_seconds_total', { service: 'github-test' })).toBe(1.5);
  });

  it('shows one current state per breaker', async () => {
    setBreakerState('forge-test', 'open');
    setBreakerState('forge-test', 'half-open');
    expect(await value('fleetwave_breaker_state', { breaker: 'forge-test', state: 'half-open' })).toBe(1);
    expect(await value('fleetwave_breaker_state', { breaker: 'forge-test', state: 'open' })).toBe(0);
    expect(await value('fleetwave_breaker_state', { breaker: 'forge-test', state: 'closed' })).toBe(0);
  });

  it('maps statuses to outcomes', () => {
    expect([200, 304, 404, 429, 500, 0].map(outcomeOf)).toEqual([
      'ok',
      'ok',
      'client-error',
      'rate-limited',
      'server-error',
      'network-error',
    ]);
  });
});
