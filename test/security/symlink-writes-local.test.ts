/**
 * Issue #14: the local forge applies a change set to a bare repository with plumbing (commit-builder).
 * A path that is a symbolic link in the consumer's tree kept mode 120000 with the edit's text as its
 * new target (a link to anywhere), and a path under a linked folder silently replaced the link. Both are
 * refused now, naming the repository and the path, before any object is written.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCommit, type CommitSpec } from '../../src/forge/local/commit-builder.js';
import { git } from '../../src/forge/local/git.js';
import { InputError } from '../../src/util/errors.js';

let dir: string;
let gitDir: string;
let head: string;
const bot = { name: 'fleetwave[bot]', email: 'bot@example.com' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fleetwave-symlink-local-'));
  const work = join(dir, 'work');
  mkdirSync(join(work, 'lib'), { recursive: true });
  writeFileSync(join(work, 'lib', 'a.ts'), 'a\n');
  symlinkSync('/etc/passwd', join(work, 'config.ts'));
  symlinkSync('/tmp', join(work, 'src'));
  symlinkSync('a.ts', join(work, 'lib', 'alias.ts'));
  await git(['init', '-q'], { cwd: work });
  await git(['add', '-A'], { cwd: work });
  await git(['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'init'], { cwd: work });
  gitDir = join(work, '.git');
  head = (await git(['rev-parse', 'HEAD'], { gitDir })).stdout.trim();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spec = (changes: CommitSpec['changes']): CommitSpec => ({
  repo: 'acme/recs',
  parents: [head],
  changes,
  message: 'm',
  author: bot,
  committer: bot,
  date: new Date('2026-01-01T00:00:00Z'),
});

async function refusal(changes: CommitSpec['changes']): Promise<Error> {
  try {
    await buildCommit(gitDir, spec(changes));
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a refusal');
}

async function objectExists(text: string): Promise<boolean> {
  const sha = (await git(['hash-object', '--stdin'], { gitDir, input: text })).stdout.trim();
  return (await git(['cat-file', '-e', sha], { gitDir, okCodes: [1, 128] })).code === 0;
}

describe('local forge: a change set never writes through a symbolic link', () => {
  it.each([
    ['config.ts', 'it is a symbolic link in the base commit'],
    ['lib/alias.ts', 'it is a symbolic link in the base commit'],
    ['src/x.ts', 'src is a symbolic link in the base commit, not a folder'],
  ])('refuses %s, naming the repository and the path, writing no object', async (path, why) => {
    const text = `pwned ${path}\n`;
    const err = await refusal([
      { path: 'lib/a.ts', content: 'A\n' },
      { path, content: text },
    ]);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toBe(`acme/recs: ${path}: ${why}; Fleetwave changes only regular files, never a link or a path through one`);
    expect(await objectExists(text)).toBe(false);
    expect(await objectExists('A\n')).toBe(false);
  });

  it('refuses deleting a link too, and still commits regular files', async () => {
    expect((await refusal([{ path: 'config.ts', content: null }])).message).toMatch(/^acme\/recs: config\.ts: it is a symbolic link/);
    const built = await buildCommit(
      gitDir,
      spec([
        { path: 'lib/a.ts', content: 'b\n' },
        { path: 'lib/new.ts', content: 'n\n' },
      ]),
    );
    expect(built.tree).not.toBe(built.parentTree);
    const listed = (await git(['ls-tree', '-r', built.sha], { gitDir })).stdout;
    expect(listed).toMatch(/^120000 blob [0-9a-f]+\tconfig\.ts$/m);
    expect(listed).toMatch(/^100644 blob [0-9a-f]+\tlib\/new\.ts$/m);
  });
});
