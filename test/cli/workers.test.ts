/**
 * Several `fleetwave worker` processes on one PostgreSQL database and one local fleet (real
 * processes, real git, a real server): reconcile jobs asked for many times over, in a seeded shuffled
 * order, while workers are killed (SIGKILL) at seeded points, a busy one when the registry shows one,
 * and replaced. No pull request is opened twice, every target is reached, the migrations finish, and
 * no two reconciles of a migration ever ran at once (the store's run records, a killed worker's run
 * ended by its kill: test/helpers/reconcile-overlaps.ts).
 * Size: two migrations on one fleet — events-v2 over the six consumers of test/helpers/local-fleet.ts,
 * orders-v2 over three more — 3 workers at concurrency 2, 200 requests over about 12 s, three workers
 * killed; 30–60 s on 2 cores. Seed: FLEETWAVE_TEST_SEED (default 20), in every failure's message.
 */
import { afterAll, afterEach, describe, expect, it, jest } from '@jest/globals';
import { openQueue } from '../../src/composition/open-queue.js';
import { openStore } from '../../src/composition/open-store.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalRepo, openLocalFleet } from '../../src/forge/local/index.js';
import type { MigrationSummary } from '../../src/rollout/model.js';
import { type CliProcess, runCli, startCli } from '../helpers/cli-process.js';
import { buildTestFleet, manifestText, type TestFleet } from '../helpers/local-fleet.js';
import { type Kill, reconcileOverlaps } from '../helpers/reconcile-overlaps.js';
import { mulberry32 } from '../../src/simulate/prng.js';
import { killAWorker } from '../helpers/kill-worker.js';
import { shuffled, testSeed } from '../helpers/seeded.js';
import { dropDatabases, freshDatabase, sayWhenSkipped, WITH_POSTGRES } from '../store/postgres-test-db.js';

jest.setTimeout(300_000);
const fleets: TestFleet[] = [];
const workers: CliProcess[] = [];
afterEach(async () => {
  for (const w of workers.splice(0)) {
    w.child.kill('SIGKILL');
    await w.exited;
  }
  for (const f of fleets.splice(0)) f.cleanup();
});
afterAll(dropDatabases);
sayWhenSkipped('test/cli/workers.test.ts');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

