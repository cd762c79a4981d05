import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { createLocalRepo, DEFAULT_AUTHOR, openLocalFleet, type LocalForge } from '../../../src/forge/local/index.js';
import { ForgeError, InputError } from '../../../src/util/errors.js';
import { forgeFor, tempFleet, type TempFleet } from './fleet-helpers.js';

let t: TempFleet;
let forge: LocalForge;

beforeAll(async () => {
  t = tempFleet();
  await createLocalRepo(t.fleet, 'acme/recs', { 'config.yaml': 'dataset: data/events/v1\n', 'src/a.ts': 'export const a = 1;\n' });
  await createLocalRepo(t.fleet, 'acme/search', { 'README.md': 'reads data/events/v1 too\n' });
  await createLocalRepo(t.fleet, 'acme/unrelated', { 'README.md': 'nothing here\n' });
  await createLocalRepo(
    t.fleet,
    'beta/legacy',
    { 'README.md': 'data/events/v1\n', '.fleetwave/opt-out': 'we migrate ourselves\n' },
    { defaultBranch: 'trunk' },
  );
  forge = await forgeFor(t.fleet);
});
afterAll(() => t.cleanup());

describe('createLocalRepo', () => {
  it('creates a bare repository whose default branch holds one commit by a human', async () => {
    const gitDir = join(t.fleet, 'acme/recs.git');
    expect(existsSync(join(gitDir, 'HEAD'))).toBe(true);
    expect(existsSync(join(gitDir, '.git'))).toBe(false);
    const log = await simpleGit(gitDir).log(['main']);
    expect(log.total).toBe(1);
    expect(log.latest?.author_email).toBe(DEFAULT_AUTHOR.email);
    expect(log.latest?.author_email).not.toBe(forge.botIdentity.email);
  });

  it('commits a file that starts with #! as executable', async () => {
    await createLocalRepo(t.fleet, 'acme/scripted', { '.fleetwave/check': '#!/bin/sh\nexit 0\n', 'notes.txt': 'x\n' });
    const tree = await simpleGit(join(t.fleet, 'acme/scripted.git')).raw(['ls-tree', '-r', 'main']);
    expect(tree).toMatch(/^100755 blob \w+\t\.fleetwave\/check$/m);
    expect(tree).toMatch(/^100644 blob \w+\tnotes\.txt$/m);
  });

  it('refuses to create a repository that exists, and bad names', async () => {
    await expect(createLocalRepo(t.fleet, 'acme/recs', {})).rejects.toThrow(InputError);
    await expect(createLocalRepo(t.fleet, '../escape', {})).rejects.toThrow(/not a repository name/);
    await expect(createLocalRepo(t.fleet, 'acme/x.git', {})).rejects.toThrow(InputError);
  });
});

describe('openLocalFleet', () => {
  it('refuses a missing folder and a folder that is not a fleet, saying what a fleet is', async () => {
    await expect(openLocalFleet(join(t.root, 'nope'))).rejects.toThrow(/does not exist/);
    const plain = join(t.root, 'plain');
    mkdirSync(join(plain, 'acme', 'recs', '.git'), { recursive: true });
    const err = await openLocalFleet(plain).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/is not a fleet/);
    expect((err as Error).message).toMatch(/acme\/recs/);
    expect((err as Error).message).toMatch(/git clone --bare/);
  });

  it('accepts a folder of bare repositories without the marker, and marks it', async () => {
    const other = join(t.root, 'other-fleet');
    await createLocalRepo(other, 'o/r', { 'a.txt': 'a\n' });
    const marker = join(other, '.forge', 'fleet.json');
    rmSync(marker);
    expect((await openLocalFleet(other)).fleetDir).toBe(other);
    expect(existsSync(marker)).toBe(true);
  });
});

describe('listRepositories', () => {
  it('lists every bare repository with default branch, head, archived and opted-out', async () => {
    await forge.setArchived('acme/unrelated', true);
    const repos = await forge.listRepositories();
    const byName = new Map(repos.map((r) => [r.repo, r]));
    expect([...byName.keys()]).toEqual(expect.arrayContaining(['acme/recs', 'acme/search', 'acme/unrelated', 'beta/legacy']));
    expect(byName.get('beta/legacy')).toMatchObject({ defaultBranch: 'trunk', optedOut: true, archived: false });
    expect(byName.get('acme/recs')).toMatchObject({ defaultBranch: 'main', optedOut: false, archived: false });
    expect(byName.get('acme/unrelated')).toMatchObject({ archived: true });
    expect(byName.get('acme/recs')!.headSha).toMatch(/^[0-9a-f]{40}$/);
    expect(readFileSync(join(t.fleet, '.forge', 'archived'), 'utf8')).toBe('acme/unrelated\n');
    await forge.setArchived('acme/unrelated', false);
    expect((await forge.getRepository('acme/unrelated'))!.archived).toBe(false);
  });

  it('getRepository returns null for a repository the fleet does not have', async () => {
    expect(await forge.getRepository('acme/missing')).toBeNull();
  });
});

describe('searchCode', () => {
  it('finds the repositories whose default branch contains the text, literally', async () => {
    expect(await forge.searchCode('data/events/v1')).toEqual(['acme/recs', 'acme/search', 'beta/legacy']);
    expect(await forge.searchCode('data/events/v.')).toEqual([]);
    expect(await forge.searchCode('nothing here')).toEqual(['acme/unrelated']);
  });
});

describe('readFile and checkout', () => {
  it('reads a file at the default branch or a ref, null when absent', async () => {
    expect(await forge.readFile('acme/recs', 'config.yaml')).toBe('dataset: data/events/v1\n');
    expect(await forge.readFile('acme/recs', 'missing.txt')).toBeNull();
    expect(await forge.readFile('acme/recs', 'src')).toBeNull();
    const head = (await forge.getRepository('acme/recs'))!.headSha;
    expect(await forge.readFile('acme/recs', 'src/a.ts', head)).toBe('export const a = 1;\n');
    await expect(forge.readFile('acme/recs', 'a.txt', 'no-such-branch')).rejects.toThrow(ForgeError);
    await expect(forge.readFile('acme/recs', '../etc/passwd')).rejects.toThrow(InputError);
    await expect(forge.readFile('acme/nope', 'a.txt')).rejects.toThrow(/no repository acme\/nope/);
  });

  it('checks out a working copy that dispose removes', async () => {
    const co = await forge.checkout('acme/recs');
    expect(co.sha).toBe((await forge.getRepository('acme/recs'))!.headSha);
    expect(readFileSync(join(co.dir, 'src/a.ts'), 'utf8')).toBe('export const a = 1;\n');
    expect(readdirSync(join(t.fleet, 'acme/recs.git'))).not.toContain('index');
    const scripted = await forge.checkout('acme/scripted');
    expect(statSync(join(scripted.dir, '.fleetwave/check')).mode & 0o111).not.toBe(0);
    await scripted.dispose();
    await co.dispose();
    expect(existsSync(co.dir)).toBe(false);
  });
});
