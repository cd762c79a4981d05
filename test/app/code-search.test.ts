/**
 * Code search as the App runs it: scoped to the installation's account (`org:` for an organization,
 * `user:` for a personal account), so other accounts' code does not fill GitHub's 1,000-result cap;
 * and an answer GitHub marks `incomplete_results: true` is reported, not taken as the whole fleet.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { EventScope } from '../../src/app/fleetwave-app.js';
import type { GitHubClient } from '../../src/forge/github/client.js';
import { createGitHubClient } from '../../src/forge/github/client.js';
import { searchCodeResult } from '../../src/forge/github/repositories.js';
import { silentLogger } from '../../src/util/log.js';
import { FakeClock } from '../forge/github/fake-clock.js';
import { useNock } from '../forge/github/setup.js';
import { githubApi } from '../helpers/openapi.js';
import { INSTALLATION } from './fixtures.js';
import { authInterceptors, startApp, type TestApp } from './setup.js';

const hit = (full: string) => ({ name: 'read.ts', path: 'src/read.ts', repository: { full_name: full } });

describe('code search', () => {
  useNock();
  let app: TestApp;
  beforeEach(async () => {
    app = await startApp();
  });
  afterEach(() => app.dispose());

  async function scopeOf(account: string, accountType: string): Promise<EventScope> {
    const octokit = (await app.probot.auth(INSTALLATION)) as unknown as GitHubClient;
    return { octokit, installationId: INSTALLATION, account, accountType, log: silentLogger, reason: 'test' };
  }

  it("is scoped to an organization installation's account with org:", async () => {
    authInterceptors()
      .get('/search/code')
      .query({ q: '"data/play-events/v1" org:acme', per_page: '100', page: '1' })
      .reply(200, { total_count: 1, incomplete_results: false, items: [hit('acme/recs')] });
    const forge = await app.fw.forge(await scopeOf('acme', 'Organization'));
    expect(await forge.searchCode('data/play-events/v1')).toEqual(['acme/recs']);
  });

  it("is scoped to a personal account's installation with user:", async () => {
    authInterceptors()
      .get('/search/code')
      .query({ q: '"data/play-events/v1" user:mona', per_page: '100', page: '1' })
      .reply(200, { total_count: 0, incomplete_results: false, items: [] });
    const forge = await app.fw.forge(await scopeOf('mona', 'User'));
    expect(await forge.searchCode('data/play-events/v1')).toEqual([]);
  });
});

describe('code search answers', () => {
  useNock();

  it('reports an answer GitHub marks incomplete (the search timed out) instead of taking it as the whole fleet', async () => {
    const { client } = createGitHubClient({ token: 'ghs_x', clock: new FakeClock() });
    githubApi()
      .get('/search/code')
      .query(true)
      .reply(200, { total_count: 2, incomplete_results: true, items: [hit('acme/b'), hit('acme/a')] });
    const told: [string, number][] = [];
    const result = await searchCodeResult(client, 'data/play-events/v1', 'org:acme', (q, page) => told.push([q, page]));
    expect(result).toEqual({ repos: ['acme/a', 'acme/b'], incomplete: true });
    expect(told).toEqual([['"data/play-events/v1" org:acme', 1]]);
  });
});
