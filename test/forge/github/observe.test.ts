import { describe, expect, it } from '@jest/globals';
import { githubApi, githubRequests } from '../../helpers/openapi.js';
import { makeForge, restPull, sha, useNock } from './setup.js';

const branch = 'fleetwave/play-events-v2';

function gqlPr(n: number, state: 'OPEN' | 'CLOSED' | 'MERGED', extra: Record<string, unknown> = {}) {
  return {
    number: n,
    url: `https://github.com/acme/r${n}/pull/${n}`,
    state,
    title: 'Migrate',
    body: '<!-- fleetwave:{"migration":"play-events-v2","manifestHash":"abc"} -->',
    headRefName: branch,
    baseRefName: 'main',
    headRefOid: sha('h'),
    createdAt: '2026-01-01T00:00:00Z',
    mergedAt: state === 'MERGED' ? '2026-01-02T00:00:00Z' : null,
    closedAt: state === 'OPEN' ? null : '2026-01-02T00:00:00Z',
    mergeCommit: state === 'MERGED' ? { oid: sha('m') } : null,
    // GraphQL names an App's bot by its slug, without REST's `[bot]`.
    mergedBy: state === 'MERGED' ? { login: 'fleetwave' } : null,
    timelineItems: { nodes: state === 'CLOSED' ? [{ actor: { login: 'mona' } }] : [] },
    reviews: { nodes: [{ author: { login: 'mona' }, state: 'APPROVED', submittedAt: '2026-01-01T01:00:00Z', commit: { oid: sha('h') } }] },
    commits: {
      nodes: [
        {
          commit: {
            oid: sha('h'),
            statusCheckRollup: {
              state: 'FAILURE',
              contexts: {
                nodes: [
                  {
                    __typename: 'CheckRun',
                    name: 'test',
                    status: 'COMPLETED',
                    conclusion: 'FAILURE',
                    title: '2 tests failed',
                    detailsUrl: 'https://ci/1',
                  },
                  { __typename: 'CheckRun', name: 'lint', status: 'IN_PROGRESS', conclusion: null, title: null, detailsUrl: null },
                  { __typename: 'StatusContext', context: 'ci/legacy', state: 'SUCCESS', description: 'ok', targetUrl: 'https://ci/2' },
                ],
              },
            },
          },
        },
      ],
    },
    ...extra,
  };
}

