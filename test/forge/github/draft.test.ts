/**
 * An agent's change is opened as a draft on GitHub: REST "Create a pull request" takes `draft: true`
 * ("Indicates whether the pull request is a draft", https://docs.github.com/en/rest/pulls/pulls#create-a-pull-request)
 * and answers with the PR's `draft`. The request is checked against GitHub's OpenAPI description by
 * the test helper (test/helpers/openapi.ts).
 */
import { describe, expect, it } from '@jest/globals';
import { githubApi, githubRequests } from '../../helpers/openapi.js';
import { makeForge, restPull, useNock } from './setup.js';

const branch = 'fleetwave/play-events-v2';

describe('GitHub forge: a draft pull request', () => {
  useNock();

  it('asks for a draft when told to, and reads it back', async () => {
    const { forge } = makeForge();
    let sent: Record<string, unknown> | undefined;
    githubApi()
      .post('/repos/acme/recs/pulls', (b: Record<string, unknown>) => ((sent = b), true))
      .reply(201, restPull(4, { draft: true }));
    const pr = await forge.openPullRequest({ repo: 'acme/recs', branch, base: 'main', title: 't', body: 'b', draft: true });
    expect(sent).toEqual(expect.objectContaining({ draft: true, head: branch, base: 'main' }));
    expect(pr.draft).toBe(true);
    expect(githubRequests()).toHaveLength(1);
  });

  it('sends no draft field for a rules’ change', async () => {
    const { forge } = makeForge();
    let sent: Record<string, unknown> | undefined;
    githubApi()
      .post('/repos/acme/recs/pulls', (b: Record<string, unknown>) => ((sent = b), true))
      .reply(201, restPull(5));
    const pr = await forge.openPullRequest({ repo: 'acme/recs', branch, base: 'main', title: 't', body: 'b' });
    expect(sent && 'draft' in sent).toBe(false);
    expect(pr.draft).toBeUndefined();
  });
});
