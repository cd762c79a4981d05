#!/usr/bin/env node
/**
 * `npm run release`: the Action's release. dist/ is not kept on main; a release puts it on a commit
 * of its own, the way changesets/action releases itself:
 *   1. bundles the sources as committed at --ref (default HEAD) with scripts/bundle.mjs --git-ref;
 *   2. makes a commit whose parent is that ref and whose tree is the ref's tree plus dist/, on no
 *      branch (main never holds dist/);
 *   3. tags it v<version> (package.json's; refused when that tag exists on another commit) and moves
 *      the major tag v<major> to it, so `uses: <owner>/fleetwave@v1` gets the newest release;
 *   4. with --push <remote>, pushes both tags (the major one forced).
 * Nothing in the working tree or on any branch changes. Prints the release commit and the tags.
 *
 * Usage: node scripts/release.mjs [--ref <rev>] [--push <remote>] [--dry-run]
 *   --dry-run  bundle and make the commit, but tag and push nothing (prints the commit)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (!value || value.startsWith('--')) fail(`${name} needs a value`);
  return value;
};
const dryRun = args.includes('--dry-run');
const ref = option('--ref') ?? 'HEAD';
const remote = option('--push');

function fail(message) {
  process.stderr.write(`release: ${message}\n`);
  process.exit(1);
}

function git(gitArgs, env = {}, cwd = root) {
  return execFileSync('git', gitArgs, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

const base = (() => {
  try {
    return git(['rev-parse', '--verify', `${ref}^{commit}`]);
  } catch {
    return fail(`${ref} is not a commit of ${root}`);
  }
})();
const version = JSON.parse(git(['show', `${base}:package.json`])).version;
if (!/^\d+\.\d+\.\d+/.test(version)) fail(`package.json at ${ref} has no semantic version (${version})`);
const tag = `v${version}`;
const major = `v${version.split('.')[0]}`;

const work = mkdtempSync(join(tmpdir(), 'fleetwave-release-'));
try {
  const dist = join(work, 'dist');
  execFileSync(process.execPath, [join(root, 'scripts', 'bundle.mjs'), '--outdir', dist, '--git-ref', base, '--quiet'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  // The ref's tree plus dist/, built in a scratch index: the working tree and the real index stay as they are.
  const index = { GIT_INDEX_FILE: join(work, 'index') };
  git(['read-tree', base], index);
  const gitDir = git(['rev-parse', '--absolute-git-dir']);
  git(['--git-dir', gitDir, '--work-tree', work, 'add', '--force', '--', 'dist'], index, work);
  const tree = git(['write-tree'], index);
  const pkgName = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name;
  const commit = git(['commit-tree', tree, '-p', base, '-m', `${pkgName} ${tag}: the Action bundle (dist/) of ${base.slice(0, 12)}`]);
  if (dryRun) {
    process.stdout.write(`${commit} (dry run: not tagged)\n`);
  } else {
    let existing = null;
    try {
      existing = git(['rev-parse', '--verify', `refs/tags/${tag}^{commit}`]);
    } catch {
      existing = null;
    }
    if (existing) {
      // The same sources make the same bundle, but a release commit's own id differs by its time: one tag, one commit.
      const existingBase = git(['rev-parse', `${existing}^`]);
      if (existingBase !== base)
        fail(
          `tag ${tag} exists on ${existing.slice(0, 12)} (built from ${existingBase.slice(0, 12)}): bump the version in package.json first`,
        );
      process.stdout.write(`${tag} exists already for ${base.slice(0, 12)}: ${existing}\n`);
      git(['tag', '--force', major, existing]);
    } else {
      git(['tag', '--annotate', tag, commit, '-m', `${pkgName} ${tag}`]);
      git(['tag', '--force', major, commit]);
    }
    const released = git(['rev-parse', `refs/tags/${tag}^{commit}`]);
    process.stdout.write(`${released} ${tag} ${major}\n`);
    if (remote) {
      execFileSync('git', ['push', remote, `refs/tags/${tag}`], { cwd: root, stdio: 'inherit' });
      execFileSync('git', ['push', '--force', remote, `refs/tags/${major}`], { cwd: root, stdio: 'inherit' });
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
