/**
 * Reading branch heads straight from a bare repository's files (a loose ref, else `packed-refs`),
 * without spawning git: the forge reads heads on every call, and a git process per read is most of
 * the cost on a busy machine. Git writes refs by lock file + rename, so a read sees the old value or
 * the new one. Anything unusual (a symbolic ref, a malformed file) falls back to `git rev-parse`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { revParse } from './git.js';

const SHA = /^[0-9a-f]{40}$/;
/** Names read from files; anything else (`..`, odd characters) goes to git, which knows the rules. */
const PLAIN_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_./-]*$/;

/** The commit `refs/heads/<branch>` points at, or null when the branch does not exist. */
export async function branchHead(gitDir: string, branch: string): Promise<string | null> {
  const ref = `refs/heads/${branch}`;
  if (!PLAIN_NAME.test(branch) || branch.includes('..') || branch.includes('//') || branch.endsWith('/') || branch.endsWith('.lock'))
    return revParse(gitDir, ref);
  const loose = await readFile(join(gitDir, ref), 'utf8').catch((err: NodeJS.ErrnoException) =>
    err.code === 'ENOENT' || err.code === 'ENOTDIR' || err.code === 'EISDIR' ? null : Promise.reject(err),
  );
  if (loose !== null) {
    const value = loose.trim();
    return SHA.test(value) ? value : revParse(gitDir, ref);
  }
  const packed = await readFile(join(gitDir, 'packed-refs'), 'utf8').catch(() => '');
  for (const line of packed.split('\n')) {
    if (line.length === 41 + ref.length && line.endsWith(` ${ref}`)) {
      const value = line.slice(0, 40);
      return SHA.test(value) ? value : revParse(gitDir, ref);
    }
  }
  return null;
}
