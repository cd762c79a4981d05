/**
 * The dashboard's HTML pages: the list of migrations and one migration's page. Self-contained (inline
 * CSS, inline SVG, no script, no external asset), so the same page serves as the static report. Pure.
 */
import type { Finding } from '../codemod/port.js';
import type { TargetState, TargetSummary, WaveSummary } from '../rollout/model.js';
import { renderBurndownSvg } from './burndown-svg.js';
import { escapeHtml as h, safeHref } from './dashboard-escape.js';
import type { MigrationListItem, MigrationPage } from './dashboard-model.js';
import { windowText } from './plan.js';
import { reviewersText } from './run-summary.js';
import { renderAgentCounts, renderDatasetGate } from './run-summary.js';

export interface PageOptions {
  /** Where the dashboard is mounted ('' at the root); links are absolute under it. */
  basePath?: string;
  /** A static report: no links to other dashboard pages. */
  standalone?: boolean;
  /** When the page was rendered (ISO), shown in the footer. */
  generatedAt: string;
}

const CSS = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa;--card:#fff;--ok:#1a7f37;--run:#0969da;--warn:#9a6700;--bad:#cf222e;--rev:#8250df;--block:#bc4c00}
*{box-sizing:border-box}body{margin:0;font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
header{background:#24292f;color:#fff;padding:10px 24px;display:flex;gap:16px;align-items:baseline}header a{color:#fff;text-decoration:none;font-weight:600;font-size:16px}header span{color:#c9d1d9}
main{max-width:1120px;margin:0 auto;padding:20px 24px 40px}h1{font-size:24px;margin:8px 0}h2{font-size:18px;margin:28px 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}
.meta{color:var(--muted);margin:2px 0}.meta code{font-size:12px}.reason{margin:8px 0;padding:8px 12px;border-left:4px solid var(--warn);background:#fff8c5}
table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line);border-radius:6px}th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}th{background:var(--bg);font-weight:600}tr:last-child td{border-bottom:none}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:0 8px;border-radius:2em;font-size:12px;font-weight:600;line-height:20px;color:#fff;background:var(--muted);white-space:nowrap}
.s-completed,.s-merged,.s-finished,.s-ok{background:var(--ok)}.s-running,.s-open,.s-active{background:var(--run)}.s-paused,.s-waiting{background:var(--warn)}.s-failed,.s-error{background:var(--bad)}.s-reverted{background:var(--rev)}.s-blocked{background:var(--block)}.s-planned,.s-skipped{background:#818b98}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:10px 16px;min-width:130px}.card b{display:block;font-size:22px}.card span{color:var(--muted);font-size:12px}
.bar{height:8px;background:var(--line);border-radius:4px;overflow:hidden;min-width:120px}.bar i{display:block;height:100%;background:var(--ok)}
.chart{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:8px;margin:8px 0}.chart svg{width:100%;height:auto}
.burndown .grid{stroke:#eaeef2}.burndown .axis{stroke:#8c959f}.burndown .tick{fill:var(--muted);font-size:11px}.burndown .chart-title{font-weight:600;font-size:13px;fill:var(--fg)}
.burndown .line{stroke-width:2.5}.burndown .line.consumers{stroke:var(--run)}.burndown .area.consumers{fill:rgba(9,105,218,.12)}.burndown .dot.consumers{fill:var(--run)}
.burndown .line.references{stroke:var(--rev)}.burndown .area.references{fill:rgba(130,80,223,.12)}.burndown .dot.references{fill:var(--rev)}.burndown .last{font-size:12px;font-weight:600;fill:var(--fg)}
.finding{margin:2px 0}.finding code{font-size:12px}.human{color:var(--bad);font-weight:600}.note{color:var(--muted);font-size:12px}
td.at,table.journal td:nth-child(2),table.journal td:nth-child(3){white-space:nowrap}td.at{font-variant-numeric:tabular-nums}table.journal code{font-size:11px;word-break:break-all}
footer{color:var(--muted);font-size:12px;margin-top:32px}ul.plain{margin:0;padding-left:18px}
`;

function badge(state: string): string {
  return `<span class="badge s-${h(state.replace(/[^a-z-]/gi, ''))}">${h(state)}</span>`;
}

export function layout(title: string, body: string, o: PageOptions): string {
  const home = o.standalone ? '<a>Fleetwave</a>' : `<a href="${h(o.basePath ?? '')}/">Fleetwave</a>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)} · Fleetwave</title><style>${CSS}</style></head>
