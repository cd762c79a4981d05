import { castRules } from '../../../src/data/transform/casts.js';

/** The Markdown table of legal casts, as docs/transforms.md shows it (a test keeps the two equal). */
export function renderCastTable(): string {
  const lines = ['| from | to | exactness | what happens |', '| --- | --- | --- | --- |'];
  for (const r of castRules) lines.push(`| ${r.from} | ${r.to} | ${r.exactness} | ${r.note} |`);
  return lines.join('\n');
}
