/**
 * Which GitHub failures are transient: a network error with a transient code, a 5xx and a rate limit
 * are retried (by the request budget now, by the engine on a later tick); a 4xx or a `TypeError`
 * thrown while making the call is not, and its ForgeError says what it was. Every ForgeError carries
 * the HTTP status (null without an answer) and the repository of the request.
 */
import { describe, expect, it } from '@jest/globals';
import { BudgetedOctokit, forgeError, wrap } from '../../../src/forge/github/client.js';
import { RequestBudget } from '../../../src/forge/github/request-budget.js';
import { ForgeError } from '../../../src/util/errors.js';
import { githubApi } from '../../helpers/openapi.js';
import { FakeClock } from './fake-clock.js';
import { useNock } from './setup.js';

function client(budget: RequestBudget) {
  const quiet = () => undefined;
  return new BudgetedOctokit({
    auth: 'ghs_test',
    requestBudget: budget,
    requestBudgetKey: '1',
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  });
}

/** `GET /repos/acme/{name}` through the budget, its failure as the adapter turns it into a ForgeError. */
async function readRepo(budget: RequestBudget, name: string): Promise<ForgeError> {
  const failed = await wrap(`read acme/${name}`, () =>
    client(budget).request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: name }),
  ).catch((e: unknown) => e);
  expect(failed).toBeInstanceOf(ForgeError);
  return failed as ForgeError;
}

describe('GitHub failures: transient or not, with status and repository', () => {
  useNock();

  it('does not retry a TypeError thrown inside a GitHub call, and says it is no network error', async () => {
    const budget = new RequestBudget({}, new FakeClock());
    let sent = 0;
    const thrown = await budget
      .run('1', { method: 'GET', url: '/repos/{owner}/{repo}' }, async () => {
        sent++;
        throw new TypeError("Cannot read properties of undefined (reading 'sha')");
      })
      .catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(TypeError);
    expect(sent).toBe(1);
    expect(budget.stats.retries).toBe(0);

    githubApi().get('/repos/acme/recs').reply(200, { full_name: 'acme/recs' });
    const err = await wrap('read the head of acme/recs', async () => {
      const res = await client(budget).request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'recs' });
      return (res.data as unknown as { head: { sha: string } }).head.sha;
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ForgeError);
    expect(err).toMatchObject({ transient: false, status: null });
    expect((err as ForgeError).message).toMatch(
      /^GitHub: read the head of acme\/recs failed \(TypeError, not an answer from GitHub: not retried\): Cannot read properties of undefined/,
    );
  });

  it('retries a connection reset, and a reset that lasts is transient with no status', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1), 0.5);
    const budget = new RequestBudget({ maxRetries: 2 }, clock);
    githubApi()
      .get('/repos/acme/recs')
      .replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
      .get('/repos/acme/recs')
      .reply(200, { full_name: 'acme/recs' });
    const res = await client(budget).request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'recs' });
    expect(res.data.full_name).toBe('acme/recs');
    expect(budget.stats.retries).toBe(1);

    const scope = githubApi();
    for (let i = 0; i < 3; i++) scope.get('/repos/acme/recs').replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    const err = await readRepo(budget, 'recs');
    expect(budget.stats.retries).toBe(3);
    expect(err).toMatchObject({ transient: true, status: null, repo: 'acme/recs' });
    expect(err.message).toMatch(/^GitHub: read acme\/recs failed \(network: ECONNRESET\)/);
  });

  it('does not retry a network failure without a transient code (a host that does not exist)', async () => {
    const budget = new RequestBudget({}, new FakeClock());
    githubApi().get('/repos/acme/recs').replyWithError({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND api.github.com' });
    const err = await readRepo(budget, 'recs');
    expect(budget.stats.retries).toBe(0);
    expect(err).toMatchObject({ transient: false, status: null, repo: 'acme/recs' });
  });

  it('retries a 502; one that lasts is transient and carries its status and repository', async () => {
    const budget = new RequestBudget({ maxRetries: 1 }, new FakeClock());
    githubApi().get('/repos/acme/recs').times(2).reply(502, { message: 'Bad Gateway' });
    const err = await readRepo(budget, 'recs');
    expect(budget.stats.retries).toBe(1);
    expect(err).toMatchObject({ transient: true, status: 502, repo: 'acme/recs' });
    expect(err.message).toMatch(/^GitHub: read acme\/recs failed \(HTTP 502\)/);
  });

  it('does not retry a 404, which is not transient and carries its status and repository', async () => {
    const budget = new RequestBudget({}, new FakeClock());
    githubApi().get('/repos/acme/gone').reply(404, { message: 'Not Found' });
    const err = await readRepo(budget, 'gone');
    expect(budget.stats.retries).toBe(0);
    expect(err).toMatchObject({ transient: false, status: 404, repo: 'acme/gone' });
  });

  it('counts a 429 and a secondary rate limit 403 as transient, a plain 403 not', () => {
    expect(forgeError('x', { status: 429, response: { status: 429, headers: {} } })).toMatchObject({ transient: true, status: 429 });
    expect(
      forgeError('x', { status: 403, message: 'You have exceeded a secondary rate limit', response: { status: 403, headers: {} } }),
    ).toMatchObject({ transient: true });
    expect(
      forgeError('x', { status: 403, message: 'Resource not accessible by integration', response: { status: 403, headers: {} } }),
    ).toMatchObject({ transient: false, status: 403 });
    expect(forgeError('x', new Error('boom'), 'acme/recs')).toMatchObject({ transient: false, status: null, repo: 'acme/recs' });
  });
});
