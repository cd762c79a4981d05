/**
 * The demo's data verification for people: one line per verified file (rows, row checksums, pass),
 * or the full Markdown reports. Pure.
 */
import { renderVerificationMarkdown } from '../report/verification-markdown.js';
import type { DemoVerification } from './lake-v2.js';

export function renderDemoVerificationLines(v: DemoVerification): string[] {
  const lines = [`v2 verification: ${v.pass ? 'PASSED' : 'FAILED'} — ${v.sourceRows} source rows, ${v.targetRows} target rows`];
  for (const r of v.reports) {
    const sums =
      r.rows.checksum.source === r.rows.checksum.target
        ? `row checksum ${r.rows.checksum.source} on both sides`
        : `row checksums ${r.rows.checksum.source} ≠ ${r.rows.checksum.target}`;
    const columns = `${r.columns.filter((c) => c.equal).length}/${r.columns.length} column checksums equal`;
    lines.push(
      `  ${r.source} → ${r.target}: ${r.sourceRows} → ${r.targetRows} rows, ${sums}, ${columns}, ${r.pass ? 'pass' : `FAIL (${r.reasons.join('; ')})`}`,
    );
  }
  return lines;
}

export function renderDemoVerificationMarkdown(v: DemoVerification): string {
  return v.reports.map(renderVerificationMarkdown).join('\n');
}
