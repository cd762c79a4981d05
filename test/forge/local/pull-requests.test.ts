import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { createLocalRepo, type LocalForge } from '../../../src/forge/local/index.js';
import { ForgeError, StateError } from '../../../src/util/errors.js';
import { edit, forgeFor, humanClone, tempFleet, type TempFleet } from './fleet-helpers.js';

let t: TempFleet;
let forge: LocalForge;
const BRANCH = 'fleetwave/events-v2';
const BODY = 'Moves to v2.\n\n<!-- fleetwave:{"migration":"events-v2","manifestHash":"abc"} -->';

/** Repo with a bot branch changing config.yaml; no checks (no test command), so PRs read fast. */
async function repoWithBranch(repo: string): Promise<{ base: string; head: string }> {
  const { sha: base } = await createLocalRepo(t.fleet, repo, { 'config.yaml': 'dataset: data/events/v1\n', 'other.txt': 'other\n' });
  const { sha: head } = await forge.pushChanges({
    repo,
    branch: BRANCH,
    baseSha: base,
    message: 'events-v2',
    edits: [edit('config.yaml', null, 'dataset: data/events/v2\n')],
  });
  return { base, head };
}

const open = (repo: string) => forge.openPullRequest({ repo, branch: BRANCH, base: 'main', title: 'Move to events v2', body: BODY });

function gitIn(repo: string) {
  return simpleGit(join(t.fleet, `${repo}.git`));
}

beforeAll(async () => {
  t = tempFleet();
  await createLocalRepo(t.fleet, 'acme/seed', { 'a.txt': 'a\n' });
  forge = await forgeFor(t.fleet, { now: () => new Date('2026-11-24T09:00:00.000Z') });
});
afterAll(() => t.cleanup());

