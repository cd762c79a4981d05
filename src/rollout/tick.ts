/**
 * One reconcile tick's context: the engine's dependencies, the manifest and its compiled policy, the
 * run's session and journal view, the clock, and the one way the tick journals. Built once per tick by
 * reconcileOnce and handed to every step (observe, the breaker, execute) instead of parameter lists.
 */
import type { AlertDispatch } from '../alerts/outbox.js';
import type { AlertSink } from '../alerts/sink.js';
import type { ChangeApplier, ChangeSet } from '../codemod/port.js';
import type { Forge, RepoName } from '../forge/port.js';
import type { LoadedManifest } from '../manifest/types.js';
import { writeEvent, type EventBody } from '../store/journal-events.js';
import type { ChangeSetCache, ChangeSetKey, Store } from '../store/port.js';
import type { Logger } from '../util/log.js';
import type { BreakerPolicy } from './breaker.js';
import type { DatasetGateReader } from './dataset-port.js';
import type { MigrationIdentity } from './identity.js';
import { JournalView } from './journal-view.js';
import { compilePolicy, type RolloutPolicy } from './policy.js';

export interface ReconcileDeps {
  forge: Forge;
  store: Store;
  changes: ChangeApplier;
  logger: Logger;
  now(): Date;
  /** Backstage catalog lookup, when configured. */
  catalogConsumers?: (entityRef: string) => Promise<string[]>;
  /** The catalog's tier of a repository (`fleetwave.io/tier`, else `spec.lifecycle`), when configured. */
  tierOf?: (repo: RepoName) => Promise<string | null>;
  /** The catalog's time zone of a repository (`fleetwave.io/timezone`), for `rollout.schedule`, when configured. */
  timezoneOf?: (repo: RepoName) => Promise<string | null>;
  /** The catalog's owner of a repository (`spec.owner`), when configured: told of a revert of their repository. */
  ownerOf?: (repo: RepoName) => Promise<string | null>;
  /** The fleet's circuit breaker policy (null: none; default: FLEETWAVE_BREAKER_* or docs/breaker.md's defaults). */
  breaker?: BreakerPolicy | null;
  /** Alert sinks beyond the journal and the log (default: FLEETWAVE_ALERT_URL when set). */
  alerts?: readonly AlertSink[];
  /**
   * With a job queue: the deliveries to `alerts` become jobs handed to this (src/composition/alert-jobs.ts)
   * and the tick calls no sink. Absent: the tick delivers (docs/alerts.md).
   */
  alertDispatch?: AlertDispatch;
  /**
   * With a job queue: change sets of many targets are computed by jobs, the tick stopping until they
   * are (src/rollout/change-cache.ts). Absent: the tick computes them.
   */
  changeFanOut?: ChangeFanOut;
  /**
   * The dataset gate's port: reads the target dataset's verification record and the source's
   * fingerprint (src/composition/dataset-gate.ts). Every entry point gets it from engineDeps; absent
   * (unit tests of other concerns) the gate is not asked and the summary says so.
   */
  datasetGate?: DatasetGateReader;
  /** The reconcile lease's timings (src/rollout/reconcile-lease.ts; default DEFAULT_LEASE there). */
  lease?: Partial<LeasePolicy>;
  /** Who takes the lease (default: this process, `host:pid:random`). */
  leaseHolder?: string;
}

/** How a reconcile hands change sets to workers (src/rollout/change-cache.ts; wired by src/composition/change-jobs.ts). */
export interface ChangeFanOut {
  cache: ChangeSetCache;
  /** Enqueues one job per key, each of `batch`; the job that computes the batch's last enqueues the reconcile again. */
  enqueue(keys: readonly ChangeSetKey[], batch: string): Promise<void>;
  /**
   * Fewer missing change sets than this are computed in the tick (default 2: one is not worth a second
   * reconcile); with an `agent` rule in the manifest, 1 (one agent run may take minutes).
   */
  minimum?: number;
}

/** How the reconcile lease behaves (src/rollout/reconcile-lease.ts). */
export interface LeasePolicy {
  /** How long a lease lasts unless renewed (a dead holder's is free after this). */
  ttlMs: number;
  /** How long a tick waits for another process's lease before it stops. */
  waitMs: number;
  /** How often a waiting tick asks again. */
  pollMs: number;
}

export interface ReconcileOptions {
  /** The repository that holds the manifest (left out of the targets; custom codemods load from it). */
  manifestRepo?: string;
  /** A checked-out copy of the manifest repository at the manifest's commit. */
  manifestDir?: string;
  /** Where the fleet lives, for the summary (a folder for the local forge). */
  fleet: string;
  /** Decide but do not act. */
  dryRun?: boolean;
  /** The manifest's source (src/rollout/identity.ts); default: `manifestRepo` (or `local`) and the manifest's path. */
  source?: string;
  /** The App installation the manifest belongs to (claims from other installations are not named to it). */
  installation?: number;
  /** The repositories this manifest may change (default: all); others found as consumers are left out. */
  mayTarget?: (repo: RepoName) => boolean;
}

/** Work cached within one run (several reconcile ticks): change sets by repo and head. */
export interface ReconcileSession {
  changeSets: Map<string, ChangeSet>;
  /** Errors from executing actions in this run, by repo; they fail the target until the next run. */
  errors: Map<RepoName, string>;
  /** The fleet's burndown for PR bodies, computed once per tick that opens PRs. */
  burndown?: string;
  /** Transient failures of an action on a target in this run; at RETRY.maxAttempts the target fails. */
  attempts?: Map<RepoName, number>;
  /** The migration's journal as read so far in this run, caught up with the store at every look. */
  journal?: JournalView;
  /** The migration's identity, claimed once per run (src/rollout/identity.ts). */
  identity?: MigrationIdentity;
}

export function newSession(): ReconcileSession {
  return { changeSets: new Map(), errors: new Map(), attempts: new Map() };
}

/** Everything one tick's steps share. */
export interface Tick {
  deps: ReconcileDeps;
  loaded: LoadedManifest;
  options: ReconcileOptions;
  session: ReconcileSession;
  /** The migration's name. */
  migration: string;
  /** Whose it is: the manifest's source and the sources whose pull requests it adopts. */
  identity: MigrationIdentity;
  /** The manifest compiled once for this tick. */
  policy: RolloutPolicy;
  /** The migration's journal as this run reads it (src/rollout/journal-view.ts). */
  history: JournalView;
  /** The clock (the deps' clock: a simulated one moves during a tick). */
  now(): Date;
}

/** The context of one tick of `loaded` (the session's journal view is read here once per run), for the migration `identity` claimed. */
export async function newTick(
  deps: ReconcileDeps,
  loaded: LoadedManifest,
  options: ReconcileOptions,
  session: ReconcileSession,
  identity: MigrationIdentity,
): Promise<Tick> {
  const migration = loaded.manifest.metadata.name;
  if (!session.journal?.isOf(deps.store, migration)) session.journal = await JournalView.open(deps.store, migration);
  return {
    deps,
    loaded,
    options,
    session,
    migration,
    identity,
    policy: compilePolicy(loaded),
    history: session.journal,
    now: () => deps.now(),
  };
}

/** Appends one event of the tick's migration to the journal (src/store/journal-events.ts), at the tick's time, for its manifest's hash. */
export async function journal(tick: Tick, body: EventBody): Promise<void> {
  await writeEvent(tick.deps.store, { at: tick.now().toISOString(), migration: tick.migration, manifestHash: tick.loaded.hash }, body);
}
