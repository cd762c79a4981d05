import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { createDashboardServer, wantsJson, type DashboardServer } from '../../src/dashboard/server.js';
import type { MigrationListItem, MigrationPage } from '../../src/report/dashboard-model.js';
import type { Store } from '../../src/store/port.js';
import { MIGRATION, recordMigration } from './recorded-migration.js';

let dir: string;
let store: Store;
let dashboard: DashboardServer;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fleetwave-dashboard-'));
  store = (await recordMigration(join(dir, 'fleetwave.sqlite'), join(dir, 'fleet'))).store;
  await store.startRun({
    migration: 'orders-v3',
    manifestPath: 'migrations/orders-v3.yaml',
    manifestHash: 'h',
    fleet: join(dir, 'fleet'),
    startedAt: '2026-11-24T07:00:00.000Z',
  });
  dashboard = createDashboardServer({ store, metrics: new Registry(), now: () => new Date('2026-11-24T08:00:00.000Z') });
  base = (await dashboard.listen(0)).url;
});
afterAll(async () => {
  await dashboard.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (path: string, accept?: string) => fetch(new URL(path, base), { headers: accept ? { accept } : {} });

describe('the dashboard over HTTP', () => {
  it('serves the list as HTML to a browser and as JSON at the same path', async () => {
    const html = await get('/', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8');
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.headers.get('content-security-policy')).toContain("default-src 'none'");
    const text = await html.text();
    expect(text).toContain(`href="/migrations/${MIGRATION}"`);
    expect(text).toContain('orders-v3');

    const json = await get('/', 'application/json');
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(json.headers.get('vary')).toBe('Accept');
    const { migrations } = (await json.json()) as { migrations: MigrationListItem[] };
    expect(migrations.map((m) => [m.migration, m.state, m.merged, m.targets])).toEqual([
      ['orders-v3', 'running', 0, 0], // started, never finished: no summary
      [MIGRATION, 'paused', 4, 9],
    ]);
  });

  it("gives a migration's page with its JSON twin: waves, targets, failures, blocked consumers, burndown", async () => {
    const res = await get(`/migrations/${MIGRATION}`, 'application/json');
    expect(res.status).toBe(200);
    const page = (await res.json()) as MigrationPage;
    expect(page.state).toBe('paused');
    expect(page.summary?.waves.map((w) => w.size)).toEqual([1, 3, 3, 1]);
    expect(page.failures.map((f) => [f.repo, f.state])).toEqual([
      ['acme/ads-forecast', 'failed'],
      ['acme/search-ranker', 'reverted'],
    ]);
    expect(page.blocked).toEqual([
      { repo: 'acme/legacy-reports', reason: expect.any(String), findings: [expect.objectContaining({ field: 'user_id', line: 17 })] },
    ]);
    expect(page.needsHuman).toEqual(['acme/session-stats']);
    expect(page.burndown.remaining).toBe(6);
    expect(page.runs).toHaveLength(2);

    const html = await (await get(`/migrations/${MIGRATION}`)).text();
    expect(html).toContain('<svg');
    expect(html).toContain('#pull/6');
    expect(html).toContain('user_id is read through a computed key (row[col]); rename it by hand');
  });

  it('answers 404 for an unknown migration or path, in the asked format, and 405 for other methods', async () => {
    const missing = await get('/migrations/nope', 'application/json');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'no migration named nope in this store' });
    expect((await get('/elsewhere')).status).toBe(404);
    expect((await fetch(new URL('/', base), { method: 'POST' })).status).toBe(405);
  });

  it('serves Prometheus metrics computed from the store at scrape time', async () => {
    const res = await get('/metrics');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain('fleetwave_migrations{state="paused"} 1');
    expect(text).toContain('fleetwave_migrations{state="running"} 1');
    expect(text).toContain(`fleetwave_targets{migration="${MIGRATION}",state="merged"} 4`);
    expect(text).toContain(`fleetwave_consumers_remaining{migration="${MIGRATION}"} 6`);
    expect(text).toContain(`fleetwave_references_remaining{migration="${MIGRATION}"} 2`);
    expect(text).toContain(`fleetwave_pr_open_to_merge_seconds_count{migration="${MIGRATION}"} 5`);
    expect(text).toContain(`fleetwave_pr_open_to_merge_seconds_bucket{le="3600",migration="${MIGRATION}"} 1`);
    // A new journal event shows at the next scrape.
    await store.append({
      at: '2026-11-23T17:30:00.000Z',
      migration: MIGRATION,
      target: 'acme/session-stats',
      action: 'merge',
      outcome: 'ok',
      detail: { pr: 7 },
      version: '0.1.0',
      manifestHash: 'h',
    });
    expect(await (await get('/metrics')).text()).toContain(`fleetwave_pr_open_to_merge_seconds_count{migration="${MIGRATION}"} 6`);
  });

  it('mounts under a base path with links under it', async () => {
    const mounted = createDashboardServer({ store, basePath: '/fleetwave/', metrics: new Registry() });
    const { url } = await mounted.listen(0);
    try {
      expect(url).toMatch(/\/fleetwave\/$/);
      // Served on its own under the base path, and as a mounted handler sees it (mount point stripped).
      for (const at of [url, `${new URL(url).origin}/`]) {
        const list = (await (await fetch(at, { headers: { accept: 'application/json' } })).json()) as { migrations: MigrationListItem[] };
        expect(list.migrations.map((m) => m.href)).toContain(`/fleetwave/migrations/${MIGRATION}`);
      }
      expect((await fetch(`${url}migrations/${MIGRATION}`)).status).toBe(200);
    } finally {
      await mounted.close();
    }
  });
});

describe('content negotiation', () => {
  it.each([
    ['application/json', true],
    ['application/json, text/plain, */*', true],
    ['text/html,application/xhtml+xml,*/*;q=0.8', false],
    ['*/*', false],
    [undefined, false],
    ['text/html;q=0.5, application/json', true],
    ['application/json;q=0', false],
  ])('Accept %s → JSON %s', (accept, json) => {
    expect(wantsJson(accept)).toBe(json);
  });
});
