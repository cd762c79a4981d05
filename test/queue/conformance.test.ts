/**
 * The job queue port (src/queue/port.ts) as every implementation must keep it: the in-process queue
 * and the PostgreSQL one (pg-boss, on a real server: FLEETWAVE_TEST_POSTGRES_URL). A worker killed
 * mid-job (a real child process, SIGKILL) leaves its job to another after the lease.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it, jest } from '@jest/globals';
import { build } from 'esbuild';
import { InProcessQueue } from '../../src/queue/memory/in-process-queue.js';
import type { Job, JobQueue, JobRequest, QueuePolicy } from '../../src/queue/port.js';
import { openPgBossQueue } from '../../src/queue/postgres/pg-boss-queue.js';
import { dropDatabases, freshDatabase, sayWhenSkipped, WITH_POSTGRES } from '../store/postgres-test-db.js';

jest.setTimeout(120_000);
sayWhenSkipped('test/queue/conformance.test.ts');
const opened: JobQueue[] = [];
afterEach(async () => {
  for (const q of opened.splice(0)) await q.close();
});
afterAll(dropDatabases);

const POLICY: QueuePolicy = { maxAttempts: 3, backoffMs: 1_000, leaseMs: 3_000 };

type Open = (policy: QueuePolicy) => Promise<JobQueue>;
const kinds: [string, Open][] = [
  ['in-process', async (policy) => new InProcessQueue(policy)],
  ...(WITH_POSTGRES
    ? ([['postgres', async (policy) => openPgBossQueue(await freshDatabase(), { policy: policy, maintenanceSeconds: 1 })]] as [
        string,
        Open,
      ][])
    : []),
];

function reconcile(migration: string, reason = 'test'): JobRequest {
  return { kind: 'reconcile-local', key: migration, payload: { manifest: `${migration}.yaml`, fleet: '/fleet' }, reason };
}

/** Takes until a job comes (or `ms` pass): the PostgreSQL queue puts a job of a busy key back for 2 s. */
async function takeWithin(queue: JobQueue, ms: number, limit = 1): Promise<Job[]> {
  const until = Date.now() + ms;
  for (;;) {
    const jobs = await queue.take(limit);
    if (jobs.length > 0 || Date.now() >= until) return jobs;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(kinds)('%s job queue', (_kind, open) => {
  async function queue(policy: QueuePolicy = POLICY): Promise<JobQueue> {
    const q = await open(policy);
    opened.push(q);
    return q;
  }

  it('hands a job out once, completes it, and folds a request into a waiting job of its key', async () => {
    const q = await queue();
    const first = await q.enqueue(reconcile('m1', 'push 1'));
    expect(first.folded).toBe(false);
    expect(await q.enqueue(reconcile('m1', 'push 2'))).toEqual({ id: null, folded: true });
    expect((await q.stats()).waiting).toBe(1);
    const [job, ...more] = await q.take(5);
    expect(more).toEqual([]);
    expect(job).toMatchObject({ id: first.id, kind: 'reconcile-local', key: 'm1', attempt: 1, reason: 'push 1' });
    expect(await q.take(5)).toEqual([]);
    expect((await q.stats()).running).toBe(1);
    await q.complete(job!);
    const stats = await q.stats();
    expect(stats).toMatchObject({ waiting: 0, running: 0, dead: 0, completedLastHour: 1 });
    expect(stats.latencyMsP50).not.toBeNull();
  });

  it('runs one job per key at a time, others in parallel', async () => {
    const q = await queue();
    await q.enqueue(reconcile('a'));
    const [a1] = await q.take(1);
    expect(a1?.key).toBe('a');
    // A request while a's job runs is a new job (the running one may have read the world before it).
    expect((await q.enqueue(reconcile('a'))).folded).toBe(false);
    await q.enqueue(reconcile('b'));
    await q.enqueue(reconcile('c'));
    const taken = await takeWithin(q, 5_000, 5);
    const more = await takeWithin(q, 500, 5);
    const keys = [...taken, ...more].map((j) => j.key).sort();
    expect(keys).toEqual(['b', 'c']);
    await q.complete(a1!);
    const [a2] = await takeWithin(q, 5_000);
    expect(a2).toMatchObject({ key: 'a', attempt: 1 });
  });

  it('retries a failed job after an exponential backoff, then dead-letters it after the last attempt', async () => {
    const q = await queue();
    await q.enqueue(reconcile('poison'));
    const times: number[] = [];
    let job = (await q.take(1))[0]!;
    const outcomes: string[] = [];
    for (let attempt = 1; attempt <= POLICY.maxAttempts; attempt++) {
      expect(job.attempt).toBe(attempt);
      const failedAt = Date.now();
      outcomes.push(await q.fail(job, `boom ${attempt}`));
      if (attempt === POLICY.maxAttempts) break;
      expect(await q.take(1)).toEqual([]);
      job = (await takeWithin(q, 10_000))[0]!;
      times.push(Date.now() - failedAt);
    }
    expect(outcomes).toEqual(['retry', 'retry', 'dead']);
    // At least 1 s, then at least 2 s: the backoff doubles. Only the lower bounds are promised — pg-boss
    // 10 sets start_after to now() + d·2^n/2 + d·2^n/2·random() (src/plans.js, failJobs), so the first
    // wait is 1–2 s and the second 2–4 s, and one run drew 1.8 s then 2.5 s: their ratio is not asserted.
    expect(times[0]).toBeGreaterThanOrEqual(900);
    expect(times[1]).toBeGreaterThanOrEqual(1_900);
    expect(await takeWithin(q, 1_500)).toEqual([]);
    const stats = await q.stats();
    expect(stats).toMatchObject({ waiting: 0, running: 0, dead: 1, failedLastHour: 3 });
    const [dead] = await q.deadJobs();
    expect(dead).toMatchObject({ key: 'poison', kind: 'reconcile-local', attempts: 3, error: 'boom 3' });
  });

  it('gives a released job back at once, without counting an attempt', async () => {
    const q = await queue();
    await q.enqueue(reconcile('r'));
    const [job] = await q.take(1);
    await q.release(job!);
    const [again] = await takeWithin(q, 3_000);
    expect(again).toMatchObject({ key: 'r', attempt: 1 });
  });

  it('registers workers and their heartbeats', async () => {
    const q = await queue();
    const at = new Date().toISOString();
    const w = { id: 'h:1:a', host: 'h', pid: 1, concurrency: 2, running: [], startedAt: at, lastSeen: at };
    await q.heartbeat(w);
    const running = [{ id: 'j', kind: 'reconcile-local' as const, key: 'm', startedAt: at }];
    await q.heartbeat({ ...w, running });
    expect(await q.workers()).toEqual([{ ...w, running }]);
    await q.removeWorker(w.id);
    expect(await q.workers()).toEqual([]);
  });
});

describe('in-process job queue', () => {
  it('hands a job whose lease ran out to the next taker', async () => {
    let now = 1_000_000;
    const q = new InProcessQueue(POLICY, () => now);
    await q.enqueue(reconcile('x'));
    const [job] = await q.take(1);
    expect(await q.take(1)).toEqual([]);
    now += POLICY.leaseMs;
    const [again] = await q.take(1);
    expect(again).toMatchObject({ id: job!.id, attempt: 2 });
    // The first taker's late completion is not this attempt's.
    await q.complete(job!);
    expect((await q.stats()).running).toBe(1);
  });
});

(WITH_POSTGRES ? describe : describe.skip)('postgres job queue: a worker killed mid-job', () => {
  it("leaves its job to another process once the job's lease has run out", async () => {
    const url = await freshDatabase();
    const q = await openPgBossQueue(url, { policy: POLICY, maintenanceSeconds: 1 });
    opened.push(q);
    const { id } = await q.enqueue(reconcile('killed'));
    const dir = resolve('test-output', `queue-child-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const script = join(dir, 'take-one.mjs');
    await build({
      entryPoints: [resolve('test/queue/take-one-child.ts')],
      outfile: script,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'error',
    });
    const child = spawn(process.execPath, [script, url, JSON.stringify(POLICY)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((ok, fail) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) ok(out.trim());
      });
      child.on('exit', (code) => fail(new Error(`the child exited (${code}) before taking the job`)));
    });
    expect(line).toBe(`taken ${id} 1`);
    // Held by the child: not handed out again while it lives.
    expect(await takeWithin(q, 1_000)).toEqual([]);
    const killedAt = Date.now();
    child.kill('SIGKILL');
    const [again] = await takeWithin(q, 30_000);
    expect(again).toMatchObject({ id, key: 'killed', attempt: 2 });
    // Not before its lease (3 s from when the child took it) ran out.
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(1_500);
    await q.complete(again!);
  });
});
