import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeBurndown, valueAt } from '../../src/report/burndown.js';
import { renderBurndownMermaid } from '../../src/report/burndown-mermaid.js';
import { renderBurndownSvg } from '../../src/report/burndown-svg.js';
import { migrationPage } from '../../src/report/dashboard-model.js';
import { durationStats, openToMergeDurations } from '../../src/report/dashboard-pr-durations.js';
import type { Store } from '../../src/store/port.js';
import { MIGRATION, recordMigration } from '../dashboard/recorded-migration.js';

let dir: string;
let store: Store;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fleetwave-burndown-'));
  store = (await recordMigration(join(dir, 'fleetwave.sqlite'), join(dir, 'fleet'))).store;
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const page = async () =>
  migrationPage({
    runs: await store.runs({ migration: MIGRATION }),
    events: await store.events({ migration: MIGRATION }),
    now: new Date('2026-11-24T00:00:00Z'),
  });

describe('the burndown from the journal', () => {
  it('counts remaining consumers by merges, reverts and rescans, ending at the summary', async () => {
    const b = (await page()).burndown;
    expect(b.total).toBe(9); // every target but the one with nothing to change
    expect(b.points.map((p) => [p.at.slice(11, 16), p.consumers, p.references])).toEqual([
      ['09:00', 9, null],
      ['09:25', 8, null], // canary merged
      ['09:27', 8, 0], // …and rescanned clean
      ['11:20', 7, 0], // recs merged (its clean rescan changes nothing)
      ['12:20', 6, 0], // billing-jobs merged
      ['12:22', 7, 2], // …but its rescan still finds 2 references: not migrated
      ['14:30', 6, 2], // search-ranker merged
      ['15:20', 7, 2], // …and reverted
      ['16:00', 6, 2], // churn-model merged
      ['17:00', 6, 2], // as of the last run's end
    ]);
    expect(b.remaining).toBe(6);
    expect(b.references).toEqual({ remaining: 2, rescanned: 4 });
    expect(b.basis).toBe('mixed');
    expect(valueAt(b.points, '2026-11-23T15:00:00.000Z').consumers).toBe(6);
  });

  it('trusts the summary for merges the journal missed, and a rescan over a merge', () => {
    const summary = {
      targets: [
        { repo: 'a/one', state: 'merged' as const },
        { repo: 'a/two', state: 'merged' as const },
        { repo: 'a/three', state: 'open' as const },
      ].map((t) => ({ ...t, wave: 1, pr: null, prNumber: null, reason: null, needsHuman: false, checks: null, findings: [] })),
    };
    const b = computeBurndown({
      summary,
      events: [{ at: '2026-01-01T10:00:00Z', target: 'a/two', action: 'rescan', outcome: 'ok', detail: { references: 3 } }],
      startedAt: '2026-01-01T09:00:00Z',
      asOf: '2026-01-01T12:00:00Z',
    });
    expect(b.remaining).toBe(2); // a/one merged by a human (no journal event) counts; a/two still has references
    expect(b.points.at(-1)).toEqual({ at: '2026-01-01T12:00:00Z', consumers: 2, references: 3 });
  });

  it('measures PR open-to-merge durations per target', async () => {
    const d = openToMergeDurations(await store.events({ migration: MIGRATION }));
    expect(d.map((x) => [x.repo, x.pr, x.seconds / 60])).toEqual([
      ['acme/recs-sandbox', 1, 24],
      ['acme/recs', 2, 80],
      ['acme/billing-jobs', 3, 139],
      ['acme/search-ranker', 4, 268],
      ['acme/churn-model', 5, 119],
    ]);
    expect(durationStats(d)).toEqual({ count: 5, medianSeconds: 119 * 60, p90Seconds: 268 * 60 });
  });
});

describe('burndown renderers', () => {
  it('writes a Mermaid xychart-beta block per series, sampled evenly in time', async () => {
    const text = renderBurndownMermaid((await page()).burndown, { title: MIGRATION, columns: 5 });
    const blocks = [...text.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1]!);
    expect(blocks).toHaveLength(2);
    expect(blocks[0]!.split('\n')).toEqual([
      'xychart-beta',
      '    title "play-events-v2: consumers on the old dataset (6 of 9 left)"',
      '    x-axis ["11-23 09:00", "11-23 11:00", "11-23 13:00", "11-23 15:00", "11-23 17:00"]',
      '    y-axis "consumers" 0 --> 9',
      '    line [9, 8, 7, 6, 6]',
    ]);
    expect(blocks[1]).toContain('line [0, 0, 2, 2, 2]');
  });

  it('draws an SVG step chart that says what is left', async () => {
    const svg = renderBurndownSvg((await page()).burndown, { series: 'consumers', title: 'Consumers <old>' });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('<title>Consumers &lt;old&gt;</title>');
    expect(svg).toContain('6 consumers left at 2026-11-23T17:00:00.000Z of 9');
    // One horizontal and one vertical segment per change after the start, then to the end.
    const d = /class="line consumers" d="([^"]+)"/.exec(svg)![1]!;
    expect(d.match(/V/g)).toHaveLength(9);
    expect(svg).not.toMatch(/<script|href=/);
  });
});
