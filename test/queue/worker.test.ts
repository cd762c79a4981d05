/**
 * The worker loop (src/queue/worker.ts) over the in-process queue: at most `concurrency` jobs at once,
 * each job's outcome recorded (completed, retried, dead), its heartbeat saying what it runs, and a
 * stop that waits for running jobs up to the grace time and gives the others back unrun.
 */
import { describe, expect, it } from '@jest/globals';
import { InProcessQueue } from '../../src/queue/memory/in-process-queue.js';
import type { JobRequest } from '../../src/queue/port.js';
import { QueueWorker } from '../../src/queue/worker.js';
import { silentLogger } from '../../src/util/log.js';

const job = (key: string): JobRequest => ({
  kind: 'reconcile-local',
  key,
  payload: { manifest: `${key}.yaml`, fleet: '/f' },
  reason: 'test',
});
const until = async (check: () => Promise<boolean> | boolean) => {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('a queue worker', () => {
  it('runs up to its concurrency at once, reports them in its heartbeat, and records each outcome', async () => {
    const queue = new InProcessQueue({ maxAttempts: 1 });
    for (const k of ['a', 'b', 'c', 'bad']) await queue.enqueue(job(k));
    let running = 0;
    let most = 0;
    const gates = new Map<string, () => void>();
    const worker = new QueueWorker(
      queue,
      {
        'reconcile-local': async (j) => {
          running++;
          most = Math.max(most, running);
          await new Promise<void>((resolve) => gates.set(j.key, resolve));
          running--;
          if (j.key === 'bad') throw new Error('no such manifest');
        },
      },
      { concurrency: 2, logger: silentLogger, pollMs: 10 },
    );
    await worker.start();
    await until(() => gates.size === 2);
    expect((await queue.workers())[0]).toMatchObject({ id: worker.id, concurrency: 2, pid: process.pid });
    expect((await queue.workers())[0]!.running.map((r) => r.key).sort()).toEqual([...gates.keys()].sort());
    for (let released = 0; released < 4; released++) {
      await until(() => gates.size > 0);
      const [key, open] = [...gates][0]!;
      gates.delete(key);
      open();
    }
    await until(async () => (await queue.stats()).completedLastHour === 3);
    expect(most).toBe(2);
    expect(await queue.stats()).toMatchObject({ waiting: 0, running: 0, dead: 1, completedLastHour: 3, failedLastHour: 1 });
    expect((await queue.deadJobs())[0]).toMatchObject({ key: 'bad', error: 'no such manifest' });
    expect(await worker.stop(0)).toEqual({ finished: 0, released: 0 });
    expect(await queue.workers()).toEqual([]);
  });

  it('on stop, finishes what ends within the grace time and gives the rest back unrun', async () => {
    const queue = new InProcessQueue();
    await queue.enqueue(job('quick'));
    await queue.enqueue(job('slow'));
    const started: string[] = [];
    const worker = new QueueWorker(
      queue,
      {
        'reconcile-local': async (j) => {
          started.push(j.key);
          // The slow one outlives the test; its timer does not hold the process.
          await new Promise((r) => setTimeout(r, j.key === 'quick' ? 50 : 60_000).unref());
        },
      },
      { concurrency: 2, logger: silentLogger, pollMs: 10 },
    );
    await worker.start();
    await until(() => started.length === 2);
    expect(await worker.stop(500)).toEqual({ finished: 1, released: 1 });
    const stats = await queue.stats();
    expect(stats).toMatchObject({ waiting: 1, running: 0, completedLastHour: 1 });
    // The slow one is ready again for another worker, its attempt not counted.
    expect(await queue.take(5)).toEqual([expect.objectContaining({ key: 'slow', attempt: 1 })]);
  });
});
