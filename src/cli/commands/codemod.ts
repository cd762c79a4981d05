import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { unifiedDiff } from '../../codemod/diff.js';
import { CodemodEngine } from '../../codemod/engine.js';
import type { ChangeSet, Edit, Finding } from '../../codemod/port.js';
import { loadManifest } from '../../manifest/load.js';
import { InputError, StateError } from '../../util/errors.js';
import type { CliCommand } from '../command.js';
import type { CliIO } from '../io.js';

/** The manifest repository: the git work tree holding the manifest, else the manifest's folder. */
export function manifestRepoDir(manifestPath: string, explicit?: string): string {
  if (explicit) return resolve(explicit);
  const dir = dirname(resolve(manifestPath));
  try {
    return execFileSync('git', ['-C', dir, 'rev-parse', '--show-toplevel'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return dir;
  }
}

export function checkRepoDir(repoDir: string): string {
  const abs = resolve(repoDir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new InputError(`${repoDir}: no such folder; give the consumer repository's checkout`);
  return abs;
}

export function formatFinding(f: Finding): string {
  const where = f.file ? `${f.file}${f.line ? `:${f.line}` : ''}: ` : '';
  return `${f.severity}: ${where}${f.field ? `[${f.field}] ` : ''}${f.message}`;
}

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

export function renderChangeSet(set: ChangeSet, io: CliIO, opts: { diff: boolean }): void {
  if (opts.diff) for (const e of set.edits) io.out(unifiedDiff(e).replace(/\n$/, ''));
  for (const s of set.summaries) {
    const total = s.files.reduce((n, f) => n + f.count, 0);
    io.err(`${s.rule}: ${s.description}: ${total} change${total === 1 ? '' : 's'} in ${s.files.length} file${s.files.length === 1 ? '' : 's'}`);
  }
  for (const f of set.findings) if (f.severity !== 'info') io.err(formatFinding(f));
}

export const codemodCommand: CliCommand = {
  name: 'codemod',
  register(program, io, setExit) {
    program
      .command('codemod <manifest> <repo-dir>')
      .description("apply the manifest's change rules to one consumer checkout (docs/codemods.md)")
      .option('--dry-run', 'change nothing: print the unified diff of the edits')
      .option('--json', 'print {edits: [{path, before, after}], summaries, findings} instead of a diff')
      .option('--manifest-dir <dir>', 'the manifest repository (custom codemods, schemas); default: the git work tree holding the manifest')
      .addHelpText('after', '\nWithout --dry-run every edit is written into <repo-dir>, all or none.\nExit status: 0 done, 1 a rule failed (nothing written), 2 bad input.')
      .action(async (manifestPath: string, repoDir: string, opts: { dryRun?: boolean; json?: boolean; manifestDir?: string }) => {
        const loaded = await loadManifest(manifestPath);
        const dir = checkRepoDir(repoDir);
        const engine = new CodemodEngine({ onProgress: io.isTTY ? (m) => io.err(m) : undefined });
        const set = await engine.compute({ manifest: loaded.manifest, repo: basename(dir), dir, manifestDir: manifestRepoDir(manifestPath, opts.manifestDir) });
        if (opts.json) io.out(JSON.stringify({ dryRun: Boolean(opts.dryRun), ...set }, null, 2));
        else renderChangeSet(set, io, { diff: Boolean(opts.dryRun) });
        if (!opts.dryRun) {
          writeEditsAtomically(dir, set.edits);
          if (!opts.json) io.err(`wrote ${set.edits.length} file${set.edits.length === 1 ? '' : 's'} in ${dir}`);
        }
        setExit(0);
      });
  },
};
