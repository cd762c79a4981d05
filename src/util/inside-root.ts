/**
 * Paths that come from a manifest (`dataset.schema`, dataset URIs, rule files) or from a change set
 * stay inside their repository or root, after symbolic links are resolved (issue 14: `dataset.schema:
 * /etc/passwd` read that file into an error message). `..` segments and absolute paths are refused
 * by their text; a path whose real location (every symbolic link followed) is outside is refused too.
 */
import { lstatSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { InputError } from './errors.js';

/** True for a relative path without `..` segments or NUL bytes: its text stays inside whatever it is resolved from. */
export function isInsidePath(path: string): boolean {
  return path.length > 0 && !isAbsolute(path) && !/^[A-Za-z]:/.test(path) && !path.includes('\0') && !path.split(/[\\/]/).includes('..');
}

/** True when `path` is `root` or lies under it (both absolute, already real). */
export function isUnder(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** The real path of `path`, or, when it does not exist, of its deepest existing folder joined with the rest. */
function realOrNearest(path: string): string {
  let existing = path;
  const rest: string[] = [];
  for (;;) {
    try {
      lstatSync(existing);
      break;
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return path;
      rest.unshift(existing.slice(parent.length + (parent.endsWith(sep) ? 0 : 1)));
      existing = parent;
    }
  }
  return resolve(realpathSync(existing), ...rest);
}

/**
 * `path` (relative to `root`) as an absolute path inside `root`, or an InputError that names `field`
 * (e.g. `dataset.schema`), what it is relative to, and what to do. The path need not exist.
 */
export function insideRoot(root: string, path: string, field: string, rootName = 'the repository'): string {
  const fix = `give a path inside ${rootName}, relative to its root (${root})`;
  if (!isInsidePath(path)) {
    throw new InputError(
      `${field}: ${JSON.stringify(path)} is ${isAbsolute(path) ? 'an absolute path' : 'a path that leaves its folder (..)'}; ${fix}`,
    );
  }
  const realRoot = realOrNearest(resolve(root));
  const real = realOrNearest(resolve(realRoot, path));
  if (!isUnder(realRoot, real)) {
    throw new InputError(
      `${field}: ${JSON.stringify(path)} leads outside ${rootName} through a symbolic link; ${fix}, without links that leave it`,
    );
  }
  return real;
}