describe('opening and finding pull requests', () => {
  it('opens a pull request on the bot branch; find returns it with numbers increasing per repository', async () => {
    const { head } = await repoWithBranch('acme/open');
    expect(await forge.findPullRequests(['acme/open'], BRANCH)).toEqual(new Map());
    const pr = await open('acme/open');
    expect(pr).toMatchObject({
      repo: 'acme/open',
      number: 1,
      state: 'open',
      branch: BRANCH,
      baseBranch: 'main',
      headSha: head,
      body: BODY,
      title: 'Move to events v2',
    });
    expect(pr.url).toBe(`file://${join(t.fleet, 'acme/open.git')}#pull/1`);
    expect(pr.createdAt).toBe('2026-11-24T09:00:00.000Z');
    const found = await forge.findPullRequests(['acme/open', 'acme/seed', 'acme/not-there'], BRANCH);
    expect([...found.keys()]).toEqual(['acme/open']);
    expect(found.get('acme/open')).toMatchObject({ number: 1, headSha: head, checks: { state: 'none', runs: [] } });
    expect((await forge.findPullRequests(['acme/open'], 'fleetwave/other')).size).toBe(0);
  });

  it('refuses a second open pull request for the same branch, a missing branch and an empty one', async () => {
    await expect(open('acme/open')).rejects.toThrow(/#1 is already open/);
    await expect(forge.openPullRequest({ repo: 'acme/seed', branch: BRANCH, base: 'main', title: 't', body: 'b' })).rejects.toThrow(
      /no branch/,
    );
    const gitDir = join(t.fleet, 'acme/seed.git');
    await simpleGit(gitDir).raw(['branch', 'fleetwave/empty', 'main']);
    await expect(
      forge.openPullRequest({ repo: 'acme/seed', branch: 'fleetwave/empty', base: 'main', title: 't', body: 'b' }),
    ).rejects.toThrow(/no commits between/);
  });

  it('follows the branch: a new push shows as the pull request head', async () => {
    const before = (await forge.findPullRequests(['acme/open'], BRANCH)).get('acme/open')!;
    const base = (await forge.getRepository('acme/open'))!.headSha;
    const { sha } = await forge.pushChanges({
      repo: 'acme/open',
      branch: BRANCH,
      baseSha: base,
      message: 'again',
      edits: [edit('config.yaml', null, 'v2b\n')],
      expectedHeadSha: before.headSha,
    });
    expect((await forge.findPullRequests(['acme/open'], BRANCH)).get('acme/open')!.headSha).toBe(sha);
  });

  it('updates, comments and reviews are kept on the record', async () => {
    await forge.updatePullRequest('acme/open', 1, { title: 'New title' });
    await forge.comment('acme/open', 1, 'waiting for wave 2');
    await forge.addReview('acme/open', 1, { author: 'alice', state: 'APPROVED' });
    const pr = (await forge.getPullRequest('acme/open', 1))!;
    expect(pr.title).toBe('New title');
    expect(pr.body).toBe(BODY);
    expect(pr.comments).toEqual([{ author: forge.botIdentity.login, body: 'waiting for wave 2', createdAt: '2026-11-24T09:00:00.000Z' }]);
    expect(pr.reviews).toEqual([{ author: 'alice', state: 'APPROVED', submittedAt: '2026-11-24T09:00:00.000Z', commitSha: pr.headSha }]);
    await expect(forge.comment('acme/open', 99, 'x')).rejects.toThrow(/no pull request #99/);
  });

  it('after a close, a new pull request for the branch gets the next number and find returns the newest', async () => {
    await repoWithBranch('acme/reopen');
    await open('acme/reopen');
    await forge.closePullRequestAs('acme/reopen', 1, 'bob');
    const closed = (await forge.findPullRequests(['acme/reopen'], BRANCH)).get('acme/reopen')!;
    expect(closed).toMatchObject({ number: 1, state: 'closed', closedBy: 'bob' });
    await expect(forge.mergePullRequest('acme/reopen', 1, closed.headSha)).rejects.toThrow(/closed, not open/);
    const second = await open('acme/reopen');
    expect(second.number).toBe(2);
    expect((await forge.findPullRequests(['acme/reopen'], BRANCH)).get('acme/reopen')!.number).toBe(2);
  });

  it('a damaged record file is a StateError naming the file', async () => {
    await repoWithBranch('acme/damaged');
    await open('acme/damaged');
    const file = join(t.fleet, '.forge', 'pulls', 'acme', 'damaged.json');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, '{"version":1,"nextNumber":"two","pulls":[]}');
    const err = await forge.findPullRequests(['acme/damaged'], BRANCH).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateError);
    expect((err as Error).message).toContain(file);
    expect((err as Error).message).toContain('nextNumber');
    writeFileSync(file, good);
  });
});

describe('crash between push and open', () => {
  it('leaves a bot branch without a pull request, which can be opened later without pushing again', async () => {
    const { head } = await repoWithBranch('acme/pushed-only');
    expect((await forge.findPullRequests(['acme/pushed-only'], BRANCH)).size).toBe(0);
    const branch = (await forge.getBranch('acme/pushed-only', BRANCH))!;
    expect(branch.commits.map((c) => [c.sha, c.byBot])).toEqual([[head, true]]);
    const pr = await open('acme/pushed-only');
    expect(pr).toMatchObject({ number: 1, headSha: head, state: 'open' });
    expect((await forge.getBranch('acme/pushed-only', BRANCH))!.sha).toBe(head);
  });
});

