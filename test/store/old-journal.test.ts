/**
 * Journals written before the journal was typed still read: the rows and JSON events below are in the
 * shapes Fleetwave wrote them (the CLI's approval with its hash in the detail, the App's with an empty
 * hash and no hash in the detail, the App's revert without a PR number, alerts and their deliveries,
 * an event of a kind this Fleetwave does not know), inserted past the typed writer, and read back
 * through the journal view's typed readers. What cannot be read fails with the store, the event's id
 * and the reason.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { raisedAlerts } from '../../src/alerts/outbox.js';
import { rerunsOf } from '../../src/rollout/observe.js';
import { approvalsOf } from '../../src/rollout/reconcile.js';
import { JournalView } from '../../src/rollout/journal-view.js';
import { JSON_STORE_FORMAT, openJsonFileStore } from '../../src/store/json-file/json-file-store.js';
import type { StoredEvent } from '../../src/store/port.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { StateError } from '../../src/util/errors.js';

const M = 'play-events-v2';
const HASH = 'a'.repeat(64);

/** One event per shape the untyped journal held, oldest first, as (target, action, outcome, detail, manifestHash). */
const OLD: [string | null, string, 'ok' | 'error' | 'skipped', Record<string, unknown>, string][] = [
  [null, 'search', 'ok', { text: 'events_v1', repos: ['acme/recs', 'acme/charts'] }, HASH],
  [
    null,
    'choose-canaries',
    'ok',
    { canaries: ['acme/recs'], passed: ['acme/recs@1234567'], refused: {}, rule: 'lowest risk first, default branch checks passing' },
    HASH,
  ],
  ['acme/recs', 'push', 'ok', { branch: 'fleetwave/play-events-v2', sha: 'b1', files: 2 }, HASH],
  ['acme/recs', 'open-pr', 'ok', { pr: 7, url: 'https://example.test/acme/recs/pull/7', wave: 0, sha: 'b1', adopted: false }, HASH],
  ['acme/recs', 'rerun-checks', 'ok', { pr: 7, sha: 'b1', attempt: 1 }, HASH],
  ['acme/recs', 'rerun-checks', 'error', { error: 'rerunChecks: 502', transient: true }, HASH],
  ['acme/charts', 'open', 'error', { error: 'openPullRequest: 502', transient: true }, HASH],
  [null, 'approve', 'ok', { by: 'dana', manifestHash: HASH }, HASH],
  [null, 'approve', 'ok', { by: 'mona', issue: 17 }, ''],
  ['acme/recs', 'merge', 'ok', { pr: 7, sha: 'm1', by: null, observed: true, mergedAt: '2026-11-24T10:00:00.000Z' }, HASH],
  ['acme/recs', 'success', 'ok', { key: 'acme/recs#7', pr: 7, reason: null }, HASH],
  ['acme/recs', 'rescan', 'ok', { references: 0, sha: 'm1' }, HASH],
  ['acme/recs', 'revert', 'ok', { by: 'mona', issue: 17, sha: 'r1' }, ''],
  [null, 'pause', 'ok', { reason: 'wave 0 failed 1 of 1 (100%)', wave: 0 }, HASH],
  [null, 'pause', 'ok', { by: 'mona', issue: 17 }, ''],
  [
    null,
    'alert',
    'ok',
    {
      kind: 'paused',
      action: 'trigger',
      severity: 'warning',
      dedupKey: 'fleetwave/play-events-v2/paused/0',
      summary: 'play-events-v2 paused',
      owners: ['team-data'],
      details: { wave: 0 },
    },
    HASH,
  ],
  [
    null,
    'alert-delivery',
    'error',
    { sink: 'webhook', alertId: 16, dedupKey: 'fleetwave/play-events-v2/paused/0', error: 'HTTP 500' },
    HASH,
  ],
  [null, 'resume', 'ok', { by: 'dana', acceptedWaves: [0] }, HASH],
  ['acme/recs', 'comment', 'ok', { body: 'an event of a kind this Fleetwave does not know' }, HASH],
];

/** What the typed readers make of the journal above, whichever store holds it. */
async function expectReadable(view: JournalView, events: readonly StoredEvent[]): Promise<void> {
  expect(events).toHaveLength(OLD.length);
  // Approvals: the CLI's carries its hash; the App's old one is bound to the event's (empty) hash, so it counts for no manifest.
  expect(approvalsOf(await view.ofKind('approve'))).toEqual([
    { by: 'dana', at: '2026-11-24T09:07:00.000Z', manifestHash: HASH },
    { by: 'mona', at: '2026-11-24T09:08:00.000Z', manifestHash: '' },
  ]);
  // Re-run claims per head and attempt; the failed request (an ActionError) does not count.
  expect(rerunsOf(await view.ofKind('rerun-checks'), 'acme/recs', 'b1')).toBe(1);
  const rerunError = (await view.ofKind('rerun-checks')).find((e) => e.outcome === 'error');
  expect(rerunError?.outcome === 'error' && rerunError.detail.transient).toBe(true);
  expect((await view.ofKind('open')).map((e) => (e.outcome === 'error' ? e.detail.error : null))).toEqual(['openPullRequest: 502']);
  const merge = (await view.ofKind('merge'))[0]!;
  expect(merge.outcome === 'ok' ? [merge.detail.pr, merge.detail.observed, merge.detail.by] : null).toEqual([7, true, null]);
  // The App's revert has no PR number, and says who asked.
  expect((await view.ofKind('revert')).map((e) => (e.outcome === 'ok' ? [e.detail.by, e.detail.pr, e.detail.sha] : null))).toEqual([
    ['mona', undefined, 'r1'],
  ]);
  expect((await view.ofKind('choose-canaries'))[0]!.detail.canaries).toEqual(['acme/recs']);
  expect((await view.ofKind('search'))[0]!.detail.repos).toEqual(['acme/recs', 'acme/charts']);
  expect((await view.ofKind('success')).map((e) => e.detail.key)).toEqual(['acme/recs#7']);
  expect((await view.ofKind('resume'))[0]!.detail.acceptedWaves).toEqual([0]);
  expect((await view.ofKind('pause')).map((e) => ('wave' in e.detail ? e.detail.wave : e.detail.by))).toEqual([0, 'mona']);
  expect((await view.ofKind('alert-delivery'))[0]!.detail.error).toBe('HTTP 500');
  // The unknown kind stays in the journal (the dashboard lists it) and in no typed reader.
  expect((await view.all()).map((e) => e.action)).toContain('comment');
  expect(await view.lastIs('pause')).toBeUndefined();
}

