/**
 * Which files of a consumer repository the engine looks at: every regular file, minus vendored,
 * built and generated ones. Paths are repository-relative and POSIX, sorted, so runs are deterministic.
 *
 * Symbolic links (issue 14): a consumer's checkout is untrusted, and a link in it (`config.ts ->
 * /etc/passwd`, `src -> /home/runner`) must not bring an outside file's text into a codemod, a
 * finding or a diff. So links are never followed: the listing holds regular files only (a link,
 * wherever it points, is not listed and folders that are links are not entered), and `readTextFile`
 * reads nothing that is a link itself, lies in a folder whose real path leaves the checkout, or has
 * `..` in its path: for the engine such a file is not text (undefined), as a binary one. A link that
 * stays inside is left exactly as it is: the file it points to is read and rewritten under its own
 * path, the link never (writes refuse links too: write-edits.ts and the forges' push).
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isInsidePath, isUnder } from '../util/inside-root.js';

/** Folders never entered: dependencies, build output, VCS metadata. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  'dist',
  'build',
  'coverage',
  '.next',
  'out',
  '.turbo',
  '.cache',
]);
/** Folders whose declaration files are generated (a `*.d.ts` below one of these is skipped). */
export const GENERATED_DIRS: ReadonlySet<string> = new Set(['generated', '__generated__', 'gen']);
/** Files larger than this are not text the rules rewrite. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

const GENERATED_MARKER = /@generated\b|\bDO NOT EDIT\b|\bAUTO-GENERATED\b/i;

export interface RepoListing {
  /** Files the rules may read and rewrite. */
  paths: string[];
  /** Files left out because they are generated, with the reason. */
  generated: { path: string; reason: string }[];
}

/** Lists the repository's files (see the module comment). Generated-marker checks read only each file's head. */
export function listRepoFiles(dir: string): RepoListing {
  const paths: string[] = [];
  const generated: { path: string; reason: string }[] = [];
  const walk = (rel: string, inGeneratedDir: boolean) => {
    const abs = rel ? join(dir, rel) : dir;
    const entries = readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) walk(child, inGeneratedDir || GENERATED_DIRS.has(e.name));
      } else if (e.isFile()) {
        if (inGeneratedDir && e.name.endsWith('.d.ts')) generated.push({ path: child, reason: 'a declaration file in a generated folder' });
        else paths.push(child);
      }
    }
  };
  walk('', false);
  return { paths, generated };
}

/** True when the file's first lines carry a generated-code marker (`// @generated`, `DO NOT EDIT`). */
export function hasGeneratedMarker(text: string): boolean {
  return GENERATED_MARKER.test(text.slice(0, 600));
}

/**
 * True when `path` (relative to the checkout `dir`) may be read: a relative path without `..` that is
 * not itself a symbolic link and whose folder's real path is inside the checkout (module comment).
 * Throws as `lstat` does when the file does not exist.
 */
export function isReadableInside(dir: string, path: string): boolean {
  if (!isInsidePath(path)) return false;
  const abs = join(dir, path);
  if (lstatSync(abs).isSymbolicLink()) return false;
  return isUnder(realpathSync.native(dir), realpathSync.native(dirname(abs)));
}

/**
 * Reads a file as UTF-8 text, or undefined when it is too large or binary, or when it is a symbolic
 * link or reached through one that leaves the checkout (module comment). Throws when it is missing.
 */
export function readTextFile(dir: string, path: string): string | undefined {
  if (!isReadableInside(dir, path)) return undefined;
  // O_NOFOLLOW: a link swapped in after the check is not followed either.
  const fd = openSync(join(dir, path), constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  let buf: Buffer;
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
    buf = readFileSync(fd);
  } finally {
    closeSync(fd);
  }
  if (buf.length > MAX_FILE_BYTES) return undefined;
  if (buf.subarray(0, 8000).includes(0)) return undefined;
  return buf.toString('utf8');
}

const SOURCE_EXT = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
/** TypeScript or JavaScript source (declaration files included). */
export function isSourcePath(path: string): boolean {
  return SOURCE_EXT.test(path);
}

/**
 * A GitHub Actions workflow file: anything under `.github/workflows/`. GitHub refuses a push that
 * creates or updates one without the `workflows` permission ("Workflows: write"), see
 * docs/github-behaviour.md.
 */
export function isWorkflowPath(path: string): boolean {
  return path.startsWith('.github/workflows/');
}
