import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { githubRequestMetrics } from '../../../src/composition/github-metrics.js';
import { BudgetedOctokit } from '../../../src/forge/github/client.js';
import { metricsRegistry } from '../../../src/metrics/registry.js';
import { isContentCreating, isSafeToRepeat, RequestBudget } from '../../../src/forge/github/request-budget.js';
import { RateLimitedError } from '../../../src/forge/port.js';
import { InProcessLedger } from '../../../src/store/memory/budget-ledger.js';
import { githubApi, githubExample, openapiViolations, resetGitHubRequests } from '../../helpers/openapi.js';
import { FakeClock } from './fake-clock.js';
import { makeForge } from './setup.js';

function client(budget: RequestBudget, key = '1') {
  const quiet = () => undefined;
  return new BudgetedOctokit({
    auth: 'ghs_test',
    requestBudget: budget,
    requestBudgetKey: key,
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  });
}

const issue = { owner: 'acme', repo: 'recs', issue_number: 7, body: 'hello' };
const commentPath = '/repos/acme/recs/issues/7/comments';

describe('request budget', () => {
  beforeEach(() => {
    nock.disableNetConnect();
    resetGitHubRequests();
  });
  afterEach(() => {
    const done = nock.isDone();
    nock.cleanAll();
    expect(done).toBe(true);
    expect(openapiViolations()).toEqual([]);
  });

  it('counts only content-creating requests, and GraphQL only for mutations', () => {
    expect(isContentCreating({ method: 'GET', url: '/repos/{owner}/{repo}' })).toBe(false);
    expect(isContentCreating({ method: 'POST', url: '/repos/{owner}/{repo}/pulls' })).toBe(true);
    expect(isContentCreating({ method: 'PATCH', url: '/repos/{owner}/{repo}/git/refs/{ref}' })).toBe(true);
    expect(isContentCreating({ method: 'DELETE', url: '/repos/{owner}/{repo}/git/refs/{ref}' })).toBe(true);
    expect(isContentCreating({ method: 'POST', url: '/graphql', query: 'query { viewer { login } }' })).toBe(false);
    expect(isContentCreating({ method: 'POST', url: '/graphql', query: ' mutation { x }' })).toBe(true);
    expect(isContentCreating({ method: 'POST', url: '/app/installations/{installation_id}/access_tokens' })).toBe(false);
  });

  it('keeps content-creating requests at least the minimum gap apart and within the per-minute limit', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ perMinute: 5, perHour: 500, minGapMs: 1000 }, clock);
    const sent: number[] = [];
    for (let i = 0; i < 12; i++) await budget.run('1', { method: 'POST', url: '/x' }, async () => sent.push(clock.now()));
    for (let i = 1; i < sent.length; i++) expect(sent[i]! - sent[i - 1]!).toBeGreaterThanOrEqual(1000);
    for (const t of sent) expect(sent.filter((s) => s > t - 60_000 && s <= t).length).toBeLessThanOrEqual(5);
    // 12 requests at 5 a minute need two full minutes of waiting.
    expect(sent[11]! - sent[0]!).toBeGreaterThanOrEqual(120_000);
  });

  it('keeps to the hourly limit', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ perMinute: 80, perHour: 10, minGapMs: 0 }, clock);
    const sent: number[] = [];
    for (let i = 0; i < 25; i++) await budget.run('1', { method: 'PUT', url: '/x' }, async () => sent.push(clock.now()));
    for (const t of sent) expect(sent.filter((s) => s > t - 3_600_000 && s <= t).length).toBeLessThanOrEqual(10);
    expect(sent[24]! - sent[0]!).toBeGreaterThanOrEqual(2 * 3_600_000);
  });

  it('paces each installation separately and does not pace reads', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ perMinute: 1, perHour: 10, minGapMs: 1000 }, clock);
    await budget.run('1', { method: 'POST', url: '/x' }, async () => undefined);
    await budget.run('2', { method: 'POST', url: '/x' }, async () => undefined);
    for (let i = 0; i < 5; i++) await budget.run('1', { method: 'GET', url: '/x' }, async () => undefined);
    expect(clock.sleeps).toEqual([]);
    await budget.run('1', { method: 'POST', url: '/x' }, async () => undefined);
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(60_000);
  });

  it('queues concurrent content-creating requests instead of letting them race for a slot', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ perMinute: 80, perHour: 500, minGapMs: 1000 }, clock);
    const sent: number[] = [];
    await Promise.all(Array.from({ length: 6 }, () => budget.run('1', { method: 'POST', url: '/x' }, async () => sent.push(clock.now()))));
    expect(sent).toHaveLength(6);
    for (let i = 1; i < sent.length; i++) expect(sent[i]! - sent[i - 1]!).toBeGreaterThanOrEqual(1000);
  });

  it('waits out a secondary rate limit for the time in retry-after, then succeeds', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({}, clock);
    githubApi()
      .post(commentPath)
      .reply(
        403,
        { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
        { 'retry-after': '30' },
      )
      .post(commentPath)
      .reply(201, { id: 1 });
    const res = await client(budget).request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', issue);
    expect(res.status).toBe(201);
    expect(clock.sleeps).toContain(30_000);
    expect(budget.stats.rateLimitWaits).toBe(1);
  });

  it('holds every budget on the same ledger back after one is rate limited, reads included; other installations go on', async () => {
    // Two budgets on one ledger stand for two processes on one store (the store's ledgers: test/store/budget-ledger.test.ts).
    const clock = new FakeClock();
    const ledger = new InProcessLedger();
    const first = new RequestBudget({ maxRateLimitWaits: 0 }, clock, undefined, {}, ledger);
    const second = new RequestBudget({}, clock, undefined, {}, ledger);
    const start = clock.now();
    const answered: Record<string, number> = {};
    githubApi()
      .post(commentPath)
      .reply(403, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': '30' })
      .get('/repos/acme/other')
      .reply(200, () => ((answered.other = clock.now() - start), githubExample('GET', '/repos/acme/other', 200) as object))
      .get('/repos/acme/recs')
      .reply(200, () => ((answered.read = clock.now() - start), githubExample('GET', '/repos/acme/recs', 200) as object))
      .post(commentPath)
      .reply(201, () => ((answered.comment = clock.now() - start), { id: 1 }));
    // The first gives up at once (no waits allowed), leaving the hold GitHub asked for in the ledger.
    await expect(client(first).request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', issue)).rejects.toThrow(
      RateLimitedError,
    );
    expect(clock.sleeps).toEqual([]);
    await client(second, '2').request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'other' });
    expect(answered.other).toBe(0);
    await client(second).request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'recs' });
    expect(clock.sleeps).toEqual([30_000]);
    expect(answered.read).toBe(30_000);
    await client(second).request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', issue);
    expect(answered.comment).toBe(30_000);
  });

  it('tells its observer of every answer and rate-limit wait; the entry points connect the metrics to it', async () => {
    const statuses: number[] = [];
    const waits: number[] = [];
    const budget = new RequestBudget({}, new FakeClock(), undefined, {
      onRequest: (s) => statuses.push(s),
      onRateLimitWait: (s) => waits.push(s),
    });
    githubApi()
      .post(commentPath)
      .reply(403, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': '30' })
      .post(commentPath)
      .reply(201, { id: 1 });
    await client(budget).request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', issue);
    expect(statuses).toEqual([403, 201]);
    expect(waits).toEqual([30]);

    const counted = async (outcome: string) =>
      (await metricsRegistry.getSingleMetric('fleetwave_api_requests_total')!.get()).values.find(
        (v) => v.labels.service === 'github' && v.labels.outcome === outcome,
      )?.value ?? 0;
    const waited = async () =>
      (await metricsRegistry.getSingleMetric('fleetwave_rate_limit_wait_seconds_total')!.get()).values.find(
        (v) => v.labels.service === 'github',
      )?.value ?? 0;
    const before = { ok: await counted('ok'), limited: await counted('client-error'), waited: await waited() };
    const metered = new RequestBudget({}, new FakeClock(), undefined, githubRequestMetrics);
    githubApi()
      .post(commentPath)
      .reply(403, { message: 'You have exceeded a secondary rate limit.' }, { 'retry-after': '30' })
      .post(commentPath)
      .reply(201, { id: 1 });
    await client(metered).request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', issue);
    expect(await counted('ok')).toBe(before.ok + 1);
    expect(await counted('client-error')).toBe(before.limited + 1);
    expect(await waited()).toBe(before.waited + 30);
  });

  it('waits out a rate limit at most maxRateLimitWaits times, then fails the request for this tick (transient) with a clear message', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({ maxRetries: 2 }, clock);
    const scope = githubApi();
    for (let i = 0; i < 4; i++) scope.post(commentPath).reply(403, { message: 'You have exceeded a secondary rate limit.' });
    const failed = client(budget).request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', issue);
    await expect(failed).rejects.toBeInstanceOf(RateLimitedError);
    await expect(failed).rejects.toMatchObject({
      transient: true,
      status: 403,
      message: expect.stringMatching(
        /^GitHub rate limit: POST .* was still rate limited after 3 waits \(420 s\); .*the next tick goes on$/,
      ),
    });
    expect(budget.stats.rateLimitWaits).toBe(3);
    // Without retry-after, each wait is at least a minute, growing: 1, 2, 4 minutes.
    expect(clock.sleeps.filter((s) => s >= 60_000)).toEqual([60_000, 120_000, 240_000]);
  });

  it('waits for the reset when GraphQL answers a primary rate limit with HTTP 200 and RATE_LIMITED, then succeeds', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({}, clock);
    const reset = Math.floor(clock.now() / 1000) + 600;
    githubApi()
      .post('/graphql')
      .reply(
        200,
        { errors: [{ type: 'RATE_LIMITED', message: 'API rate limit already exceeded for installation ID 1.' }] },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
      )
      .post('/graphql')
      .reply(200, { data: { viewer: { login: 'fleetwave[bot]' } } });
    const data = await client(budget).graphql<{ viewer: { login: string } }>('query { viewer { login } }');
    expect(data.viewer.login).toBe('fleetwave[bot]');
    expect(clock.now()).toBeGreaterThanOrEqual(reset * 1000);
    expect(budget.stats.rateLimitWaits).toBe(1);
  });

  it('waits at least a minute when GraphQL answers a secondary rate limit with HTTP 200', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({}, clock);
    githubApi()
      .post('/graphql')
      .reply(200, { errors: [{ message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }] })
      .post('/graphql')
      .reply(200, { data: { viewer: { login: 'fleetwave[bot]' } } });
    await client(budget).graphql('query { viewer { login } }');
    expect(clock.sleeps).toEqual([60_000]);
  });

  it('fails a PR observation still rate limited after its waits as a transient error, without splitting the batch', async () => {
    const { forge, budget } = makeForge();
    const scope = githubApi();
    for (let i = 0; i < 4; i++)
      scope.post('/graphql').reply(200, { errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded' }] });
    const repos = Array.from({ length: 100 }, (_, i) => `acme/r${i}`);
    await expect(forge.findPullRequests(repos, 'fleetwave/play-events-v2')).rejects.toMatchObject({
      transient: true,
      message: expect.stringMatching(/^GitHub rate limit: POST \/graphql was still rate limited after 3 waits/),
    });
    expect(budget.stats.requests).toBe(1);
    expect(budget.stats.rateLimitWaits).toBe(3);
  });

  it('waits for x-ratelimit-reset when the primary rate limit is spent', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({}, clock);
    const reset = Math.floor(clock.now() / 1000) + 120;
    githubApi()
      .get('/repos/acme/recs')
      .reply(403, { message: 'API rate limit exceeded' }, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) })
      .get('/repos/acme/recs')
      .reply(200, { full_name: 'acme/recs' });
    const res = await client(budget).request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'recs' });
    expect(res.data.full_name).toBe('acme/recs');
    expect(clock.now()).toBeGreaterThanOrEqual(reset * 1000);
  });

  it('retries transient failures with exponential backoff and full jitter, then gives up', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1), 0.5);
    const budget = new RequestBudget({ maxRetries: 3, baseBackoffMs: 1000, maxBackoffMs: 60_000 }, clock);
    const scope = githubApi();
    for (let i = 0; i < 4; i++) scope.get('/repos/acme/recs').reply(502, { message: 'Bad Gateway' });
    await expect(client(budget).request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'recs' })).rejects.toMatchObject({
      status: 502,
    });
    // random() = 0.5 of a cap that doubles: 1 s, 2 s, 4 s.
    expect(clock.sleeps).toEqual([500, 1000, 2000]);
  });

  it('sends a creating POST once after a 5xx (GitHub may have carried it out); the caller looks it up before any repeat', async () => {
    const budget = new RequestBudget({ maxRetries: 3 }, new FakeClock());
    githubApi().post(commentPath).reply(502, { message: 'Bad Gateway' });
    await expect(client(budget).request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', issue)).rejects.toMatchObject({
      status: 502,
    });
    expect(budget.stats.retries).toBe(0);
  });

  it('still retries a creating POST that GitHub refused with a rate limit (nothing was done)', async () => {
    const clock = new FakeClock();
    const budget = new RequestBudget({}, clock);
    githubApi()
      .post(commentPath)
      .reply(403, { message: 'You have exceeded a secondary rate limit' }, { 'retry-after': '3' })
      .post(commentPath)
      .reply(201, { id: 1 });
    await expect(client(budget).request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', issue)).resolves.toMatchObject({
      status: 201,
    });
    expect(clock.sleeps).toEqual([3000]);
  });

  it('tells which requests are safe to send again after a lost answer', () => {
    expect(isSafeToRepeat({ method: 'GET', url: '/repos/{owner}/{repo}' })).toBe(true);
    expect(isSafeToRepeat({ method: 'PUT', url: '/repos/{owner}/{repo}/pulls/{pull_number}/merge' })).toBe(true);
    expect(isSafeToRepeat({ method: 'PATCH', url: '/repos/{owner}/{repo}/git/refs/{ref}' })).toBe(true);
    expect(isSafeToRepeat({ method: 'POST', url: '/repos/{owner}/{repo}/git/blobs' })).toBe(true);
    expect(isSafeToRepeat({ method: 'POST', url: '/repos/{owner}/{repo}/git/trees' })).toBe(true);
    expect(isSafeToRepeat({ method: 'POST', url: '/repos/{owner}/{repo}/git/commits' })).toBe(true);
    expect(isSafeToRepeat({ method: 'POST', url: '/graphql', query: 'query { viewer { login } }' })).toBe(true);
    expect(isSafeToRepeat({ method: 'POST', url: '/graphql', query: 'mutation { x }' })).toBe(false);
    expect(isSafeToRepeat({ method: 'POST', url: '/repos/{owner}/{repo}/git/refs' })).toBe(false);
    expect(isSafeToRepeat({ method: 'POST', url: '/repos/{owner}/{repo}/pulls' })).toBe(false);
    expect(isSafeToRepeat({ method: 'POST', url: '/repos/{owner}/{repo}/issues' })).toBe(false);
    expect(isSafeToRepeat({ method: 'POST', url: '/repos/{owner}/{repo}/check-runs' })).toBe(false);
  });

  it('does not retry a request GitHub refused for good', async () => {
    const budget = new RequestBudget({}, new FakeClock());
    githubApi().get('/repos/acme/gone').reply(404, { message: 'Not Found' });
    await expect(client(budget).request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'gone' })).rejects.toMatchObject({
      status: 404,
    });
    expect(budget.stats.retries).toBe(0);
  });
});