describe('merge', () => {
  it('merges into the default branch with a merge commit whose parents are the base and the head', async () => {
    const { base, head } = await repoWithBranch('acme/merge');
    const pr = await open('acme/merge');
    const { sha } = await forge.mergePullRequest('acme/merge', pr.number, head);
    expect((await forge.getRepository('acme/merge'))!.headSha).toBe(sha);
    expect(await forge.readFile('acme/merge', 'config.yaml')).toBe('dataset: data/events/v2\n');
    const parents = (await gitIn('acme/merge').raw(['rev-list', '--parents', '-n', '1', sha])).trim().split(' ');
    expect(parents).toEqual([sha, base, head]);
    const after = (await forge.findPullRequests(['acme/merge'], BRANCH)).get('acme/merge')!;
    expect(after).toMatchObject({
      state: 'merged',
      mergeSha: sha,
      headSha: head,
      mergedAt: '2026-11-24T09:00:00.000Z',
      closedBy: forge.botIdentity.login,
    });
    await expect(forge.mergePullRequest('acme/merge', pr.number, head)).rejects.toThrow(/merged, not open/);
  });

  it('refuses when the head is not the expected one (a human pushed meanwhile)', async () => {
    const { head } = await repoWithBranch('acme/moved');
    const pr = await open('acme/moved');
    const human = await humanClone(t.root, t.fleet, 'acme/moved');
    await human.git.checkout(BRANCH);
    writeFileSync(join(human.dir, 'extra.txt'), 'mine\n');
    await human.git.add('extra.txt').commit('mine');
    await human.git.push('origin', BRANCH);
    const before = (await forge.getRepository('acme/moved'))!.headSha;
    const attempt = forge.mergePullRequest('acme/moved', pr.number, head);
    await expect(attempt).rejects.toThrow(/read it again before merging/);
    await expect(attempt).rejects.toMatchObject({ transient: false });
    expect((await forge.getRepository('acme/moved'))!.headSha).toBe(before);
    expect((await forge.findPullRequests(['acme/moved'], BRANCH)).get('acme/moved')!.state).toBe('open');
  });

  it('refuses to merge a draft until a person marks it ready, as GitHub does', async () => {
    const { head } = await repoWithBranch('acme/draft');
    const pr = await forge.openPullRequest({ repo: 'acme/draft', branch: BRANCH, base: 'main', title: 'agent', body: BODY, draft: true });
    expect(pr.draft).toBe(true);
    const mainBefore = (await forge.getRepository('acme/draft'))!.headSha;
    const attempt = forge.mergePullRequest('acme/draft', pr.number, head);
    const file = join(t.fleet, '.forge', 'pulls', 'acme', 'draft.json');
    await expect(attempt).rejects.toThrow(
      `acme/draft#1 is a draft; it cannot be merged until a person marks it ready for review (set "draft": false in ${file})`,
    );
    await expect(attempt).rejects.toMatchObject({ transient: false });
    expect((await forge.getRepository('acme/draft'))!.headSha).toBe(mainBefore);
    // A person marks it ready (the record, the local forge's pull request page).
    const record = JSON.parse(readFileSync(file, 'utf8')) as { pulls: { draft?: boolean }[] };
    record.pulls[0]!.draft = false;
    writeFileSync(file, JSON.stringify(record));
    await forge.mergePullRequest('acme/draft', pr.number, head);
    expect((await forge.findPullRequests(['acme/draft'], BRANCH)).get('acme/draft')!.state).toBe('merged');
  });

  it('fails with a clear error on a conflict and leaves the default branch alone', async () => {
    const { head } = await repoWithBranch('acme/conflict');
    const pr = await open('acme/conflict');
    const human = await humanClone(t.root, t.fleet, 'acme/conflict');
    writeFileSync(join(human.dir, 'config.yaml'), 'dataset: somewhere/else\n');
    await human.git.add('config.yaml').commit('move elsewhere');
    await human.git.push('origin', 'main');
    const mainBefore = (await forge.getRepository('acme/conflict'))!.headSha;
    const err = await forge.mergePullRequest('acme/conflict', pr.number, head).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ForgeError);
    expect((err as Error).message).toMatch(/merge conflict with main in config\.yaml/);
    expect((await forge.getRepository('acme/conflict'))!.headSha).toBe(mainBefore);
  });

  it('recovers a merge whose record was never written (crash after the ref moved)', async () => {
    const { base, head } = await repoWithBranch('acme/crashed');
    const pr = await open('acme/crashed');
    // What mergePullRequest does up to the crash: the merge commit lands on main, the record does not change.
    const g = gitIn('acme/crashed');
    const tree = (await g.raw(['merge-tree', '--write-tree', base, head])).trim();
    const bot = forge.botIdentity;
    const merge = (
      await g.raw([
        '-c',
        `user.name=${bot.name}`,
        '-c',
        `user.email=${bot.email}`,
        'commit-tree',
        tree,
        '-p',
        base,
        '-p',
        head,
        '-m',
        'merge',
      ])
    ).trim();
    await g.raw(['update-ref', 'refs/heads/main', merge, base]);
    const found = (await forge.findPullRequests(['acme/crashed'], BRANCH)).get('acme/crashed')!;
    expect(found).toMatchObject({ number: pr.number, state: 'merged', mergeSha: merge, closedBy: forge.botIdentity.login });
    // The next merge attempt is refused instead of merging twice.
    await expect(forge.mergePullRequest('acme/crashed', pr.number, head)).rejects.toThrow(/merged, not open/);
  });
});

