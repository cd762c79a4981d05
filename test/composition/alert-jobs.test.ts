/**
 * Alert deliveries as jobs (src/composition/alert-jobs.ts): a reconcile run by a worker journals its
 * alert and enqueues a `deliver-alert` job instead of posting; the reconcile finishes while the
 * receiver still holds the POST; a receiver that fails every attempt dead-letters the job (shown on
 * /queue with its kind) after the queue's attempts, each journalled. On the in-process queue (SQLite
 * store) and on PostgreSQL (pg-boss, with the PostgreSQL store): a real local fleet (git) and a real
 * HTTP receiver on 127.0.0.1.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deriveAlerts } from '../../src/alerts/alert.js';
import { dispatchPending, journalAlert } from '../../src/alerts/outbox.js';
import { runLocal } from '../../src/cli/commands/run.js';
import { alertJobDispatch, alertJobHandler, alertJobKey } from '../../src/composition/alert-jobs.js';
import { openStore } from '../../src/composition/open-store.js';
import { loadManifest } from '../../src/manifest/load.js';
import { InProcessQueue } from '../../src/queue/memory/in-process-queue.js';
import type { DeliverAlertPayload, JobQueue, QueuePolicy } from '../../src/queue/port.js';
import { openPgBossQueue } from '../../src/queue/postgres/pg-boss-queue.js';
import { QueueWorker } from '../../src/queue/worker.js';
import { queuePage, renderQueueHtml } from '../../src/report/dashboard-queue.js';
import { writeEvent } from '../../src/store/journal-events.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import type { Store } from '../../src/store/port.js';
import { silentLogger } from '../../src/util/log.js';
import { oneWaveManifest, smallFleet } from '../helpers/local-fleet.js';
import { dropDatabases, freshDatabase, sayWhenSkipped, WITH_POSTGRES } from '../store/postgres-test-db.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

jest.setTimeout(180_000);
sayWhenSkipped('test/composition/alert-jobs.test.ts');

const POLICY: QueuePolicy = { maxAttempts: 3, backoffMs: 1_000, leaseMs: 60_000 };

let server: Server;
let receiver = '';
/** Requests received; each is answered by `answer` (held until it resolves). */
const received: { body: Record<string, unknown> }[] = [];
let answer: () => Promise<number> = async () => 202;

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      received.push({ body: JSON.parse(text) as Record<string, unknown> });
      void answer().then((status) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  receiver = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await dropDatabases();
});
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  received.length = 0;
  answer = async () => 202;
});

