import { describe, expect, it } from '@jest/globals';
import { checkGraphql, graphqlAnswerErrors, graphqlRequestErrors } from './github-graphql-schema.js';

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
