/**
 * The dashboard in a real headless browser (Debian's chromium through playwright-core): the page of a
 * migration recorded in a real SQLite store renders, and a screenshot is saved under test-output/.
 * Without chromium (at /usr/bin/chromium, or CHROMIUM_PATH) the tests are skipped with one line saying
 * so; with FLEETWAVE_REQUIRE_BROWSER=1 (set by .ci/run, which installs chromium) they fail instead, so CI
 * never skips them unseen.
 */
import { afterAll, beforeAll, describe as describeAlways, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { Registry } from 'prom-client';
import { createDashboardServer, type DashboardServer } from '../../src/dashboard/server.js';
import type { Store } from '../../src/store/port.js';
import { MIGRATION, prUrl, recordMigration } from './recorded-migration.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUTPUT = join(dirname(fileURLToPath(import.meta.url)), '../../test-output');
const HAS_BROWSER = existsSync(CHROMIUM);
if (!HAS_BROWSER && process.env.FLEETWAVE_REQUIRE_BROWSER !== '1') {
  process.stderr.write(
    `test/dashboard/browser.test.ts: skipped, no chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)\n`,
  );
}
const describe = HAS_BROWSER || process.env.FLEETWAVE_REQUIRE_BROWSER === '1' ? describeAlways : describeAlways.skip;

let dir: string;
let fleet: string;
let store: Store;
let dashboard: DashboardServer;
let base: string;
let browser: Browser;

beforeAll(async () => {
  if (!HAS_BROWSER) {
    throw new Error(
      `no chromium at ${CHROMIUM}: install it (apt-get update && apt-get install -y chromium) or set CHROMIUM_PATH. The dashboard test needs a real browser.`,
    );
  }
  dir = mkdtempSync(join(tmpdir(), 'fleetwave-browser-'));
  fleet = join(dir, 'fleet');
  store = (await recordMigration(join(dir, 'fleetwave.sqlite'), fleet)).store;
  dashboard = createDashboardServer({ store, metrics: new Registry() });
  base = (await dashboard.listen(0)).url;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the dashboard in a headless browser', () => {
  it('lists the migration and opens its page from the link', async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(base);
    await expect(page.locator('h1').textContent()).resolves.toBe('Migrations');
    await page.getByRole('link', { name: MIGRATION }).click();
    await page.waitForURL(`**/migrations/${MIGRATION}`);
    await expect(page.locator('h1').textContent()).resolves.toContain(MIGRATION);
    // Self-contained: nothing but the two pages was requested.
    expect(requests.every((u) => u.startsWith(base))).toBe(true);
    await page.close();
  });

  it('renders waves, targets with PR links, failures, blocked findings and the burndown, and saves a screenshot', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${base}migrations/${MIGRATION}`);

    await expect(page.locator('h1 .badge').textContent()).resolves.toBe('paused');
    await expect(page.locator('.reason').textContent()).resolves.toContain('above the failure threshold 20%');
    await expect(page.locator('table.waves tbody tr').count()).resolves.toBe(4);
    await expect(page.locator('table.targets tbody tr').count()).resolves.toBe(10);
    const failed = page.locator('table.targets tr[data-repo="acme/ads-forecast"]');
    await expect(failed.locator('.badge').first().textContent()).resolves.toBe('failed');
    await expect(failed.locator('a.pr').getAttribute('href')).resolves.toBe(prUrl(fleet, 'acme/ads-forecast', 6));
    await expect(failed.locator('a.pr').textContent()).resolves.toBe('#6');
    await expect(page.locator('table.failures').textContent()).resolves.toContain('expected userId, got undefined');
    const blocked = await page.locator('table.blocked').textContent();
    expect(blocked).toContain('acme/legacy-reports');
    expect(blocked).toContain('src/load.ts:17');
    expect(blocked).not.toContain('mentions the old location'); // info findings do not block
    await expect(page.locator('.human').first().textContent()).resolves.toContain('needs a human');

    // The burndown is an inline SVG the browser laid out: a drawn step line, the last value labelled.
    const chart = page.locator('svg.burndown').first();
    const box = await chart.boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    expect(box!.height).toBeGreaterThan(100);
    const line = chart.locator('path.line');
    expect((await line.evaluate((p) => (p as unknown as { getTotalLength(): number }).getTotalLength())) > 100).toBe(true);
    await expect(chart.locator('text.last').textContent()).resolves.toBe('6 left');
    await expect(page.locator('svg.burndown').count()).resolves.toBe(2); // consumers, and references (rescans were journaled)

    // The JSON twin at the same URL (the page allows no script or fetch: its CSP is default-src 'none').
    const twin = await rawGet(page.url(), 'application/json');
    expect(twin.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(twin.body)).toMatchObject({ migration: MIGRATION, burndown: { remaining: 6, total: 9 } });

    mkdirSync(OUTPUT, { recursive: true });
    const shot = join(OUTPUT, 'dashboard-migration.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(10_000);
    expect(errors).toEqual([]);
    await page.close();
  });
});

/**
 * A plain HTTP/1.0 GET over a socket. Not Node's http client: jest runs several test files in one worker
 * with one http module, and another file's nock.disableNetConnect() may still hold it.
 */
function rawGet(url: string, accept: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const { hostname, port, pathname, search } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () =>
      socket.end(`GET ${pathname}${search} HTTP/1.0\r\nHost: ${hostname}:${port}\r\nAccept: ${accept}\r\n\r\n`),
    );
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
      const headers = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, body: text.slice(split + 4) });
    });
  });
}
