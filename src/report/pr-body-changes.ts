/**
 * The part of a consumer's pull request body that explains the code changes: what each rule changed
 * (files and counts) and why, the findings a reviewer must look at, and how to roll back. Pure
 * Markdown from a ChangeSet; src/report/pull-request.ts places it in the body.
 */
import type { ChangeSet, Finding, RuleSummary } from '../codemod/port.js';
import type { Manifest } from '../manifest/types.js';

/** More files than this under one rule fold into a <details> block. */
const FOLD_AFTER = 10;

/** Why a rule is part of this migration, from the manifest's transform steps where one explains it. */
export function ruleReason(summary: RuleSummary, manifest: Manifest, index: number): string | undefined {
  const change = (manifest.changes as Record<string, unknown>[])[index];
  const p = change?.[summary.rule] as Record<string, unknown> | undefined;
  if (summary.rule === 'renameField' && p) {
    const i = manifest.dataset.transform.findIndex((s) => 'rename' in s && s.rename.from === p.from && s.rename.to === p.to);
    if (i >= 0) return `the dataset renames \`${String(p.from)}\` to \`${String(p.to)}\` (dataset.transform[${i}])`;
  }
  if (
    (summary.rule === 'replace' || summary.rule === 'replaceString') &&
    p &&
    String(p.from).includes(manifest.dataset.source.uri.replace(/\/+$/, ''))
  ) {
    return `the dataset moves from \`${manifest.dataset.source.uri}\` to \`${manifest.dataset.target.uri}\``;
  }
  if (summary.rule === 'schemaTypes') return 'the record type follows the new schema';
  return undefined;
}

function findingLine(f: Finding): string {
  const where = f.file ? `\`${f.file}${f.line ? `:${f.line}` : ''}\` ` : '';
  return `- ${where}${f.field ? `field \`${f.field}\`: ` : ''}${f.message}`;
}

export function renderChangesSection(changes: ChangeSet, manifest: Manifest): string {
  const lines: string[] = ['### What changed and why'];
  const active = changes.summaries.map((s, i) => ({ s, i })).filter(({ s }) => s.files.length > 0);
  if (active.length === 0) lines.push('', 'No rule changed a file.');
  for (const { s, i } of active) {
    const total = s.files.reduce((n, f) => n + f.count, 0);
    const why = ruleReason(s, manifest, i);
    lines.push(
      '',
      `**${s.rule}** — ${s.description}${why ? `, because ${why}` : ''}: ${total} change${total === 1 ? '' : 's'} in ${s.files.length} file${s.files.length === 1 ? '' : 's'}`,
    );
    const items = s.files.map((f) => `- \`${f.path}\` (${f.count})`);
    if (items.length > FOLD_AFTER) lines.push('', `<details><summary>${items.length} files</summary>`, '', ...items, '', '</details>');
    else lines.push(...items);
  }
  const idle = changes.summaries.filter((s) => s.files.length === 0).map((s) => `\`${s.rule}\``);
  if (idle.length) lines.push('', `Rules with nothing to change here: ${[...new Set(idle)].join(', ')}.`);

  const blocking = changes.findings.filter((f) => f.severity === 'blocking');
  const warnings = changes.findings.filter((f) => f.severity === 'warning');
  const skipped = changes.findings.filter((f) => f.severity === 'info' && f.message.startsWith('generated file'));
  if (blocking.length)
    lines.push(
      '',
      '### ⛔ Blocking findings',
      '',
      'The migration would break these reads; no rule covers them:',
      '',
      ...blocking.map(findingLine),
    );
  if (warnings.length)
    lines.push(
      '',
      '### ⚠️ Please check by hand',
      '',
      'Fleetwave left these places unchanged rather than guess:',
      '',
      ...warnings.map(findingLine),
    );
  if (skipped.length)
    lines.push('', `Generated files left unchanged (regenerate them): ${skipped.map((f) => `\`${f.file}\``).join(', ')}.`);

  lines.push(
    '',
    '### How to roll back',
    '',
    '- Before merge: close this pull request; Fleetwave will not reopen it for this manifest.',
    '- After merge: revert the merge commit (`git revert -m 1 <merge-sha>`); the change touches only ' +
      `${changes.edits.length} file${changes.edits.length === 1 ? '' : 's'}, so the revert is clean unless they changed since.`,
    `- Until the old dataset is gone${manifest.metadata.sunset ? ` (${manifest.metadata.sunset})` : ''}, the reverted code keeps reading \`${manifest.dataset.source.uri}\`.`,
  );
  return lines.join('\n');
}
