/**
 * What GitHub's GraphQL API really answers about commits and checks, held against its published
 * schema (`@octokit/graphql-schema`, GitHub's introspection of api.github.com), and how the adapter
 * reads it (docs/github-behaviour.md, first section).
 */
import { describe, expect, it } from '@jest/globals';
import { schema, validate } from '@octokit/graphql-schema';
import { fromGraphql, isBotCommit, isBotRestCommit, type GqlPullRequest } from '../../../src/forge/github/pull-requests.js';
import { githubApi } from '../../helpers/openapi.js';
import { BOT, makeForge, sha, useNock } from './setup.js';

interface IntrospectedField {
  name: string;
  isDeprecated: boolean;
  deprecationReason: string | null;
  type: { kind: string; name: string | null; ofType: { kind: string; name: string | null } | null };
}
interface IntrospectedType {
  name: string;
  kind: string;
  fields: IntrospectedField[] | null;
  interfaces: { name: string }[] | null;
}
const types = (schema.json as unknown as { __schema: { types: IntrospectedType[] } }).__schema.types;
const typeNamed = (name: string) => types.find((t) => t.name === name)!;
const field = (type: string, name: string) => typeNamed(type).fields!.find((f) => f.name === name)!;

const botAuthor = { name: 'fleetwave[bot]', email: '4242+fleetwave[bot]@users.noreply.github.com', user: null };

function pull(extra: Partial<GqlPullRequest> = {}): GqlPullRequest {
  return {
    number: 3,
    url: 'https://github.com/acme/recs/pull/3',
    state: 'OPEN',
    title: 't',
    body: 'b',
    headRefName: 'fleetwave/play-events-v2',
    baseRefName: 'main',
    headRefOid: sha('h'),
    createdAt: '2026-01-01T00:00:00Z',
    mergedAt: null,
    closedAt: null,
    mergeCommit: null,
    mergedBy: null,
    timelineItems: { nodes: [] },
    reviews: { nodes: [] },
    commits: { nodes: [{ commit: { oid: sha('h'), committedDate: '2026-01-01T00:10:00Z', statusCheckRollup: null } }] },
    ...extra,
  };
}

describe("GitHub's GraphQL schema: commits, bots and checks", () => {
  useNock();

  it("says a commit's GitActor.user is a User, which a GitHub App's bot is not, and serves no push time", () => {
    expect(field('GitActor', 'user').type).toMatchObject({ kind: 'OBJECT', name: 'User' });
    expect(typeNamed('Bot').interfaces!.map((i) => i.name)).toContain('Actor');
    expect(typeNamed('User').interfaces!.map((i) => i.name)).toContain('Actor');
    expect(field('Commit', 'pushedDate')).toMatchObject({
      isDeprecated: true,
      deprecationReason: expect.stringMatching(/no longer supported/),
    });
    expect(field('Commit', 'committedDate').type).toMatchObject({ kind: 'NON_NULL', ofType: { name: 'DateTime' } });
    // Nullable: a commit with no check suite or status yet has none.
    expect(field('Commit', 'statusCheckRollup').type).toMatchObject({ kind: 'OBJECT', name: 'StatusCheckRollup' });
  });

  it('sends a PR query that validates against the schema', async () => {
    const { forge } = makeForge();
    let sent = '';
    githubApi()
      .post('/graphql')
      .reply(200, (_uri, body) => {
        sent = (body as { query: string }).query;
        return { data: { r0: null } };
      });
    await forge.findPullRequests(['acme/recs'], 'fleetwave/play-events-v2');
    expect(sent).toContain('committedDate');
    expect(validate(sent)).toEqual([]);
  });

  it("tells the App's commits by the bot's noreply email and name and GitHub's own signature, since GraphQL gives them no user", () => {
    const signed = { isValid: true, wasSignedByGitHub: true };
    expect(isBotCommit(botAuthor, signed, BOT.login)).toBe(true);
    // The bot's noreply email and name written into someone else's commit: GitHub did not sign it.
    expect(isBotCommit(botAuthor, null, BOT.login)).toBe(false);
    expect(isBotCommit(botAuthor, { isValid: true, wasSignedByGitHub: false }, BOT.login)).toBe(false);
    expect(isBotCommit(botAuthor, { isValid: false, wasSignedByGitHub: true }, BOT.login)).toBe(false);
    // Another App's bot, a person who only borrowed the bot's name, a person's own commit: not ours.
    expect(isBotCommit({ ...botAuthor, name: 'other[bot]', email: '7+other[bot]@users.noreply.github.com' }, signed, BOT.login)).toBe(
      false,
    );
    expect(isBotCommit({ name: 'fleetwave[bot]', email: 'mona@example.com', user: null }, signed, BOT.login)).toBe(false);
    expect(isBotCommit({ name: 'Mona', email: 'mona@example.com', user: { login: 'mona' } }, signed, BOT.login)).toBe(false);
    expect(isBotCommit(null, signed, BOT.login)).toBe(false);
    // A token of a user (not an App): its commits carry the user (GitHub signs none of them), compared by login.
    expect(isBotCommit({ name: 'Robot', email: 'r@example.com', user: { login: 'robot' } }, null, 'robot')).toBe(true);
    expect(isBotCommit({ name: 'x', email: 'x', user: { login: 'fleetwave' } }, signed, 'fleetwave[bot]')).toBe(true);
  });

  it('tells the App’s commits in a REST listing by login and GitHub’s verified signature', () => {
    const commit = (login: string, verified: boolean | null) => ({
      author: { login },
      commit: { verification: verified === null ? null : { verified } },
    });
    expect(isBotRestCommit(commit('fleetwave[bot]', true), BOT.login)).toBe(true);
    // A person who set the bot's noreply address as their author email: GitHub links it to the bot, unsigned.
    expect(isBotRestCommit(commit('fleetwave[bot]', false), BOT.login)).toBe(false);
    expect(isBotRestCommit(commit('fleetwave[bot]', null), BOT.login)).toBe(false);
    expect(isBotRestCommit(commit('mona', true), BOT.login)).toBe(false);
    expect(isBotRestCommit(commit('robot', false), 'robot')).toBe(true);
  });

  it('reads a head without any check as none, with the grace counted from the head commit when it is newer', () => {
    const info = fromGraphql('acme/recs', pull());
    expect(info.checks).toEqual({ state: 'none', runs: [] });
    expect(info.headSince).toBe('2026-01-01T00:10:00Z');
    expect(fromGraphql('acme/recs', pull({ createdAt: '2026-01-02T00:00:00Z' })).headSince).toBeUndefined();
  });

  it("reads checks of a commit that is not the PR's head as pending, never as the head's", () => {
    const green = { state: 'SUCCESS', contexts: { nodes: [] } };
    const stale = pull({ commits: { nodes: [{ commit: { oid: sha('o'), statusCheckRollup: green } }] } });
    expect(fromGraphql('acme/recs', stale).checks.state).toBe('pending');
    const current = pull({ commits: { nodes: [{ commit: { oid: sha('h'), statusCheckRollup: green } }] } });
    expect(fromGraphql('acme/recs', current).checks.state).toBe('success');
  });
});
