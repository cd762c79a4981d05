/**
 * A migration recorded in a real SQLite store, as `fleetwave run` over a local fleet leaves it: two
 * runs, a journal (push, open-pr, merge, rescan, revert, pause) and the newest run's MigrationSummary.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MigrationSummary, TargetState, TargetSummary } from '../../src/rollout/model.js';
import type { JournalEvent, Store } from '../../src/store/port.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

export const MIGRATION = 'play-events-v2';
export const HASH = 'sha256:9c1f3e0a4b7d2e8f6a5c4b3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f';

export function prUrl(fleet: string, repo: string, n: number): string {
  return `${pathToFileURL(join(fleet, `${repo}.git`)).href}#pull/${n}`;
}

function target(
  fleet: string,
  repo: string,
  wave: number | null,
  state: TargetState,
  pr: number | null,
  over: Partial<TargetSummary> = {},
): TargetSummary {
  return {
    repo,
    wave,
    state,
    pr: pr ? prUrl(fleet, repo, pr) : null,
    prNumber: pr,
    reason: null,
    needsHuman: false,
    checks: pr ? 'success' : null,
    findings: [],
    ...over,
  };
}

/** Writes the migration into a new store at `file`; returns the store (open) and the summary. */
export async function recordMigration(file: string, fleet: string): Promise<{ store: Store; summary: MigrationSummary }> {
  let clock = Date.parse('2026-11-23T09:00:00.000Z');
  const store = openSqliteStore(file, { now: () => new Date(clock) });
  const at = (minutes: number) => new Date(Date.parse('2026-11-23T09:00:00.000Z') + minutes * 60_000).toISOString();
  const ev = (
    minutes: number,
    target: string | null,
    action: string,
    detail: Record<string, unknown>,
    outcome: JournalEvent['outcome'] = 'ok',
  ): JournalEvent => ({
    at: at(minutes),
    migration: MIGRATION,
    target,
    action,
    outcome,
    detail,
    version: '0.1.0',
    manifestHash: HASH,
  });
  const opened = (m: number, repo: string, pr: number, wave: number) => [
    ev(m, repo, 'push', { branch: `fleetwave/${MIGRATION}`, sha: `${pr}`.padStart(7, 'a'), files: 2 }),
    ev(m, repo, 'open-pr', { pr, url: prUrl(fleet, repo, pr), wave, adopted: false }),
  ];

  const run1 = await store.startRun({
    migration: MIGRATION,
    manifestPath: 'migrations/play-events-v2.yaml',
    manifestHash: HASH,
    fleet,
    startedAt: at(0),
  });
  const first: JournalEvent[] = [
    ...opened(1, 'acme/recs-sandbox', 1, 0),
    ev(25, 'acme/recs-sandbox', 'merge', { pr: 1, sha: 'c0ffee1' }),
    ev(27, 'acme/recs-sandbox', 'rescan', { references: 0, sha: 'c0ffee1' }),
    ...opened(60, 'acme/recs', 2, 1),
    ...opened(61, 'acme/billing-jobs', 3, 1),
    ...opened(62, 'acme/search-ranker', 4, 1),
    ev(140, 'acme/recs', 'merge', { pr: 2, sha: 'c0ffee2' }),
    ev(141, 'acme/recs', 'rescan', { references: 0 }),
    ev(200, 'acme/billing-jobs', 'merge', { pr: 3, sha: 'c0ffee3' }),
    ev(202, 'acme/billing-jobs', 'rescan', { references: 2 }),
  ];
  for (const e of first) await store.append(e);
  clock = Date.parse(at(210));
  await store.finishRun(run1, 'running', { migration: MIGRATION, state: 'running' });

  const run2 = await store.startRun({
    migration: MIGRATION,
    manifestPath: 'migrations/play-events-v2.yaml',
    manifestHash: HASH,
    fleet,
    startedAt: at(300),
  });
  const second: JournalEvent[] = [
    ...opened(301, 'acme/churn-model', 5, 2),
    ...opened(302, 'acme/ads-forecast', 6, 2),
    ...opened(303, 'acme/session-stats', 7, 2),
    ev(330, 'acme/search-ranker', 'merge', { pr: 4, sha: 'c0ffee4' }),
    ev(380, 'acme/search-ranker', 'revert', { pr: 4, sha: 'c0ffee5', reason: 'post-merge check "test" failed on main' }),
    ev(420, 'acme/churn-model', 'merge', { pr: 5, sha: 'c0ffee6' }),
    ev(421, 'acme/churn-model', 'rescan', { references: 0 }),
    ev(460, null, 'pause', { reason: 'wave 2: 1 of 3 targets failed (33%), above the failure threshold 20%', wave: 2 }),
  ];
  for (const e of second) await store.append(e);

  const fail = 'check "test" failed: expected userId, got undefined (src/events.test.ts:41)';
  const targets: TargetSummary[] = [
    target(fleet, 'acme/ads-forecast', 2, 'failed', 6, { checks: 'failure', reason: fail }),
    target(fleet, 'acme/billing-jobs', 1, 'merged', 3),
    target(fleet, 'acme/churn-model', 2, 'merged', 5),
    target(fleet, 'acme/legacy-reports', null, 'blocked', null, {
      reason: 'blocking findings: the change cannot be made safely by a codemod',
      findings: [
        {
          severity: 'blocking',
          file: 'src/load.ts',
          line: 17,
          field: 'user_id',
          message: 'user_id is read through a computed key (row[col]); rename it by hand',
        },
        { severity: 'info', file: 'README.md', message: 'mentions the old location in prose' },
      ],
    }),
    target(fleet, 'acme/playlist-api', 3, 'planned', null),
    target(fleet, 'acme/recs', 1, 'merged', 2),
    target(fleet, 'acme/recs-sandbox', 0, 'merged', 1),
    target(fleet, 'acme/search-ranker', 1, 'reverted', 4, { reason: 'reverted: post-merge check "test" failed on main' }),
    target(fleet, 'acme/session-stats', 2, 'open', 7, {
      checks: 'pending',
      needsHuman: true,
      reason: 'a human committed on the bot branch; Fleetwave will not push or merge',
    }),
    target(fleet, 'acme/web-player', null, 'skipped', null, { reason: 'nothing to change' }),
  ];
  const counts = { planned: 0, blocked: 0, open: 0, merged: 0, failed: 0, reverted: 0, skipped: 0 } as Record<TargetState, number>;
  for (const t of targets) counts[t.state]++;
  const summary: MigrationSummary = {
    migration: MIGRATION,
    state: 'paused',
    reason: 'wave 2: 1 of 3 targets failed (33%), above the failure threshold 20%',
    manifest: 'migrations/play-events-v2.yaml',
    manifestHash: HASH,
    fleet,
    store: store.location,
    waves: [
      { index: 0, size: 1, state: 'finished', failed: 0, failedShare: 0 },
      { index: 1, size: 3, state: 'finished', failed: 1, failedShare: 1 / 3 },
      { index: 2, size: 3, state: 'active', failed: 1, failedShare: 1 / 3 },
      { index: 3, size: 1, state: 'waiting', failed: 0, failedShare: 0 },
    ],
    targets,
    counts,
    waitingUntil: null,
  };
  clock = Date.parse(at(480));
  await store.finishRun(run2, 'paused', summary);
  return { store, summary };
}
