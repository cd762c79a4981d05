import { describe, expect, it } from '@jest/globals';
import { githubApi } from '../../helpers/openapi.js';
import { makeForge, restPull, sha, useNock } from './setup.js';

const M = sha('m');
const P = sha('p');
const H = sha('e');
const marker = '<!-- fleetwave:{"migration":"play-events-v2","manifestHash":"abc"} -->';
const merged = restPull(3, {
  state: 'closed',
  merged: true,
  merged_at: '2026-01-02T00:00:00Z',
  merge_commit_sha: M,
  commits: 1,
  body: `Migrate\n\n${marker}`,
});

function commonSetup(head: string) {
  let tree: { base_tree: string; tree: unknown[] } | undefined;
  let graphqlVars: Record<string, string> | undefined;
  const scope = githubApi()
    .get('/repos/acme/recs/pulls/3')
    .reply(200, merged)
    .get('/repos/acme/recs/pulls')
    .query({ head: 'acme:fleetwave-revert/pr-3', state: 'all', per_page: '1' })
    .reply(200, [])
    .get(`/repos/acme/recs/git/commits/${M}`)
    .reply(200, { sha: M, parents: [{ sha: P }, { sha: sha('h') }] })
    .get(`/repos/acme/recs/compare/${P}...${M}`)
    .query(true)
    .reply(200, {
      files: [
        { filename: 'src/a.ts', status: 'modified' },
        { filename: 'src/new.ts', status: 'added' },
        { filename: 'run.sh', status: 'modified' },
        { filename: 'src/moved.ts', status: 'renamed', previous_filename: 'lib/old.ts' },
      ],
    })
    .get('/repos/acme/recs/git/ref/heads%2Fmain')
    .reply(200, { ref: 'refs/heads/main', object: { sha: head } });
  return {
    scope,
    graphql: () =>
      scope.post('/graphql').reply(200, (_u, body) => {
        graphqlVars = (body as { variables: Record<string, string> }).variables;
        return {
          data: {
            repository: {
              d0: { entries: [{ name: 'a.ts', mode: 0o100644, oid: sha('1'), type: 'blob' }] },
              d1: {
                tree: {
                  entries: [
                    { name: 'run.sh', mode: 0o100755, oid: sha('2'), type: 'blob' },
                    { name: 'src', mode: 0o040000, oid: sha('3'), type: 'tree' },
                  ],
                },
              },
              d2: { entries: [{ name: 'old.ts', mode: 0o100644, oid: sha('4'), type: 'blob' }] },
            },
          },
        };
      }),
    tree: () => tree,
    vars: () => graphqlVars,
    capture: (b: { base_tree: string; tree: unknown[] }) => ((tree = b), true),
  };
}