<body><header>${home}<span>dataset migrations across the fleet</span></header>
<main>${body}<footer>Rendered ${h(o.generatedAt)} by Fleetwave.${o.standalone ? ' A static report.' : ' This page as JSON: the same URL with <code>Accept: application/json</code>.'}</footer></main></body></html>
`;
}

function progress(done: number, total: number): string {
  const pct = total ? Math.round((done / total) * 100) : 0;
  return `<div class="bar" title="${done} of ${total}"><i style="width:${pct}%"></i></div>`;
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${Math.round(s)}s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m}m`;
  const hrs = Math.floor(m / 60);
  if (hrs < 48) return `${hrs}h ${m % 60}m`;
  return `${Math.floor(hrs / 24)}d ${hrs % 24}h`;
}

export function renderMigrationListHtml(items: MigrationListItem[], o: PageOptions & { queue?: boolean }): string {
  const rows = items
    .map(
      (
        m,
      ) => `<tr><td><a href="${h(m.href)}">${h(m.migration)}</a>${m.reason ? `<div class="note">${h(m.reason)}</div>` : ''}</td><td>${badge(m.state)}</td>
<td>${progress(m.merged, m.targets)}<span class="note">${m.merged} of ${m.targets} merged</span></td>
<td>${
        m.counts
          ? (Object.entries(m.counts) as [TargetState, number][])
              .filter(([, n]) => n > 0)
              .map(([k, n]) => `${n} ${h(k)}`)
              .join(' · ')
          : '<span class="note">no summary</span>'
      }</td>
<td>${h(m.startedAt)}<div class="note">${m.finishedAt ? `finished ${h(m.finishedAt)}` : 'did not finish'}</div></td></tr>`,
    )
    .join('\n');
  const body = items.length
    ? `<h1>Migrations</h1><table><thead><tr><th>Migration</th><th>State</th><th>Progress</th><th>Targets</th><th>Last run</th></tr></thead><tbody>${rows}</tbody></table>`
    : '<h1>Migrations</h1><p>No migration in this store yet: run <code>fleetwave run &lt;manifest&gt;</code> or <code>fleetwave demo</code>.</p>';
  const queue = o.queue ? `<p class="meta"><a href="${h(o.basePath ?? '')}/queue">Job queue and workers</a></p>` : '';
  return layout('Migrations', body + queue, o);
}

function waveName(index: number | null): string {
  return index === null ? '–' : index === 0 ? 'canary' : `#${index}`;
}

function prLink(t: { pr: string | null; prNumber?: number | null }): string {
  if (!t.pr) return '<span class="note">–</span>';
  const href = safeHref(t.pr);
  const text = t.prNumber ? `#${t.prNumber}` : t.pr;
  return href ? `<a class="pr" href="${h(href)}">${h(text)}</a>` : h(text);
}

function findingText(f: Finding): string {
  const where = f.file ? `<code>${h(f.file)}${f.line ? `:${f.line}` : ''}</code> ` : '';
  return `<div class="finding">${where}${f.field ? `<code>${h(f.field)}</code>: ` : ''}${h(f.message)}</div>`;
}

function wavesTable(waves: WaveSummary[]): string {
  const rows = waves
    .filter((w) => w.size > 0)
    .map(
      (w) =>
        `<tr><td>${waveName(w.index)}</td><td class="num">${w.size}</td><td>${badge(w.state)}</td><td class="num">${w.failed}</td><td class="num">${Math.round(w.failedShare * 100)}%</td></tr>`,
    )
    .join('');
  return rows
    ? `<table class="waves"><thead><tr><th>Wave</th><th class="num">Targets</th><th>State</th><th class="num">Failed</th><th class="num">Failed share</th></tr></thead><tbody>${rows}</tbody></table>`
    : '<p class="note">No wave yet.</p>';
}

