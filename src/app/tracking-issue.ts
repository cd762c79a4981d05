/**
 * One tracking issue per migration, in the manifest's repository, updated in place: the waves, every
 * target with its state and pull request, failures, blocked consumers, and the commands. Found again
 * by the hidden marker in its body (label `fleetwave` narrows the listing, read page by page until
 * the marker is found, however many labelled issues there are), so nothing is stored. Creating it is
 * not idempotent: after a 5xx or a lost answer the issue is looked up by its marker before it is
 * created again.
 */
import type { GitHubClient } from '../forge/github/client.js';
import { splitRepo } from '../forge/github/client.js';
import { sameLogin } from '../forge/github/pull-requests.js';
import { createOnce } from '../alerts/issue-comment-sink.js';
import type { MigrationSummary } from '../rollout/model.js';
import { renderAgentCounts, renderDatasetGate } from '../report/run-summary.js';
import { bodySize, fitBody, fitRows, GITHUB_BODY_LIMIT } from '../report/body-limit.js';
import { renderTrialSection, type TrialView } from '../report/trial.js';
import { COMMAND_HELP } from './commands.js';

export const TRACKING_LABEL = 'fleetwave';

export interface TrackingMarker {
  migration: string;
  manifest: string;
}

const MARKER_RE = /<!--\s*fleetwave-tracking:(\{[^\n]*?\})\s*-->/;

export function renderTrackingMarker(m: TrackingMarker): string {
  return `<!-- fleetwave-tracking:${JSON.stringify({ migration: m.migration, manifest: m.manifest })} -->`;
}

export function parseTrackingMarker(body: string | null | undefined): TrackingMarker | null {
  const m = MARKER_RE.exec(body ?? '');
  if (!m) return null;
  try {
    const v = JSON.parse(m[1]!) as Partial<TrackingMarker>;
    return typeof v.migration === 'string' && typeof v.manifest === 'string' ? { migration: v.migration, manifest: v.manifest } : null;
  } catch {
    return null;
  }
}

