/** Applying a change set to a working copy on disk (the CLI's and the Action's `codemod`). */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { StateError } from '../util/errors.js';
import type { Edit } from './port.js';

/**
 * Writes every edit or none: each new text goes to a temp file beside its target first; only when all
 * are written (and every target still holds the text the edits were computed from) are they renamed
 * into place.
 */
export function writeEditsAtomically(dir: string, edits: readonly Edit[]): void {
  for (const e of edits) {
    const current = existsSync(join(dir, e.path)) ? readFileSync(join(dir, e.path), 'utf8') : null;
    if (current !== e.before) throw new StateError(`${e.path} changed while the codemod ran; run it again`);
  }
  const staged: { tmp: string; target: string; remove: boolean }[] = [];
  try {
    for (const e of edits) {
      const target = join(dir, e.path);
      const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      if (e.after !== null) writeFileSync(tmp, e.after);
      staged.push({ tmp, target, remove: e.after === null });
    }
  } catch (err) {
    for (const s of staged) rmSync(s.tmp, { force: true });
    throw err;
  }
  for (const s of staged) {
    if (s.remove) rmSync(s.target, { force: true });
    else renameSync(s.tmp, s.target);
  }
}
