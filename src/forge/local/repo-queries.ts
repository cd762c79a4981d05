/**
 * Questions the local forge asks a bare repository, and the one way it moves a ref: compare-and-swap.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ForgeError } from '../../util/errors.js';
import { git, revParse, ZERO_SHA, type GitIdentity } from './git.js';
import type { CommitFacts } from './memo.js';
import { branchHead } from './refs.js';

export const OPT_OUT_FILE = '.fleetwave/opt-out';

/** The default branch: where the bare repository's HEAD points. */
export async function defaultBranchOf(gitDir: string): Promise<string> {
  const head = (await readFile(join(gitDir, 'HEAD'), 'utf8')).trim();
  const m = /^ref: refs\/heads\/(.+)$/.exec(head);
  if (!m)
    throw new ForgeError(
      `${gitDir}: HEAD is detached (${head}); a forge repository's HEAD names its default branch: git --git-dir ${gitDir} symbolic-ref HEAD refs/heads/main`,
      false,
    );
  return m[1]!;
}

/** Default branch, its head (null for a repository without commits) and whether it opted out. */
export async function repoState(
  gitDir: string,
  facts: CommitFacts,
): Promise<{ defaultBranch: string; headSha: string | null; optedOut: boolean }> {
  const defaultBranch = await defaultBranchOf(gitDir);
  const headSha = await branchHead(gitDir, defaultBranch);
  const optedOut = headSha
    ? await facts.get(
        `${gitDir}\0opt-out\0${headSha}`,
        async () => (await git(['cat-file', '-e', `${headSha}:${OPT_OUT_FILE}`], { gitDir, okCodes: [1, 128] })).code === 0,
      )
    : false;
  return { defaultBranch, headSha, optedOut };
}

export interface RawCommit {
  sha: string;
  authorName: string;
  authorEmail: string;
  message: string;
}

/** Commits reachable from `head` and not from `base` (all of them when `base` is null), oldest first. */
export async function commitsBetween(gitDir: string, base: string | null, head: string): Promise<RawCommit[]> {
  const range = base ? [`${base}..${head}`] : [head];
  const out = await git(['log', '--reverse', '--format=%H%x1f%an%x1f%ae%x1f%B%x1e', ...range, '--'], { gitDir });
  return out.stdout
    .split('\x1e')
    .map((s) => s.replace(/^\n/, ''))
    .filter((s) => s.length > 0)
    .map((s) => {
      const [sha, authorName, authorEmail, message] = s.split('\x1f');
      return { sha: sha!, authorName: authorName!, authorEmail: authorEmail!, message: (message ?? '').trim() };
    });
}

export async function isAncestor(gitDir: string, ancestor: string, descendant: string): Promise<boolean> {
  return (await git(['merge-base', '--is-ancestor', ancestor, descendant], { gitDir, okCodes: [1] })).code === 0;
}

/**
 * Move `ref` to `next` only if it still points at `expected` (null: it must not exist). Returns false
 * when the ref moved; lock contention with the ref unchanged is a transient ForgeError.
 */
export async function compareAndSwapRef(
  gitDir: string,
  ref: string,
  next: string,
  expected: string | null,
  reason: string,
): Promise<boolean> {
  const r = await git(['update-ref', '-m', reason, ref, next, expected ?? ZERO_SHA], { gitDir, okCodes: [1, 128] });
  if (r.code === 0) return true;
  const now = await revParse(gitDir, ref);
  if (now !== expected) return false;
  throw new ForgeError(`could not move ${ref} in ${gitDir}: ${r.stderr.trim()}`, true);
}

/**
 * Delete `ref` only if it still points at `expected` (`git update-ref -d <ref> <old>`). Returns false
 * when the ref moved (or is gone); lock contention with the ref unchanged is a transient ForgeError.
 */
export async function deleteRefIfAt(gitDir: string, ref: string, expected: string, reason: string): Promise<boolean> {
  const r = await git(['update-ref', '-m', reason, '-d', ref, expected], { gitDir, okCodes: [1, 128] });
  if (r.code === 0) return true;
  const now = await revParse(gitDir, ref);
  if (now !== expected) return false;
  throw new ForgeError(`could not delete ${ref} in ${gitDir}: ${r.stderr.trim()}`, true);
}

/** The merge commit on `baseHead`'s history that brought `head` in (its non-first parent), if any. */
export async function findMergeOf(gitDir: string, head: string, baseHead: string): Promise<string | null> {
  const out = await git(['rev-list', '--ancestry-path', '--merges', '--parents', '--reverse', `${head}..${baseHead}`, '--'], { gitDir });
  for (const line of out.stdout.split('\n')) {
    const [sha, , ...others] = line.trim().split(' ');
    if (sha && others.includes(head)) return sha;
  }
  return null;
}

/** The newest commit after `sha` on `baseHead`'s history whose message says it reverts `sha`. */
export async function findRevertOf(gitDir: string, sha: string, baseHead: string): Promise<string | null> {
  const out = await git(['rev-list', '--fixed-strings', `--grep=This reverts commit ${sha}`, `${sha}..${baseHead}`, '--'], { gitDir });
  const found = out.stdout.trim().split('\n').filter(Boolean);
  return found[0] ?? null;
}

/** Committer date (ISO) and identity of a commit. */
export async function committerOf(gitDir: string, sha: string): Promise<{ date: string } & GitIdentity> {
  const out = await git(['show', '-s', '--format=%cI%x1f%cn%x1f%ce', sha], { gitDir });
  const [date, name, email] = out.stdout.trim().split('\x1f');
  return { date: new Date(date!).toISOString(), name: name!, email: email! };
}

const validBranchNames = new Map<string, boolean>();

/** True when `branch` is a valid branch name (`git check-ref-format --branch`, remembered per name). */
export async function isValidBranchName(branch: string): Promise<boolean> {
  if (!branch || branch.startsWith('-')) return false;
  let valid = validBranchNames.get(branch);
  if (valid === undefined) {
    valid = (await git(['check-ref-format', '--branch', branch], { okCodes: [1, 128] })).code === 0;
    if (validBranchNames.size < 10_000) validBranchNames.set(branch, valid);
  }
  return valid;
}
