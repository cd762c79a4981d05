import { openQueue, sharedQueue } from '../../composition/open-queue.js';
import { openStore } from '../../composition/open-store.js';
import { alertJobHandler } from '../../composition/alert-jobs.js';
import { appJobHandlers } from '../../composition/app-jobs.js';
import { QueueWorker } from '../../queue/worker.js';
import { InputError } from '../../util/errors.js';
import { createLogger } from '../../util/log.js';
import type { CliCommand } from '../command.js';
import { stateOption } from '../options.js';
import { localJobHandlers } from '../local-jobs.js';

interface WorkerOptions {
  state: string;
  concurrency: string;
}

/** How long a stopping worker waits for its running jobs before it gives them back (FLEETWAVE_WORKER_GRACE_SECONDS). */
function graceMs(env: NodeJS.ProcessEnv): number {
  const raw = env.FLEETWAVE_WORKER_GRACE_SECONDS ?? '25';
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new InputError(`FLEETWAVE_WORKER_GRACE_SECONDS=${raw}: give a number of seconds, 0 or more`);
  return n * 1000;
}

export const workerCommand: CliCommand = {
  name: 'worker',
  register(program, io, setExit) {
    program
      .command('worker')
      .description(
        'take jobs from the queue in the --state database (PostgreSQL) and carry them out, up to --concurrency at once, until SIGTERM or Ctrl-C (then it finishes or gives back its jobs)',
      )
      .addOption(stateOption('the store whose job queue to serve: a postgres:// URL (default FLEETWAVE_STATE)'))
      .option('--concurrency <n>', 'jobs at once (different migrations; one migration never runs twice at once)', '2')
      .action(async (opts: WorkerOptions) => {
        const concurrency = Number(opts.concurrency);
        if (!Number.isInteger(concurrency) || concurrency < 1)
          throw new InputError(`--concurrency ${opts.concurrency}: give a whole number of at least 1`);
        if (!sharedQueue(opts.state))
          throw new InputError(
            `fleetwave worker serves the job queue other processes share, in PostgreSQL: --state ${opts.state} is a file (its queue lives inside one process). Give --state postgres://… or FLEETWAVE_STATE, or use fleetwave run.`,
          );
        const grace = graceMs(process.env);
        const logger = createLogger({ name: 'fleetwave-worker', level: process.env.LOG_LEVEL ?? 'info' });
        const store = await openStore(opts.state);
        const queue = await openQueue(opts.state, { logger });
        // A job of `fleetwave run --enqueue`: the same reconcile `fleetwave run` does, on this worker's store;
        // its change sets computed by compute-changes jobs (src/cli/local-jobs.ts).
        const local = localJobHandlers({ store, state: opts.state, queue });
        // With the App's credentials (APP_ID …), also the reconciles the App enqueues (FLEETWAVE_APP_WORKERS=external)
        // and the alerts' comments in its tracking issues.
        const appJobs = appJobHandlers(store, queue, logger);
        const reconcileApp = appJobs['reconcile-app'];
        const worker = new QueueWorker(queue, { ...local, 'deliver-alert': alertJobHandler(store), ...appJobs }, { concurrency, logger });
        await worker.start();
        io.err(
          `worker ${worker.id}: ${concurrency} at once on ${queue.location}${reconcileApp ? ', App jobs too (APP_ID set)' : ''}; SIGTERM or Ctrl-C stops it`,
        );
        await new Promise<void>((resolve) => {
          process.once('SIGTERM', resolve);
          process.once('SIGINT', resolve);
        });
        const result = await worker.stop(grace);
        logger.info(result, 'worker stopped');
        await queue.close();
        await store.close();
        setExit(0);
      });
  },
};
