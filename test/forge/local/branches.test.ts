import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { createLocalRepo, type LocalForge } from '../../../src/forge/local/index.js';
import { ForgeError, InputError } from '../../../src/util/errors.js';
import { edit, forgeFor, humanClone, tempFleet, type TempFleet } from './fleet-helpers.js';

let t: TempFleet;
let forge: LocalForge;
const BRANCH = 'fleetwave/events-v2';

async function head(repo: string): Promise<string> {
  return (await forge.getRepository(repo))!.headSha;
}

beforeAll(async () => {
  t = tempFleet();
  for (const repo of ['acme/a', 'acme/b', 'acme/c', 'acme/d']) {
    await createLocalRepo(t.fleet, repo, {
      'config.yaml': 'dataset: data/events/v1\n',
      'old.txt': 'to be deleted\n',
      'run.sh': '#!/bin/sh\necho data/events/v1\n',
    });
  }
  forge = await forgeFor(t.fleet);
});
afterAll(() => t.cleanup());

describe('pushChanges and getBranch', () => {
  it('commits the edits as the bot on top of the base, including deletions and new files', async () => {
    const base = await head('acme/a');
    const { sha } = await forge.pushChanges({
      repo: 'acme/a',
      branch: BRANCH,
      baseSha: base,
      message: 'events-v2: replace',
      edits: [
        edit('config.yaml', 'dataset: data/events/v1\n', 'dataset: data/events/v2\n'),
        edit('old.txt', 'to be deleted\n', null),
        edit('docs/new.md', null, 'new file\n'),
        edit('run.sh', '#!/bin/sh\necho data/events/v1\n', '#!/bin/sh\necho data/events/v2\n'),
      ],
    });
    expect(await forge.readFile('acme/a', 'config.yaml', sha)).toBe('dataset: data/events/v2\n');
    expect(await forge.readFile('acme/a', 'old.txt', sha)).toBeNull();
    expect(await forge.readFile('acme/a', 'docs/new.md', sha)).toBe('new file\n');
    // The default branch is untouched.
    expect(await head('acme/a')).toBe(base);
    expect(await forge.readFile('acme/a', 'config.yaml')).toBe('dataset: data/events/v1\n');
    // An executable stays executable.
    const tree = await simpleGit(join(t.fleet, 'acme/a.git')).raw(['ls-tree', sha, 'run.sh']);
    expect(tree).toMatch(/^100755 /);

    const branch = await forge.getBranch('acme/a', BRANCH);
    expect(branch).toMatchObject({ name: BRANCH, sha });
    expect(branch!.commits).toHaveLength(1);
    expect(branch!.commits[0]).toMatchObject({ sha, byBot: true, authorEmail: forge.botIdentity.email, message: 'events-v2: replace' });
    const parents = (await simpleGit(join(t.fleet, 'acme/a.git')).raw(['rev-list', '--parents', '-n', '1', sha])).trim().split(' ');
    expect(parents).toEqual([sha, base]);
  });

  it('moves its own branch to a new commit when given the head it saw (compare-and-swap)', async () => {
    const base = await head('acme/b');
    const first = await forge.pushChanges({
      repo: 'acme/b',
      branch: BRANCH,
      baseSha: base,
      message: 'one',
      edits: [edit('config.yaml', null, 'v2\n')],
    });
    const second = await forge.pushChanges({
      repo: 'acme/b',
      branch: BRANCH,
      baseSha: base,
      message: 'two',
      edits: [edit('config.yaml', null, 'v2 again\n')],
      expectedHeadSha: first.sha,
    });
    expect(second.sha).not.toBe(first.sha);
    const branch = await forge.getBranch('acme/b', BRANCH);
    expect(branch!.sha).toBe(second.sha);
    expect(branch!.commits.map((c) => c.message)).toEqual(['two']);
  });

  it('refuses when the branch head is not the one expected, and leaves the branch as it was', async () => {
    const base = await head('acme/b');
    const now = (await forge.getBranch('acme/b', BRANCH))!.sha;
    const stale = forge.pushChanges({
      repo: 'acme/b',
      branch: BRANCH,
      baseSha: base,
      message: 'x',
      edits: [edit('config.yaml', null, 'x\n')],
      expectedHeadSha: base,
    });
    await expect(stale).rejects.toThrow(/is at .* not at/);
    await expect(stale).rejects.toMatchObject({ transient: false });
    // "must not exist" (no expectedHeadSha) while it exists
    await expect(
      forge.pushChanges({ repo: 'acme/b', branch: BRANCH, baseSha: base, message: 'x', edits: [edit('config.yaml', null, 'x\n')] }),
    ).rejects.toThrow(/already exists/);
    // expected a head but the branch is gone
    await expect(
      forge.pushChanges({
        repo: 'acme/c',
        branch: 'fleetwave/none',
        baseSha: base,
        message: 'x',
        edits: [edit('a', null, 'x\n')],
        expectedHeadSha: now,
      }),
    ).rejects.toThrow(/no longer exists/);
    expect((await forge.getBranch('acme/b', BRANCH))!.sha).toBe(now);
  });

  it('reads branch heads the same when git has packed the refs', async () => {
    const loose = (await forge.getBranch('acme/b', BRANCH))!;
    const main = await head('acme/b');
    await simpleGit(join(t.fleet, 'acme/b.git')).raw(['pack-refs', '--all', '--prune']);
    expect((await forge.getBranch('acme/b', BRANCH))!.sha).toBe(loose.sha);
    expect(await head('acme/b')).toBe(main);
    const next = await forge.pushChanges({
      repo: 'acme/b',
      branch: BRANCH,
      baseSha: main,
      message: 'three',
      edits: [edit('config.yaml', null, 'v3\n')],
      expectedHeadSha: loose.sha,
    });
    expect((await forge.getBranch('acme/b', BRANCH))!.sha).toBe(next.sha);
  });

  it('refuses a push to the default branch, an empty change, a bad path and a missing base', async () => {
    const base = await head('acme/c');
    await expect(
      forge.pushChanges({
        repo: 'acme/c',
        branch: 'main',
        baseSha: base,
        message: 'x',
        edits: [edit('a', null, 'x')],
        expectedHeadSha: base,
      }),
    ).rejects.toThrow(/default branch/);
    await expect(
      forge.pushChanges({
        repo: 'acme/c',
        branch: BRANCH,
        baseSha: base,
        message: 'x',
        edits: [edit('config.yaml', 'dataset: data/events/v1\n', 'dataset: data/events/v1\n')],
      }),
    ).rejects.toThrow(/change nothing/);
    await expect(
      forge.pushChanges({ repo: 'acme/c', branch: BRANCH, baseSha: base, message: 'x', edits: [edit('../x', null, 'x')] }),
    ).rejects.toThrow(InputError);
    await expect(
      forge.pushChanges({
        repo: 'acme/c',
        branch: BRANCH,
        baseSha: '0123456789012345678901234567890123456789',
        message: 'x',
        edits: [edit('a', null, 'x')],
      }),
    ).rejects.toThrow(/does not exist/);
    await expect(
      forge.pushChanges({ repo: 'acme/c', branch: 'bad..name', baseSha: base, message: 'x', edits: [edit('a', null, 'x')] }),
    ).rejects.toThrow(InputError);
    expect(await forge.getBranch('acme/c', BRANCH)).toBeNull();
  });

  it('getBranch is null for a missing branch and lists only the commits not on the default branch', async () => {
    expect(await forge.getBranch('acme/c', 'fleetwave/missing')).toBeNull();
    const main = await forge.getBranch('acme/c', 'main');
    expect(main!.commits).toEqual([]);
  });
});

