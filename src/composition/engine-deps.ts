/**
 * The composition root of the engine: everything `reconcile` and `runMigration` depend on, built in
 * one place from the entry point's own pieces (its forge, store and logger) and the environment.
 * The CLI (local fleet + SQLite), the App (an installation's GitHub + the shared store) and the
 * Action (GitHub + the JSON state file) call this and add nothing of the engine's themselves, so a
 * dependency added here reaches every mode.
 *
 * From the environment:
 * - the catalog (docs/backstage.md): the Backstage REST API when `BACKSTAGE_URL` is set (with
 *   `BACKSTAGE_TOKEN`), else the fleet's catalog-info.yaml files read through the forge. It serves
 *   `consumers.discover: - catalog:`, tiers (`tierOf`) and the owners told of a revert (`ownerOf`);
 *   its answers are cached for the life of the lookup, failed lookups are not. An entry point that
 *   reconciles often (the App) passes its own `catalog`, kept longer than one run;
 * - the circuit breaker (`FLEETWAVE_BREAKER_*`, docs/breaker.md) and the alert sinks
 *   (`FLEETWAVE_ALERT_URL`, docs/alerts.md), delivered by jobs when the entry point gives its `queue`;
 * - the agent rule's runner (src/agent/runner.ts): its cache in the state folder (`agent.cacheDir`, else
 *   `FLEETWAVE_AGENT_CACHE`); the agent's own environment is built from an allow list, never from ours;
 * - the dataset gate's reader (./dataset-gate.ts): the target's verification record through the object
 *   stores, relative dataset URIs under `dataRoot` (else `FLEETWAVE_LAKE`; without either they hold);
 * - the reconcile lease's timings (`FLEETWAVE_LEASE_SECONDS`, `FLEETWAVE_LEASE_WAIT_SECONDS`: ./lease-from-env.ts).
 */
import { safetyFromEnv } from '../alerts/from-env.js';
import type { JobQueue } from '../queue/port.js';
import { alertJobDispatch } from './alert-jobs.js';
import { leaseFromEnv } from './lease-from-env.js';
import { catalogFor, type CatalogLookup } from '../catalog/catalog.js';
import { createAgentRunner } from '../agent/runner.js';
import { createChangeApplier } from '../codemod/engine.js';
import type { ChangeApplier } from '../codemod/port.js';
import type { Forge } from '../forge/port.js';
import type { ReconcileDeps } from '../rollout/reconcile.js';
import type { Store } from '../store/port.js';
import type { Logger } from '../util/log.js';
import { datasetGateReader } from './dataset-gate.js';

/** The environment variables the engine's settings are read from (`process.env`, or the Action's). */
export type EngineEnv = Readonly<Record<string, string | undefined>>;

/** What the entry point brings; the rest of the engine's dependencies come from `env`. */
export interface EngineSettings {
  /** The code host: the local fleet, an App installation's GitHub, the Action's GitHub. */
  forge: Forge;
  /** The journal, run history, human overrides and breaker record. */
  store: Store;
  logger: Logger;
  env: EngineEnv;
  /** The change applier (default: the codemod engine, logging to `logger`). */
  changes?: ChangeApplier;
  /** The clock (default: the wall clock). */
  now?: () => Date;
  /** The catalog (default: `catalogFromEnv(forge, env)`, one per call, so cached for one run). */
  catalog?: CatalogLookup;
  /** Where relative dataset URIs live (the CLI's `--lake`; default `FLEETWAVE_LAKE`). */
  dataRoot?: string;
  /**
   * The agent rule's runner (src/agent/): where its outcomes are cached (the state folder's
   * `agent-cache`; default `FLEETWAVE_AGENT_CACHE`, else no cache) and the node_modules linked into a
   * consumer's copy that has none (the CLI's toolchain).
   */
  agent?: { cacheDir?: string; nodeModules?: string; verifierEnv?: Record<string, string> };
  /**
   * The job queue this reconcile runs under (a worker's, the App's with FLEETWAVE_APP_WORKERS=external):
   * alert deliveries become its jobs (src/composition/alert-jobs.ts). Absent: the reconcile delivers.
   */
  queue?: JobQueue;
}

/**
 * The change applier with the agent rule's runner (the engine's default, and the CLI's `agent`
 * command): the codemod engine, impact analysis, then the agent where the manifest has one.
 */
export function agentChangeApplier(options: {
  logger: Logger;
  env: EngineEnv;
  cacheDir?: string;
  nodeModules?: string;
  verifierEnv?: Record<string, string>;
  onProgress?: (message: string) => void;
}): ChangeApplier {
  const { logger, env } = options;
  return createChangeApplier({
    logger,
    onProgress: options.onProgress,
    agent: createAgentRunner({
      logger,
      cacheDir: options.cacheDir ?? (env.FLEETWAVE_AGENT_CACHE || undefined),
      nodeModules: options.nodeModules,
      verifierEnv: options.verifierEnv,
    }),
  });
}

/** The catalog the environment names: Backstage's REST API with `BACKSTAGE_URL`, else the fleet's catalog-info.yaml files. */
export function catalogFromEnv(forge: Forge, env: EngineEnv, logger: Logger): CatalogLookup {
  return catalogFor(forge, { url: env.BACKSTAGE_URL, token: env.BACKSTAGE_TOKEN }, { logger });
}

export function engineDeps(settings: EngineSettings): ReconcileDeps {
  const { forge, store, logger, env } = settings;
  const catalog = settings.catalog ?? catalogFromEnv(forge, env, logger);
  return {
    forge,
    store,
    changes: settings.changes ?? agentChangeApplier({ logger, env, ...settings.agent }),
    logger,
    now: settings.now ?? (() => new Date()),
    catalogConsumers: (entityRef) => catalog.catalogConsumers(entityRef),
    tierOf: (repo) => catalog.tierOf(repo),
    timezoneOf: (repo) => catalog.timezoneOf(repo),
    ownerOf: (repo) => catalog.ownerOf(repo),
    datasetGate: datasetGateReader(settings.dataRoot ?? (env.FLEETWAVE_LAKE || undefined)),
    ...safetyFromEnv(env, logger),
    ...(settings.queue ? { alertDispatch: alertJobDispatch(settings.queue) } : {}),
    lease: leaseFromEnv(env),
  };
}
