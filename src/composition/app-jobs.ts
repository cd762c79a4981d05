/**
 * A worker's handlers of the App's jobs (what the App enqueues with FLEETWAVE_APP_WORKERS=external):
 * `reconcile-app`, and `deliver-alert-app` (an alert's comment in the tracking issue). The reconcile:
 * the App's own reconcile — the same services src/app/main.ts wires (Probot's APP_ID and PRIVATE_KEY
 * or PRIVATE_KEY_PATH, the App's FLEETWAVE_* settings, the request budget counted where the App counts
 * it: the store's ledger, or Redis) — without its webhook listener; its own alert deliveries become jobs
 * on `queue`. None when APP_ID is not set: the worker then carries out only `fleetwave run --enqueue`
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
  };
  const app = new FleetwaveApp(createProbot({ env, overrides: { Octokit: budgetedProbotOctokit(budget) } }), services);
  return {
    'reconcile-app': (job, log) => app.runJob(job.payload as ReconcileAppPayload, job.reason, log),
    'deliver-alert-app': trackingIssueJobHandler(store, (issue) => app.trackingIssueSink(issue)),
  };
}
