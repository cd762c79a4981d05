/** Applying a change set to a working copy on disk (the CLI's and the Action's `codemod`). */
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { StateError } from '../util/errors.js';
import { isInsidePath, isUnder } from '../util/inside-root.js';
import type { Edit } from './port.js';

/**
 * Where `path` (relative to the checkout `root`, real) is written: refused unless it is a relative
 * path without `..`, its folder's real location is inside the checkout, and the file itself is not a
 * symbolic link. A codemod's change set must not reach outside through a link the repository holds
 * (issue 14: a symlinked folder in a consumer's checkout took a write to anywhere the user could).
 */
function writableTarget(root: string, path: string): string {
  const refuse = (why: string) =>
    new StateError(`${path}: ${why}; Fleetwave writes only regular files inside the checkout (${root}), never through a symbolic link`);
  if (!isInsidePath(path)) throw refuse('the path leaves the checkout (absolute or ..)');
  const target = join(root, path);
  let folder: string;
  try {
    folder = realpathSync(dirname(target));
  } catch {
    throw refuse('its folder does not exist in the checkout');
  }
  if (!isUnder(root, folder)) throw refuse(`its folder is a symbolic link to ${folder}, outside the checkout`);
  let isLink = false;
  try {
    isLink = lstatSync(target).isSymbolicLink();
  } catch {
    // a new file
  }
  if (isLink) throw refuse('it is a symbolic link');
  return join(folder, basename(target));
}

/**
 * Writes every edit or none: each new text goes to a temp file beside its target first; only when all
 * are written (and every target still holds the text the edits were computed from) are they renamed
 * into place. Every target is checked first (writableTarget): nothing is written when one is refused.
 */
export function writeEditsAtomically(dir: string, edits: readonly Edit[]): void {
  const root = realpathSync(dir);
  const targets = edits.map((e) => writableTarget(root, e.path));
  edits.forEach((e, i) => {
    const current = existsSync(targets[i]!) ? readFileSync(targets[i]!, 'utf8') : null;
    if (current !== e.before) throw new StateError(`${e.path} changed while the codemod ran; run it again`);
  });
  const staged: { tmp: string; target: string; remove: boolean }[] = [];
  try {
    edits.forEach((e, i) => {
      const target = targets[i]!;
      const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      // 'wx': created new, so a link planted at the temp name is not followed.
      if (e.after !== null) writeFileSync(tmp, e.after, { flag: 'wx' });
      staged.push({ tmp, target, remove: e.after === null });
    });
  } catch (err) {
    for (const s of staged) rmSync(s.tmp, { force: true });
    throw err;
  }
  for (const s of staged) {
    if (s.remove) rmSync(s.target, { force: true });
    else renameSync(s.tmp, s.target);
  }
}
