/**
 * `npm start`: the Fleetwave App under Probot's standard environment — APP_ID, PRIVATE_KEY or
 * PRIVATE_KEY_PATH, WEBHOOK_SECRET, PORT, HOST (and LOG_LEVEL) — webhooks only on PORT (default 3000),
 * the dashboard and /metrics on FLEETWAVE_DASHBOARD_HOST:FLEETWAVE_DASHBOARD_PORT (127.0.0.1:3001; a
 * token, FLEETWAVE_DASHBOARD_TOKEN, when not loopback), who may start migrations from
 * FLEETWAVE_MANIFEST_REPOS or each account's .github/fleetwave.yml, with the SQLite store
 * (FLEETWAVE_STATE: a file or a postgres:// URL, default .fleetwave/fleetwave.sqlite), the codemod engine, the manifest loader
 * and the rollout's run loop, plus a periodic reconcile every FLEETWAVE_RECONCILE_MINUTES (default 10;
 * 0 turns it off). Webhooks are answered once their reconcile is queued in the store; the queue runs
 * FLEETWAVE_QUEUE_DELAY_MS (default 2000) after a request, at start, and with every periodic reconcile;
 * with FLEETWAVE_APP_WORKERS=external (a postgres:// store) they become jobs for `fleetwave worker`s.
 * See docs/github-app.md.
 */
import { createServer } from 'node:http';
import { createProbot } from 'probot';
import { createChangeApplier } from '../codemod/engine.js';
import { githubRequestMetrics } from '../composition/github-metrics.js';
import { createDashboardServer } from '../dashboard/server.js';
import { RequestBudget } from '../forge/github/request-budget.js';
import { parseManifest } from '../manifest/load.js';
import { runMigration } from '../rollout/run.js';
import { InputError } from '../util/errors.js';
import { createLogger } from '../util/log.js';
import { appWorkersFromEnv, configFromEnv } from './config.js';
import { alertJobHandler } from '../composition/alert-jobs.js';
import { fleetwaveAppJobHandlers } from '../composition/app-jobs.js';
import { openQueue, sharedQueue } from '../composition/open-queue.js';
import { openStore } from '../composition/open-store.js';
import { openBudgetLedger } from '../composition/budget-ledger.js';
import { FleetwaveApp } from './fleetwave-app.js';
import { budgetedProbotOctokit } from './github.js';
import { dashboardListener, dashboardBinding } from './dashboard-listener.js';
import { registerHandlers } from './index.js';
import type { AppServices } from './types.js';
import { QueueWorker } from '../queue/worker.js';
import { webhookListener } from './webhook-listener.js';

const log = createLogger({ name: 'fleetwave-app' });
const config = configFromEnv();
const state = process.env.FLEETWAVE_STATE ?? '.fleetwave/fleetwave.sqlite';
// FLEETWAVE_APP_WORKERS=external: reconciles become jobs for `fleetwave worker`s on the same database.
const workers = appWorkersFromEnv(process.env, sharedQueue(state, 'FLEETWAVE_STATE'));
const store = await openStore(state, { setting: 'FLEETWAVE_STATE' });
// GitHub's answers and rate-limit waits are counted in the metrics served at /metrics. The sends are
// counted in the store's ledger (or Redis, FLEETWAVE_BUDGET_REDIS_URL), so every replica on the same
// store (or server) shares one budget per installation.
const ledger = await openBudgetLedger(store);
log.info({ where: ledger.where }, 'the request budget counts here');
const budget = new RequestBudget(config.limits, undefined, log, githubRequestMetrics, ledger.ledger);
const services: AppServices = {
  reconcileMigration: (deps, loaded, options) => runMigration(deps, loaded, options),
  parseManifest,
  store,
  changes: createChangeApplier(),
  now: () => new Date(),
  config,
  budget,
  // With workers, a reconcile-app job's change sets are compute-changes-app jobs, kept in the store's cache.
  ...(workers === 'external' ? { jobs: await openQueue(state, { setting: 'FLEETWAVE_STATE', logger: log }), changeSets: store } : {}),
};
const minutes = Number(process.env.FLEETWAVE_RECONCILE_MINUTES ?? '10');

// Webhooks on PORT/HOST (the internet-facing listener, src/app/webhook-listener.ts); the dashboard and
// Prometheus /metrics on their own, loopback by default (src/app/dashboard-listener.ts).
const binding = dashboardBinding(process.env);
const secret = process.env.WEBHOOK_SECRET;
if (!secret) throw new InputError('WEBHOOK_SECRET is not set: the App verifies every delivery with it (docs/github-app.md)');
const probot = createProbot({ overrides: { Octokit: budgetedProbotOctokit(budget) } });
const fw = new FleetwaveApp(probot, services);
registerHandlers(probot, fw);
// Reconciles that webhooks asked for before the last stop and that were not carried out yet.
await fw.start();
// With workers, the App may take jobs too: FLEETWAVE_APP_JOB_CONCURRENCY at once (default 0: only workers do).
const appJobs = Number(process.env.FLEETWAVE_APP_JOB_CONCURRENCY ?? '0');
if (!Number.isInteger(appJobs) || appJobs < 0)
  throw new InputError(`FLEETWAVE_APP_JOB_CONCURRENCY=${process.env.FLEETWAVE_APP_JOB_CONCURRENCY}: give a whole number, 0 or more`);
if (services.jobs && appJobs > 0) {
  const worker = new QueueWorker(
    services.jobs,
    { ...fleetwaveAppJobHandlers(fw, store), 'deliver-alert': alertJobHandler(store) },
    { concurrency: appJobs, logger: log },
  );
  await worker.start();
  process.once('SIGTERM', () => {
    void worker.stop(25_000).then((r) => {
      log.info(r, 'stopped taking jobs');
      process.exit(0);
    });
  });
}
const port = Number(process.env.PORT ?? '3000');
const host = process.env.HOST ?? 'localhost';
createServer(
  webhookListener({
    secret,
    receive: (event) => probot.receive(event as never),
    logger: log,
    // Ready while the store answers a query (PostgreSQL: a round trip to the server).
    ready: async () => void (await services.store.runs({ limit: 1 })),
  }),
).listen(port, host, () => log.info({ host, port }, 'webhooks listening'));
if (binding) {
  // The operator's dashboard (null) shows every installation; an installation's shows its own migrations (the store's claims).
  const dashboardFor = (installation: number | null) =>
    createDashboardServer({
      store: services.store,
      basePath: '/fleetwave',
      logger: log,
      ...(installation === null
        ? services.jobs
          ? { queue: services.jobs }
          : {}
        : { visible: async (m: string) => (await services.store.migrationClaim(m))?.installation === installation, serveMetrics: false }),
    }).handle;
  createServer(dashboardListener(dashboardFor, binding)).listen(binding.port, binding.host, () =>
    log.info(
      { host: binding.host, port: binding.port, operatorToken: binding.token !== null, installationTokens: binding.installations.length },
      'dashboard and /metrics listening',
    ),
  );
}
if (Number.isFinite(minutes) && minutes > 0) {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    fw.sweep(log)
      .then((r) => log.info(r, 'periodic reconcile done'))
      .catch((err: unknown) => log.error({ err: err instanceof Error ? err.message : String(err) }, 'periodic reconcile failed'))
      .finally(() => (running = false));
  }, minutes * 60_000);
  timer.unref();
}
