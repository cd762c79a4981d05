/**
 * The human-readable summary of a migration (CLI `run`, `status`, `demo`). Pure.
 */
import { windowText } from './plan.js';
import type { MigrationSummary, TargetState, TargetSummary } from '../rollout/model.js';

const ORDER: TargetState[] = ['merged', 'open', 'planned', 'failed', 'reverted', 'blocked', 'skipped'];

export function renderCounts(s: Pick<MigrationSummary, 'counts'>): string {
  return ORDER.filter((k) => s.counts[k] > 0)
    .map((k) => `${s.counts[k]} ${k}`)
    .join(', ');
}

export function renderRunSummary(s: MigrationSummary): string {
  const lines: string[] = [];
  lines.push(`migration ${s.migration}: ${s.state.toUpperCase()}${s.reason ? ` — ${s.reason}` : ''}`);
  lines.push(`  targets: ${s.targets.length} (${renderCounts(s) || 'none'})`);
  const waves = s.waves.filter((w) => w.size > 0);
  if (waves.length) {
    lines.push(
      `  waves: ${waves.map((w) => `${w.index === 0 ? 'canary' : `#${w.index}`} ${w.size} ${w.state}${w.failed ? ` (${w.failed} failed)` : ''}`).join(' · ')}`,
    );
  }
  if (s.dataset) lines.push(`  ${renderDatasetGate(s.dataset)}`);
  if (s.agent) lines.push(`  ${renderAgentCounts(s.agent)}`);
  // With a sunset: whether the old dataset can be deleted yet (docs/rollout.md, The sunset).
  if (s.oldDataset?.sunset) lines.push(`  old dataset: ${s.oldDataset.reason}`);
  if (s.waitingUntil)
    lines.push(`  waiting until ${s.waitingUntil} (the soak time, or the rollout schedule's next window); run again then`);
  for (const text of s.searchIncomplete ?? [])
    lines.push(
      `  discovery may be partial: the code search for ${JSON.stringify(text)} answered incompletely (it ran out of time); ` +
        'consumers it missed get no pull request until a later search finds them',
    );
  const width = Math.max(4, ...s.targets.map((t) => t.repo.length));
  lines.push('');
  lines.push(`  ${'repo'.padEnd(width)}  wave    ${'state'.padEnd(8)}  pull request / reason`);
  // in rollout order: the canary, then wave by wave; targets in no wave (blocked, nothing to change) last
  const byWave = [...s.targets].sort(
    (a, b) => (a.wave ?? Number.MAX_SAFE_INTEGER) - (b.wave ?? Number.MAX_SAFE_INTEGER) || a.repo.localeCompare(b.repo),
  );
  for (const t of byWave) {
    const detail = [t.pr, t.reason, t.window && !t.window.open ? windowText(t.window) : null, reviewersText(t)].filter(Boolean).join(' — ');
    const wave = t.wave === null ? '-' : t.wave === 0 ? 'canary' : String(t.wave);
    lines.push(`  ${t.repo.padEnd(width)}  ${wave.padEnd(6)}  ${t.state.padEnd(8)}  ${t.agentWritten ? '[agent] ' : ''}${detail}`);
  }
  const blocked = s.targets.filter((t) => t.state === 'blocked');
  if (blocked.length) {
    lines.push('', '  blocked consumers (no pull request opened; a human must act):');
    for (const t of blocked) {
      for (const f of t.findings.filter((x) => x.severity === 'blocking')) {
        lines.push(
          `    ${t.repo}: ${f.file ? `${f.file}${f.line ? `:${f.line}` : ''}: ` : ''}${f.field ? `${f.field}: ` : ''}${f.message}`,
        );
      }
    }
  }
  const stuck = s.targets.filter((t) => t.stuck);
  if (stuck.length) {
    lines.push('', '  stuck pull requests (no review after rollout.nudgeAfter; their owners were nudged once):');
    for (const t of stuck)
      lines.push(
        `    ${t.repo}: open since ${t.stuck!.since}${t.stuck!.mentioned.length ? `, asked ${t.stuck!.mentioned.join(' ')}` : ''}`,
      );
  }
  const human = s.targets.filter((t) => t.needsHuman);
  if (human.length) lines.push('', `  needing a human: ${human.map((t) => t.repo).join(', ')}`);
  lines.push('', `  fleet: ${s.fleet}`, `  store: ${s.store}`, `  manifest: ${s.manifest}`);
  return lines.join('\n');
}

/** One line: the agent rule's pull requests and runs, counted apart from the rules'. */
export function renderAgentCounts(a: NonNullable<MigrationSummary['agent']>): string {
  return `agent: ${a.opened} draft PR${a.opened === 1 ? '' : 's'} opened (${a.merged} merged by people), ${a.passedVerifiers} passed the verifiers, ${a.vetoed} vetoed by the judge, ${a.failed} failed`;
}

/** One progress line per tick, for a terminal. */
export function renderProgress(tick: number, s: Pick<MigrationSummary, 'counts' | 'state'>, executed: number): string {
  return `tick ${tick}: ${executed} action${executed === 1 ? '' : 's'} · ${renderCounts(s) || 'no targets'} · ${s.state}`;
}

/** One line: the dataset gate's state, why it holds, and the evidence it read. */
export function renderDatasetGate(d: NonNullable<MigrationSummary['dataset']>): string {
  const e = d.evidence;
  const evidence = e
    ? ` — ${e.targetRows} rows in ${e.files} file${e.files === 1 ? '' : 's'}, checksums ${e.checksumsMatch ? 'matched' : 'differ'}, verified at ${e.verifiedAt} (${e.reportUrl ?? e.record})`
    : '';
  return `dataset gate: ${d.state}${d.state === 'verified' ? evidence : `${d.reason ? ` — ${d.reason}` : ''}`}`;
}

/** `reviewers: @jane, @acme/recs-team`: who was asked to review the pull request, or null. */
export function reviewersText(t: Partial<Pick<TargetSummary, 'reviewers'>>): string | null {
  if (!t.reviewers) return null;
  return `reviewers: ${[...t.reviewers.users.map((u) => `@${u}`), ...t.reviewers.teams.map((team) => `team ${team}`)].join(', ')}`;
}