const until = async (what: string, check: () => Promise<boolean> | boolean, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

type Setup = (root: string) => Promise<{ state: string; store: Store; queue: JobQueue }>;
const setups: [string, Setup][] = [
  [
    'in-process queue, SQLite store',
    async (root) => {
      const state = join(root, 'state.sqlite');
      return { state, store: await openStore(state), queue: new InProcessQueue(POLICY) };
    },
  ],
  ...(WITH_POSTGRES
    ? ([
        [
          'PostgreSQL queue and store',
          async () => {
            const state = await freshDatabase();
            return { state, store: await openStore(state), queue: await openPgBossQueue(state, { policy: POLICY, maintenanceSeconds: 1 }) };
          },
        ],
      ] as [string, Setup][])
    : []),
];

describe.each(setups)('alert deliveries as jobs (%s)', (_name, setup) => {
  it('the reconcile enqueues the delivery and finishes while the receiver holds it; three failures dead-letter it, each journalled', async () => {
    const fleet = await smallFleet(['acme/a', 'acme/b']);
    cleanups.push(() => fleet.cleanup());
    const manifestPath = join(fleet.root, 'events-v2.yaml');
    writeFileSync(manifestPath, oneWaveManifest());
    const { state, store, queue } = await setup(fleet.root);
    cleanups.push(() => store.close());
    cleanups.push(() => queue.close());
    // Paused by a person (what `fleetwave pause` records): the reconcile raises the `paused` alert.
    await store.setControl({
      ...(await store.getControl('events-v2')),
      pausedBy: 'dana',
      pausedReason: null,
      updatedAt: new Date().toISOString(),
    });
    await writeEvent(
      store,
      { at: new Date().toISOString(), migration: 'events-v2', manifestHash: '' },
      { target: null, action: 'pause', outcome: 'ok', detail: { by: 'dana', reason: null, manual: true } },
    );

    const before = process.env.FLEETWAVE_ALERT_URL;
    process.env.FLEETWAVE_ALERT_URL = `${receiver}/enqueue`;
    cleanups.push(() => {
      if (before === undefined) delete process.env.FLEETWAVE_ALERT_URL;
      else process.env.FLEETWAVE_ALERT_URL = before;
    });

    // The first POST is held until the reconcile's job has completed; then every answer is a 503.
    let reconciled!: () => void;
    const reconcileDone = new Promise<void>((r) => (reconciled = r));
    answer = async () => {
      await reconcileDone;
      return 503;
    };
    /** Deliveries journalled when the reconcile ended. */
    let deliveredAtEnd = -1;
    const worker = new QueueWorker(
      queue,
      {
        // What `fleetwave worker` does with a reconcile-local job (src/cli/commands/worker.ts).
        'reconcile-local': async (_job, log) => {
          const loaded = await loadManifest(manifestPath);
          await runLocal(loaded, { fleet: fleet.fleet, state }, { err: () => undefined, isTTY: false }, { store, logger: log, queue });
          deliveredAtEnd = (await store.events({ migration: 'events-v2' })).filter((e) => e.action === 'alert-delivery').length;
        },
        'deliver-alert': alertJobHandler(store),
      },
      { concurrency: 2, logger: silentLogger, pollMs: 50 },
    );
    await worker.start();
    cleanups.push(async () => void (await worker.stop(0)));
    await queue.enqueue({
      kind: 'reconcile-local',
      key: 'events-v2',
      payload: { manifest: manifestPath, fleet: fleet.fleet },
      reason: 'test',
    });

    // The reconcile's job completes though the receiver holds every POST until then (were the
    // reconcile to post itself, it would wait on the receiver, which waits on it: the test would time out).
    await until('the reconcile job', async () => (await queue.stats()).completedLastHour >= 1);
    expect(deliveredAtEnd).toBe(0);
    await until('the first POST', () => received.length === 1);
    expect(received[0]!.body).toMatchObject({ event_action: 'trigger', dedup_key: 'fleetwave/events-v2/paused/0' });
    reconciled();

    await until('the dead delivery job', async () => (await queue.stats()).dead === 1);
    expect(received).toHaveLength(3);
    const dead = await queue.deadJobs();
    expect(dead).toHaveLength(1);
    const alertEvent = (await store.events({ migration: 'events-v2' })).find((e) => e.action === 'alert')!;
    expect(dead[0]).toMatchObject({
      kind: 'deliver-alert',
      key: alertJobKey({ sink: `webhook:${receiver}`, alertId: alertEvent.id }),
      attempts: 3,
    });
    expect(dead[0]!.error).toContain(`${receiver} answered 503`);
    const deliveries = (await store.events({ migration: 'events-v2' })).filter((e) => e.action === 'alert-delivery');
    expect(deliveries.map((e) => e.outcome)).toEqual(['error', 'error', 'error']);
    const stats = await queue.stats();
    expect(stats.byKind['deliver-alert']).toMatchObject({ dead: 1, waiting: 0, running: 0, failedLastHour: 3 });
    const html = renderQueueHtml(queuePage({ stats, workers: await queue.workers(), dead, now: new Date() }), { basePath: '' } as never);
    expect(html).toContain('<td>deliver-alert</td>');
    expect(html).toContain('<td>events-v2<div class="note">alert:webhook:');

    // A later reconcile sees the failed records: the delivery is the queue's, none is enqueued again.
    const again = await loadManifest(manifestPath);
    await runLocal(again, { fleet: fleet.fleet, state }, { err: () => undefined, isTTY: false }, { store, logger: silentLogger, queue });
    expect((await queue.stats()).byKind['deliver-alert']).toMatchObject({ waiting: 0, running: 0, dead: 1 });
  });
});

describe('a delivery job', () => {
  async function raised(store: MemoryStore): Promise<number> {
    const [alert] = deriveAlerts({
      migration: 'm',
      fleet: 'f',
      owners: ['o'],
      state: 'paused',
      reason: 'paused by dana',
      failedWave: null,
      breaker: null,
      reverts: [],
      episode: 0,
      raised: new Map(),
    });
    await journalAlert(store, alert!, { at: new Date().toISOString(), manifestHash: 'h', logger: silentLogger });
    return (await store.events({ migration: 'm' })).find((e) => e.action === 'alert')!.id;
  }

  it('is enqueued once while it waits, delivers once when run twice, and a worker with another receiver refuses it by name', async () => {
    const store = new MemoryStore();
    const queue = new InProcessQueue(POLICY);
    const id = await raised(store);
    const sink = `webhook:${receiver}`;
    const dispatch = alertJobDispatch(queue);
    expect(await dispatchPending(store, 'm', [sink], dispatch, { now: new Date() })).toBe(1);
    expect(await dispatchPending(store, 'm', [sink], dispatch, { now: new Date() })).toBe(1);
    // The second request folded into the waiting job.
    expect((await queue.stats()).waiting).toBe(1);

    const handler = alertJobHandler(store, { FLEETWAVE_ALERT_URL: `${receiver}/enqueue` });
    const [job] = await queue.take(1);
    expect(job!.payload).toMatchObject({ migration: 'm', alertId: id, sink } satisfies Partial<DeliverAlertPayload>);
    await handler(job!, silentLogger);
    // The same job again (a worker that died after the POST, before completing): nothing is posted.
    await handler(job!, silentLogger);
    expect(received).toHaveLength(1);
    expect((await store.events({ migration: 'm' })).filter((e) => e.action === 'alert-delivery').map((e) => e.outcome)).toEqual(['ok']);
    // Delivered: a reconcile hands out nothing more.
    expect(await dispatchPending(store, 'm', [sink], dispatch, { now: new Date() })).toBe(0);

    const other = alertJobHandler(store, { FLEETWAVE_ALERT_URL: 'https://events.pagerduty.com/v2/enqueue' });
    await expect(other(job!, silentLogger)).rejects.toThrow(
      `this worker's FLEETWAVE_ALERT_URL (webhook:https://events.pagerduty.com) is not the job's receiver (${sink})`,
    );
  });
});
