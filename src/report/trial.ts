/**
 * `fleetwave trial`'s text: the aggregate first, then each failing target with its failing checks'
 * tails, the targets without CI, the ones that could not be tried, and what was left out. Pure.
 */
import type { TrialReport } from '../rollout/trial.js';
import { detailOf } from '../store/journal-events.js';
import type { StoredEvent } from '../store/port.js';

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .map((l) => `${by}${l}`)
    .join('\n');
}

export function renderTrial(r: TrialReport): string {
  const a = r.aggregate;
  const tried =
    r.sample !== undefined ? `a sample of ${a.total} of ${r.candidates}${r.seed !== undefined ? ` (seed ${r.seed})` : ''}` : `${a.total}`;
  const lines = [
    `trial of ${r.migration}: ${tried} target${a.total === 1 ? '' : 's'} tried on ${r.branch} (no pull request opened)`,
    `  ${a.passed} passed, ${a.failed} failed, ${a.noCi} without CI${a.errors ? `, ${a.errors} not tried` : ''}`,
  ];
  const passed = r.results.filter((x) => x.state === 'passed');
  if (passed.length) lines.push(`  passed: ${passed.map((x) => x.repo).join(', ')}`);
  for (const x of r.results.filter((y) => y.state === 'failed')) {
    lines.push(`  failed: ${x.repo}${x.sha ? ` @ ${x.sha.slice(0, 7)}` : ''}`);
    for (const f of x.failing ?? []) lines.push(`    ${f.name}:`, indent(f.tail, '      | '));
  }
  for (const x of r.results.filter((y) => y.state === 'no-ci')) lines.push(`  no CI: ${x.repo}${x.reason ? ` (${x.reason})` : ''}`);
  for (const x of r.results.filter((y) => y.state === 'error')) lines.push(`  not tried: ${x.repo}: ${x.reason ?? 'unknown error'}`);
  if (r.skipped.length) {
    lines.push(`  left out (${r.skipped.length}):`);
    for (const s of r.skipped) lines.push(`    ${s.repo}: ${s.reason}`);
  }
  if (r.notDeleted.length) {
    lines.push(`  trial branches NOT deleted (delete them by hand once checked):`);
    for (const n of r.notDeleted) lines.push(`    ${n.repo}: ${n.reason}`);
  } else if (a.total > a.errors) lines.push(`  trial branches deleted`);
  return lines.join('\n');
}

/** The trial as a comment of the tracking issue (`/fleetwave trial`): the aggregate, then a fenced tail per failure. */
export function renderTrialMarkdown(r: TrialReport): string {
  const a = r.aggregate;
  const fence = '```';
  const lines = [
    `trial of **${r.migration}** on \`${r.branch}\`: ${a.total} target${a.total === 1 ? '' : 's'} tried${r.sample !== undefined ? ` (a sample of ${r.candidates})` : ''}, no pull request opened.`,
    '',
    `**${a.passed} passed, ${a.failed} failed, ${a.noCi} without CI${a.errors ? `, ${a.errors} not tried` : ''}**`,
  ];
  const passed = r.results.filter((x) => x.state === 'passed');
  if (passed.length) lines.push('', `Passed: ${passed.map((x) => x.repo).join(', ')}`);
  for (const x of r.results.filter((y) => y.state === 'failed')) {
    lines.push('', `Failed: ${x.repo}${x.sha ? ` at ${x.sha.slice(0, 7)}` : ''}`);
    // A tail holding a fence would end the block early: its backticks are shown as quotes.
    for (const f of x.failing ?? []) lines.push('', `\`${f.name}\`:`, `${fence}text`, f.tail.replaceAll(fence, "'''"), fence);
  }
  const noCi = r.results.filter((y) => y.state === 'no-ci');
  if (noCi.length) lines.push('', `No CI: ${noCi.map((x) => `${x.repo}${x.reason ? ` (${x.reason})` : ''}`).join(', ')}`);
  for (const x of r.results.filter((y) => y.state === 'error')) lines.push('', `Not tried: ${x.repo}: ${x.reason ?? 'unknown error'}`);
  if (r.notDeleted.length) {
    lines.push('', 'Trial branches **not** deleted (delete them by hand once checked):');
    for (const n of r.notDeleted) lines.push(`- ${n.repo}: ${n.reason}`);
  }
  lines.push('', 'The canary rule prefers targets whose trial passed (`rollout.canary: <count>`, while the canaries are not chosen yet).');
  return lines.join('\n');
}

/** The latest trial as the journal keeps it (the `trial` event), for the dashboard and the tracking issue. */
export interface TrialView {
  at: string;
  branch: string;
  passed: string[];
  failed: { repo: string; tail: string }[];
  noCi: string[];
  errors: { repo: string; reason: string }[];
}

/** The newest readable `trial` event of a migration's journal (in append order); null when none. */
export function latestTrial(events: readonly Pick<StoredEvent, 'at' | 'action' | 'detail'>[]): TrialView | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    const d = detailOf(e, 'trial');
    if (!d) continue;
    return {
      at: e.at,
      branch: d.branch,
      passed: [...d.passed],
      failed: Object.entries(d.failed).map(([repo, tail]) => ({ repo, tail })),
      noCi: [...d.noCi],
      errors: Object.entries(d.errors).map(([repo, reason]) => ({ repo, reason })),
    };
  }
  return null;
}

/** The tracking issue's section on the latest trial: the counts and who did not pass (the tails are in the App's reply). */
export function renderTrialSection(t: TrialView): string[] {
  const lines = [
    '### Trial run',
    '',
    `${t.at} on \`${t.branch}\` (no pull request opened): **${t.passed.length} passed, ${t.failed.length} failed, ${t.noCi.length} without CI${t.errors.length ? `, ${t.errors.length} not tried` : ''}**`,
  ];
  if (t.failed.length) lines.push('', `Failed: ${t.failed.map((f) => f.repo).join(', ')}`);
  if (t.noCi.length) lines.push('', `No CI: ${t.noCi.join(', ')}`);
  if (t.errors.length) lines.push('', `Not tried: ${t.errors.map((e) => e.repo).join(', ')}`);
  lines.push('');
  return lines;
}
