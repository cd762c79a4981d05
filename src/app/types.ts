/**
 * What the App is given to work with. The App only parses webhooks, calls one use case and renders
 * the result; the use cases (manifest parsing, reconcile) are injected, so tests can record the
 * calls or wire the real ones. The engine's dependencies for each reconcile are built by the
 * composition root (src/composition/engine-deps.ts) from the installation's forge and these services.
 */
import type { ChangeApplier } from '../codemod/port.js';
import type { EngineEnv } from '../composition/engine-deps.js';
import type { BudgetLimits, RequestBudget } from '../forge/github/request-budget.js';
import type { RepoName } from '../forge/port.js';
import type { LoadedManifest } from '../manifest/types.js';
import type { ManifestPolicy } from './manifest-policy.js';
import type { MigrationSummary } from '../rollout/model.js';
import type { ReconcileDeps } from '../rollout/reconcile.js';
import type { TrialOptions } from '../rollout/trial-run.js';
import type { TrialReport } from '../rollout/trial.js';
import type { ChangeSetCache, ReconcileQueue, Store } from '../store/port.js';
import type { JobQueue } from '../queue/port.js';

export interface ReconcileRequest {
  /** The repository that holds the manifest: never a target, and the home of the tracking issue. */
  manifestRepo: string;
  /** Where the fleet is, for the summary: `github:<installation account>`. */
  fleet: string;
  dryRun?: boolean;
  /** The migration's identity: `manifestRepo:path` (src/rollout/identity.ts). */
  source: string;
  /** The installation the manifest belongs to. */
  installation: number;
  /** The repositories the manifest repository may change (its rule of the installation's policy, src/app/manifest-policy.ts). */
  mayTarget: (repo: RepoName) => boolean;
}

/** The reconcile use case (src/rollout): observe → decide → execute → journal, for one migration. */
export type ReconcileMigration = (deps: ReconcileDeps, loaded: LoadedManifest, options: ReconcileRequest) => Promise<MigrationSummary>;

/** The trial run use case (src/rollout/trial-run.ts `runTrial`): `/fleetwave trial`. */
export type TrialMigration = (
  deps: ReconcileDeps,
  loaded: LoadedManifest,
  options: ReconcileRequest,
  trial: TrialOptions,
) => Promise<TrialReport>;

/** The manifest loader (src/manifest): text → validated manifest, or a ValidationError with positions. */
export type ParseManifest = (text: string, file: string) => LoadedManifest;

export interface AppConfig {
  /** Globs (repository-relative) where manifests live; each `dir/*.yaml` form. */
  manifestGlobs: string[];
  /** Request budget per installation. */
  limits: Partial<BudgetLimits>;
  mergeMethod: 'merge' | 'squash' | 'rebase';
  /**
   * `native`: when GitHub refuses a merge for unmet branch protection and the repository allows it,
   * turn on GitHub's auto-merge pinned to the checked head; `api`: merge through the REST API only.
   */
  autoMerge: 'native' | 'api';
  /** Where repositories are fetched from for codemods (`https://github.com`, or a GHES host). */
  gitBaseUrl?: string;
  /**
   * How long after a webhook's answer its queued reconcile starts: events of a burst that arrive
   * meanwhile fold into the same reconcile.
   */
  queueDelayMs: number;
  /** The operator's allow list of manifest repositories (FLEETWAVE_MANIFEST_REPOS); null: each installation's own fleetwave.yml. */
  manifestPolicy: ManifestPolicy | null;
}

export const DEFAULT_CONFIG: AppConfig = {
  manifestGlobs: ['.fleetwave/migrations/*.yaml', 'migrations/*.yaml'],
  limits: {},
  mergeMethod: 'squash',
  autoMerge: 'native',
  queueDelayMs: 2_000,
  manifestPolicy: null,
};

export interface AppServices {
  reconcileMigration: ReconcileMigration;
  /** `/fleetwave trial` (default: src/rollout/trial-run.ts `runTrial`). */
  trialMigration?: TrialMigration;
  parseManifest: ParseManifest;
  /** The journal, runs, overrides, and the queue of reconciles webhooks asked for. */
  store: Store & ReconcileQueue;
  changes: ChangeApplier;
  now(): Date;
  config: AppConfig;
  /** One budget shared by every event of every installation (lanes are per installation). */
  budget: RequestBudget;
  /** Where the catalog, breaker and alert settings are read (BACKSTAGE_URL, …; default: process.env). */
  env?: EngineEnv;
  /**
   * The shared job queue when workers carry out the reconciles (FLEETWAVE_APP_WORKERS=external): a
   * webhook's reconcile, and each of the periodic reconcile's, becomes a job; absent, the App carries
   * them out itself (its store's pending reconciles).
   */
  jobs?: JobQueue;
  /**
   * With `jobs`: the change-set cache (the store's) a reconcile run as a `reconcile-app` job hands its
   * targets' change sets to, computed by `compute-changes-app` jobs (src/rollout/change-cache.ts).
   * Absent: the reconcile computes them in the tick.
   */
  changeSets?: ChangeSetCache;
}
