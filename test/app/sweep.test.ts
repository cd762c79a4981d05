/**
 * The periodic reconcile goes on past an installation it cannot use: one GitHub lists as suspended
 * (`suspended_at`) is skipped without a request, and one whose installation token GitHub refuses
 * (403 "This installation has been suspended") is skipped with a log line; the others are reconciled.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { useNock } from '../forge/github/setup.js';
import { githubRequests } from '../helpers/openapi.js';
import { MANIFEST } from './fixtures.js';
import { authInterceptors, startApp, type TestApp } from './setup.js';

describe('App: the periodic reconcile and suspended installations', () => {
  useNock();
  let app: TestApp;
  beforeEach(async () => {
    app = await startApp();
  });
  afterEach(() => app.dispose());

  it('skips a suspended installation, and one whose token is refused, and reconciles the rest', async () => {
    const scope = authInterceptors();
    scope
      .get('/app/installations')
      .query({ per_page: '100', page: '1' })
      .reply(200, [
        { id: 1111, account: { login: 'paused-org', type: 'Organization' }, suspended_at: '2026-01-01T00:00:00Z' },
        { id: 4243, account: { login: 'refused-org', type: 'Organization' }, suspended_at: null },
        { id: 4242, account: { login: 'acme', type: 'Organization' }, suspended_at: null },
      ])
      .post('/app/installations/4243/access_tokens')
      .reply(403, { message: 'This installation has been suspended' })
      .get('/installation/repositories')
      .query(true)
      .reply(200, { total_count: 1, repositories: [{ full_name: 'acme/data-platform' }] })
      .post('/graphql')
      .reply(200, { data: { r0: { f0: { entries: [{ name: 'play-events-v2.yaml', type: 'blob' }] }, f1: null } } })
      .post('/graphql')
      .reply(200, { data: { r0: { m0: { text: MANIFEST } } } })
      .get('/repos/acme/data-platform/issues')
      .query(true)
      .reply(200, [])
      .post('/repos/acme/data-platform/issues')
      .reply(201, { number: 5 });
    const result = await app.fw.sweep(app.probot.log as never);
    expect(result).toEqual({ reconciled: 1, failed: 0, skipped: 2 });
    expect(app.calls.map((c) => c.options.fleet)).toEqual(['github:acme']);
    expect(githubRequests().some((r) => r.path.includes('/app/installations/1111/'))).toBe(false);
  });
});
