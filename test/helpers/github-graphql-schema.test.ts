import { describe, expect, it } from '@jest/globals';
import { checkGraphql, executeGraphql, GitHubGraphqlError, graphqlAnswerErrors, graphqlRequestErrors } from './github-graphql-schema.js';
import { answerGraphql, appPermissions } from './github-permissions.js';

const FLEET = `query FleetwaveFleet($owner: String!, $after: String) {
  repositoryOwner(login: $owner) {
    repositories(first: 100, after: $after, orderBy: { field: NAME, direction: ASC }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { nameWithOwner isArchived defaultBranchRef { name target { oid } } }
    }
  }
}`;
const fleet = { query: FLEET, variables: { owner: 'acme', after: null } };

const CHECKS = `query Checks($owner: String!, $name: String!, $oid: GitObjectID!) {
  r0: repository(owner: $owner, name: $name) {
    object(oid: $oid) { ... on Commit { statusCheckRollup { state contexts(first: 10) { nodes { __typename ... on CheckRun { name status } } } } } }
  }
}`;
const checks = { query: CHECKS, variables: { owner: 'acme', name: 'recs', oid: 'a'.repeat(40) } };

const repo = (extra: Record<string, unknown> = {}) => ({
  nameWithOwner: 'acme/recs',
  isArchived: false,
  defaultBranchRef: { name: 'main', target: { __typename: 'Commit', oid: 'a'.repeat(40) } },
  ...extra,
});
const owner = (nodes: unknown[]) => ({
  data: {
    repositoryOwner: {
      __typename: 'Organization',
      repositories: { totalCount: nodes.length, pageInfo: { hasNextPage: false, endCursor: null }, nodes },
    },
  },
});
const rollup = (r: unknown) => ({ data: { r0: { object: { __typename: 'Commit', statusCheckRollup: r } } } });