function cell(text: string | null | undefined): string {
  return (text ?? '').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

const STATE_ICON: Record<string, string> = {
  planned: '⏳',
  blocked: '⛔',
  open: '🔄',
  merged: '✅',
  failed: '❌',
  reverted: '↩️',
  skipped: '⏭️',
};

export function trackingTitle(migration: string): string {
  return `Fleetwave: ${migration}`;
}

export function renderTrackingIssue(summary: MigrationSummary, manifestPath: string, burndown?: string, trial?: TrialView | null): string {
  const lines: string[] = [];
  lines.push(`Migration **${summary.migration}** from \`${manifestPath}\` (sha256 \`${summary.manifestHash.slice(0, 12)}\`).`, '');
  lines.push(
    `**State: ${summary.state}**${summary.reason ? ` — ${summary.reason}` : ''}${summary.waitingUntil ? ` (waiting until ${summary.waitingUntil})` : ''}`,
    '',
  );
  if (summary.dataset)
    lines.push(`**Dataset gate: ${summary.dataset.state}**${renderDatasetGate(summary.dataset).replace(/^dataset gate: \S+/, '')}`, '');
  const counts = Object.entries(summary.counts)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${STATE_ICON[s] ?? ''} ${s}: ${n}`);
  if (counts.length) lines.push(counts.join(' · '), '');
  const stuck = summary.targets.filter((t) => t.stuck);
  if (stuck.length) {
    lines.push(`**Stuck pull requests** (open with no review longer than \`rollout.nudgeAfter\`; nudged once):`, '');
    for (const t of stuck)
      lines.push(
        `- ${t.pr ? `[${t.repo}#${t.prNumber}](${t.pr})` : t.repo}: open since ${t.stuck!.since}${t.reason ? ` — ${t.reason}` : ''}${t.stuck!.mentioned.length ? ` (asked: ${t.stuck!.mentioned.join(' ')})` : ''}`,
      );
    lines.push('');
  }
  if (summary.oldDataset?.sunset)
    lines.push(
      `**Old dataset** (sunset ${summary.oldDataset.sunset}): ${summary.oldDataset.deletable ? '🗑️ ' : ''}${summary.oldDataset.reason}`,
      '',
    );
  if (summary.agent)
    lines.push(
      `**Agent** (draft PRs people review; never merged by Fleetwave) — ${renderAgentCounts(summary.agent).replace(/^agent: /, '')}`,
      '',
    );
  if (summary.waves.length) {
    lines.push('### Waves', '', '| wave | size | state | failed |', '| --- | --- | --- | --- |');
    for (const w of summary.waves)
      lines.push(
        `| ${w.index === 0 ? '0 (canary)' : w.index} | ${w.size} | ${w.state} | ${w.failed} (${Math.round(w.failedShare * 100)}%) |`,
      );
    lines.push('');
  }
  if (burndown) lines.push('### Burndown', '', burndown, '');
  if (trial) lines.push(...renderTrialSection(trial));
  lines.push('### Targets', '');
  const rows: string[] = [];
  if (summary.targets.length === 0) lines.push('No consumer found yet.');
  else {
    lines.push('| repository | wave | state | pull request | why |', '| --- | --- | --- | --- | --- |');
    for (const t of summary.targets) {
      const pr = t.pr ? `[#${t.prNumber ?? ''}](${t.pr})` : '';
      const why = [t.reason, t.needsHuman ? '(needs a human)' : null, t.checks ? `checks: ${t.checks}` : null].filter(Boolean).join(' ');
      rows.push(`| ${cell(t.repo)} | ${t.wave ?? '—'} | ${STATE_ICON[t.state] ?? ''} ${t.state} | ${pr} | ${cell(why)} |`);
    }
  }
  const after: string[] = [];
  const blocked = summary.targets.filter((t) => t.state === 'blocked');
  if (blocked.length) {
    after.push('', '### Blocked consumers', '');
    for (const t of blocked) {
      after.push(`- **${t.repo}**: ${t.reason ?? 'blocked'}`);
      for (const f of t.findings.filter((x) => x.severity === 'blocking'))
        after.push(`  - ${f.file ? `\`${f.file}${f.line ? `:${f.line}` : ''}\` ` : ''}${f.message}`);
    }
  }
  const commands = ['', '### Commands', '', `Comment here (write access to this repository needed): ${COMMAND_HELP}.`, ''];
  const marker = renderTrackingMarker({ migration: summary.migration, manifest: manifestPath });
  const elsewhere = `\`fleetwave status ${summary.migration}\` and the dashboard list them all`;
  // GitHub takes at most 65,536 characters in an issue (src/report/body-limit.ts): the targets' table
  // gives way first (the targets still to do before the done ones), then whatever else is too long.
  const fixed = [...lines, ...after, ...commands, marker].join('\n');
  const budget = GITHUB_BODY_LIMIT - bodySize(fixed) - 2 * bodySize(elsewhere) - 64;
  const more = (n: number) =>
    `\n_${n} more targets are not shown here (GitHub takes at most ${GITHUB_BODY_LIMIT.toLocaleString('en-US')} characters in an issue): ${elsewhere}._`;
  const table = bodySize(rows.join('\n')) + 1 <= budget ? rows : fitRows(doneLast(summary, rows), budget, more);
  return fitBody(
    [...lines, ...table, ...after, ...commands].join('\n'),
    marker,
    (n) =>
      `_${n} more lines are not shown here (GitHub takes at most ${GITHUB_BODY_LIMIT.toLocaleString('en-US')} characters in an issue): ${elsewhere}._`,
  );
}

/** The table's rows with the targets still to do first, the merged and skipped ones after (each in the summary's order). */
function doneLast(summary: MigrationSummary, rows: readonly string[]): string[] {
  const done = (state: string) => state === 'merged' || state === 'skipped';
  const order = summary.targets.map((t, i) => ({ done: done(t.state), i }));
  return [...order.filter((o) => !o.done), ...order.filter((o) => o.done)].map((o) => rows[o.i]!);
}

interface IssueListItem {
  number: number;
  body?: string | null;
  user?: { login: string } | null;
  pull_request?: unknown;
}

const PAGE = 100;

/**
 * The migration's tracking issue in `manifestRepo`, found by its marker among every issue labelled
 * `fleetwave` (opened by `author`, the App's bot, when given); null when none.
 */
export async function findTrackingIssue(
  client: GitHubClient,
  manifestRepo: string,
  migration: string,
  author?: string,
): Promise<{ number: number; body: string | null } | null> {
  const { owner, repo } = splitRepo(manifestRepo);
  for (let page = 1; ; page++) {
    const list = await client.request('GET /repos/{owner}/{repo}/issues', {
      owner,
      repo,
      labels: TRACKING_LABEL,
      state: 'all',
      per_page: PAGE,
      page,
    });
    const items = list.data as IssueListItem[];
    // Only an issue the App opened: anyone may open an issue with a copied marker (docs/security.md).
    const found = items.find(
      (i) =>
        !i.pull_request &&
        parseTrackingMarker(i.body)?.migration === migration &&
        (author === undefined || sameLogin(i.user?.login, author)),
    );
    if (found) return { number: found.number, body: found.body ?? null };
    if (items.length < PAGE) return null;
  }
}

/**
 * Creates or updates the migration's tracking issue; returns its number. Two requests when the issue
 * is on the first page of labelled issues, one more per further page.
 */
export async function upsertTrackingIssue(
  client: GitHubClient,
  manifestRepo: string,
  manifestPath: string,
  summary: MigrationSummary,
  burndown?: string,
  author?: string,
  trial?: TrialView | null,
): Promise<number> {
  const { owner, repo } = splitRepo(manifestRepo);
  const body = renderTrackingIssue(summary, manifestPath, burndown, trial);
  const existing = await findTrackingIssue(client, manifestRepo, summary.migration, author);
  if (existing) {
    if (existing.body !== body)
      await client.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { owner, repo, issue_number: existing.number, body });
    return existing.number;
  }
  return createOnce(
    async () =>
      (
        await client.request('POST /repos/{owner}/{repo}/issues', {
          owner,
          repo,
          title: trackingTitle(summary.migration),
          body,
          labels: [TRACKING_LABEL],
        })
      ).data.number,
    async () => (await findTrackingIssue(client, manifestRepo, summary.migration, author))?.number ?? null,
  );
}
