/**
 * Opening a fleet folder, and making repositories in it: the demo and the tests build fleets with
 * `createLocalRepo`, the CLI opens them with `openLocalFleet`.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { InputError } from '../../util/errors.js';
import type { RepoName } from '../port.js';
import { buildCommit } from './commit-builder.js';
import { git, type GitIdentity } from './git.js';
import { FleetLayout, isDirectory, parseRepoName } from './layout.js';
import { LocalForge, type LocalForgeOptions } from './local-forge.js';
import { compareAndSwapRef, isValidBranchName } from './repo-queries.js';

export const DEFAULT_AUTHOR: GitIdentity = { name: 'Fleet Developer', email: 'developer@fleet.example' };

async function markFleet(layout: FleetLayout): Promise<void> {
  if (existsSync(layout.markerFile)) return;
  await writeFileAtomic(layout.markerFile, `${JSON.stringify({ fleetwave: 'local-fleet', version: 1 }, null, 2)}\n`);
}

/** Open a fleet folder as a local forge; an InputError when the folder is missing or not a fleet. */
export async function openLocalFleet(fleetDir: string, options: LocalForgeOptions = {}): Promise<LocalForge> {
  const root = resolve(fleetDir);
  if (!isDirectory(root)) {
    throw new InputError(
      `fleet folder ${root} does not exist; give the folder that holds <owner>/<name>.git repositories (\`fleetwave demo --dir <dir>\` builds one)`,
    );
  }
  const layout = new FleetLayout(root);
  if (!existsSync(layout.markerFile) && (await layout.scanRepositories()).length === 0) {
    const copies = await layout.scanWorkingCopies();
    const hint = copies.length
      ? ` It holds working copies (${copies.slice(0, 3).join(', ')}${copies.length > 3 ? ', …' : ''}); a fleet holds bare repositories: git clone --bare <owner>/<name> <fleet>/<owner>/<name>.git`
      : ' Put bare repositories at <fleet>/<owner>/<name>.git (git init --bare), or build a demo fleet with `fleetwave demo --dir <dir>`.';
    throw new InputError(`${root} is not a fleet: it has no .forge/fleet.json and no <owner>/<name>.git bare repository.${hint}`);
  }
  await markFleet(layout);
  return new LocalForge(root, options);
}

export interface CreateRepoOptions {
  /** Author and committer of the initial commit; a human developer by default, never the bot. */
  author?: GitIdentity;
  defaultBranch?: string;
  message?: string;
  date?: Date;
}

/**
 * Create `<fleet>/<owner>/<name>.git`, a bare repository whose default branch holds one commit with
 * `files` (path → text; a text starting with `#!` is committed executable). Creates the fleet folder
 * when needed. An InputError when the repository exists already.
 */
export async function createLocalRepo(
  fleetDir: string,
  repo: RepoName,
  files: Record<string, string>,
  options: CreateRepoOptions = {},
): Promise<{ repo: RepoName; gitDir: string; sha: string }> {
  parseRepoName(repo);
  const layout = new FleetLayout(resolve(fleetDir));
  const gitDir = layout.repoDir(repo);
  if (existsSync(gitDir)) throw new InputError(`${gitDir} exists already; pick another repository name or delete it`);
  const branch = options.defaultBranch ?? 'main';
  if (!(await isValidBranchName(branch))) throw new InputError(`"${branch}" is not a valid branch name`);
  await mkdir(layout.root, { recursive: true });
  await markFleet(layout);
  await git(['init', '--bare', '--quiet', `--initial-branch=${branch}`, gitDir]);
  const author = options.author ?? DEFAULT_AUTHOR;
  const changes = Object.keys(files)
    .sort()
    .map((path) => ({ path, content: files[path]! }));
  const { sha } = await buildCommit(gitDir, {
    parents: [],
    changes,
    message: options.message ?? 'Initial commit',
    author,
    committer: author,
    date: options.date ?? new Date(),
  });
  await compareAndSwapRef(gitDir, `refs/heads/${branch}`, sha, null, 'initial commit');
  return { repo, gitDir, sha };
}
