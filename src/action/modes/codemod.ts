/**
 * Mode `codemod`: the manifest's changes applied to the checked-out repository in
 * `working-directory` (the codemod engine, as `fleetwave codemod` without --dry-run): every edit
 * written, all or none. With `dry-run` nothing is written and the diff goes to the job summary.
 * Findings become annotations; `files-changed` says how many files changed.
 */
import { basename, join, relative, resolve } from 'node:path';
import { unifiedDiff } from '../../codemod/diff.js';
import { CodemodEngine } from '../../codemod/engine.js';
import type { ChangeSet } from '../../codemod/port.js';
import { loadManifest } from '../../manifest/load.js';
import { writeEditsAtomically } from '../../codemod/write-edits.js';
import { checkRepoDir, manifestRepoDir } from '../../util/repo-dir.js';
import { type ActionIO, booleanInput, type ModeOutcome, pathIn, requiredInput, workingDirectory } from '../io.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function renderCodemodMarkdown(migration: string, set: ChangeSet, dryRun: boolean): string {
  const lines = ['## Fleetwave: codemod', ''];
  const verb = dryRun ? 'would change' : 'changed';
  lines.push(`Migration \`${migration}\` ${verb} **${set.edits.length} file(s)**${dryRun ? ' (dry run: nothing written)' : ''}.`, '');
  if (set.summaries.length) {
    lines.push('| rule | what | changes | files |', '| --- | --- | ---: | ---: |');
    for (const s of set.summaries)
      lines.push(`| ${cell(s.rule)} | ${cell(s.description)} | ${s.files.reduce((n, f) => n + f.count, 0)} | ${s.files.length} |`);
    lines.push('');
  }
  if (set.edits.length)
    lines.push(
      'Files:',
      '',
      ...set.edits.map((e) => `- \`${e.path}\`${e.after === null ? ' (removed)' : e.before === null ? ' (new)' : ''}`),
      '',
    );
  const findings = set.findings.filter((f) => f.severity !== 'info');
  if (findings.length) {
    lines.push('| severity | where | finding |', '| --- | --- | --- |');
    for (const f of findings)
      lines.push(
        `| ${f.severity} | ${f.file ? `\`${cell(f.file)}${f.line ? `:${f.line}` : ''}\`` : ''} | ${f.field ? `\`${cell(f.field)}\`: ` : ''}${cell(f.message)} |`,
      );
    lines.push('');
  }
  if (dryRun && set.edits.length)
    lines.push(
      '<details><summary>Diff</summary>',
      '',
      '```diff',
      ...set.edits.map((e) => unifiedDiff(e).replace(/\n$/, '')),
      '```',
      '',
      '</details>',
      '',
    );
  return lines.join('\n');
}

export async function codemodMode(io: ActionIO): Promise<ModeOutcome> {
  const manifestPath = pathIn(io, requiredInput(io, 'manifest', 'codemod'));
  const dryRun = booleanInput(io, 'dry-run');
  const loaded = await loadManifest(manifestPath);
  const dir = checkRepoDir(workingDirectory(io));
  const repo = io.input('repository') || io.env.GITHUB_REPOSITORY || basename(dir);
  const engine = new CodemodEngine({ onProgress: (m) => io.info(m) });
  const set = await engine.compute({
    manifest: loaded.manifest,
    repo,
    dir,
    manifestDir: manifestRepoDir(manifestPath, io.input('manifest-dir') ? pathIn(io, io.input('manifest-dir')) : undefined),
  });
  for (const f of set.findings) {
    if (f.severity === 'info') continue;
    const where = f.file
      ? {
          file: relative(resolve(io.env.GITHUB_WORKSPACE ?? process.cwd()), join(dir, f.file)),
          ...(f.line ? { startLine: f.line } : {}),
          title: `Fleetwave codemod (${f.severity})`,
        }
      : undefined;
    const message = `${f.field ? `[${f.field}] ` : ''}${f.message}`;
    if (f.severity === 'blocking') io.error(message, where);
    else io.warning(message, where);
  }
  if (!dryRun) writeEditsAtomically(dir, set.edits);
  io.info(`${dryRun ? 'would change' : 'changed'} ${set.edits.length} file(s) in ${dir}`);
  io.setOutput('migration', loaded.manifest.metadata.name);
  io.setOutput('files-changed', set.edits.length);
  io.setOutput('changed-files', JSON.stringify(set.edits.map((e) => e.path)));
  io.setOutput('blocking', set.findings.filter((f) => f.severity === 'blocking').length);
  await io.summary(renderCodemodMarkdown(loaded.manifest.metadata.name, set, dryRun));
  return {};
}
