/**
 * Kills a `fleetwave worker` process where it stands (SIGKILL), for the tests that run several on one
 * database: a busy one when the registry (heartbeats, src/queue/port.ts WorkerRecord) shows one, else
 * any live one, chosen by the test's seeded `random`. What its heartbeat said it ran is kept, so the
 * test can end its unfinished runs at the kill (./reconcile-overlaps.ts).
 */
import type { JobQueue } from '../../src/queue/port.js';
import type { CliProcess } from './cli-process.js';
import type { Kill } from './reconcile-overlaps.js';

export async function killAWorker(
  queue: JobQueue,
  workers: readonly CliProcess[],
  random: () => number,
): Promise<{ victim: CliProcess; kill: Kill }> {
  const records = await queue.workers();
  const live = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
  const busy = live.filter((w) => records.some((r) => r.pid === w.child.pid && r.running.length > 0));
  const pool = busy.length > 0 ? busy : live;
  const victim = pool[Math.floor(random() * pool.length)]!;
  const running = records.find((r) => r.pid === victim.child.pid)?.running ?? [];
  victim.child.kill('SIGKILL');
  await victim.exited;
  return { victim, kill: { at: Date.now(), pid: victim.child.pid!, running } };
}
