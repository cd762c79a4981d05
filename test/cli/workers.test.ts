/**
 * Several `fleetwave worker` processes on one PostgreSQL database and one local fleet (real
 * processes, real git, a real server): reconcile jobs asked for many times over, in a seeded shuffled
 * order, while a seeded choice of worker is killed (SIGKILL) in the middle of a job. No pull request
 * is opened twice, every target is reached, the migration finishes, and no two reconciles of the
 * migration ever ran at once (the store's run records: each finished run ends before the next starts).
 * Size: two migrations on one fleet — events-v2 over the six consumers of test/helpers/local-fleet.ts,
 * orders-v2 over three more — 3 workers at concurrency 2, 200 requests over about 12 s, one worker
 * killed mid-job; 25–40 s on 2 cores.
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

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
    const seed = Number(process.env.FLEETWAVE_TEST_SEED ?? '20');
    const random = seeded(seed);
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
      const requests = Array.from({ length: 199 }, (_, i) => `delivery-${i % 150}`);
      for (let i = requests.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [requests[i], requests[j]] = [requests[j]!, requests[i]!];
      }
      const payloads = {
        'events-v2': { manifest: f.manifestPath, fleet: f.fleet },
        'orders-v2': { manifest: ordersManifest, fleet: f.fleet },
      };
      const killAfter = 20 + Math.floor(random() * 80);
      let killed = 0;
      for (const [n, reason] of requests.entries()) {
        const migration = Number(reason.split('-')[1]) % 2 ? 'orders-v2' : 'events-v2';
        await queue.enqueue({ kind: 'reconcile-local', key: migration, payload: payloads[migration], reason });
        await sleep(20 + random() * 80);
        // Once, a worker that is running a job is killed where it stands; a new one takes its place.
        if (n >= killAfter && killed === 0) {
          // Its heartbeat (sent as soon as it takes a job) says what it runs.
          const busy = (await queue.workers()).filter((r) => r.running.length > 0).map((r) => r.pid);
          const pid = busy[Math.floor(random() * busy.length)];
          const victim = workers.find((w) => w.child.pid === pid && w.child.exitCode === null);
          if (victim) {
            victim.child.kill('SIGKILL');
            await victim.exited;
            killed++;
            workers.push(await startCli(['worker', '--state', url, '--concurrency', '2'], env));
          }
        }
      }
      // Every job done (none waiting or running), and the workers saw each other.
      await until('the queue to empty', 180_000, async () => {
        const s = await queue.stats();
        return s.waiting === 0 && s.running === 0;
      });
      expect((await queue.workers()).length).toBeGreaterThanOrEqual(3);
      const stats = await queue.stats();
      expect(stats.dead).toBe(0);

      // One reconcile of a migration at a time: its finished runs, in order, never overlap.
      const lastOf = async (migration: string) => {
        const runs = (await store.runs({ migration })).reverse();
        const finished = runs.filter((r) => r.finishedAt !== null);
        for (let i = 1; i < finished.length; i++)
          expect({ migration, run: i, after: finished[i]!.startedAt >= finished[i - 1]!.finishedAt! }).toEqual({
            migration,
            run: i,
            after: true,
          });
        return finished[finished.length - 1]!.summary as MigrationSummary;
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
      expect(await queue.workers()).toEqual(killed ? [expect.objectContaining({ pid: expect.any(Number) })] : []);
      expect({ seed, killed }).toEqual({ seed, killed: 1 });
    } finally {
      await queue.close();
      await store.close();
    }
  });
});
