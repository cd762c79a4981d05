import { basename } from 'node:path';
import { unifiedDiff } from '../../codemod/diff.js';
import { CodemodEngine } from '../../codemod/engine.js';
import type { ChangeSet, Finding } from '../../codemod/port.js';
import { loadManifest } from '../../manifest/load.js';
import { checkRepoDir, manifestRepoDir } from '../../util/repo-dir.js';
import { writeEditsAtomically } from '../../codemod/write-edits.js';
import type { CliCommand } from '../command.js';
import type { CliIO } from '../io.js';

export function formatFinding(f: Finding): string {
  const where = f.file ? `${f.file}${f.line ? `:${f.line}` : ''}: ` : '';
  return `${f.severity}: ${where}${f.field ? `[${f.field}] ` : ''}${f.message}`;
}

export function renderChangeSet(set: ChangeSet, io: CliIO, opts: { diff: boolean }): void {
  if (opts.diff) for (const e of set.edits) io.out(unifiedDiff(e).replace(/\n$/, ''));
  for (const s of set.summaries) {
    const total = s.files.reduce((n, f) => n + f.count, 0);
    io.err(
      `${s.rule}: ${s.description}: ${total} change${total === 1 ? '' : 's'} in ${s.files.length} file${s.files.length === 1 ? '' : 's'}`,
    );
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
      .addHelpText(
        'after',
        '\nWithout --dry-run every edit is written into <repo-dir>, all or none.\nExit status: 0 done, 1 a rule failed (nothing written), 2 bad input.',
      )
      .action(async (manifestPath: string, repoDir: string, opts: { dryRun?: boolean; json?: boolean; manifestDir?: string }) => {
        const loaded = await loadManifest(manifestPath);
        const dir = checkRepoDir(repoDir);
        const engine = new CodemodEngine({ onProgress: io.isTTY ? (m) => io.err(m) : undefined });
        const set = await engine.compute({
          manifest: loaded.manifest,
          repo: basename(dir),
          dir,
          manifestDir: manifestRepoDir(manifestPath, opts.manifestDir),
        });
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