describe("the GraphQL check against GitHub's schema (@octokit/graphql-schema)", () => {
  it('accepts a valid document, and an answer of its shape read by alias', () => {
    expect(graphqlRequestErrors(fleet)).toEqual([]);
    expect(graphqlAnswerErrors(fleet, owner([repo()]))).toEqual([]);
    expect(graphqlRequestErrors(checks)).toEqual([]);
    const run = { __typename: 'CheckRun', name: 'test', status: 'COMPLETED' };
    expect(graphqlAnswerErrors(checks, rollup({ state: 'SUCCESS', contexts: { nodes: [run] } }))).toEqual([]);
    expect(graphqlAnswerErrors(checks, { data: { r0: null }, errors: [{ type: 'NOT_FOUND', message: 'gone' }] })).toEqual([]);
  });

  it('rejects a document GitHub would refuse: a field the type lacks, a missing argument, an undeclared variable', () => {
    expect(graphqlRequestErrors({ query: FLEET.replace('isArchived', 'archived') })).toEqual([
      'Cannot query field "archived" on type "Repository". Did you mean "archivedAt" or "isArchived"? (line 6, column 29)',
    ]);
    expect(graphqlRequestErrors({ query: '{ repository(owner: "acme") { id } }' }).join()).toMatch(
      /Field "repository" argument "name" of type "String!" is required, but it was not provided/,
    );
    expect(graphqlRequestErrors({ query: '{ repository(owner: $o, name: "x") { id } }' }).join()).toMatch(/Variable "\$o" is not defined/);
    expect(graphqlRequestErrors({ query: '{ repository(owner: "a", name: "x") { id ' }).join()).toMatch(/Syntax Error/);
  });

  it('rejects a variable that does not coerce to its declared type, or a required one left out', () => {
    expect(graphqlRequestErrors({ query: FLEET, variables: { owner: 42 } })).toEqual([
      'Variable "$owner" got invalid value 42; String cannot represent a non string value: 42 (line 1, column 22)',
    ]);
    expect(graphqlRequestErrors({ query: FLEET, variables: {} }).join()).toMatch(
      /Variable "\$owner" of required type "String!" was not provided/,
    );
    const merge = `mutation M($id: ID!, $m: PullRequestMergeMethod!) { enablePullRequestAutoMerge(input: { pullRequestId: $id, mergeMethod: $m }) { clientMutationId } }`;
    expect(graphqlRequestErrors({ query: merge, variables: { id: 'PR_1', m: 'FAST_FORWARD' } }).join()).toMatch(
      /Variable "\$m" got invalid value "FAST_FORWARD"; Value "FAST_FORWARD" does not exist in "PullRequestMergeMethod" enum/,
    );
    expect(graphqlRequestErrors({ query: merge, variables: { id: 'PR_1', m: 'SQUASH' } })).toEqual([]);
  });

  it('rejects an answer with a wrong type, naming the path', () => {
    expect(graphqlAnswerErrors(fleet, owner([repo({ isArchived: 'false' })]))).toEqual([
      'Repository.isArchived: Boolean must be a boolean, got "false" at repositoryOwner.repositories.nodes.0.isArchived',
    ]);
    expect(graphqlAnswerErrors(fleet, owner([repo({ nameWithOwner: 7 })])).join()).toMatch(
      /String must be a string, got 7 at .*nodes\.0\.nameWithOwner/,
    );
    expect(graphqlAnswerErrors(checks, rollup({ state: 'GREEN', contexts: { nodes: [] } })).join()).toMatch(
      /Enum "StatusState" cannot represent value: "GREEN".* at r0\.object\.statusCheckRollup\.state/,
    );
    expect(graphqlAnswerErrors(checks, rollup({ state: 'SUCCESS', contexts: { nodes: {} } })).join()).toMatch(
      /Expected Iterable.* at r0\.object\.statusCheckRollup\.contexts\.nodes/,
    );
    expect(graphqlAnswerErrors(checks, rollup({ state: 'SUCCESS', contexts: 'none' })).join()).toMatch(
      /StatusCheckRollup\.contexts: StatusCheckRollupContextConnection must be an object, got "none" at r0\.object\.statusCheckRollup\.contexts/,
    );
  });

  it('rejects an answer with a null or missing non-null field', () => {
    expect(graphqlAnswerErrors(fleet, owner([repo({ isArchived: null })]))).toEqual([
      'Cannot return null for non-nullable field Repository.isArchived. at repositoryOwner.repositories.nodes.0.isArchived',
    ]);
    const { isArchived: _dropped, ...without } = repo();
    expect(graphqlAnswerErrors(fleet, owner([without]))).toEqual([
      'the answer has no "isArchived" (Repository.isArchived), which the document asks for at repositoryOwner.repositories.nodes.0.isArchived',
    ]);
  });

  it('rejects an interface or union member without a __typename GitHub has for it', () => {
    expect(
      graphqlAnswerErrors(fleet, owner([repo({ defaultBranchRef: { name: 'main', target: { oid: 'a'.repeat(40) } } })])).join(),
    ).toMatch(/a GitObject \(Ref\.target\) needs a __typename, one of Blob, Commit, Tag, Tree at .*defaultBranchRef\.target/);
    const noTypename = { data: { repositoryOwner: { repositories: owner([]).data.repositoryOwner.repositories } } };
    expect(graphqlAnswerErrors(fleet, noTypename).join()).toMatch(/a RepositoryOwner \(Query\.repositoryOwner\) needs a __typename/);
    const run = { __typename: 'PullRequest', name: 'test', status: 'COMPLETED' };
    expect(graphqlAnswerErrors(checks, rollup({ state: 'SUCCESS', contexts: { nodes: [run] } })).join()).toMatch(
      /"PullRequest" is no StatusCheckRollupContext .*GitHub's are CheckRun, StatusContext at r0\.object\.statusCheckRollup\.contexts\.nodes\.0/,
    );
  });

  it('answers an invalid document as GitHub does (200, errors, nothing run) and notes every problem for the double to fail the test', () => {
    const failures: string[] = [];
    const bad = checkGraphql({ query: FLEET.replace('totalCount', 'count'), variables: { owner: 'acme' } }, failures);
    expect(bad.invalid).toEqual({
      errors: [expect.objectContaining({ message: 'Cannot query field "count" on type "RepositoryConnection".' })],
    });
    expect(failures).toEqual([
      expect.stringMatching(/^GraphQL request refused by GitHub's schema \(query FleetwaveFleet.*Cannot query field "count"/),
    ]);

    const good = checkGraphql(fleet, failures);
    expect(good.invalid).toBeNull();
    const answer = owner([repo()]);
    expect(good.checked(answer)).toBe(answer);
    expect(good.checked(owner([repo({ isArchived: null })]))).toEqual({
      errors: [
        {
          message: expect.stringMatching(
            /its answer to FleetwaveFleet has not GitHub's shape: Cannot return null for non-nullable field Repository\.isArchived/,
          ),
        },
      ],
    });
    expect(failures).toHaveLength(2);
  });
});

describe('GraphQL executed against GitHub’s schema over a double’s state (executeGraphql, answerGraphql)', () => {
  const REPOS = `query R($o0: String!, $n0: String!, $o1: String!, $n1: String!) {
  r0: repository(owner: $o0, name: $n0) { nameWithOwner isArchived }
  r1: repository(owner: $o1, name: $n1) { nameWithOwner isArchived }
}`;
  const vars = { o0: 'acme', n0: 'a', o1: 'acme', n1: 'b' };
  const root = (repo: (name: string) => Record<string, unknown>) => ({
    repository: ({ owner, name }: { owner: string; name: string }) => {
      if (name === 'gone') throw new GitHubGraphqlError('NOT_FOUND', `Could not resolve to a Repository with the name '${owner}/${name}'.`);
      return { nameWithOwner: `${owner}/${name}`, ...repo(name) };
    },
  });

  it('resolves each alias by calling the field with its own arguments', () => {
    const failures: string[] = [];
    expect(
      executeGraphql(
        { query: REPOS, variables: vars },
        root(() => ({ isArchived: false })),
        failures,
      ),
    ).toEqual({
      data: { r0: { nameWithOwner: 'acme/a', isArchived: false }, r1: { nameWithOwner: 'acme/b', isArchived: false } },
    });
    expect(failures).toEqual([]);
  });

  it('answers GitHub’s errors in GitHub’s format: type at the top level, the path, the locations; the field null', () => {
    const failures: string[] = [];
    const answer = executeGraphql(
      { query: REPOS, variables: { ...vars, n1: 'gone' } },
      root(() => ({ isArchived: false })),
      failures,
    );
    expect(answer).toEqual({
      data: { r0: { nameWithOwner: 'acme/a', isArchived: false }, r1: null },
      errors: [
        {
          type: 'NOT_FOUND',
          path: ['r1'],
          locations: [{ line: 3, column: 3 }],
          message: "Could not resolve to a Repository with the name 'acme/gone'.",
        },
      ],
    });
    expect(failures).toEqual([]);
  });

  it('fails clearly on a field the double does not implement, and on a value of the wrong type', () => {
    const failures: string[] = [];
    const missing = executeGraphql(
      { query: REPOS, variables: vars },
      root(() => ({})),
      failures,
    );
    expect(missing).toEqual({
      errors: [{ message: expect.stringMatching(/the GitHub double does not implement Repository\.isArchived/) }],
    });
    expect(failures).toEqual([
      expect.stringMatching(
        /its answer to R has not GitHub's shape: the GitHub double does not implement Repository\.isArchived.* at r0\.isArchived/,
      ),
    ]);
    failures.length = 0;
    executeGraphql(
      { query: REPOS, variables: vars },
      root((name) => ({ isArchived: name === 'b' ? 'no' : false })),
      failures,
    );
    expect(failures.join()).toMatch(/Repository\.isArchived: Boolean must be a boolean, got "no" at r1\.isArchived/);
    failures.length = 0;
    executeGraphql(
      { query: REPOS.replace('isArchived }', 'isArchived defaultBranchRef { target { oid } } }'), variables: vars },
      root(() => ({ isArchived: false, defaultBranchRef: { target: { oid: 'a'.repeat(40) } } })),
      failures,
    );
    expect(failures.join()).toMatch(/a GitObject \(Ref\.target\) needs a __typename/);
  });

  it('refuses a field the App has no permission for as GitHub does: null at the nearest nullable position, FORBIDDEN at the field', () => {
    const query = `query Q($o0: String!, $n0: String!) { r0: repository(owner: $o0, name: $n0) {
  autoMergeAllowed
  object(oid: "${'a'.repeat(40)}") { ... on Commit { statusCheckRollup { state } } }
  pullRequests(first: 1) { totalCount }
} }`;
    let pullRequestsRead = 0;
    const state = {
      repository: () => ({
        autoMergeAllowed: true,
        object: () => ({ __typename: 'Commit', statusCheckRollup: { state: 'SUCCESS' } }),
        pullRequests: () => {
          pullRequestsRead++;
          return { totalCount: 1 };
        },
      }),
    };
    const refused: string[] = [];
    const failures: string[] = [];
    const forbidden = (path: (string | number)[]) => ({
      type: 'FORBIDDEN',
      path,
      locations: [expect.any(Object)],
      message: 'Resource not accessible by integration',
      extensions: { saml_failure: false },
    });
    // Without checks: read, `Commit.statusCheckRollup` (nullable) alone is null.
    const noChecks = new Map(appPermissions());
    noChecks.delete('checks');
    expect(answerGraphql({ query, variables: { o0: 'acme', n0: 'a' } }, noChecks, refused, failures, state)).toEqual({
      data: { r0: { autoMergeAllowed: true, object: { statusCheckRollup: null }, pullRequests: { totalCount: 1 } } },
      errors: [forbidden(['r0', 'object', 'statusCheckRollup'])],
    });
    // Without pull_requests: read, `Repository.pullRequests` is non-null: the repository itself is null, and it is never read.
    const noPulls = new Map(appPermissions());
    noPulls.delete('pull_requests');
    pullRequestsRead = 0;
    expect(answerGraphql({ query, variables: { o0: 'acme', n0: 'a' } }, noPulls, refused, failures, state)).toEqual({
      data: { r0: null },
      errors: [forbidden(['r0', 'pullRequests'])],
    });
    expect(pullRequestsRead).toBe(0);
    expect(refused).toEqual([
      'POST /graphql (query repository): needs checks: read',
      'POST /graphql (query repository): needs pull_requests: read',
    ]);
    expect(failures).toEqual([]);
  });

  it('does not carry out a mutation the App has no permission for', () => {
    let ran = false;
    const m = `mutation M($id: ID!) { enablePullRequestAutoMerge(input: { pullRequestId: $id }) { clientMutationId } }`;
    const granted = new Map(appPermissions());
    granted.set('contents', 'read');
    const answer = answerGraphql({ query: m, variables: { id: 'PR_1' } }, granted, [], [], {
      enablePullRequestAutoMerge: () => {
        ran = true;
        return { clientMutationId: null };
      },
    });
    expect(answer).toMatchObject({
      data: { enablePullRequestAutoMerge: null },
      errors: [{ type: 'FORBIDDEN', path: ['enablePullRequestAutoMerge'] }],
    });
    expect(ran).toBe(false);
  });
});