function targetsTable(targets: TargetSummary[]): string {
  if (!targets.length) return '<p class="note">No target.</p>';
  const rows = targets
    .map(
      (
        t,
      ) => `<tr data-repo="${h(t.repo)}"><td>${h(t.repo)}</td><td>${waveName(t.wave)}</td><td>${badge(t.state)}</td><td>${prLink(t)}</td><td>${t.checks ? badge(t.checks === 'success' ? 'ok' : t.checks === 'failure' ? 'failed' : t.checks) : '<span class="note">–</span>'}</td>
<td>${t.agentWritten ? '<span class="human">agent · people merge</span> ' : ''}${t.reason ? h(t.reason) : ''}${t.needsHuman ? ' <span class="human">needs a human</span>' : ''}${t.window ? ` <span class="note window">${h(windowText(t.window))}</span>` : ''}${t.reviewers ? ` <span class="note reviewers">${h(reviewersText(t)!)}</span>` : ''}</td></tr>`,
    )
    .join('\n');
  return `<table class="targets"><thead><tr><th>Repository</th><th>Wave</th><th>State</th><th>Pull request</th><th>Checks</th><th>Why</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function renderMigrationHtml(p: MigrationPage, o: PageOptions): string {
  const s = p.summary;
  const b = p.burndown;
  const parts: string[] = [];
  parts.push(`<h1>${h(p.migration)} ${badge(p.state)}</h1>`);
  if (p.reason) parts.push(`<div class="reason">${h(p.reason)}</div>`);
  if (p.dataset)
    parts.push(
      `<p class="meta">dataset gate ${badge(p.dataset.state)} ${h(renderDatasetGate(p.dataset).replace(/^dataset gate: \S+( — )?/, ''))}</p>`,
    );
  // The agent rule's work, counted apart from the rules' (docs/rules/agent.md).
  if (s?.agent) parts.push(`<p class="meta agent">${h(renderAgentCounts(s.agent))}</p>`);
  // With a sunset: whether the old dataset can be deleted yet.
  if (s?.oldDataset?.sunset)
    parts.push(
      `<p class="meta old-dataset${s.oldDataset.deletable ? ' deletable' : ''}">old dataset (sunset ${h(s.oldDataset.sunset)}): ${h(s.oldDataset.reason)}</p>`,
    );
  parts.push(
    `<p class="meta">manifest <code>${h(p.lastRun.manifest)}</code> · hash <code>${h(p.lastRun.manifestHash.slice(0, 12))}</code> · fleet <code>${h(p.lastRun.fleet)}</code></p>`,
    `<p class="meta">last run ${h(p.lastRun.startedAt)} → ${p.lastRun.finishedAt ? h(p.lastRun.finishedAt) : 'did not finish'}${s?.waitingUntil ? ` · waiting until ${h(s.waitingUntil)}` : ''}</p>`,
  );
  const cards: [string | number, string][] = [
    [`${b.remaining} / ${b.total}`, 'consumers on the old dataset'],
    [s?.counts.merged ?? 0, 'merged'],
    [s?.counts.open ?? 0, 'open PRs'],
    [(s?.counts.failed ?? 0) + (s?.counts.reverted ?? 0), 'failed or reverted'],
    [s?.counts.blocked ?? 0, 'blocked'],
  ];
  if (b.references) cards.push([b.references.remaining, `references left (${b.references.rescanned} rescanned)`]);
  if (p.prDurations) cards.push([formatSeconds(p.prDurations.medianSeconds), `median PR open → merge (${p.prDurations.count})`]);
  parts.push(`<div class="cards">${cards.map(([v, l]) => `<div class="card"><b>${h(v)}</b><span>${h(l)}</span></div>`).join('')}</div>`);

  parts.push('<h2>Burndown</h2>');
  parts.push(`<div class="chart">${renderBurndownSvg(b, { series: 'consumers', title: 'Consumers still on the old dataset' })}</div>`);
  if (b.references)
    parts.push(
      `<div class="chart">${renderBurndownSvg(b, { series: 'references', title: 'References to the old dataset in rescanned consumers' })}</div>`,
    );
  parts.push(
    `<p class="note">${
      b.basis === 'merge'
        ? 'Progress counts merged pull requests: no rescan of the consumers was journaled yet.'
        : b.basis === 'mixed'
          ? 'Progress counts rescanned consumers by their remaining references, the others by merged pull requests.'
          : 'Progress counts the references left in every consumer after its rescan.'
    }</p>`,
  );

  parts.push('<h2>Waves</h2>', s ? wavesTable(s.waves) : '<p class="note">No summary recorded.</p>');
  parts.push(`<h2>Targets${s ? ` (${s.targets.length})` : ''}</h2>`, targetsTable(s?.targets ?? []));

  parts.push(`<h2>Failures (${p.failures.length})</h2>`);
  parts.push(
    p.failures.length
      ? `<table class="failures"><thead><tr><th>Repository</th><th>State</th><th>Pull request</th><th>Reason</th></tr></thead><tbody>${p.failures
          .map(
            (f) =>
              `<tr><td>${h(f.repo)}</td><td>${badge(f.state)}</td><td>${prLink(f)}</td><td>${h(f.reason ?? 'no reason recorded')}</td></tr>`,
          )
          .join('')}</tbody></table>`
      : '<p class="note">None.</p>',
  );

  parts.push(`<h2>Blocked consumers (${p.blocked.length})</h2>`);
  parts.push(
    p.blocked.length
      ? `<table class="blocked"><thead><tr><th>Repository</th><th>Findings (a human must act; no pull request was opened)</th></tr></thead><tbody>${p.blocked
          .map(
            (x) => `<tr><td>${h(x.repo)}</td><td>${x.findings.length ? x.findings.map(findingText).join('') : h(x.reason ?? '')}</td></tr>`,
          )
          .join('')}</tbody></table>`
      : '<p class="note">None.</p>',
  );
  if (p.leftForOwners.length) {
    parts.push(`<h2>Left unchanged for the owners (${p.leftForOwners.length})</h2>`);
    parts.push(
      `<table class="left"><thead><tr><th>Repository</th><th>Files to change by hand</th></tr></thead><tbody>${p.leftForOwners
        .map((x) => `<tr><td>${h(x.repo)}</td><td>${x.findings.map(findingText).join('')}</td></tr>`)
        .join('')}</tbody></table>`,
    );
  }
  if (p.needsHuman.length)
    parts.push(`<p class="human">Needing a human (a person committed on the bot branch): ${p.needsHuman.map(h).join(', ')}</p>`);

  if (p.trial) {
    const t = p.trial;
    parts.push(
      '<h2>Trial run</h2>',
      `<p class="meta">${h(t.at.replace('T', ' ').replace(/\.\d+Z$|Z$/, ''))} on <code>${h(t.branch)}</code> (no pull request opened): ${t.passed.length} passed, ${t.failed.length} failed, ${t.noCi.length} without CI${t.errors.length ? `, ${t.errors.length} not tried` : ''}</p>`,
    );
    if (t.failed.length)
      parts.push(
        `<table class="trial"><thead><tr><th>Failed</th><th>Failing checks (tail)</th></tr></thead><tbody>${t.failed
          .map((f) => `<tr><td>${h(f.repo)}</td><td><pre>${h(f.tail)}</pre></td></tr>`)
          .join('')}</tbody></table>`,
      );
    if (t.noCi.length) parts.push(`<p class="note">No CI: ${t.noCi.map(h).join(', ')}</p>`);
    if (t.errors.length) parts.push(`<p class="note">Not tried: ${t.errors.map((e) => `${h(e.repo)} (${h(e.reason)})`).join('; ')}</p>`);
  }

  parts.push(`<h2>Alerts (${p.alerts.length})</h2>`);
  if (p.breaker)
    parts.push(
      `<p class="meta">circuit breaker of the fleet ${badge(p.breaker.state)}${p.breaker.state !== 'closed' ? ` since ${h(p.breaker.openedAt ?? '')}: ${h(p.breaker.reason ?? '')}` : ''}</p>`,
    );
  parts.push(
    p.alerts.length
      ? `<table class="alerts"><thead><tr><th>At</th><th>Alert</th><th>Severity</th><th>Summary</th></tr></thead><tbody>${p.alerts
          .map(
            (a) =>
              `<tr><td class="at">${h(a.at.replace('T', ' ').replace(/\.\d+Z$|Z$/, ''))}</td><td>${h(a.kind)}${a.action === 'resolve' ? ' (resolved)' : ''}</td><td>${badge(a.severity)}</td><td>${h(a.summary)}</td></tr>`,
          )
          .join('')}</tbody></table>`
      : '<p class="note">None.</p>',
  );

  parts.push(`<h2>Journal (last ${p.events.length})</h2>`);
  parts.push(
    p.events.length
      ? `<table class="journal"><thead><tr><th>At</th><th>Target</th><th>Action</th><th>Outcome</th><th>Detail</th></tr></thead><tbody>${p.events
          .map(
            (e) =>
              `<tr><td class="at">${h(e.at.replace('T', ' ').replace(/\.\d+Z$|Z$/, ''))}</td><td>${h(e.target ?? '–')}</td><td>${h(e.action)}</td><td>${badge(e.outcome)}</td><td><code>${h(shortJson(e.detail))}</code></td></tr>`,
          )
          .join('')}</tbody></table>`
      : '<p class="note">Empty.</p>',
  );
  parts.push(
    '<h2>Runs</h2>',
    `<ul class="plain">${p.runs.map((r) => `<li>${h(r.startedAt)} → ${h(r.finishedAt ?? 'did not finish')} ${r.state ? badge(r.state) : ''}</li>`).join('')}</ul>`,
  );
  return layout(p.migration, parts.join('\n'), o);
}

/** An event's detail for the journal table: long ones (a search's 1,000 repositories) cut short; the JSON twin has them whole. */
function shortJson(detail: unknown, max = 300): string {
  const text = JSON.stringify(detail);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