describe('GitHub forge: reverting a merged pull request through a revert PR', () => {
  useNock();

  it("restores every file the merge changed from the merge's first parent, opens the revert PR and merges it", async () => {
    const { forge } = makeForge({ mergeMethod: 'squash' });
    const s = commonSetup(H);
    s.scope
      .get(`/repos/acme/recs/compare/${M}...${H}`)
      .query(true)
      .reply(200, { files: [{ filename: 'README.md', status: 'modified' }] });
    s.graphql();
    s.scope
      .get(`/repos/acme/recs/git/commits/${H}`)
      .reply(200, { sha: H, tree: { sha: sha('w') }, parents: [{ sha: M }] })
      .post('/repos/acme/recs/git/trees', s.capture)
      .reply(201, { sha: sha('t') })
      .post(
        '/repos/acme/recs/git/commits',
        (b: { parents: string[]; message: string }) => b.parents[0] === H && b.message.startsWith('Revert "Migrate play-events to v2"'),
      )
      .reply(201, { sha: sha('r') })
      .post('/repos/acme/recs/git/refs', { ref: 'refs/heads/fleetwave-revert/pr-3', sha: sha('r') })
      .reply(201, {})
      .post(
        '/repos/acme/recs/pulls',
        (b: { head: string; base: string; body: string }) =>
          b.head === 'fleetwave-revert/pr-3' && b.base === 'main' && b.body.includes(marker) && b.body.includes('checks failed'),
      )
      .reply(201, restPull(9, { title: 'Revert "Migrate play-events to v2"', head: { ref: 'fleetwave-revert/pr-3', sha: sha('r') } }))
      .put('/repos/acme/recs/pulls/9/merge', { sha: sha('r'), merge_method: 'squash' })
      .reply(200, { sha: sha('x'), merged: true, message: 'merged' })
      .patch(
        '/repos/acme/recs/pulls/3',
        (b: { body: string }) => b.body.startsWith('Migrate') && b.body.includes(`fleetwave-reverted:{"sha":"${sha('x')}"`),
      )
      .reply(200, restPull(3));
    const result = await forge.revertPullRequest('acme/recs', 3, 'checks failed on main');
    expect(result.sha).toBe(sha('x'));
    expect(result.pr).toMatchObject({ number: 9, state: 'merged', mergeSha: sha('x') });
    expect(s.vars()).toMatchObject({ e0: `${P}:src`, e1: P, e2: `${P}:lib` });
    // base_tree is the head commit's tree (GitHub's description: "the SHA1 of an existing Git tree object").
    expect(s.tree()!.base_tree).toBe(sha('w'));
    expect(s.tree()!.tree).toEqual(
      expect.arrayContaining([
        { path: 'src/new.ts', mode: '100644', type: 'blob', sha: null },
        { path: 'src/moved.ts', mode: '100644', type: 'blob', sha: null },
        { path: 'src/a.ts', mode: '100644', type: 'blob', sha: sha('1') },
        { path: 'run.sh', mode: '100755', type: 'blob', sha: sha('2') },
        { path: 'lib/old.ts', mode: '100644', type: 'blob', sha: sha('4') },
      ]),
    );
    expect(s.tree()!.tree).toHaveLength(5);
  });

  it('leaves the revert PR open when branch protection refuses the merge', async () => {
    const { forge } = makeForge();
    const s = commonSetup(M);
    s.graphql();
    s.scope
      .get(`/repos/acme/recs/git/commits/${M}`)
      .reply(200, { sha: M, tree: { sha: sha('w') }, parents: [{ sha: P }] })
      .post('/repos/acme/recs/git/trees')
      .reply(201, { sha: sha('t') })
      .post('/repos/acme/recs/git/commits')
      .reply(201, { sha: sha('r') })
      .post('/repos/acme/recs/git/refs')
      .reply(201, {})
      .post('/repos/acme/recs/pulls')
      .reply(201, restPull(9, { head: { ref: 'fleetwave-revert/pr-3', sha: sha('r') } }))
      .put('/repos/acme/recs/pulls/9/merge')
      .reply(405, { message: 'Required status check "test" is expected.' })
      // The revert PR waits for its merge; the reverted PR says which one it is.
      .patch('/repos/acme/recs/pulls/3', (b: { body: string }) => b.body.includes(`fleetwave-reverted:{"sha":"${sha('r')}","pr":9}`))
      .reply(200, restPull(3));
    const result = await forge.revertPullRequest('acme/recs', 3, 'why');
    expect(result).toMatchObject({ sha: sha('r'), pr: { number: 9, state: 'open' } });
  });

  it('refuses, writing nothing, when a later commit changed a file the merge changed', async () => {
    const { forge } = makeForge();
    const s = commonSetup(H);
    s.scope
      .get(`/repos/acme/recs/compare/${M}...${H}`)
      .query(true)
      .reply(200, { files: [{ filename: 'src/a.ts', status: 'modified' }] });
    await expect(forge.revertPullRequest('acme/recs', 3, 'why')).rejects.toThrow(/src\/a\.ts changed again after the merge/);
  });

  it('finds the revert PR of an earlier run instead of opening another', async () => {
    const { forge } = makeForge();
    githubApi()
      .get('/repos/acme/recs/pulls/3')
      .reply(200, merged)
      .get('/repos/acme/recs/pulls')
      .query({ head: 'acme:fleetwave-revert/pr-3', state: 'all', per_page: '1' })
      .reply(200, [restPull(9, { head: { ref: 'fleetwave-revert/pr-3', sha: sha('r') } })])
      // An earlier run that stopped before writing the revert on the reverted PR: written now.
      .patch('/repos/acme/recs/pulls/3', (b: { body: string }) => b.body.includes(`fleetwave-reverted:{"sha":"${sha('r')}","pr":9}`))
      .reply(200, restPull(3));
    expect(await forge.revertPullRequest('acme/recs', 3, 'why')).toMatchObject({ sha: sha('r'), pr: { number: 9 } });
  });

  it('refuses to revert a pull request that was not merged', async () => {
    const { forge } = makeForge();
    githubApi().get('/repos/acme/recs/pulls/3').reply(200, restPull(3));
    await expect(forge.revertPullRequest('acme/recs', 3, 'why')).rejects.toThrow(/not merged/);
  });
});
