/**
 * The dashboard on a big migration: 2,000 targets, 8,000 journal events in a real SQLite store.
 * Reading the journal is the baseline; the page model, the HTML, a /metrics scrape and a whole HTTP
 * page are measured beside it, in the same process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createDashboardServer } from '../src/dashboard/server.js';
import { storeMetricsRegistry } from '../src/metrics/store-metrics.js';
import { renderBurndownMermaid } from '../src/report/burndown-mermaid.js';
import { renderMigrationHtml } from '../src/report/dashboard-html.js';
import { migrationPage } from '../src/report/dashboard-model.js';
import type { MigrationSummary, TargetState, TargetSummary } from '../src/rollout/model.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { measure, printTable } from './measure.js';

const TARGETS = 2000;
const MIGRATION = 'bench-migration';
const dir = mkdtempSync(join(tmpdir(), 'fleetwave-dashboard-bench-'));
try {
  const store = openSqliteStore(join(dir, 'store.sqlite'));
  const t0 = Date.parse('2026-11-01T00:00:00Z');
  const at = (min: number) => new Date(t0 + min * 60_000).toISOString();
  const run = await store.startRun({ migration: MIGRATION, manifestPath: 'm.yaml', manifestHash: 'h', fleet: '/fleet', startedAt: at(0) });
  const targets: TargetSummary[] = [];
  const states: TargetState[] = ['merged', 'merged', 'merged', 'open', 'failed', 'blocked', 'planned'];
  for (let i = 0; i < TARGETS; i++) {
    const repo = `acme/service-${String(i).padStart(4, '0')}`;
    const state = states[i % states.length]!;
    const wave = 1 + Math.floor(i / 200);
    const e = async (min: number, action: string, detail: Record<string, unknown>) =>
      await store.append({
        at: at(min),
        migration: MIGRATION,
        target: repo,
        action,
        outcome: 'ok',
        detail,
        version: 'bench',
        manifestHash: 'h',
      });
    if (state !== 'blocked' && state !== 'planned') {
      await e(i, 'push', { branch: `fleetwave/${MIGRATION}`, files: 3 });
      await e(i, 'open-pr', { pr: i + 1, url: `https://github.com/${repo}/pull/${i + 1}`, wave });
      if (state === 'merged') {
        await e(i + 90, 'merge', { pr: i + 1 });
        await e(i + 92, 'rescan', { references: i % 11 === 0 ? 1 : 0 });
      }
    }
    targets.push({
      repo,
      wave: state === 'blocked' ? null : wave,
      state,
      pr: state === 'blocked' || state === 'planned' ? null : `https://github.com/${repo}/pull/${i + 1}`,
      prNumber: i + 1,
      reason: state === 'failed' ? 'check "test" failed' : null,
      needsHuman: false,
      checks: null,
      findings: state === 'blocked' ? [{ severity: 'blocking', file: 'src/a.ts', line: 3, message: 'computed key' }] : [],
    });
  }
  const counts = { planned: 0, blocked: 0, open: 0, merged: 0, failed: 0, reverted: 0, skipped: 0 } as Record<TargetState, number>;
  for (const t of targets) counts[t.state]++;
  const summary: MigrationSummary = {
    migration: MIGRATION,
    state: 'running',
    reason: null,
    manifest: 'm.yaml',
    manifestHash: 'h',
    fleet: '/fleet',
    store: store.location,
    waves: Array.from({ length: 10 }, (_, i) => ({ index: i + 1, size: 200, state: 'active' as const, failed: 28, failedShare: 0.14 })),
    targets,
    counts,
    waitingUntil: null,
  };
  await store.finishRun(run, 'running', summary);
  const events = (await store.events({ migration: MIGRATION })).length;

  const rows: Record<string, string | number>[] = [];
  const row = async (what: string, work: () => unknown) => {
    await work(); // warm up
    await new Promise((resolve) => setImmediate(resolve)); // a new turn of the event loop, as between two requests
    const m = await measure(work);
    rows.push({ what, ms: Math.round(m.ms * 10) / 10, 'peak RSS MiB': Math.round(m.peakRssMiB) });
    return m.result;
  };
  await row(`baseline: read the journal (${events} events) and runs`, async () => [
    await store.events({ migration: MIGRATION }),
    await store.runs({ migration: MIGRATION }),
  ]);
  const model = (await row('page model (burndown, durations, failures)', async () =>
    migrationPage({
      runs: await store.runs({ migration: MIGRATION }),
      events: await store.events({ migration: MIGRATION }),
      now: new Date(),
    }),
  )) as ReturnType<typeof migrationPage>;
  const html = (await row('render the HTML page', () => renderMigrationHtml(model, { generatedAt: new Date().toISOString() }))) as string;
  await row('render the Mermaid burndown', () => renderBurndownMermaid(model.burndown, { title: MIGRATION }));
  const metrics = storeMetricsRegistry(store);
  const text = (await row('scrape store-derived /metrics', () => metrics.metrics())) as string;
  const dashboard = createDashboardServer({ store, metrics: new Registry() });
  const { url } = await dashboard.listen(0);
  await row('GET /migrations/<name> over HTTP', async () => (await fetch(`${url}migrations/${MIGRATION}`)).text());
  await row('GET /migrations/<name> as JSON over HTTP', async () =>
    (await fetch(`${url}migrations/${MIGRATION}`, { headers: { accept: 'application/json' } })).text(),
  );
  await dashboard.close();
  printTable(rows);
  console.log(
    `${TARGETS} targets, ${events} events; HTML ${Math.round(html.length / 1024)} KiB, metrics ${Math.round(text.length / 1024)} KiB, burndown ${model.burndown.points.length} points`,
  );
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
