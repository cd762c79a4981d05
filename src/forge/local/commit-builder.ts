/**
 * Make a commit from a parent and a list of file changes with plumbing only, in a bare repository:
 * hash the new contents, apply them to a temporary index read from the parent, write the tree and
 * the commit. No ref moves here; the caller moves its ref with compare-and-swap.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../util/errors.js';
import { commitEnv, git, type GitIdentity } from './git.js';

export interface FileChange {
  path: string;
  /** New text; null deletes the file. */
  content: string | null;
}

export interface CommitSpec {
  /** The repository, for errors (e.g. `acme/recs`). */
  repo?: string;
  parents: string[];
  changes: FileChange[];
  message: string;
  author: GitIdentity;
  committer: GitIdentity;
  date: Date;
}

/** A relative path inside the repository; no `..`, no absolute path, nothing under `.git`. */
export function checkRepoPath(path: string): string {
  const parts = path.split('/');
  if (
    !path ||
    path.startsWith('/') ||
    path.includes('\\') ||
    path.includes('\0') ||
    path.includes('\n') ||
    parts.some((p) => p === '' || p === '.' || p === '..' || p.toLowerCase() === '.git')
  ) {
    throw new InputError(
      `"${path}" is not a path inside a repository: use a relative path with '/' separators, no '..', nothing under .git`,
    );
  }
  return path;
}

/** Git mode for a file created by a change: a script (text starting with `#!`) is executable. */
function modeForNewFile(content: string): string {
  return content.startsWith('#!') ? '100755' : '100644';
}

/** `a/b/c` -> `a`, `a/b`, `a/b/c`. */
function ancestorsAndSelf(path: string): string[] {
  const parts = path.split('/');
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

/**
 * A change to a path that is a symbolic link or a submodule in the parent's tree, or that lies under
 * one (or under a file), is refused (issue 14): as `writeEditsAtomically` does for a checkout on disk,
 * a change set never rewrites a link as if it were a file, nor reaches a path through one. Git would
 * keep mode 120000 and make the new text the link's target, or silently replace the link with a folder.
 */
function refuseLinked(repo: string | undefined, path: string, modes: ReadonlyMap<string, string>): void {
  const what = (mode: string) => (mode === '120000' ? 'a symbolic link' : mode === '160000' ? 'a submodule' : 'a file');
  const refuse = (why: string) =>
    new InputError(`${repo ? `${repo}: ` : ''}${path}: ${why}; Fleetwave changes only regular files, never a link or a path through one`);
  const parts = ancestorsAndSelf(path);
  for (const folder of parts.slice(0, -1)) {
    const mode = modes.get(folder);
    if (mode) throw refuse(`${folder} is ${what(mode)} in the base commit, not a folder`);
  }
  const mode = modes.get(path);
  if (mode === '120000' || mode === '160000') throw refuse(`it is ${what(mode)} in the base commit`);
}

/** Returns the new commit's sha and its tree; the tree equals the parent's when the changes change nothing. */
export async function buildCommit(gitDir: string, spec: CommitSpec): Promise<{ sha: string; tree: string; parentTree: string | null }> {
  const changes = spec.changes.map((c) => ({ ...c, path: checkRepoPath(c.path) }));
  const seen = new Set<string>();
  for (const c of changes) {
    if (seen.has(c.path)) throw new InputError(`the change list names ${c.path} twice; give one change per file`);
    seen.add(c.path);
  }
  const tmp = await mkdtemp(join(tmpdir(), 'fleetwave-index-'));
  try {
    const env = { GIT_INDEX_FILE: join(tmp, 'index') };
    const parent = spec.parents[0];
    let parentTree: string | null = null;
    if (parent) {
      await git(['read-tree', parent], { gitDir, env });
      parentTree = (await git(['rev-parse', `${parent}^{tree}`], { gitDir })).stdout.trim();
    }

    // The entries at each changed path and at every folder above it, from the parent's tree (an index
    // holds files, links and submodules, never folders: an entry at a folder's path is one of those).
    const modes = new Map<string, string>();
    if (parent && changes.length) {
      const asked = [...new Set(changes.flatMap((c) => ancestorsAndSelf(c.path)))];
      const listed = await git(['ls-files', '-s', '-z', '--', ...asked.map((p) => `:(literal)${p}`)], { gitDir, env });
      for (const entry of listed.stdout.split('\0')) {
        const m = /^(\d+) [0-9a-f]+ \d\t(.*)$/s.exec(entry);
        if (m) modes.set(m[2]!, m[1]!);
      }
    }
    // Nothing is hashed or written when one change is refused.
    for (const c of changes) refuseLinked(spec.repo, c.path, modes);

    const writes = changes.filter((c): c is { path: string; content: string } => c.content !== null);
    const blobs = new Map<string, string>();
    if (writes.length) {
      const files = await Promise.all(
        writes.map(async (c, i) => {
          const file = join(tmp, `blob-${i}`);
          await writeFile(file, c.content);
          return file;
        }),
      );
      const hashed = (await git(['hash-object', '-w', '--no-filters', '--stdin-paths'], { gitDir, input: files.join('\n') + '\n' })).stdout
        .trim()
        .split('\n');
      writes.forEach((c, i) => blobs.set(c.path, hashed[i]!));
    }

    // Keep the mode of files that exist (an executable stays executable).
    const lines = changes.map((c) =>
      c.content === null
        ? `0 ${'0'.repeat(40)}\t${c.path}`
        : `${modes.get(c.path) ?? modeForNewFile(c.content)} ${blobs.get(c.path)!}\t${c.path}`,
    );
    if (lines.length) await git(['update-index', '--index-info'], { gitDir, env, input: lines.join('\n') + '\n' });
    const tree = (await git(['write-tree'], { gitDir, env })).stdout.trim();
    const parentArgs = spec.parents.flatMap((p) => ['-p', p]);
    const sha = (
      await git(['commit-tree', tree, ...parentArgs, '-F', '-'], {
        gitDir,
        input: spec.message.endsWith('\n') ? spec.message : `${spec.message}\n`,
        env: commitEnv(spec.author, spec.committer, spec.date),
      })
    ).stdout.trim();
    return { sha, tree, parentTree };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
