import { describe, expect, it } from '@jest/globals';
import { chooseReviewers } from '../../src/plan/reviewers.js';

const base = { repo: 'acme/recs', override: undefined, codeowners: [], catalogOwner: null, bot: 'fleetwave[bot]' } as const;

describe('chooseReviewers', () => {
  it('asks the CODEOWNERS owners of the change: users and teams of the organisation', () => {
    expect(chooseReviewers({ ...base, codeowners: ['@octocat', '@acme/recs-team', '@other-org/team', 'docs@example.com'] })).toEqual({
      users: ['octocat'],
      teams: ['recs-team'],
      source: 'codeowners',
      skipped: [
        '@other-org/team: a team of another organisation than acme',
        'docs@example.com: an email address cannot be asked for a review through the API',
      ],
    });
  });

  it('falls back to the catalog owner: a group is the team of that name, a user the login', () => {
    expect(chooseReviewers({ ...base, catalogOwner: 'group:default/recs-team' })).toMatchObject({
      teams: ['recs-team'],
      users: [],
      source: 'catalog',
    });
    expect(chooseReviewers({ ...base, catalogOwner: 'user:default/jane' })).toMatchObject({ users: ['jane'], source: 'catalog' });
    expect(chooseReviewers({ ...base, codeowners: ['x@example.com'], catalogOwner: 'group:default/recs-team' })).toMatchObject({
      teams: ['recs-team'],
      source: 'catalog',
      skipped: ['x@example.com: an email address cannot be asked for a review through the API'],
    });
  });

  it('takes rollout.reviewers over both, and none asks nobody; the bot is never asked', () => {
    expect(chooseReviewers({ ...base, override: ['@lead', '@fleetwave[bot]'], codeowners: ['@octocat'] })).toMatchObject({
      users: ['lead'],
      source: 'manifest',
    });
    expect(chooseReviewers({ ...base, override: 'none', codeowners: ['@octocat'] })).toEqual({
      users: [],
      teams: [],
      source: 'none',
      skipped: [],
    });
    expect(chooseReviewers(base)).toEqual({ users: [], teams: [], source: 'none', skipped: [] });
  });
});
