/**
 * A worker's handlers of the App's jobs (what the App enqueues with FLEETWAVE_APP_WORKERS=external):
 * `reconcile-app`, `compute-changes-app` (one target's change set for a `reconcile-app` that fanned them
 * out: src/rollout/change-cache.ts) and `deliver-alert-app` (an alert's comment in the tracking issue). The reconcile:
 * the App's own reconcile — the same services src/app/main.ts wires (Probot's APP_ID and PRIVATE_KEY
 * or PRIVATE_KEY_PATH, the App's FLEETWAVE_* settings, the request budget counted where the App counts
 * it: the store's ledger, or Redis) — without its webhook listener; its own alert deliveries and its
 * change sets become jobs on `queue`. None when APP_ID is not set: the worker then carries out only `fleetwave run --enqueue`
 * jobs and `deliver-alert` ones.
 */
import { createProbot } from 'probot';
import { configFromEnv } from '../app/config.js';
import { FleetwaveApp } from '../app/fleetwave-app.js';
import { budgetedProbotOctokit } from '../app/github.js';
import { createChangeApplier } from '../codemod/engine.js';
import { RequestBudget } from '../forge/github/request-budget.js';
import { parseManifest } from '../manifest/load.js';
import type { JobKind, JobQueue, ReconcileAppPayload } from '../queue/port.js';
import type { JobHandler } from '../queue/worker.js';
import { runMigration } from '../rollout/run.js';
import type { AppServices } from '../app/types.js';
import type { Store } from '../store/port.js';
import type { Logger } from '../util/log.js';
import { trackingIssueJobHandler } from './alert-jobs.js';
import { budgetLedgerFor } from './budget-ledger.js';
import { githubRequestMetrics } from './github-metrics.js';
import type { openStore } from './open-store.js';

export function appJobHandlers(
  store: Awaited<ReturnType<typeof openStore>>,
  queue: JobQueue,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Partial<Record<JobKind, JobHandler>> {
  if (!env.APP_ID) return {};
  const config = configFromEnv(env);
  // Counted where the App counts (the store's ledger, or Redis: src/composition/budget-ledger.ts).
  const budget = new RequestBudget(config.limits, undefined, logger, githubRequestMetrics, budgetLedgerFor(store, env).ledger);
  const services: AppServices = {
    reconcileMigration: (deps, loaded, options) => runMigration(deps, loaded, options),
    parseManifest,
    store,
    changes: createChangeApplier(),
    now: () => new Date(),
    config,
    budget,
    env,
    jobs: queue,
    changeSets: store,
  };
  const app = new FleetwaveApp(createProbot({ env, overrides: { Octokit: budgetedProbotOctokit(budget) } }), services);
  return fleetwaveAppJobHandlers(app, store);
}

/**
 * The jobs only a process with the App's settings carries out, by the App `app` (a worker's, or an App
 * replica's taking jobs: src/app/main.ts). A process without them gives such a job back unrun
 * (src/queue/worker.ts), for one that has them.
 */
export function fleetwaveAppJobHandlers(
  app: FleetwaveApp,
  store: Store,
): Record<'reconcile-app' | 'compute-changes-app' | 'deliver-alert-app', JobHandler> {
  return {
    'reconcile-app': (job, log) => app.runJob(job.payload as ReconcileAppPayload, job.reason, log),
    'compute-changes-app': (job, log) => app.computeChangesJob(job, log),
    'deliver-alert-app': trackingIssueJobHandler(store, (issue) => app.trackingIssueSink(issue)),
  };
}
