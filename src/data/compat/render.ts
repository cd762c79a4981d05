import type { CompatibilityReport } from './check.js';

/** The compatibility report as plain text for a terminal (also valid Markdown). */
export function renderCompatibility(report: CompatibilityReport, oldName: string, newName: string): string {
  const lines = [`Schema compatibility of ${newName} against ${oldName}: **${report.verdict}**`, ''];
  const section = (title: string, part: CompatibilityReport['backward']) => {
    lines.push(
      `- ${title}: ${part.compatible ? 'compatible' : `${part.incompatibilities.length} incompatibilit${part.incompatibilities.length === 1 ? 'y' : 'ies'}`}`,
    );
    for (const i of part.incompatibilities) lines.push(`  - \`${i.path}\`: ${i.reason}`);
  };
  section('BACKWARD (the new schema reads data written with the old)', report.backward);
  section('FORWARD (the old schema reads data written with the new)', report.forward);
  return lines.join('\n');
}
