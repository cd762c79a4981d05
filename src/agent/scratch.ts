/**
 * The agent's scratch copy of a consumer: a fresh git repository (no remote, no credentials, no
 * history but two commits: the consumer at its head, then the rules' edits) in a folder of its own,
 * beside the agent's HOME and temp folders. What the agent changed is read back from git against the
 * rules' commit, so an agent that commits (Aider does) is read the same as one that only writes.
 * git runs with no system or global configuration: nothing of ours (credential helpers, signing keys).
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Edit } from '../codemod/port.js';
import { isInsidePath } from '../util/inside-root.js';

const run = promisify(execFile);

export interface Scratch {
  /** The folder holding everything of this run (removed by dispose). */
  root: string;
  /** The consumer's copy: the agent's working directory. */
  repo: string;
  home: string;
  tmp: string;
  /** The commit holding the rules' result. */
  rulesSha: string;
  git(args: string[]): Promise<string>;
  /** Every file changed since the rules' commit (committed or not): its text then and now (null: absent). */
  changes(): Promise<Edit[]>;
  /** Back to the rules' result, then `files` written (null: deleted). */
  restore(files: Record<string, string | null>): Promise<void>;
  /** Puts `path` back as the rules left it. */
  revert(path: string): Promise<void>;
  dispose(): void;
}

function gitEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: 'fleetwave',
    GIT_AUTHOR_EMAIL: 'fleetwave@localhost',
    GIT_COMMITTER_NAME: 'fleetwave',
    GIT_COMMITTER_EMAIL: 'fleetwave@localhost',
    GIT_AUTHOR_DATE: '2000-01-01T00:00:00Z',
    GIT_COMMITTER_DATE: '2000-01-01T00:00:00Z',
  };
}

export async function createScratch(dir: string, baseEdits: readonly Edit[], options: { nodeModules?: string } = {}): Promise<Scratch> {
  const root = mkdtempSync(join(tmpdir(), 'fleetwave-agent-'));
  const repo = join(root, 'repo');
  const home = join(root, 'home');
  const tmp = join(root, 'tmp');
  mkdirSync(home);
  mkdirSync(tmp);
  const env = gitEnv(home);
  // The repository lives beside the copy (`repo/.git` is a file naming it) and is always named
  // explicitly: an agent that deletes or rewrites `repo/.git` cannot hide its changes from us.
  const gitDir = join(root, 'git');
  const git = async (args: string[]) =>
    (await run('git', ['--git-dir', gitDir, '--work-tree', repo, ...args], { cwd: repo, env, maxBuffer: 256 * 1024 * 1024 })).stdout;
  try {
    cpSync(dir, repo, { recursive: true, verbatimSymlinks: true, filter: (src) => !/[\\/](\.git|node_modules)$/.test(src) });
    await run('git', ['init', '-q', '-b', 'main', '--separate-git-dir', gitDir, repo], { env });
    // The consumer's dependencies, where it has them (or the toolchain's, linked): never part of the change.
    writeFileSync(join(gitDir, 'info', 'exclude'), 'node_modules\n');
    const own = join(dir, 'node_modules');
    const modules = existsSync(own) ? own : options.nodeModules;
    if (modules && existsSync(join(repo, 'package.json'))) symlinkSync(modules, join(repo, 'node_modules'), 'dir');
    await git(['add', '-A']);
    await git(['commit', '-q', '--no-verify', '--allow-empty', '-m', 'consumer at its head']);
    for (const e of baseEdits) writeEdit(repo, e.path, e.after);
    await git(['add', '-A']);
    await git(['commit', '-q', '--no-verify', '--allow-empty', '-m', 'fleetwave rules']);
  } catch (err) {
    rmSync(root, { recursive: true, force: true });
    throw err;
  }
  const rulesSha = (await git(['rev-parse', 'HEAD'])).trim();
  const show = async (path: string): Promise<string | null> => {
    try {
      return await git(['show', `${rulesSha}:${path}`]);
    } catch {
      return null;
    }
  };
  return {
    root,
    repo,
    home,
    tmp,
    rulesSha,
    git,
    async changes() {
      await git(['add', '-A']);
      const names = (await git(['diff', '--cached', '--no-renames', '--name-only', '-z', rulesSha])).split('\0').filter(Boolean).sort();
      const out: Edit[] = [];
      for (const path of names) {
        const before = await show(path);
        const file = join(repo, path);
        const after = existsSync(file) ? readFileSync(file, 'utf8') : null;
        if (before !== after) out.push({ path, before, after });
      }
      return out;
    },
    async restore(files) {
      await git(['reset', '-q', '--hard', rulesSha]);
      await git(['clean', '-q', '-fd']);
      for (const [path, text] of Object.entries(files)) writeEdit(repo, path, text);
    },
    async revert(path) {
      writeEdit(repo, path, await show(path));
    },
    dispose() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function writeEdit(repo: string, path: string, text: string | null): void {
  if (!isInsidePath(path)) throw new Error(`refusing to write ${path}: not a path inside the copy`);
  const file = join(repo, path);
  if (text === null) rmSync(file, { force: true });
  else {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}