describe('GitHub forge: observing pull requests, checks and repositories', () => {
  useNock();

  it('shows a reverted PR as reverted to every later observation, after a restart too: the revert is written on the PR', async () => {
    const observeMerged = (body?: string) =>
      githubApi()
        .post('/graphql')
        .reply(200, { data: { r0: { pullRequests: { nodes: [gqlPr(2, 'MERGED', body ? { body } : {})] } } } });
    const before = makeForge().forge;
    observeMerged();
    expect((await before.findPullRequests(['acme/r2'], branch)).get('acme/r2')).not.toHaveProperty('revertSha');
    let written = '';
    githubApi()
      .get('/repos/acme/r2/pulls/2')
      .reply(200, restPull(2, { state: 'closed', merged: true, merged_at: '2026-01-02T00:00:00Z', merge_commit_sha: sha('m'), commits: 1 }))
      .get('/repos/acme/r2/pulls')
      .query({ head: 'acme:fleetwave-revert/pr-2', state: 'all', per_page: '1' })
      .reply(200, [
        restPull(9, {
          head: { ref: 'fleetwave-revert/pr-2', sha: sha('r') },
          state: 'closed',
          merged: true,
          merged_at: '2026-01-03T00:00:00Z',
          merge_commit_sha: sha('v'),
        }),
      ])
      .patch('/repos/acme/r2/pulls/2', (b: { body: string }) => ((written = b.body), true))
      .reply(200, restPull(2));
    expect(await before.revertPullRequest('acme/r2', 2, 'post-merge checks failed')).toMatchObject({ sha: sha('v') });
    // GitHub's PR of the merged change says nothing of the revert PR: a new process (a restart, the
    // next scheduled Action run) reads the revert from the body Fleetwave wrote, and decide asks for no other.
    const after = makeForge().forge;
    observeMerged(written);
    expect((await after.findPullRequests(['acme/r2'], branch)).get('acme/r2')).toMatchObject({
      state: 'merged',
      revertSha: sha('v'),
      revertedAt: '2026-01-03T00:00:00Z',
    });
  });

  it('observes the PRs of 120 repositories in 3 GraphQL requests with prBatch: 50', async () => {
    const { forge } = makeForge({ prBatch: 50 });
    const repos = Array.from({ length: 120 }, (_, i) => `acme/r${i}`);
    const seen: { owners: string[]; branch: string }[] = [];
    githubApi()
      .post('/graphql')
      .times(3)
      .reply(200, (_uri, body) => {
        const { query, variables } = body as { query: string; variables: Record<string, string> };
        const aliases = [...query.matchAll(/(r\d+): repository\(owner: \$o\d+, name: \$n(\d+)\)/g)];
        seen.push({ owners: aliases.map((a) => variables[`n${a[2]}`]!), branch: variables.branch! });
        const data: Record<string, unknown> = {};
        for (const [, alias, i] of aliases) {
          const n = Number(variables[`n${i}`]!.slice(1));
          data[alias!] = n === 7 ? null : { pullRequests: { nodes: n % 3 === 0 ? [] : [gqlPr(n, n % 3 === 1 ? 'OPEN' : 'MERGED')] } };
        }
        const errors = aliases.some((a) => variables[`n${a[2]}`] === 'r7')
          ? [{ type: 'NOT_FOUND', path: ['r7'], message: 'Could not resolve to a Repository' }]
          : undefined;
        return errors ? { data, errors } : { data };
      });
    const prs = await forge.findPullRequests(repos, branch);
    expect(githubRequests()).toHaveLength(3);
    expect(seen.map((s) => s.owners.length)).toEqual([50, 50, 20]);
    expect(seen.every((s) => s.branch === branch)).toBe(true);
    expect(prs.has('acme/r7')).toBe(false);
    expect(prs.has('acme/r3')).toBe(false);
    // 40 repositories (r0, r3, …) have no PR; r7 does not exist.
    expect(prs.size).toBe(79);
    const open = prs.get('acme/r1')!;
    expect(open).toMatchObject({ number: 1, state: 'open', branch, baseBranch: 'main', headSha: sha('h') });
    expect(open.checks.state).toBe('failure');
    expect(open.checks.runs).toEqual([
      { name: 'test', state: 'failure', summary: '2 tests failed', url: 'https://ci/1' },
      { name: 'lint', state: 'pending' },
      { name: 'ci/legacy', state: 'success', summary: 'ok', url: 'https://ci/2' },
    ]);
    expect(open.reviews).toEqual([{ author: 'mona', state: 'APPROVED', submittedAt: '2026-01-01T01:00:00Z', commitSha: sha('h') }]);
    expect(prs.get('acme/r2')).toMatchObject({ state: 'merged', mergeSha: sha('m'), closedBy: 'fleetwave' });
  });

  it('observes 120 repositories in 2 requests by default (100 per request), asking for auto-merge facts in the same query', async () => {
    const { forge } = makeForge();
    const sizes: number[] = [];
    const queries: string[] = [];
    githubApi()
      .post('/graphql')
      .times(2)
      .reply(200, (_uri, body) => {
        const { query } = body as { query: string };
        queries.push(query);
        const aliases = [...query.matchAll(/(r\d+): repository\(/g)].map((m) => m[1]!);
        sizes.push(aliases.length);
        return { data: Object.fromEntries(aliases.map((a) => [a, { autoMergeAllowed: true, pullRequests: { nodes: [] } }])) };
      });
    const prs = await forge.findPullRequests(
      Array.from({ length: 120 }, (_, i) => `acme/r${i}`),
      branch,
    );
    expect(prs.size).toBe(0);
    expect(sizes).toEqual([100, 20]);
    for (const q of queries) {
      expect(q).toMatch(/^query FleetwavePullRequests\(/);
      expect(q).toContain('autoMergeAllowed pullRequests(headRefName: $branch, first: 1');
      expect(q).toMatch(/fragment FleetwavePr on PullRequest \{\s+id number/);
      expect(q).toContain('autoMergeRequest { enabledAt }');
    }
  });

  it('splits a batch that GitHub timed out into two halves', async () => {
    const { forge } = makeForge();
    const sizes: number[] = [];
    githubApi()
      .post('/graphql')
      .reply(200, (_uri, body) => {
        sizes.push([...(body as { query: string }).query.matchAll(/(r\d+): repository\(/g)].length);
        return {
          data: null,
          errors: [
            {
              message: 'Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug.',
            },
          ],
        };
      })
      .post('/graphql')
      .times(2)
      .reply(200, (_uri, body) => {
        const aliases = [...(body as { query: string }).query.matchAll(/(r\d+): repository\(/g)].map((m) => m[1]!);
        sizes.push(aliases.length);
        return {
          data: Object.fromEntries(aliases.map((a) => [a, { autoMergeAllowed: false, pullRequests: { nodes: [gqlPr(1, 'OPEN')] } }])),
        };
      });
    const repos = Array.from({ length: 100 }, (_, i) => `acme/r${i}`);
    const prs = await forge.findPullRequests(repos, branch);
    expect(sizes).toEqual([100, 50, 50]);
    expect([...prs.keys()]).toEqual(repos);
  });

  it('answers getBranch from the PR observation for open PRs whose head ref is the PR head, without another request', async () => {
    const { forge } = makeForge();
    // A commit the App made: GraphQL's GitActor.user is a User, the App's bot a Bot, so `user` is
    // null; the bot is told by its noreply email and name (@octokit/graphql-schema: GitActor).
    const botAuthor = { name: 'fleetwave[bot]', email: '4242+fleetwave[bot]@users.noreply.github.com', user: null };
    const branchCommits = {
      totalCount: 2,
      nodes: [
        // GitHub signs the commits an App makes through the API; a person's pushed commit carries no signature of GitHub's.
        { commit: { oid: sha('o'), message: 'Migrate', author: botAuthor, signature: { isValid: true, wasSignedByGitHub: true } } },
        {
          commit: {
            oid: sha('h'),
            message: 'fix',
            author: { name: 'Mona', email: 'mona@example.com', user: { login: 'mona' } },
            signature: null,
          },
        },
      ],
    };
    githubApi()
      .post('/graphql')
      .reply(200, {
        data: {
          r0: { pullRequests: { nodes: [gqlPr(1, 'OPEN', { headRef: { target: { oid: sha('h') } }, branchCommits })] } },
          // The head ref moved past the PR's head since GitHub indexed it: not trusted, asked again.
          r1: { pullRequests: { nodes: [gqlPr(2, 'OPEN', { headRef: { target: { oid: sha('z') } }, branchCommits })] } },
        },
      })
      .post('/graphql')
      .reply(200, {
        data: {
          r0: { nameWithOwner: 'acme/r2', isArchived: false, defaultBranchRef: { name: 'main', target: { oid: sha('a') } }, optOut: null },
        },
      })
      .get(`/repos/acme/r2/compare/main...${encodeURIComponent(branch)}`)
      .query(true)
      .reply(200, { status: 'ahead', total_commits: 0, merge_base_commit: { sha: sha('z') }, commits: [] });
    await forge.findPullRequests(['acme/r1', 'acme/r2'], branch);
    const b1 = await forge.getBranch('acme/r1', branch);
    expect(b1).toMatchObject({ name: branch, sha: sha('h') });
    expect(b1!.commits.map((c) => [c.sha, c.byBot])).toEqual([
      [sha('o'), true],
      [sha('h'), false],
    ]);
    expect(githubRequests()).toHaveLength(1);
    expect((await forge.getBranch('acme/r2', branch))!.sha).toBe(sha('z'));
    expect(githubRequests()).toHaveLength(3);
  });

  it('maps a PR closed without merging, with who closed it', async () => {
    const { forge } = makeForge();
    githubApi()
      .post('/graphql')
      .reply(200, { data: { r0: { pullRequests: { nodes: [gqlPr(4, 'CLOSED')] } } } });
    const prs = await forge.findPullRequests(['acme/r4'], branch);
    expect(prs.get('acme/r4')).toMatchObject({ state: 'closed', closedBy: 'mona' });
    expect(prs.get('acme/r4')!.mergeSha).toBeUndefined();
  });

  it("looks past a newer pull request from a fork's branch of the same name, asking again only those repositories", async () => {
    const { forge } = makeForge();
    const queries: { operation: string; repos: string[] }[] = [];
    const answer = (_uri: string, body: unknown) => {
      const { query, variables } = body as { query: string; variables: Record<string, string> };
      const aliases = [...query.matchAll(/(r\d+): repository\(owner: \$o\d+, name: \$n(\d+)\)/g)];
      queries.push({ operation: /^query (\w+)/.exec(query)![1]!, repos: aliases.map((a) => variables[`n${a[2]}`]!) });
      const first = Number(/pullRequests\(headRefName: \$branch, first: (\d+)/.exec(query)![1]);
      const data: Record<string, unknown> = {};
      for (const [, alias, i] of aliases) {
        const name = variables[`n${i}`]!;
        // r1: a fork's PR #9 from a branch of the same name, newer than the bot's #2.
        const prs =
          name === 'r1'
            ? [gqlPr(9, 'OPEN', { isCrossRepository: true }), gqlPr(2, 'OPEN', { isCrossRepository: false })]
            : [gqlPr(1, 'OPEN')];
        data[alias!] = { autoMergeAllowed: false, pullRequests: { nodes: prs.slice(0, first) } };
      }
      return { data };
    };
    githubApi().post('/graphql').reply(200, answer).post('/graphql').reply(200, answer);
    const prs = await forge.findPullRequests(['acme/r0', 'acme/r1', 'acme/r2'], branch);
    expect(queries).toEqual([
      { operation: 'FleetwavePullRequests', repos: ['r0', 'r1', 'r2'] },
      { operation: 'FleetwavePullRequestsPastForks', repos: ['r1'] },
    ]);
    expect([...prs].map(([repo, pr]) => [repo, pr.number])).toEqual([
      ['acme/r0', 1],
      ['acme/r1', 2],
      ['acme/r2', 1],
    ]);
  });

  it('fails clearly on a GraphQL error that is not a missing repository', async () => {
    const { forge } = makeForge();
    githubApi()
      .post('/graphql')
      .reply(200, { data: null, errors: [{ type: 'SERVICE_UNAVAILABLE', message: 'Something went wrong while executing your query.' }] });
    await expect(forge.findPullRequests(['acme/r1'], branch)).rejects.toThrow(/Something went wrong while executing your query/);
    // A GraphQL rate limit (HTTP 200, RATE_LIMITED) is waited out instead: request-budget.test.ts.
  });

  it('merges through the REST API with the expected head, and refuses when the head moved', async () => {
    const { forge } = makeForge({ mergeMethod: 'squash' });
    githubApi()
      .put('/repos/acme/recs/pulls/3/merge', { sha: sha('h'), merge_method: 'squash' })
      .reply(200, { sha: sha('m'), merged: true, message: 'Pull Request successfully merged' })
      .put('/repos/acme/recs/pulls/4/merge')
      .reply(409, { message: 'Head branch was modified. Review and try the merge again.' });
    expect(await forge.mergePullRequest('acme/recs', 3, sha('h'))).toEqual({ sha: sha('m') });
    await expect(forge.mergePullRequest('acme/recs', 4, sha('h'))).rejects.toThrow(/no longer/);
  });

  it('comments, updates and closes pull requests', async () => {
    const { forge } = makeForge();
    githubApi()
      .post('/repos/acme/recs/issues/3/comments', { body: 'hi' })
      .reply(201, { id: 1 })
      .patch('/repos/acme/recs/pulls/3', { body: 'new body' })
      .reply(200, {})
      .patch('/repos/acme/recs/pulls/3', { state: 'closed' })
      .reply(200, {});
    await forge.comment('acme/recs', 3, 'hi');
    await forge.updatePullRequest('acme/recs', 3, { body: 'new body' });
    await forge.closePullRequest('acme/recs', 3);
  });

  it('reads the checks of a commit from the combined rollup', async () => {
    const { forge } = makeForge();
    githubApi()
      .post('/graphql')
      .reply(200, {
        data: {
          repository: {
            object: {
              statusCheckRollup: {
                state: 'SUCCESS',
                contexts: {
                  nodes: [
                    { __typename: 'CheckRun', name: 'test', status: 'COMPLETED', conclusion: 'SUCCESS', title: null, detailsUrl: null },
                  ],
                },
              },
            },
          },
        },
      })
      .post('/graphql')
      .reply(200, { data: { repository: { object: { statusCheckRollup: null } } } });
    expect(await forge.getCommitChecks('acme/recs', sha('m'))).toEqual({
      state: 'success',
      runs: [{ name: 'test', state: 'success', summary: 'success' }],
    });
    expect(await forge.getCommitChecks('acme/recs', sha('n'))).toEqual({ state: 'none', runs: [] });
  });

  it('lists an installation on selected repositories page by page, with heads and opt-outs from GraphQL, 250 a request', async () => {
    const { forge } = makeForge();
    const names = Array.from({ length: 300 }, (_, i) => `acme/r${i}`);
    const sizes: number[] = [];
    const api = githubApi();
    for (let page = 1; page <= 3; page++) {
      api
        .get('/installation/repositories')
        .query({ per_page: '100', page: String(page) })
        .reply(200, {
          total_count: 300,
          repository_selection: 'selected',
          repositories: names.slice((page - 1) * 100, page * 100).map((full_name) => ({ full_name })),
        });
    }
    api
      .post('/graphql')
      .times(2)
      .reply(200, (_uri, body) => {
        const { query, variables } = body as { query: string; variables: Record<string, string> };
        expect(query).toMatch(/^query FleetwaveRepositories\(/);
        const data: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(variables)) {
          if (!k.startsWith('n')) continue;
          const n = Number(v.slice(1));
          data[`r${k.slice(1)}`] = {
            nameWithOwner: `acme/${v}`,
            isArchived: n === 5,
            defaultBranchRef: n === 6 ? null : { name: n === 8 ? 'trunk' : 'main', target: { oid: sha('a') } },
            optOut: n === 9 ? { __typename: 'Blob' } : null,
          };
        }
        sizes.push(Object.keys(data).length);
        return { data };
      });
    const repos = await forge.listRepositories();
    expect(repos).toHaveLength(299);
    expect(repos.find((r) => r.repo === 'acme/r5')!.archived).toBe(true);
    expect(repos.find((r) => r.repo === 'acme/r6')).toBeUndefined();
    expect(repos.find((r) => r.repo === 'acme/r8')!.defaultBranch).toBe('trunk');
    expect(repos.find((r) => r.repo === 'acme/r9')!.optedOut).toBe(true);
    expect(repos.find((r) => r.repo === 'acme/r1')).toEqual({
      repo: 'acme/r1',
      defaultBranch: 'main',
      headSha: sha('a'),
      archived: false,
      optedOut: false,
    });
    expect(sizes).toEqual([250, 50]);
    expect(githubRequests()).toHaveLength(5);
  });

  /** `repositoryOwner.repositories` pages of 100 over `names`, as GitHub answers the fleet query. */
  function ownerPages(names: string[], totalCount = names.length) {
    const variablesSeen: Record<string, unknown>[] = [];
    const queries: string[] = [];
    const reply = (_uri: string, body: unknown) => {
      const { query, variables } = body as { query: string; variables: { owner: string; after: string | null } };
      queries.push(query);
      variablesSeen.push(variables);
      const from = variables.after ? Number(variables.after.replace('cursor', '')) : 0;
      const hasNextPage = from + 100 < names.length;
      const nodes = names.slice(from, from + 100).map((full) => {
        const n = Number(full.split('/r')[1]);
        return {
          nameWithOwner: full,
          isArchived: n === 5,
          defaultBranchRef: n === 6 ? null : { name: n === 8 ? 'trunk' : 'main', target: { oid: sha('a') } },
          optOut: n === 9 ? { __typename: 'Blob' } : null,
        };
      });
      return {
        data: {
          repositoryOwner: {
            repositories: { totalCount, pageInfo: { hasNextPage, endCursor: hasNextPage ? `cursor${from + 100}` : null }, nodes },
          },
        },
      };
    };
    return { reply, variablesSeen, queries };
  }

  it("lists an installation on all of an account's repositories from GraphQL, 100 a request, after one REST page", async () => {
    const { forge } = makeForge();
    const names = Array.from({ length: 250 }, (_, i) => `acme/r${i}`);
    const pages = ownerPages(names);
    githubApi()
      .get('/installation/repositories')
      .query({ per_page: '100', page: '1' })
      .reply(200, { total_count: 250, repository_selection: 'all', repositories: names.slice(0, 100).map((full_name) => ({ full_name })) })
      .post('/graphql')
      .times(3)
      .reply(200, pages.reply);
    const repos = await forge.listRepositories();
    expect(githubRequests()).toHaveLength(4);
    expect(pages.variablesSeen).toEqual([
      { owner: 'acme', after: null },
      { owner: 'acme', after: 'cursor100' },
      { owner: 'acme', after: 'cursor200' },
    ]);
    expect(pages.queries[0]).toMatch(/^query FleetwaveFleet\(\$owner: String!, \$after: String\)/);
    expect(pages.queries[0]).toContain('repositories(first: 100, after: $after, ownerAffiliations: [OWNER]');
    expect(pages.queries[0]).toContain('optOut: object(expression: "HEAD:.fleetwave/opt-out")');
    expect(repos).toHaveLength(249);
    expect(repos.find((r) => r.repo === 'acme/r6')).toBeUndefined();
    expect(repos.find((r) => r.repo === 'acme/r5')!.archived).toBe(true);
    expect(repos.find((r) => r.repo === 'acme/r8')!.defaultBranch).toBe('trunk');
    expect(repos.find((r) => r.repo === 'acme/r9')!.optedOut).toBe(true);
    expect(repos.find((r) => r.repo === 'acme/r249')).toEqual({
      repo: 'acme/r249',
      defaultBranch: 'main',
      headSha: sha('a'),
      archived: false,
      optedOut: false,
    });
  });

  it("falls back to the REST pages when the account's count is not the installation's", async () => {
    const { forge } = makeForge();
    const names = Array.from({ length: 3 }, (_, i) => `acme/r${i}`);
    const pages = ownerPages([...names, 'acme/r3'], 4);
    githubApi()
      .get('/installation/repositories')
      .query({ per_page: '100', page: '1' })
      .reply(200, { total_count: 3, repository_selection: 'all', repositories: names.map((full_name) => ({ full_name })) })
      .post('/graphql')
      .reply(200, pages.reply)
      .post('/graphql')
      .reply(200, (_uri, body) => {
        const { query, variables } = body as { query: string; variables: Record<string, string> };
        expect(query).toMatch(/^query FleetwaveRepositories\(/);
        const data: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(variables)) {
          if (k.startsWith('n'))
            data[`r${k.slice(1)}`] = {
              nameWithOwner: `acme/${v}`,
              isArchived: false,
              defaultBranchRef: { name: 'main', target: { oid: sha('b') } },
              optOut: null,
            };
        }
        return { data };
      });
    const repos = await forge.listRepositories();
    expect(repos.map((r) => r.repo)).toEqual(names);
    expect(repos.every((r) => r.headSha === sha('b'))).toBe(true);
    expect(githubRequests()).toHaveLength(3);
  });

  it('reads a file as raw text, and says null when it is absent', async () => {
    const { forge } = makeForge();
    githubApi()
      .get('/repos/acme/recs/contents/.fleetwave%2Fmigrations%2Fa.yaml')
      .query({ ref: 'main' })
      .reply(200, 'kind: DatasetMigration\n', { 'content-type': 'application/vnd.github.raw' })
      .get('/repos/acme/recs/contents/missing.txt')
      .reply(404, { message: 'Not Found' });
    expect(await forge.readFile('acme/recs', '.fleetwave/migrations/a.yaml', 'main')).toBe('kind: DatasetMigration\n');
    expect(await forge.readFile('acme/recs', 'missing.txt')).toBeNull();
  });

  it("searches code within the fleet's scope and returns each repository once", async () => {
    const { forge } = makeForge({ searchScope: 'org:acme' });
    githubApi()
      .get('/search/code')
      .query({ q: '"data/play-events/v1" org:acme', per_page: '100', page: '1' })
      .reply(200, {
        total_count: 3,
        items: [{ repository: { full_name: 'acme/b' } }, { repository: { full_name: 'acme/a' } }, { repository: { full_name: 'acme/b' } }],
      });
    expect(await forge.searchCode('data/play-events/v1')).toEqual(['acme/a', 'acme/b']);
  });

  it('tells the caller once when GitHub answers a code search incompletely, and not when it answers whole', async () => {
    const { forge } = makeForge({ searchScope: 'org:acme' });
    const page = (incomplete: boolean) => ({
      total_count: 1,
      incomplete_results: incomplete,
      items: [{ repository: { full_name: 'acme/a' } }],
    });
    githubApi()
      .get('/search/code')
      .query({ q: '"data/play-events/v1" org:acme', per_page: '100', page: '1' })
      .reply(200, page(true))
      .get('/search/code')
      .query({ q: '"data/play-events/v1" org:acme', per_page: '100', page: '1' })
      .reply(200, page(false));
    let told = 0;
    const onIncomplete = () => void told++;
    expect(await forge.searchCode('data/play-events/v1', { onIncomplete })).toEqual(['acme/a']);
    expect(told).toBe(1);
    expect(await forge.searchCode('data/play-events/v1', { onIncomplete })).toEqual(['acme/a']);
    expect(told).toBe(1);
  });

  it('tells users with write access from the others', async () => {
    const { forge } = makeForge();
    githubApi()
      .get('/repos/acme/recs/collaborators/mona/permission')
      .reply(200, { permission: 'write', user: { login: 'mona' } })
      .get('/repos/acme/recs/collaborators/eve/permission')
      .reply(200, { permission: 'read', user: { login: 'eve' } })
      .get('/repos/acme/recs/collaborators/stranger/permission')
      .reply(404, { message: 'Not Found' });
    expect(await forge.hasWriteAccess('acme/recs', 'mona')).toBe(true);
    expect(await forge.hasWriteAccess('acme/recs', 'eve')).toBe(false);
    expect(await forge.hasWriteAccess('acme/recs', 'stranger')).toBe(false);
  });
});