(WITH_POSTGRES ? describe : describe.skip)('fleetwave worker: several on one database and one fleet', () => {
  it('opens each pull request once and reaches every target, with workers killed mid-job', async () => {
    const seed = testSeed(20);
    const random = mulberry32(seed);
    const f = await buildTestFleet();
    fleets.push(f);
    // A second migration on the same fleet: three more consumers, of another dataset.
    const orders = ['acme/o01', 'acme/o02', 'acme/o03'];
    for (const repo of orders)
      await createLocalRepo(f.fleet, repo, {
        'orders.yaml': 'dataset: data/orders/v1\n',
        '.fleetwave/check': "#!/bin/sh\ngrep -qE 'data/orders/v[12]' orders.yaml\n",
      });
    const ordersManifest = join(f.root, 'orders-v2.yaml');
    writeFileSync(
      ordersManifest,
      manifestText()
        .replace('name: events-v2', 'name: orders-v2')
        .replaceAll('data/events/v1', 'data/orders/v1')
        .replaceAll('data/events/v2', 'data/orders/v2'),
    );
    const url = await freshDatabase();
    const env = {
      LOG_LEVEL: 'info',
      FLEETWAVE_JOB_LEASE_SECONDS: '4',
      FLEETWAVE_JOB_BACKOFF_SECONDS: '1',
      FLEETWAVE_QUEUE_MAINTENANCE_SECONDS: '1',
      FLEETWAVE_LEASE_SECONDS: '4',
      FLEETWAVE_WORKER_GRACE_SECONDS: '30',
    };
    // A command becomes a job: `run --enqueue` answers at once.
    const asked = await runCli(['run', f.manifestPath, '--fleet', f.fleet, '--state', url, '--enqueue'], env);
    expect({ code: asked.code, stdout: asked.stdout }).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/events-v2: queued as job /),
    });
    for (let i = 0; i < 3; i++) workers.push(await startCli(['worker', '--state', url, '--concurrency', '2'], env));
    const queue = await openQueue(url, { env });
    const store = await openStore(url);
    try {
      // 199 more requests (webhook deliveries, a third of them twice) for both, in a shuffled order, spread out.
      const requests = shuffled(
        Array.from({ length: 199 }, (_, i) => `delivery-${i % 150}`),
        random,
      );
      const payloads = {
        'events-v2': { manifest: f.manifestPath, fleet: f.fleet },
        'orders-v2': { manifest: ordersManifest, fleet: f.fleet },
      };
      // Three workers killed where they stand, at seeded points; a new one takes each one's place.
      const killAt = new Set(Array.from({ length: 3 }, () => 20 + Math.floor(random() * 160)));
      const kills: Kill[] = [];
      for (const [n, reason] of requests.entries()) {
        const migration = Number(reason.split('-')[1]) % 2 ? 'orders-v2' : 'events-v2';
        await queue.enqueue({ kind: 'reconcile-local', key: migration, payload: payloads[migration], reason });
        await sleep(20 + random() * 80);
        if (!killAt.has(n)) continue;
        // Its heartbeat (sent as soon as it takes a job) says what it runs: a busy one when there is one.
        kills.push((await killAWorker(queue, workers, random)).kill);
        workers.push(await startCli(['worker', '--state', url, '--concurrency', '2'], env));
      }
      // Every job done (none waiting or running), and the workers saw each other.
      await until('the queue to empty', 180_000, async () => {
        const s = await queue.stats();
        return s.waiting === 0 && s.running === 0;
      });
      expect((await queue.workers()).length).toBeGreaterThanOrEqual(3);
      const stats = await queue.stats();
      expect(stats.dead).toBe(0);

      // One reconcile of a migration at a time (a killed worker's run ended when it was killed).
      const allRuns = await store.runs({});
      expect({ seed, overlaps: ['events-v2', 'orders-v2'].flatMap((m) => reconcileOverlaps(m, allRuns, kills)) }).toEqual({
        seed,
        overlaps: [],
      });
      const lastOf = async (migration: string) => {
        const finished = (await store.runs({ migration })).filter((r) => r.finishedAt !== null);
        return finished[0]!.summary as MigrationSummary;
      };
      const ordersLast = await lastOf('orders-v2');
      expect(ordersLast.state).toBe('completed');
      expect(Object.fromEntries(ordersLast.targets.map((t) => [t.repo, t.state]))).toEqual({
        'acme/o01': 'merged',
        'acme/o02': 'merged',
        'acme/o03': 'merged',
      });
      // The migrations finished: every target reached (c05 breaks under the change, by design).
      const last = await lastOf('events-v2');
      expect(last.state).toBe('completed');
      expect(Object.fromEntries(last.targets.map((t) => [t.repo, t.state]))).toEqual({
        'acme/c01': 'merged',
        'acme/c02': 'merged',
        'acme/c03': 'merged',
        'acme/c04': 'merged',
        'acme/c05': 'failed',
        'acme/c06': 'merged',
      });
      // Zero duplicate pull requests.
      const forge = await openLocalFleet(f.fleet);
      for (const repo of [...f.consumers, ...orders, 'acme/unrelated']) {
        const branches: string[] = [];
        for (let n = 1; ; n++) {
          const pr = await forge.getPullRequest(repo, n);
          if (!pr) break;
          branches.push(pr.branch);
        }
        const expected = repo === 'acme/unrelated' ? [] : orders.includes(repo) ? ['fleetwave/orders-v2'] : ['fleetwave/events-v2'];
        expect({ repo, branches }).toEqual({ repo, branches: expected });
      }
      // SIGTERM: each live worker stops cleanly and leaves the registry.
      const live = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
      for (const w of live) w.child.kill('SIGTERM');
      for (const w of live) expect(await w.exited).toEqual({ code: 0, signal: null });
      // Only killed ones' records are left (they never said goodbye; one killed before its first heartbeat left none).
      const killedPids = new Set(kills.map((k) => k.pid));
      expect((await queue.workers()).filter((r) => !killedPids.has(r.pid))).toEqual([]);
      expect({ seed, killed: kills.length }).toEqual({ seed, killed: killAt.size });
    } finally {
      await queue.close();
      await store.close();
    }
  });
});
