/**
 * The dashboard's `/queue` page and the queue's metrics: workers (a stale one shown as such), queue
 * depth, what runs, failures and dead jobs, read from the queue port (here the in-process queue; the
 * PostgreSQL one answers the same port, test/queue/conformance.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { createDashboardServer, type DashboardServer } from '../../src/dashboard/server.js';
import { InProcessQueue } from '../../src/queue/memory/in-process-queue.js';
import type { QueuePage } from '../../src/report/dashboard-queue.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';

const NOW = new Date('2026-12-07T20:00:00.000Z');
let clock = NOW.getTime() - 60_000;
const queue = new InProcessQueue({ maxAttempts: 1, backoffMs: 1_000, leaseMs: 600_000 }, () => clock);
let dashboard: DashboardServer;
let base: string;

beforeAll(async () => {
  await queue.enqueue({ kind: 'reconcile-local', key: 'events-v2', payload: { manifest: 'm.yaml', fleet: '/f' }, reason: 'push 1' });
  await queue.enqueue({ kind: 'reconcile-local', key: 'orders-v3', payload: { manifest: 'o.yaml', fleet: '/f' }, reason: 'push 2' });
  await queue.enqueue({ kind: 'reconcile-local', key: 'users-v4', payload: { manifest: 'u.yaml', fleet: '/f' }, reason: 'push 3' });
  clock += 2_000;
  const [a, b] = await queue.take(2);
  await queue.fail(b!, 'manifest orders-v3 not found');
  const at = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
  await queue.heartbeat({
    id: 'w1:10:aa',
    host: 'w1',
    pid: 10,
    concurrency: 2,
    running: [{ id: a!.id, kind: a!.kind, key: a!.key, startedAt: a!.startedAt }],
    startedAt: at(600_000),
    lastSeen: at(2_000),
  });
  await queue.heartbeat({ id: 'w2:11:bb', host: 'w2', pid: 11, concurrency: 4, running: [], startedAt: at(600_000), lastSeen: at(60_000) });
  const store = new MemoryStore();
  dashboard = createDashboardServer({ store, queue, metrics: new Registry(), now: () => NOW });
  base = (await dashboard.listen(0)).url;
});
afterAll(() => dashboard.close());

describe('the dashboard: the job queue and its workers', () => {
  it('shows workers live and stale, the queue, and the dead jobs, as JSON and HTML', async () => {
    const json = (await (await fetch(new URL('queue', base), { headers: { accept: 'application/json' } })).json()) as QueuePage;
    expect(json.stats).toMatchObject({ waiting: 1, running: 1, dead: 1, completedLastHour: 0, failedLastHour: 1, latencyMsP50: 2_000 });
    expect(json.workers.map((w) => [w.id, w.state, w.running.map((r) => r.key)])).toEqual([
      ['w1:10:aa', 'live', ['events-v2']],
      ['w2:11:bb', 'stale', []],
    ]);
    expect(json.dead).toEqual([expect.objectContaining({ key: 'orders-v3', attempts: 1, error: 'manifest orders-v3 not found' })]);
    const html = await (await fetch(new URL('queue', base))).text();
    expect(html).toContain('<h1>Job queue and workers</h1>');
    expect(html).toMatch(/w2:11:bb<\/code>.*?>stale</s);
    expect(html).toContain('manifest orders-v3 not found');
    expect(await (await fetch(base)).text()).toContain('/queue">Job queue and workers</a>');
  });

  it('counts them in /metrics', async () => {
    const text = await (await fetch(new URL('metrics', base))).text();
    expect(text).toContain('fleetwave_jobs{state="waiting"} 1');
    expect(text).toContain('fleetwave_jobs{state="running"} 1');
    expect(text).toContain('fleetwave_jobs{state="dead"} 1');
    expect(text).toContain('fleetwave_job_attempts_last_hour{outcome="failed"} 1');
    expect(text).toContain('fleetwave_job_wait_seconds{stat="p50"} 2');
    expect(text).toContain('fleetwave_workers{state="live"} 1');
    expect(text).toContain('fleetwave_workers{state="stale"} 1');
    expect(text).toContain('fleetwave_worker_jobs{worker="w1:10:aa",of="running"} 1');
  });
});
