/**
 * The verification report as Markdown: what `fleetwave verify` prints, what the Action writes to its
 * job summary and what the pull request shows. Pure: report in, text out.
 */
import type { ColumnReport, RowDiff, VerificationReport } from '../data/verify/report.js';

const MAX_SAMPLE_ROWS = 20;

function cell(v: unknown): string {
  const text = v === null || v === undefined ? 'null' : typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v);
  const short = text.length > 80 ? `${text.slice(0, 79)}…` : text;
  return `\`${short.replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

function pair<T>(p: { source: T; target: T }, show: (v: T) => string = (v) => String(v)): string {
  const a = show(p.source);
  const b = show(p.target);
  return a === b ? a : `${a} → **${b}**`;
}

function ratio(r: number): string {
  if (r === 0) return '0';
  if (r < 0.0001) return r.toExponential(2);
  return `${(r * 100).toFixed(r < 0.01 ? 4 : 2)}%`;
}

function columnRow(c: ColumnReport): string {
  return `| ${c.equal ? 'ok' : '**differs**'} | \`${c.name}\` | ${c.type} | ${pair(c.checksum, (v) => `\`${v}\``)} | ${pair(c.nulls)} | ${pair(c.min, cell)} | ${pair(c.max, cell)} |`;
}

function sampleRows(d: RowDiff): string[] {
  const kind = d.kind === 'changed' ? 'changed' : d.kind === 'missing-in-target' ? 'missing in target' : 'only in target';
  const key = d.key === null ? '—' : cell(d.key);
  if (d.kind !== 'changed') {
    const values = d.columns.map((c) => `${c.name}=${cell(d.kind === 'missing-in-target' ? c.source : c.target)}`).join(', ');
    return [
      `| ${key} | ${kind} | (row) | ${d.kind === 'missing-in-target' ? values : ''} | ${d.kind === 'extra-in-target' ? values : ''} |`,
    ];
  }
  return d.columns.map((c) => `| ${key} | ${kind} | \`${c.name}\` | ${cell(c.source)} | ${cell(c.target)} |`);
}

export function renderVerificationMarkdown(r: VerificationReport): string {
  const lines: string[] = [];
  lines.push(`### Verification ${r.pass ? 'passed' : 'FAILED'}: \`${r.source}\` → \`${r.target}\``, '');
  if (!r.pass) {
    for (const reason of r.reasons) lines.push(`- ${reason}`);
    lines.push('');
  } else if (!r.equal) {
    lines.push(`Passed within the allowed mismatch ratio (${ratio(r.maxMismatchRatio)}), but the datasets are not identical.`, '');
  }
  lines.push('| | source | target |', '| --- | ---: | ---: |');
  if (r.files.source > 1 || r.files.target > 1) lines.push(`| files | ${r.files.source} | ${r.files.target} |`);
  lines.push(`| rows | ${r.sourceRows} | ${r.targetRows} |`);
  lines.push(`| row checksum | \`${r.rows.checksum.source}\` | \`${r.rows.checksum.target}\` |`, '');
  lines.push(
    `Mismatch ratio **${ratio(r.mismatchRatio)}** (${r.mismatchedRows} row${r.mismatchedRows === 1 ? '' : 's'}${r.mismatchRatioExact ? '' : ', estimated from a sample'}); allowed ${ratio(r.maxMismatchRatio)}. Rows matched on ${r.key ? `\`${r.key}\`` : 'whole rows (no verify.key)'}.`,
    '',
  );
  if (r.schema.mismatches.length) {
    lines.push('#### Column types', '', '| column | expected (transformed source) | found (target) |', '| --- | --- | --- |');
    for (const m of r.schema.mismatches) lines.push(`| \`${m.column}\` | ${m.expected} | **${m.actual}** |`);
    lines.push('');
  }
  if (r.columns.length) {
    lines.push('#### Columns', '', '| | column | type | checksum | nulls | min | max |', '| --- | --- | --- | --- | ---: | --- | --- |');
    for (const c of r.columns) lines.push(columnRow(c));
    lines.push('');
  }
  if (r.diff && r.diff.samples.length) {
    const shown = r.diff.samples.slice(0, MAX_SAMPLE_ROWS);
    const d = r.diff;
    lines.push(
      `#### Differing rows (${d.rowsDiffering} found among ${d.rowsCompared} rows compared; ${shown.length} shown)`,
      '',
      ...(d.matchedOn === 'row'
        ? ['Without a `verify.key`, a changed row shows as one row missing in the target and one extra row.', '']
        : []),
      '| key | difference | column | source | target |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const d of shown) lines.push(...sampleRows(d));
    if (r.diff.samples.length > shown.length)
      lines.push('', `${r.diff.samples.length - shown.length} more differing rows are in the JSON report.`);
    lines.push('');
  }
  return lines.join('\n');
}