const at = (i: number) => new Date(Date.parse('2026-11-24T09:00:00.000Z') + i * 60_000).toISOString();

describe('a journal written before the journal was typed', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleetwave-old-journal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** A SQLite store whose journal rows were inserted as HEAD's schema holds them (past the typed writer). */
  async function oldSqlite(extra: [string | null, string, string, string][] = []): Promise<string> {
    const file = join(dir, 'fleetwave.sqlite');
    await openSqliteStore(file).close();
    const db = new Database(file);
    const insert = db.prepare(
      'INSERT INTO journal (at, migration, target, action, outcome, detail, version, manifest_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    OLD.forEach(([target, action, outcome, detail, hash], i) =>
      insert.run(at(i), M, target, action, outcome, JSON.stringify(detail), '0.9.0', hash),
    );
    for (const [target, action, outcome, detail] of extra) insert.run(at(OLD.length), M, target, action, outcome, detail, '0.9.0', HASH);
    db.close();
    return file;
  }

  it('reads from SQLite through the typed readers', async () => {
    const store = openSqliteStore(await oldSqlite());
    try {
      await expectReadable(await JournalView.open(store, M), await store.events({ migration: M }));
      expect((await raisedAlerts(store, M)).map((r) => [r.alert.kind, r.alert.severity, r.alert.owners])).toEqual([
        ['paused', 'warning', ['team-data']],
      ]);
    } finally {
      await store.close();
    }
  });

  it('reads from the JSON file store (format version 1, no breakers) through the typed readers', async () => {
    const file = join(dir, 'fleetwave-state.json');
    const events = OLD.map(([target, action, outcome, detail, manifestHash], i) => ({
      id: i + 1,
      at: at(i),
      migration: M,
      target,
      action,
      outcome,
      detail,
      version: '0.9.0',
      manifestHash,
    }));
    writeFileSync(file, JSON.stringify({ format: JSON_STORE_FORMAT, version: 1, events, runs: [], controls: [] }));
    const store = openJsonFileStore(file);
    try {
      await expectReadable(await JournalView.open(store, M), await store.events({ migration: M }));
    } finally {
      await store.close();
    }
  });

  it('names the store, the event and what is wrong when an event of a known kind does not fit its kind', async () => {
    const file = await oldSqlite([['acme/recs', 'rerun-checks', 'ok', JSON.stringify({ pr: 7, sha: 'b1', attempt: 'one' })]]);
    const store = openSqliteStore(file);
    try {
      const view = await JournalView.open(store, M);
      await expect(view.ofKind('rerun-checks')).rejects.toThrow(StateError);
      await expect(view.ofKind('rerun-checks')).rejects.toThrow(
        new RegExp(
          `^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: journal event ${OLD.length + 1} \\('rerun-checks', ok, .*\\) cannot be read: attempt: `,
        ),
      );
      // Other kinds still read.
      expect(approvalsOf(await view.ofKind('approve'))).toHaveLength(2);
    } finally {
      await store.close();
    }
  });

  it('names the store and the event when a row is not an event at all (a detail that is no object)', async () => {
    const file = await oldSqlite([[null, 'pause', 'ok', '[1, 2]']]);
    const store = openSqliteStore(file);
    try {
      await expect(store.events({ migration: M })).rejects.toThrow(`${file}: journal event ${OLD.length + 1} cannot be read: detail:`);
    } finally {
      await store.close();
    }
  });

  it('refuses a JSON store whose event has an outcome outside ok/error/skipped, naming the file and the event', () => {
    const file = join(dir, 'fleetwave-state.json');
    const events = [
      { id: 1, at: at(0), migration: M, target: null, action: 'pause', outcome: 'maybe', detail: {}, version: '0.9.0', manifestHash: HASH },
    ];
    writeFileSync(file, JSON.stringify({ format: JSON_STORE_FORMAT, version: 1, events, runs: [], controls: [] }));
    expect(() => openJsonFileStore(file)).toThrow(StateError);
    expect(() => openJsonFileStore(file)).toThrow(`${file}: journal event 1 cannot be read: outcome:`);
  });
});
