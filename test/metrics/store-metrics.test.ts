import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeMetricsRegistry } from '../../src/metrics/store-metrics.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('store-derived metrics', () => {
  it('count journalled verifications by result and rows converted, read from a real SQLite store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetwave-metrics-'));
    dirs.push(dir);
    const store = openSqliteStore(join(dir, 'state.sqlite'));
    const base = {
      at: '2026-11-24T10:00:00Z',
      migration: 'events-v2',
      target: null,
      outcome: 'ok' as const,
      version: '0.1.0',
      manifestHash: 'h',
    };
    await store.append({ ...base, action: 'convert', detail: { rows: 200, files: 1 } });
    await store.append({ ...base, action: 'convert', detail: { rows: 50, files: 1 } });
    await store.append({ ...base, action: 'verify', detail: { pass: true, sourceRows: 250, targetRows: 250 } });
    await store.append({ ...base, action: 'verify', detail: { pass: false, sourceRows: 250, targetRows: 249 } });
    const text = await storeMetricsRegistry(store).metrics();
    await store.close();
    expect(text).toContain('fleetwave_journal_rows_converted{migration="events-v2"} 250');
    expect(text).toContain('fleetwave_journal_verifications{migration="events-v2",result="pass"} 1');
    expect(text).toContain('fleetwave_journal_verifications{migration="events-v2",result="fail"} 1');
  });

  it("count the agent rule's pull requests and runs apart, from the newest run's summary", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetwave-metrics-'));
    dirs.push(dir);
    const store = openSqliteStore(join(dir, 'state.sqlite'));
    const id = await store.startRun({
      migration: 'events-v2',
      manifestPath: 'm.yaml',
      manifestHash: 'h',
      fleet: 'f',
      startedAt: '2026-11-24T10:00:00Z',
    });
    const counts = { planned: 0, blocked: 1, open: 1, merged: 2, failed: 0, reverted: 0, skipped: 0 };
    const agent = { opened: 1, merged: 0, passedVerifiers: 2, vetoed: 1, failed: 1 };
    await store.finishRun(id, 'running', { migration: 'events-v2', targets: [], counts, agent });
    const text = await storeMetricsRegistry(store).metrics();
    await store.close();
    expect(text).toContain('fleetwave_agent_pull_requests{migration="events-v2",outcome="opened"} 1');
    expect(text).toContain('fleetwave_agent_pull_requests{migration="events-v2",outcome="merged"} 0');
    expect(text).toContain('fleetwave_agent_pull_requests{migration="events-v2",outcome="passed_verifiers"} 2');
    expect(text).toContain('fleetwave_agent_pull_requests{migration="events-v2",outcome="vetoed"} 1');
    expect(text).toContain('fleetwave_agent_pull_requests{migration="events-v2",outcome="failed"} 1');
  });
});
