import { describe, expect, it } from '@jest/globals';
import type { Edit } from '../../../src/codemod/port.js';
import { StateError } from '../../../src/util/errors.js';
import { githubApi, githubRequests } from '../../helpers/openapi.js';
import { BOT, makeForge, restPull, sha, useNock } from './setup.js';

const repo = 'acme/recs';
/** GitHub's signature on a commit the App made through the API (REST's `verification`). */
const SIGNED = { verified: true, reason: 'valid', signature: null, payload: null, verified_at: null };
const branch = 'fleetwave/play-events-v2';
const base = sha('b');

function edits(n: number): Edit[] {
  return Array.from({ length: n }, (_, i) => ({ path: `src/f${i}.ts`, before: `old ${i}`, after: `new ${i}` }));
}

describe('GitHub forge: pushing and opening a pull request', () => {
  useNock();

  for (const n of [1, 10, 100]) {
    it(`opens a PR with ${n} changed files in at most 5 requests`, async () => {
      const { forge } = makeForge();
      let treeBody: { base_tree: string; tree: { path: string; mode: string; content?: string }[] } | undefined;
      githubApi()
        .get(`/repos/acme/recs/git/trees/${base}`)
        .query({ recursive: 'true' })
        .reply(200, { sha: sha('e'), truncated: false, tree: [{ path: 'src/f0.ts', mode: '100755', type: 'blob', sha: sha('1') }] })
        .post('/repos/acme/recs/git/trees', (b) => ((treeBody = b), true))
        .reply(201, { sha: sha('t') })
        .post('/repos/acme/recs/git/commits', { message: 'Migrate', tree: sha('t'), parents: [base] })
        .reply(201, { sha: sha('c') })
        .post('/repos/acme/recs/git/refs', { ref: `refs/heads/${branch}`, sha: sha('c') })
        .reply(201, { ref: `refs/heads/${branch}`, object: { sha: sha('c') } })
        .post('/repos/acme/recs/pulls')
        .reply(201, restPull(12, { head: { ref: branch, sha: sha('c') } }));
      const pushed = await forge.pushChanges({ repo, branch, baseSha: base, edits: edits(n), message: 'Migrate' });
      const pr = await forge.openPullRequest({ repo, branch, base: 'main', title: 'Migrate play-events to v2', body: 'b' });
      expect(pushed.sha).toBe(sha('c'));
      expect(pr).toMatchObject({ number: 12, state: 'open', headSha: sha('c'), branch });
      expect(githubRequests().length).toBeLessThanOrEqual(5);
      // GitHub's description of POST …/git/trees: base_tree is "the SHA1 of an existing Git tree object",
      // so the base commit's tree, not the commit itself.
      expect(treeBody!.base_tree).toBe(sha('e'));
      expect(treeBody!.tree).toHaveLength(n);
      // The executable bit of an existing file is kept; new content travels inline.
      expect(treeBody!.tree[0]).toEqual({ path: 'src/f0.ts', mode: '100755', type: 'blob', content: 'new 0' });
    });
  }

  it('reads the modes of rewritten files one sub-tree at a time when the recursive listing is truncated (as GitHub asks)', async () => {
    const { forge } = makeForge();
    let treeBody: { tree: { path: string; mode: string }[] } | undefined;
    githubApi()
      .get(`/repos/acme/recs/git/trees/${base}`)
      .query({ recursive: 'true' })
      .reply(200, { sha: sha('e'), truncated: true, tree: [{ path: 'README.md', mode: '100644', type: 'blob', sha: sha('1') }] })
      .get(`/repos/acme/recs/git/trees/${sha('e')}`)
      .reply(200, { sha: sha('e'), truncated: false, tree: [{ path: 'bin', mode: '040000', type: 'tree', sha: sha('2') }] })
      .get(`/repos/acme/recs/git/trees/${sha('2')}`)
      .reply(200, {
        sha: sha('2'),
        truncated: false,
        tree: [
          { path: 'run.sh', mode: '100755', type: 'blob', sha: sha('3') },
          { path: 'setup.sh', mode: '100755', type: 'blob', sha: sha('4') },
        ],
      })
      .post('/repos/acme/recs/git/trees', (b) => ((treeBody = b), true))
      .reply(201, { sha: sha('t') })
      .post('/repos/acme/recs/git/commits')
      .reply(201, { sha: sha('c') })
      .post('/repos/acme/recs/git/refs')
      .reply(201, { ref: `refs/heads/${branch}`, object: { sha: sha('c') } });
    const rewrites: Edit[] = [
      { path: 'bin/run.sh', before: 'old', after: 'new' },
      { path: 'bin/setup.sh', before: 'old', after: 'new' },
    ];
    await forge.pushChanges({ repo, branch, baseSha: base, edits: rewrites, message: 'Migrate' });
    // Each folder on the paths is read once; both scripts keep their executable bit.
    expect(treeBody!.tree.map((e) => [e.path, e.mode])).toEqual([
      ['bin/run.sh', '100755'],
      ['bin/setup.sh', '100755'],
    ]);
  });

  it("creates files and deletes files reading only the base tree's top level, and uploads a blob only for binary content", async () => {
    const { forge } = makeForge();
    let treeBody: { base_tree: string; tree: { path: string; sha?: string | null; content?: string }[] } | undefined;
    githubApi()
      .get(`/repos/acme/recs/git/trees/${base}`)
      .reply(200, { sha: sha('e'), truncated: false, tree: [] })
      .post('/repos/acme/recs/git/blobs', { content: Buffer.from('a\u0000b').toString('base64'), encoding: 'base64' })
      .reply(201, { sha: sha('9') })
      .post('/repos/acme/recs/git/trees', (b) => ((treeBody = b), true))
      .reply(201, { sha: sha('t') })
      .post('/repos/acme/recs/git/commits')
      .reply(201, { sha: sha('c') })
      .post('/repos/acme/recs/git/refs')
      .reply(201, {});
    await forge.pushChanges({
      repo,
      branch,
      baseSha: base,
      message: 'm',
      edits: [
        { path: 'new.txt', before: null, after: 'hello' },
        { path: 'old.txt', before: 'bye', after: null },
        { path: 'data.bin', before: null, after: 'a\u0000b' },
      ],
    });
    expect(treeBody!.base_tree).toBe(sha('e'));
    expect(treeBody!.tree).toEqual([
      { path: 'new.txt', mode: '100644', type: 'blob', content: 'hello' },
      { path: 'old.txt', mode: '100644', type: 'blob', sha: null },
      { path: 'data.bin', mode: '100644', type: 'blob', sha: sha('9') },
    ]);
  });

  it("moves an existing bot branch after checking that its head is the expected one and all commits are the bot's", async () => {
    const { forge } = makeForge();
    githubApi()
      .get(`/repos/acme/recs/compare/${base}...${encodeURIComponent(branch)}`)
      .query(true)
      .reply(200, {
        status: 'diverged',
        total_commits: 1,
        merge_base_commit: { sha: sha('0') },
        commits: [{ sha: sha('o'), author: { login: BOT.login }, commit: { author: { name: BOT.name }, verification: SIGNED } }],
      })
      .get(`/repos/acme/recs/git/trees/${base}`)
      .reply(200, { sha: sha('e'), truncated: false, tree: [] })
      .post('/repos/acme/recs/git/trees')
      .reply(201, { sha: sha('t') })
      .post('/repos/acme/recs/git/commits')
      .reply(201, { sha: sha('c') })
      .patch(`/repos/acme/recs/git/refs/${encodeURIComponent(`heads/${branch}`)}`, { sha: sha('c'), force: true })
      .reply(200, {});
    const pushed = await forge.pushChanges({
      repo,
      branch,
      baseSha: base,
      message: 'm',
      expectedHeadSha: sha('o'),
      edits: [{ path: 'a', before: null, after: 'x' }],
    });
    expect(pushed.sha).toBe(sha('c'));
  });

  it("never force-pushes over a human's commit on the bot branch", async () => {
    const { forge } = makeForge();
    githubApi()
      .get(`/repos/acme/recs/compare/${base}...${encodeURIComponent(branch)}`)
      .query(true)
      .reply(200, {
        status: 'ahead',
        total_commits: 2,
        merge_base_commit: { sha: base },
        commits: [
          { sha: sha('o'), author: { login: BOT.login }, commit: { author: { name: BOT.name }, verification: SIGNED } },
          { sha: sha('u'), author: { login: 'octocat' }, commit: { author: { name: 'Mona' } } },
        ],
      });
    const push = forge.pushChanges({
      repo,
      branch,
      baseSha: base,
      message: 'm',
      expectedHeadSha: sha('u'),
      edits: [{ path: 'a', before: null, after: 'x' }],
    });
    await expect(push).rejects.toThrow(StateError);
    await expect(push).rejects.toThrow(/octocat/);
    expect(githubRequests().map((r) => r.method)).toEqual(['GET']);
  });

  it('refuses to push when the branch moved since it was read', async () => {
    const { forge } = makeForge();
    githubApi()
      .get(`/repos/acme/recs/compare/${base}...${encodeURIComponent(branch)}`)
      .query(true)
      .reply(200, {
        status: 'ahead',
        total_commits: 1,
        merge_base_commit: { sha: base },
        commits: [{ sha: sha('n'), author: { login: BOT.login }, commit: { author: {}, verification: SIGNED } }],
      });
    await expect(
      forge.pushChanges({
        repo,
        branch,
        baseSha: base,
        message: 'm',
        expectedHeadSha: sha('o'),
        edits: [{ path: 'a', before: null, after: 'x' }],
      }),
    ).rejects.toThrow(/moved/);
  });

  it('refuses to create a branch that already exists', async () => {
    const { forge } = makeForge();
    githubApi()
      .get(`/repos/acme/recs/git/trees/${base}`)
      .reply(200, { sha: sha('e'), truncated: false, tree: [] })
      .post('/repos/acme/recs/git/trees')
      .reply(201, { sha: sha('t') })
      .post('/repos/acme/recs/git/commits')
      .reply(201, { sha: sha('c') })
      .post('/repos/acme/recs/git/refs')
      .reply(422, { message: 'Reference already exists' });
    await expect(
      forge.pushChanges({ repo, branch, baseSha: base, message: 'm', edits: [{ path: 'a', before: null, after: 'x' }] }),
    ).rejects.toThrow(/already exists/);
  });

  // GitHub's answer to a commit that changes .github/workflows/** from an App without the workflows
  // permission (https://github.com/peter-evans/create-pull-request/issues/1713): not "already exists".
  const WORKFLOWS_REFUSED = {
    message: 'refusing to allow a GitHub App to create or update workflow `.github/workflows/ci.yml` without `workflows` permission',
  };

  it('reports a branch refused for a workflow file as a missing workflows permission, not as an existing branch', async () => {
    const { forge } = makeForge();
    githubApi()
      .get(`/repos/acme/recs/git/trees/${base}`)
      .reply(200, { sha: sha('e'), truncated: false, tree: [] })
      .post('/repos/acme/recs/git/trees')
      .reply(201, { sha: sha('t') })
      .post('/repos/acme/recs/git/commits')
      .reply(201, { sha: sha('c') })
      .post('/repos/acme/recs/git/refs')
      .reply(422, WORKFLOWS_REFUSED);
    const push = forge.pushChanges({
      repo,
      branch,
      baseSha: base,
      message: 'm',
      edits: [{ path: '.github/workflows/ci.yml', before: null, after: 'x' }],
    });
    await expect(push).rejects.toThrow(/workflow file under \.github\/workflows\/ and the App has no workflows permission/);
    await expect(push).rejects.toMatchObject({ transient: false, status: 422, repo });
    await expect(push).rejects.not.toThrow(/already exists/);
  });

  it('reports a moved branch refused for a workflow file the same way', async () => {
    const { forge } = makeForge();
    githubApi()
      .get(`/repos/acme/recs/compare/${base}...${encodeURIComponent(branch)}`)
      .query(true)
      .reply(200, {
        status: 'ahead',
        total_commits: 1,
        merge_base_commit: { sha: base },
        commits: [{ sha: sha('o'), author: { login: BOT.login }, commit: { author: { name: BOT.name }, verification: SIGNED } }],
      })
      .get(`/repos/acme/recs/git/trees/${base}`)
      .reply(200, { sha: sha('e'), truncated: false, tree: [] })
      .post('/repos/acme/recs/git/trees')
      .reply(201, { sha: sha('t') })
      .post('/repos/acme/recs/git/commits')
      .reply(201, { sha: sha('c') })
      .patch(`/repos/acme/recs/git/refs/${encodeURIComponent(`heads/${branch}`)}`)
      .reply(422, WORKFLOWS_REFUSED);
    await expect(
      forge.pushChanges({
        repo,
        branch,
        baseSha: base,
        message: 'm',
        expectedHeadSha: sha('o'),
        edits: [{ path: 'a', before: null, after: 'x' }],
      }),
    ).rejects.toThrow(/no workflows permission/);
  });

  it('reports any other 422 on creating the branch as GitHub said it, not as an existing branch', async () => {
    const { forge } = makeForge();
    githubApi()
      .get(`/repos/acme/recs/git/trees/${base}`)
      .reply(200, { sha: sha('e'), truncated: false, tree: [] })
      .post('/repos/acme/recs/git/trees')
      .reply(201, { sha: sha('t') })
      .post('/repos/acme/recs/git/commits')
      .reply(201, { sha: sha('c') })
      .post('/repos/acme/recs/git/refs')
      .reply(422, { message: 'Reference update failed' });
    const push = forge.pushChanges({ repo, branch, baseSha: base, message: 'm', edits: [{ path: 'a', before: null, after: 'x' }] });
    await expect(push).rejects.toThrow(/create branch acme\/recs:fleetwave\/play-events-v2 failed \(HTTP 422\): Reference update failed/);
  });

  it('returns the existing PR when GitHub says one is already open for the branch', async () => {
    const { forge } = makeForge();
    githubApi()
      .post('/repos/acme/recs/pulls')
      .reply(422, {
        message: 'Validation Failed',
        errors: [{ message: 'A pull request already exists for acme:fleetwave/play-events-v2.' }],
      })
      .get('/repos/acme/recs/pulls')
      .query({ head: `acme:${branch}`, state: 'open', per_page: '1' })
      .reply(200, [restPull(5)]);
    const pr = await forge.openPullRequest({ repo, branch, base: 'main', title: 't', body: 'b' });
    expect(pr.number).toBe(5);
  });

  it("reads a branch with its commits and tells the bot's from a human's", async () => {
    const { forge } = makeForge();
    githubApi()
      .post('/graphql')
      .reply(200, {
        data: { r0: { nameWithOwner: repo, isArchived: false, defaultBranchRef: { name: 'main', target: { oid: base } }, optOut: null } },
      })
      .get(`/repos/acme/recs/compare/main...${encodeURIComponent(branch)}`)
      .query(true)
      .reply(200, {
        status: 'ahead',
        total_commits: 2,
        merge_base_commit: { sha: base },
        commits: [
          {
            sha: sha('o'),
            author: { login: BOT.login },
            commit: { author: { name: BOT.name, email: BOT.email }, message: 'Migrate', verification: SIGNED },
          },
          { sha: sha('u'), author: { login: 'octocat' }, commit: { author: { name: 'Mona', email: 'mona@example.com' }, message: 'fix' } },
        ],
      });
    const info = await forge.getBranch(repo, branch);
    expect(info).toEqual({
      name: branch,
      sha: sha('u'),
      commits: [
        { sha: sha('o'), authorName: BOT.name, authorEmail: BOT.email, byBot: true, message: 'Migrate' },
        { sha: sha('u'), authorName: 'Mona', authorEmail: 'mona@example.com', byBot: false, message: 'fix' },
      ],
    });
  });

  it('says null for a branch that does not exist', async () => {
    const { forge } = makeForge();
    githubApi()
      .post('/graphql')
      .reply(200, {
        data: { r0: { nameWithOwner: repo, isArchived: false, defaultBranchRef: { name: 'main', target: { oid: base } }, optOut: null } },
      })
      .get(`/repos/acme/recs/compare/main...${encodeURIComponent(branch)}`)
      .query(true)
      .reply(404, { message: 'Not Found' });
    expect(await forge.getBranch(repo, branch)).toBeNull();
  });
});
