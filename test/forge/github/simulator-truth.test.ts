/**
 * The GitHub double answers from GitHub's published descriptions, not from our code's expectations
 * (test/forge/github/simulator.ts): GraphQL executed against GitHub's schema with resolvers over its
 * state, REST answers built on GitHub's documented examples and held to its OpenAPI description.
 * These tests talk to the double with the forge's own client, as the adapter does.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createGitHubClient } from '../../../src/forge/github/client.js';
import { checkGitHubResponse, openapiViolations, resetGitHubRequests } from '../../helpers/openapi.js';
import { FakeClock } from './fake-clock.js';
import { BOT } from './setup.js';
import { GitHubSimulator } from './simulator.js';
import { upsertTrackingIssue } from '../../../src/app/tracking-issue.js';
import { parseManifest } from '../../../src/manifest/load.js';
import { MANIFEST } from '../../app/fixtures.js';
import { summaryOf } from '../../app/setup.js';

describe('the GitHub double', () => {
  let sim: GitHubSimulator;

  beforeEach(() => {
    nock.disableNetConnect();
    resetGitHubRequests();
    sim = new GitHubSimulator(BOT.login);
    // The state of a repository as `addRepo` makes it, without its bare git repository (no git here: the unit tier).
    const head = 'a'.repeat(40);
    const files = {
      'src/read.ts': 'x\n',
      'migrations/001.sql': 'create table t();\n',
      'migrations/old/000.sql': '-- old\n',
      '.fleetwave/opt-out': '',
    };
    sim.repos.set('acme/c1', {
      full: 'acme/c1',
      defaultBranch: 'main',
      refs: new Map([['main', head]]),
      commits: new Map([
        [
          head,
          { sha: head, parents: [], message: 'initial', author: { name: 'Dev', email: 'dev@example.com', login: 'dev' }, restLogin: 'dev' },
        ],
      ]),
      pulls: [],
      checks: 'SUCCESS',
      ciStarted: new Set(),
      files: new Map(Object.entries(files)),
      issues: [],
      requireReview: false,
      autoMergeAllowed: false,
    });
    sim.install();
  });

  afterEach(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    sim.schemaFailures.length = 0;
    await sim.dispose();
    expect(openapiViolations()).toEqual([]);
  });

  const client = () => createGitHubClient({ token: 'ghs_test', clock: new FakeClock() }).client;

  it('answers any document over its state: aliases with their own arguments, files, folders and their entries', async () => {
    const data = await client().graphql<Record<string, unknown>>(
      `query Q($o: String!, $n: String!) {
        a: repository(owner: $o, name: $n) {
          optOut: object(expression: "HEAD:.fleetwave/opt-out") { __typename }
          folder: object(expression: "HEAD:migrations") { ... on Tree { entries { name type mode } } }
          file: object(expression: "HEAD:migrations/001.sql") { ... on Blob { text } }
          none: object(expression: "HEAD:nothing/here") { __typename }
        }
        b: repository(owner: $o, name: $n) { nameWithOwner defaultBranchRef { name } }
      }`,
      { o: 'acme', n: 'c1' },
    );
    expect(data).toEqual({
      a: {
        optOut: { __typename: 'Blob' },
        folder: {
          entries: [
            { name: '001.sql', type: 'blob', mode: 0o100644 },
            { name: 'old', type: 'tree', mode: 0o40000 },
          ],
        },
        file: { text: 'create table t();\n' },
        none: null,
      },
      b: { nameWithOwner: 'acme/c1', defaultBranchRef: { name: 'main' } },
    });
    expect(sim.schemaFailures).toEqual([]);
  });

  it('answers a repository it lacks as GitHub does: null and NOT_FOUND at its path', async () => {
    await expect(client().graphql('query { r0: repository(owner: "acme", name: "gone") { id } }')).rejects.toMatchObject({
      data: { r0: null },
      errors: [{ type: 'NOT_FOUND', path: ['r0'], message: "Could not resolve to a Repository with the name 'acme/gone'." }],
    });
  });

  it('fails the test on a field it does not implement, naming it, instead of inventing an answer', async () => {
    await expect(client().graphql('query { repository(owner: "acme", name: "c1") { stargazerCount } }')).rejects.toThrow(
      /the GitHub double does not implement Repository\.stargazerCount/,
    );
    expect(sim.schemaFailures).toEqual([expect.stringMatching(/does not implement Repository\.stargazerCount/)]);
    await expect(sim.dispose()).rejects.toThrow(/GitHub double: GraphQL against GitHub's schema/);
  });

  it('refuses a non-null field without its permission by nulling the nearest nullable parent, as GitHub does', async () => {
    sim.permissions.delete('pull_requests');
    await expect(
      client().graphql(
        'query Q($b: String!) { r0: repository(owner: "acme", name: "c1") { autoMergeAllowed pullRequests(headRefName: $b, first: 1) { nodes { number } } } }',
        { b: 'fleetwave/x' },
      ),
    ).rejects.toMatchObject({
      data: { r0: null },
      errors: [{ type: 'FORBIDDEN', path: ['r0', 'pullRequests'], message: 'Resource not accessible by integration' }],
    });
    expect(sim.refused).toEqual(['POST /graphql (query repository): needs pull_requests: read']);
  });

  it('answers REST with GitHub’s whole documented shape, its own state laid over', async () => {
    const c = client();
    const tree = await c.request('POST /repos/{owner}/{repo}/git/trees', {
      owner: 'acme',
      repo: 'c1',
      tree: [{ path: 'a.txt', mode: '100644', type: 'blob', content: 'a' }],
    });
    const commit = await c.request('POST /repos/{owner}/{repo}/git/commits', {
      owner: 'acme',
      repo: 'c1',
      message: 'm',
      tree: tree.data.sha,
      parents: [sim.repos.get('acme/c1')!.refs.get('main')!],
    });
    // Fields the double keeps no state for come from GitHub's example: the answer is one GitHub could give.
    expect(commit.data).toMatchObject({
      message: 'm',
      tree: { sha: tree.data.sha },
      verification: expect.any(Object),
      node_id: expect.any(String),
    });
    expect(commit.data.author).toMatchObject({ name: BOT.login, email: `99+${BOT.login}@users.noreply.github.com` });
    expect(checkGitHubResponse('POST', '/repos/acme/c1/git/commits', 201, commit.data)).toEqual([]);
    const repo = await c.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'c1' });
    expect(repo.data).toMatchObject({ full_name: 'acme/c1', default_branch: 'main', language: null, owner: { login: 'acme' } });
    await expect(c.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'gone' })).rejects.toMatchObject({
      status: 404,
      response: { data: { message: 'Not Found', documentation_url: expect.stringMatching(/^https:\/\/docs\.github\.com\//) } },
    });
  });

  it('refuses an issue body over 65,536 characters as GitHub does, and takes the tracking issue of 3,000 targets', async () => {
    const c = client();
    await expect(
      c.request('POST /repos/{owner}/{repo}/issues', { owner: 'acme', repo: 'c1', title: 't', body: 'x'.repeat(65_537) }),
    ).rejects.toMatchObject({
      status: 422,
      response: { data: { errors: [{ field: 'body', message: 'body is too long (maximum is 65536 characters)' }] } },
    });
    const loaded = parseManifest(MANIFEST, '.fleetwave/migrations/play-events-v2.yaml');
    const targets = Array.from({ length: 3000 }, (_, i) => ({
      repo: `acme/consumer-${i}`,
      wave: 1,
      state: 'open' as const,
      pr: `https://github.com/acme/consumer-${i}/pull/${i + 1}`,
      prNumber: i + 1,
      reason: 'waiting for checks',
      needsHuman: false,
      checks: 'pending',
      findings: [],
    }));
    const number = await upsertTrackingIssue(c, 'acme/c1', '.fleetwave/migrations/play-events-v2.yaml', summaryOf(loaded, { targets }));
    expect(sim.repos.get('acme/c1')!.issues.find((i) => i.number === number)!.body).toContain('more targets are not shown here');
  });
});
