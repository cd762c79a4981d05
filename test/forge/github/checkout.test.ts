import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { ForgeError } from '../../../src/util/errors.js';
import { makeForge } from './setup.js';

let root: string;
let first: string;
let second: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'fleetwave-gh-checkout-'));
  const work = join(root, 'work');
  const git = simpleGit();
  await git.init(['--initial-branch=main', work]);
  const w = simpleGit(work).addConfig('user.name', 'T').addConfig('user.email', 't@example.com');
  await writeFile(join(work, 'a.txt'), 'one\n');
  await w.add('a.txt').commit('one');
  first = (await w.revparse(['HEAD'])).trim();
  await writeFile(join(work, 'a.txt'), 'two\n');
  await w.add('a.txt').commit('two');
  second = (await w.revparse(['HEAD'])).trim();
  await git.clone(work, join(root, 'acme', 'recs.git'), ['--bare']);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('GitHub forge: working copies', () => {
  it('checks out the default branch and a given commit, shallowly, without writing the token anywhere', async () => {
    const { forge } = makeForge({ gitBaseUrl: `file://${root}`, token: async () => 'ghs_secret_token' });
    const head = await forge.checkout('acme/recs');
    const old = await forge.checkout('acme/recs', first);
    try {
      expect(head.sha).toBe(second);
      expect(await readFile(join(head.dir, 'a.txt'), 'utf8')).toBe('two\n');
      expect(old.sha).toBe(first);
      expect(await readFile(join(old.dir, 'a.txt'), 'utf8')).toBe('one\n');
      expect(await readFile(join(head.dir, '.git', 'config'), 'utf8')).not.toContain('ghs_secret_token');
      expect(Buffer.from(await readFile(join(head.dir, '.git', 'config'))).toString()).not.toContain(
        Buffer.from('x-access-token:ghs_secret_token').toString('base64'),
      );
    } finally {
      await head.dispose();
      await old.dispose();
    }
  });

  it('fails with a ForgeError naming the repository when it cannot be fetched', async () => {
    const { forge } = makeForge({ gitBaseUrl: `file://${root}`, token: async () => 'ghs_secret_token' });
    const attempt = forge.checkout('acme/missing');
    await expect(attempt).rejects.toThrow(ForgeError);
    await expect(attempt).rejects.toThrow(/acme\/missing/);
    await expect(attempt).rejects.not.toThrow(/ghs_secret_token/);
  });
});
