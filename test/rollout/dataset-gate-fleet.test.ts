/**
 * The dataset gate end to end (issue 15): `fleetwave run` on a local fleet with a local lake, the
 * verification record written beside the target dataset. No consumer PR opens unless the record
 * passed for the current manifest and an unchanged source; a failed record pauses the migration,
 * raises an alert naming the failed check, and with revertOnFailure reverts merged consumers newest
 * wave first.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { bufferIO } from '../../src/cli/io.js';
import { fingerprintOf, type VerificationRecord } from '../../src/data/verification-record.js';
import { sourceFiles, writeVerificationRecord } from '../../src/data/verification-store.js';
import { renderTrackingIssue } from '../../src/app/tracking-issue.js';
import { openLocalFleet } from '../../src/forge/local/index.js';
import { storeMetricsRegistry } from '../../src/metrics/store-metrics.js';
import { renderMigrationHtml } from '../../src/report/dashboard-html.js';
import { migrationPage } from '../../src/report/dashboard-model.js';
import { loadManifest } from '../../src/manifest/load.js';
import type { MigrationSummary } from '../../src/rollout/model.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { NEW, OLD, buildTestFleet, manifestText, type TestFleet } from '../helpers/local-fleet.js';

jest.setTimeout(600_000);
const fleets: TestFleet[] = [];
afterEach(() => {
  for (const f of fleets.splice(0)) f.cleanup();
});

async function fleet(extra: Parameters<typeof manifestText>[0] = {}): Promise<TestFleet & { lake: string }> {
  const f = await buildTestFleet(manifestText({ gate: 'verified', ...extra }));
  fleets.push(f);
  const lake = join(f.root, 'lake');
  mkdirSync(join(lake, OLD), { recursive: true });
  writeFileSync(join(lake, OLD, 'part-0.avro'), 'not really avro: the gate fingerprints files, it does not read them');
  mkdirSync(join(lake, NEW), { recursive: true });
  writeFileSync(join(lake, NEW, 'part-0.parquet'), 'PAR1');
  return { ...f, lake };
}

async function run(f: TestFleet, extra: string[]): Promise<{ code: number; summary: MigrationSummary }> {
  const io = bufferIO();
  const code = await main(['run', f.manifestPath, '--fleet', f.fleet, '--state', f.state, '--json', ...extra], io);
  if (!io.stdout.length) throw new Error(`run printed nothing; stderr: ${io.stderr.join('')}`);
  return { code, summary: JSON.parse(io.stdout.join('')) as MigrationSummary };
}

async function writeRecord(f: TestFleet & { lake: string }, opts: { pass: boolean; manifestHash?: string }): Promise<void> {
  const hash = opts.manifestHash ?? (await loadManifest(f.manifestPath)).hash;
  const source = await sourceFiles(join(f.lake, OLD) + '/');
  const target = [{ key: 'part-0.parquet', size: 4, etag: 'e' }];
  const record: VerificationRecord = {
    version: 1,
    migration: 'events-v2',
    manifestHash: hash,
    source: { uri: join(f.lake, OLD), files: source, fingerprint: fingerprintOf(source), rows: 100, checksum: 'aa' },
    target: {
      uri: join(f.lake, NEW),
      files: target,
      fingerprint: fingerprintOf(target),
      rows: opts.pass ? 100 : 97,
      checksum: opts.pass ? 'aa' : 'bb',
    },
    pass: opts.pass,
    reasons: opts.pass ? [] : ['row count: 100 in the source, 97 in the target'],
    mismatchedRows: 0,
    maxMismatchRatio: 0,
    verifiedAt: '2026-12-01T10:00:00.000Z',
    reportUrl: null,
    fleetwaveVersion: '0.1.0',
  };
  await writeVerificationRecord(join(f.lake, NEW) + '/', record);
}

async function pullRequests(f: TestFleet): Promise<{ repo: string; state: string; body: string }[]> {
  const forge = await openLocalFleet(f.fleet);
  const out = [];
  for (const repo of f.consumers) {
    for (let n = 1; ; n++) {
      const pr = await forge.getPullRequest(repo, n);
      if (!pr) break;
      out.push({ repo, state: pr.state, body: pr.body });
    }
  }
  return out;
}

describe('the dataset gate on a local fleet', () => {
  it('a target dataset that failed verification: no consumer PR opens, the migration pauses with an alert naming the failed check', async () => {
    const f = await fleet();
    await writeRecord(f, { pass: false });
    const { code, summary } = await run(f, ['--lake', f.lake]);
    expect(summary.state).toBe('paused');
    expect(code).toBe(3);
    expect(summary.reason).toContain('row count: 100 in the source, 97 in the target');
    expect(summary.dataset).toMatchObject({ state: 'failed' });
    expect(await pullRequests(f)).toEqual([]);
    const store = openSqliteStore(f.state);
    try {
      const events = await store.events({ migration: 'events-v2' });
      expect(events.filter((e) => e.action === 'pause').map((e) => e.detail)).toEqual([expect.objectContaining({ wave: -1 })]);
      const alerts = events.filter((e) => e.action === 'alert');
      expect(alerts.map((e) => JSON.stringify(e.detail))).toEqual([expect.stringContaining('97 in the target')]);
      // shown: the metric, the dashboard, the tracking issue, `fleetwave status`
      const metrics = await storeMetricsRegistry(store).metrics();
      expect(metrics).toContain('fleetwave_dataset_gate{migration="events-v2",state="failed"} 1');
      expect(metrics).toContain('fleetwave_dataset_gate{migration="events-v2",state="verified"} 0');
      const page = migrationPage({ runs: await store.runs({ migration: 'events-v2' }), events, now: new Date() });
      expect(page.dataset?.state).toBe('failed');
      expect(renderMigrationHtml(page, { generatedAt: '2026-12-07T00:00:00Z' })).toContain(
        'dataset gate <span class="badge s-failed">failed</span>',
      );
    } finally {
      await store.close();
    }
    expect(renderTrackingIssue(summary, 'events-v2.yaml')).toContain('**Dataset gate: failed** — the target dataset');
    const io = bufferIO();
    await main(['status', '--state', f.state], io);
    expect(io.stdout.join('')).toContain('dataset gate: failed — the target dataset');
  });

  it('no record: holds, naming the record and the command; no lake for a relative URI: holds, saying so', async () => {
    const f = await fleet();
    const held = await run(f, ['--lake', f.lake]);
    expect(held.summary.state).toBe('running');
    expect(held.summary.dataset?.state).toBe('missing');
    expect(held.summary.reason).toContain(`no verification record at ${join(f.lake, NEW)}/_fleetwave/verification.json`);
    expect(held.summary.reason).toContain('fleetwave verify --manifest');
    const noLake = await run(f, []);
    expect(noLake.summary.dataset?.state).toBe('unreadable');
    expect(noLake.summary.reason).toContain('give --lake');
    expect(await pullRequests(f)).toEqual([]);
  });

  it('a record for another manifest is stale and holds; a passing record for this one opens PRs carrying the evidence', async () => {
    const f = await fleet();
    await writeRecord(f, { pass: true, manifestHash: 'f'.repeat(64) });
    const stale = await run(f, ['--lake', f.lake]);
    expect(stale.summary.dataset?.state).toBe('stale');
    expect(stale.summary.reason).toContain('stale');
    expect(await pullRequests(f)).toEqual([]);

    await writeRecord(f, { pass: true });
    const { summary } = await run(f, ['--lake', f.lake]);
    expect(summary.dataset?.state).toBe('verified');
    expect(summary.counts.merged).toBeGreaterThan(0);
    const prs = await pullRequests(f);
    expect(prs.length).toBe(f.consumers.length);
    expect(prs[0]!.body).toContain('### The data');
    expect(prs[0]!.body).toContain('- Rows: 100 in the new dataset, 100 in the old');
    expect(prs[0]!.body).toContain('- Checksums: matched');
  });

  it('a source changed since its verification: stale, holds', async () => {
    const f = await fleet();
    await writeRecord(f, { pass: true });
    writeFileSync(join(f.lake, OLD, 'part-1.avro'), 'a new partition');
    const { summary } = await run(f, ['--lake', f.lake]);
    expect(summary.dataset).toMatchObject({ state: 'stale', reason: expect.stringContaining('the source dataset changed') });
    expect(await pullRequests(f)).toEqual([]);
  });

  it('gate: none skips the gate and says so', async () => {
    const f = await fleet({ gate: 'none' });
    const { summary } = await run(f, []);
    expect(summary.dataset).toMatchObject({ state: 'skipped', reason: expect.stringContaining('dataset.gate: none') });
    expect((await pullRequests(f)).length).toBe(f.consumers.length);
  });

  it('a verification that fails later, with revertOnFailure: merged consumers are reverted newest wave first', async () => {
    const f = await fleet({ revertOnFailure: true, threshold: '100%' });
    await writeRecord(f, { pass: true });
    const first = await run(f, ['--lake', f.lake]);
    expect(first.summary.counts.merged).toBe(5);
    const waveOf = new Map(first.summary.targets.map((t) => [t.repo, t.wave ?? -1]));

    await writeRecord(f, { pass: false });
    const { summary } = await run(f, ['--lake', f.lake]);
    expect(summary.state).toBe('paused');
    expect(summary.counts.reverted).toBe(5);
    const store = openSqliteStore(f.state);
    try {
      const reverts = (await store.events({ migration: 'events-v2' })).filter((e) => e.action === 'revert' && e.outcome === 'ok');
      const waves = reverts.map((e) => waveOf.get(e.target!)!);
      expect(waves).toHaveLength(5);
      expect([...waves].sort((a, b) => b - a)).toEqual(waves);
      expect(String(reverts[0]!.detail.reason)).toContain('failed verification');
    } finally {
      await store.close();
    }
  });
});