describe('a human commit on the bot branch', () => {
  it('is reported with byBot false and never overwritten', async () => {
    const base = await head('acme/d');
    const { sha: botSha } = await forge.pushChanges({
      repo: 'acme/d',
      branch: BRANCH,
      baseSha: base,
      message: 'bot change',
      edits: [edit('config.yaml', null, 'v2\n')],
    });

    const human = await humanClone(t.root, t.fleet, 'acme/d');
    await human.git.checkout(BRANCH);
    writeFileSync(join(human.dir, 'config.yaml'), 'v2, fixed by hand\n');
    await human.git.add('config.yaml').commit('fix by hand');
    await human.git.push('origin', BRANCH);

    const branch = await forge.getBranch('acme/d', BRANCH);
    expect(branch!.commits.map((c) => [c.byBot, c.authorName])).toEqual([
      [true, forge.botIdentity.name],
      [false, 'Hannah Human'],
    ]);
    const humanSha = branch!.sha;
    expect(humanSha).not.toBe(botSha);

    // Even with the right expected head, the forge will not replace a human's commit.
    const attempt = forge.pushChanges({
      repo: 'acme/d',
      branch: BRANCH,
      baseSha: base,
      message: 'again',
      edits: [edit('config.yaml', null, 'v2\n')],
      expectedHeadSha: humanSha,
    });
    await expect(attempt).rejects.toThrow(ForgeError);
    await expect(attempt).rejects.toThrow(/Hannah Human .* never overwritten/);
    await expect(attempt).rejects.toMatchObject({ transient: false });
    expect((await forge.getBranch('acme/d', BRANCH))!.sha).toBe(humanSha);
    expect(await forge.readFile('acme/d', 'config.yaml', BRANCH)).toBe('v2, fixed by hand\n');
  });
});

