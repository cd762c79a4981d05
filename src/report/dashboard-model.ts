/**
 * What the dashboard shows, as data: the JSON twin of every page, and what the HTML renders. Built
 * from the store's run records and journal. Pure.
 */
import type { Finding } from '../codemod/port.js';
import type { MigrationState, MigrationSummary, TargetState, TargetSummary } from '../rollout/model.js';
import { detailOf } from '../store/journal-events.js';
import type { BreakerRecord, RunRecord, StoredEvent } from '../store/port.js';
import { computeBurndown, type Burndown } from './burndown.js';
import { durationStats, openToMergeDurations } from './dashboard-pr-durations.js';
import { leftForOwners, type LeftForOwners } from './left-for-owners.js';
import { latestTrial, type TrialView } from './trial.js';

export interface MigrationListItem {
  migration: string;
  state: MigrationState | string;
  reason: string | null;
  counts: Record<TargetState, number> | null;
  targets: number;
  /** Targets merged, of those with something to change. */
  merged: number;
  startedAt: string;
  finishedAt: string | null;
  /** The page's path, under the dashboard's base path. */
  href: string;
}

export interface MigrationPage {
  migration: string;
  state: MigrationState | string;
  reason: string | null;
  /** The newest run's summary; null when the run recorded none (it crashed before finishing). */
  summary: MigrationSummary | null;
  lastRun: { startedAt: string; finishedAt: string | null; state: string | null; manifest: string; manifestHash: string; fleet: string };
  /** Newest first. */
  runs: { startedAt: string; finishedAt: string | null; state: string | null }[];
  /** Failed and reverted targets with their reasons. */
  failures: {
    repo: string;
    state: TargetState;
    wave: number | null;
    pr: string | null;
    prNumber: number | null;
    reason: string | null;
    checks: string | null;
  }[];
  /** Consumers no pull request was opened for, and the findings that block them. */
  blocked: { repo: string; reason: string | null; findings: Finding[] }[];
  /** Files Fleetwave left unchanged for the owners (warning findings, e.g. workflow files), by consumer. */
  leftForOwners: LeftForOwners[];
  needsHuman: string[];
  burndown: Burndown;
  prDurations: { count: number; medianSeconds: number; p90Seconds: number } | null;
  /** The newest journal events, oldest first. */
  events: Pick<StoredEvent, 'id' | 'at' | 'target' | 'action' | 'outcome' | 'detail'>[];
  /** Alerts raised for the migration (src/alerts), newest first. */
  alerts: { at: string; kind: string; action: string; severity: string; summary: string; target: string | null }[];
  /** The latest trial run (`fleetwave trial`, `/fleetwave trial`), when the journal has one. */
  trial: TrialView | null;
  /** The fleet's circuit breaker, when the store has one for it. */
  breaker: Pick<BreakerRecord, 'state' | 'openedAt' | 'reason' | 'canary'> | null;
  /** The dataset gate at the newest run (its state, why it holds, the verification's evidence); null when not recorded. */
  dataset: NonNullable<MigrationSummary['dataset']> | null;
  href: string;
}

export const EVENTS_SHOWN = 50;

function hrefOf(basePath: string, migration: string): string {
  return `${basePath}/migrations/${encodeURIComponent(migration)}`;
}

function summaryOf(run: RunRecord): MigrationSummary | null {
  const s = run.summary as Partial<MigrationSummary> | null;
  return s && typeof s === 'object' && Array.isArray(s.targets) && s.counts ? (s as MigrationSummary) : null;
}

/**
 * The summary a page shows for a migration's runs (newest first): the newest run's; while that run only
 * handed its change sets to jobs (`waiting-for-changes`, src/rollout/change-cache.ts), the newest
 * summary before it, so the targets stay in view until the run that carries on finishes.
 */
export function shownSummary(runs: readonly RunRecord[]): MigrationSummary | null {
  const latest = runs[0];
  if (!latest) return null;
  if (latest.state !== 'waiting-for-changes') return summaryOf(latest);
  for (const r of runs) {
    const s = summaryOf(r);
    if (s) return s;
  }
  return null;
}

export function migrationList(records: RunRecord[], basePath = ''): MigrationListItem[] {
  return records.map((r) => {
    const s = summaryOf(r);
    const changing = s ? s.targets.filter((t) => t.state !== 'skipped').length : 0;
    return {
      migration: r.migration,
      state: s?.state ?? r.state ?? 'running',
      reason: s?.reason ?? null,
      counts: s?.counts ?? null,
      targets: changing,
      merged: s?.counts.merged ?? 0,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      href: hrefOf(basePath, r.migration),
    };
  });
}

/** The page of one migration: `runs` newest first (as `Store.runs` gives them), `events` its journal in append order. */
export function migrationPage(input: {
  runs: RunRecord[];
  events: StoredEvent[];
  now: Date;
  basePath?: string;
  breaker?: BreakerRecord | null;
}): MigrationPage {
  const latest = input.runs[0];
  if (!latest) throw new Error('migrationPage needs at least one run');
  const summary = shownSummary(input.runs);
  const first = input.runs[input.runs.length - 1]!;
  const targets: TargetSummary[] = summary?.targets ?? [];
  const asOf = latest.finishedAt ?? input.now.toISOString();
  return {
    migration: latest.migration,
    state: summary?.state ?? latest.state ?? 'running',
    reason: summary?.reason ?? null,
    summary,
    lastRun: {
      startedAt: latest.startedAt,
      finishedAt: latest.finishedAt,
      state: latest.state,
      manifest: latest.manifestPath,
      manifestHash: latest.manifestHash,
      fleet: latest.fleet,
    },
    runs: input.runs.map((r) => ({ startedAt: r.startedAt, finishedAt: r.finishedAt, state: r.state })),
    failures: targets
      .filter((t) => t.state === 'failed' || t.state === 'reverted')
      .map((t) => ({ repo: t.repo, state: t.state, wave: t.wave, pr: t.pr, prNumber: t.prNumber, reason: t.reason, checks: t.checks })),
    blocked: targets
      .filter((t) => t.state === 'blocked')
      .map((t) => ({ repo: t.repo, reason: t.reason, findings: t.findings.filter((f) => f.severity === 'blocking') })),
    leftForOwners: leftForOwners(targets),
    needsHuman: targets.filter((t) => t.needsHuman).map((t) => t.repo),
    burndown: computeBurndown({ summary, events: input.events, startedAt: first.startedAt, asOf }),
    prDurations: durationStats(openToMergeDurations(input.events)),
    events: input.events
      .slice(-EVENTS_SHOWN)
      .map((e) => ({ id: e.id, at: e.at, target: e.target, action: e.action, outcome: e.outcome, detail: e.detail })),
    alerts: input.events
      .filter((e) => e.action === 'alert')
      .reverse()
      .slice(0, EVENTS_SHOWN)
      .flatMap((e) => {
        const d = detailOf(e, 'alert');
        return d ? [{ at: e.at, kind: d.kind, action: d.action, severity: d.severity, summary: d.summary, target: e.target }] : [];
      }),
    trial: latestTrial(input.events),
    breaker: input.breaker
      ? { state: input.breaker.state, openedAt: input.breaker.openedAt, reason: input.breaker.reason, canary: input.breaker.canary }
      : null,
    dataset: summary?.dataset ?? null,
    href: hrefOf(input.basePath ?? '', latest.migration),
  };
}
