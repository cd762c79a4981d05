/**
 * `fleetwave plan`: who the targets are, which wave each is in, which are blocked and why. Pure.
 */
import type { Discovery } from '../plan/discover.js';
import type { MigrationSummary } from '../rollout/model.js';
import { findingLine, leftForOwners } from './left-for-owners.js';

export interface PlanReport {
  migration: string;
  manifest: string;
  fleet: string;
  state: MigrationSummary['state'];
  waves: { index: number; size: number; repos: string[] }[];
  targets: (MigrationSummary['targets'][number] & { edits: number | null })[];
  blocked: { repo: string; findings: MigrationSummary['targets'][number]['findings'] }[];
  excluded: Discovery['excluded'];
  warnings: string[];
}

/** `window open until …` or `next window opens …`, in the target's time zone. */
export function windowText(w: NonNullable<MigrationSummary['targets'][number]['window']>): string {
  if (w.until === null) return `no window within 400 days (${w.timezone})`;
  return `${w.open ? 'window open until' : 'next window opens'} ${w.until} (${w.timezone})`;
}

export function renderPlan(p: PlanReport): string {
  const lines = [`plan for ${p.migration} (${p.manifest}) on ${p.fleet}`];
  lines.push(
    `  ${p.targets.length} consumer${p.targets.length === 1 ? '' : 's'}; ${p.blocked.length} blocked; ${p.excluded.length} left out`,
  );
  for (const w of p.waves.filter((x) => x.size > 0)) {
    lines.push(`  ${w.index === 0 ? 'canary' : `wave ${w.index}`} (${w.size}): ${w.repos.join(', ')}`);
  }
  const scheduled = p.targets.filter((t) => t.window);
  if (scheduled.length) {
    lines.push('', '  rollout schedule (pull requests open and merge only inside a window):');
    for (const t of scheduled) lines.push(`    ${t.repo}: ${windowText(t.window!)}`);
  }
  const other = p.targets.filter((t) => t.wave === null && t.state !== 'blocked');
  if (other.length) lines.push(`  no wave: ${other.map((t) => `${t.repo} (${t.state}${t.reason ? `: ${t.reason}` : ''})`).join(', ')}`);
  if (p.blocked.length) {
    lines.push('', '  blocked (no pull request will be opened):');
    for (const b of p.blocked) {
      lines.push(`    ${b.repo}`);
      for (const f of b.findings.filter((x) => x.severity === 'blocking')) {
        lines.push(`      ${findingLine(f)}`);
      }
    }
  }
  const left = leftForOwners(p.targets);
  if (left.length) {
    lines.push('', '  left unchanged for the owners (change by hand):');
    for (const t of left) {
      lines.push(`    ${t.repo}`);
      for (const f of t.findings) lines.push(`      ${findingLine(f)}`);
    }
  }
  if (p.excluded.length) {
    lines.push('', '  left out:');
    for (const e of p.excluded) lines.push(`    ${e.repo}: ${e.reason}`);
  }
  for (const w of p.warnings) lines.push(`  warning: ${w}`);
  return lines.join('\n');
}