describe('deleteBranch', () => {
  const TRIAL = 'fleetwave-trial/events-v2';

  it("deletes the bot's branch at the expected head; deleting it again is no error", async () => {
    const base = await head('acme/c');
    const { sha } = await forge.pushChanges({
      repo: 'acme/c',
      branch: TRIAL,
      baseSha: base,
      message: 'trial',
      edits: [edit('t.txt', null, 'x\n')],
    });
    await forge.deleteBranch('acme/c', TRIAL, sha);
    expect(await forge.getBranch('acme/c', TRIAL)).toBeNull();
    await forge.deleteBranch('acme/c', TRIAL, sha);
    // The commit is unreferenced; the default branch never moved.
    expect(await head('acme/c')).toBe(base);
  });

  it('refuses a branch that moved, one with a human commit, and the default branch; each stays', async () => {
    const base = await head('acme/c');
    const first = await forge.pushChanges({
      repo: 'acme/c',
      branch: TRIAL,
      baseSha: base,
      message: 'trial',
      edits: [edit('t.txt', null, 'x\n')],
    });
    const second = await forge.pushChanges({
      repo: 'acme/c',
      branch: TRIAL,
      baseSha: base,
      message: 'trial again',
      edits: [edit('t.txt', null, 'y\n')],
      expectedHeadSha: first.sha,
    });
    await expect(forge.deleteBranch('acme/c', TRIAL, first.sha)).rejects.toThrow(/is at .*, not at .* as expected.*not deleting it/);
    expect((await forge.getBranch('acme/c', TRIAL))!.sha).toBe(second.sha);

    const human = await humanClone(t.root, t.fleet, 'acme/c');
    await human.git.checkout(TRIAL);
    writeFileSync(join(human.dir, 't.txt'), 'mine\n');
    await human.git.add('t.txt').commit('keep this');
    await human.git.push('origin', TRIAL);
    const humanSha = (await forge.getBranch('acme/c', TRIAL))!.sha;
    const attempt = forge.deleteBranch('acme/c', TRIAL, humanSha);
    await expect(attempt).rejects.toThrow(/Hannah Human .* a human's commit is never deleted/);
    await expect(attempt).rejects.toMatchObject({ transient: false });
    expect((await forge.getBranch('acme/c', TRIAL))!.sha).toBe(humanSha);

    await expect(forge.deleteBranch('acme/c', 'main', base)).rejects.toThrow(/refusing to delete the default branch/);
    expect(await head('acme/c')).toBe(base);
  });
});
