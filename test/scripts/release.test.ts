/**
 * scripts/release.mjs on a clone of this repository: the release commit holds the committed sources
 * plus dist/, sits on no branch (main never holds dist/), carries the version tag and the major tag,
 * and the bundle it holds runs as a runner runs it, from the tag's files alone (no node_modules).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, runAction } from '../action/run-action.js';

let dir: string;
let clone: string;
const git = (...args: string[]) => execFileSync('git', args, { cwd: clone, encoding: 'utf8' }).trim();
const release = (...args: string[]) =>
  execFileSync(process.execPath, [join(clone, 'scripts', 'release.mjs'), ...args], {
    cwd: clone,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
const version = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version as string;
const tag = `v${version}`;
const major = `v${version.split('.')[0]}`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleetwave-release-'));
  clone = join(dir, 'repo');
  execFileSync('git', ['clone', '--quiet', '--no-local', repoRoot, clone]);
  git('config', 'user.email', 'release@fleetwave.invalid');
  git('config', 'user.name', 'release test');
  // The tests' own copy of the scripts, in case they are changed but not committed yet.
  for (const script of ['release.mjs', 'bundle.mjs'])
    writeFileSync(join(clone, 'scripts', script), readFileSync(join(repoRoot, 'scripts', script)));
  git('add', 'scripts');
  git('commit', '--quiet', '--allow-empty', '-m', 'the scripts under test');
  symlinkSync(join(repoRoot, 'node_modules'), join(clone, 'node_modules'), 'dir');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('scripts/release.mjs', () => {
  it('tags a commit of HEAD plus dist/, on no branch, and leaves main and the working tree as they were', () => {
    const head = git('rev-parse', 'HEAD');
    const out = release();
    const released = git('rev-parse', `${tag}^{commit}`);
    expect(out).toContain(`${released} ${tag} ${major}`);
    expect(git('rev-parse', `${major}^{commit}`)).toBe(released);
    expect(git('rev-parse', `${released}^`)).toBe(head);
    expect(git('rev-parse', 'HEAD')).toBe(head);
    expect(git('branch', '--contains', released)).toBe('');
    expect(git('status', '--porcelain', '--untracked-files=no')).toBe('');
    const files = git('ls-tree', '-r', '--name-only', released).split('\n');
    expect(files).toEqual(
      expect.arrayContaining([
        'dist/index.js',
        'dist/worker.js',
        'dist/side-worker.js',
        'dist/convert-worker.js',
        'dist/parquet_wasm_bg.wasm',
        'action.yml',
      ]),
    );
    // The release adds dist/ and nothing else.
    const changed = git('diff', '--name-only', head, released).split('\n');
    expect(changed.every((f) => f.startsWith('dist/'))).toBe(true);
  });

  it('refuses to tag the same version again from other sources', () => {
    git('commit', '--quiet', '--allow-empty', '-m', 'more work, same version');
    expect(() => release()).toThrow(new RegExp(`tag ${tag} exists on [0-9a-f]+ .*bump the version`));
  });

  it('releases a bundle that runs from the tag alone, with no node_modules', async () => {
    const action = join(dir, 'action');
    mkdirSync(action);
    execFileSync('sh', ['-c', `git -C '${clone}' archive '${tag}' | tar -x -C '${action}'`]);
    const ws = join(dir, 'ws');
    mkdirSync(ws);
    writeFileSync(join(ws, 'migration.yaml'), readFileSync(join(repoRoot, 'manifests', 'play-events-v2.yaml')));
    const run = await runAction(
      { mode: 'validate', manifest: 'migration.yaml' },
      { workspace: ws, bundle: join(action, 'dist', 'index.js') },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ valid: 'true', problems: '0' });
  });
});
