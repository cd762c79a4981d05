/**
 * A worker's handler of `reconcile-app` jobs (what the App enqueues with FLEETWAVE_APP_WORKERS=external):
 * the App's own reconcile — the same services src/app/main.ts wires (Probot's APP_ID and PRIVATE_KEY
 * or PRIVATE_KEY_PATH, the App's FLEETWAVE_* settings, the request budget counted where the App counts
 * it: the store's ledger, or Redis) — without its webhook listener. Null when APP_ID is not set: the worker then carries out
 * only `fleetwave run --enqueue` jobs.
 */
import { createProbot } from 'probot';
import { configFromEnv } from '../app/config.js';
import { FleetwaveApp } from '../app/fleetwave-app.js';
import { budgetedProbotOctokit } from '../app/github.js';
import { createChangeApplier } from '../codemod/engine.js';
import { RequestBudget } from '../forge/github/request-budget.js';
import { parseManifest } from '../manifest/load.js';
import type { ReconcileAppPayload } from '../queue/port.js';
import type { JobHandler } from '../queue/worker.js';
import { runMigration } from '../rollout/run.js';
import type { AppServices } from '../app/types.js';
import type { Logger } from '../util/log.js';
import { budgetLedgerFor } from './budget-ledger.js';
import { githubRequestMetrics } from './github-metrics.js';
import type { openStore } from './open-store.js';

export function appJobHandler(
  store: Awaited<ReturnType<typeof openStore>>,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): JobHandler | null {
  if (!env.APP_ID) return null;
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
  };
  const app = new FleetwaveApp(createProbot({ env, overrides: { Octokit: budgetedProbotOctokit(budget) } }), services);
  return (job, log) => app.runJob(job.payload as ReconcileAppPayload, job.reason, log);
}
