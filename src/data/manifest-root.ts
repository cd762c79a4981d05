import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * The checkout of the repository that holds a manifest: the nearest folder at or above the
 * manifest's own that has a `.git` entry (a folder, or a file in a worktree or submodule), else the
 * manifest's folder. Repository-relative paths in a manifest (`dataset.schema`, custom codemods)
 * resolve against it, as impact analysis and the codemods resolve them (the CLI finds the same folder
 * with `git rev-parse --show-toplevel`).
 */
export function manifestRepoRoot(manifestPath: string): string {
  const start = dirname(resolve(manifestPath));
  for (let dir = start; ; ) {
    if (existsSync(resolve(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return start;
    dir = parent;
  }
}
