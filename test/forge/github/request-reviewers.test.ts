/**
 * Asking for reviews on GitHub: `POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers`
 * with `reviewers` (logins) and `team_reviewers` (team slugs), both checked against GitHub's OpenAPI
 * description by githubApi(); a 422 (someone who is not a collaborator, or the PR's author) fails the
 * request for good, not as a transient error. The endpoint notifies the reviewers and counts as content
 * creation for GitHub's secondary rate limits (its description says so), so it goes through the budget.
 */
import { describe, expect, it } from '@jest/globals';
import { githubApi } from '../../helpers/openapi.js';
import { makeForge, restPull, useNock } from './setup.js';

describe('GitHub forge: requesting reviewers', () => {
  useNock();

  it('posts the users and the teams in one request', async () => {
    const { forge } = makeForge();
    const bodies: unknown[] = [];
    githubApi()
      .post('/repos/acme/recs/pulls/3/requested_reviewers')
      .reply(201, (_uri, body) => (bodies.push(body), restPull(3)));
    await forge.requestReviewers('acme/recs', 3, { users: ['octocat'], teams: ['recs-team'] });
    expect(bodies).toEqual([{ reviewers: ['octocat'], team_reviewers: ['recs-team'] }]);
  });

  it('a 422 is an error for good, naming the pull request', async () => {
    const { forge } = makeForge();
    githubApi()
      .post('/repos/acme/recs/pulls/4/requested_reviewers')
      // GitHub documents this 422 ("Unprocessable Entity if user is not a collaborator") without a body.
      .reply(422);
    const err = await forge.requestReviewers('acme/recs', 4, { users: ['stranger'], teams: [] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ transient: false, status: 422 });
    expect(String((err as Error).message)).toMatch(/request reviews on acme\/recs#4/);
  });
});