describe('revert', () => {
  it('reverts the merge on the default branch with a bot commit and records it', async () => {
    const { head } = await repoWithBranch('acme/revert');
    const pr = await open('acme/revert');
    const { sha: mergeSha } = await forge.mergePullRequest('acme/revert', pr.number, head);
    await expect(forge.revertPullRequest('acme/open', 1, 'x')).rejects.toThrow(/open, not merged/);
    const { sha } = await forge.revertPullRequest('acme/revert', pr.number, 'post-merge checks failed');
    expect((await forge.getRepository('acme/revert'))!.headSha).toBe(sha);
    expect(await forge.readFile('acme/revert', 'config.yaml')).toBe('dataset: data/events/v1\n');
    expect(await forge.readFile('acme/revert', 'other.txt')).toBe('other\n');
    const log = await gitIn('acme/revert').log(['-n', '1', 'main']);
    expect(log.latest!.author_email).toBe(forge.botIdentity.email);
    expect(log.latest!.body).toContain(`This reverts commit ${mergeSha}`);
    expect(log.latest!.body).toContain('Reason: post-merge checks failed');
    const parents = (await gitIn('acme/revert').raw(['rev-list', '--parents', '-n', '1', sha])).trim().split(' ');
    expect(parents).toEqual([sha, mergeSha]);

    const after = (await forge.getPullRequest('acme/revert', pr.number))!;
    expect(after).toMatchObject({
      state: 'merged',
      revertSha: sha,
      revertedAt: '2026-11-24T09:00:00.000Z',
      revertReason: 'post-merge checks failed',
    });
    expect(after.comments.at(-1)!.body).toBe(`Reverted in ${sha}: post-merge checks failed`);
    // Asking again returns the same revert, no second commit.
    expect(await forge.revertPullRequest('acme/revert', pr.number, 'again')).toEqual({ sha });
    expect((await forge.getRepository('acme/revert'))!.headSha).toBe(sha);
    // No worktree is left behind in the bare repository.
    expect((await gitIn('acme/revert').raw(['worktree', 'list'])).trim().split('\n')).toHaveLength(1);
  });

  it('adopts a revert commit that landed before a crash instead of reverting twice', async () => {
    const { head } = await repoWithBranch('acme/revert-crash');
    const pr = await open('acme/revert-crash');
    const { sha: mergeSha } = await forge.mergePullRequest('acme/revert-crash', pr.number, head);
    const human = await humanClone(t.root, t.fleet, 'acme/revert-crash');
    await human.git.raw(['revert', '--no-edit', '-m', '1', mergeSha]);
    await human.git.push('origin', 'main');
    const landed = (await forge.getRepository('acme/revert-crash'))!.headSha;
    expect(await forge.revertPullRequest('acme/revert-crash', pr.number, 'checks failed')).toEqual({ sha: landed });
    expect((await forge.getRepository('acme/revert-crash'))!.headSha).toBe(landed);
  });
});
