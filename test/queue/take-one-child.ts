/**
 * A child process for test/queue/conformance.test.ts: opens the PostgreSQL queue at argv[2], takes one
 * job, prints `taken <id> <attempt>` and then does nothing until it is killed (a worker that dies mid-job).
 */
import { openPgBossQueue } from '../../src/queue/postgres/pg-boss-queue.js';

const queue = await openPgBossQueue(process.argv[2]!, { policy: JSON.parse(process.argv[3]!), maintenanceSeconds: 1 });
for (;;) {
  const [job] = await queue.take(1);
  if (job) {
    process.stdout.write(`taken ${job.id} ${job.attempt}\n`);
    setInterval(() => undefined, 60_000);
    break;
  }
  await new Promise((r) => setTimeout(r, 200));
}
