/**
 * The store port: history and metrics, never correctness. Deleting the store loses the journal and the
 * run history; the next reconcile rebuilds every target's state from the forge.
 */

export interface JournalEvent {
  /** ISO time. */
  at: string;
  migration: string;
  /** `owner/name`, or null for migration-wide events (pause, wave start). */
  target: string | null;
  /** What was done: open-pr, push, merge, revert, close, comment, pause, resume, plan, check … */
  action: string;
  outcome: 'ok' | 'error' | 'skipped';
  detail: Record<string, unknown>;
  /** Fleetwave version that did it. */
  version: string;
  manifestHash: string;
}

export interface StoredEvent extends JournalEvent {
  id: number;
}

export interface RunRecord {
  id: number;
  migration: string;
  manifestPath: string;
  manifestHash: string;
  fleet: string;
  startedAt: string;
  finishedAt: string | null;
  state: string | null;
  /** The run's last summary (the JSON `run --json` printed), for `status` and dashboards. */
  summary: unknown;
}

/** Human overrides of the migration's derived state (pause, resume). */
export interface ControlRecord {
  migration: string;
  /** Set by `pause`; cleared by `resume`. */
  pausedBy: string | null;
  pausedReason: string | null;
  /** Waves whose failure share a human accepted with `resume`, so the rollout may go past them. */
  acceptedWaves: number[];
  updatedAt: string;
}

/**
 * A fleet's circuit breaker as the store keeps it (the logic is src/rollout/breaker.ts). One record
 * per fleet: per installation in the App, per fleet folder in local mode.
 */
export interface BreakerRecord {
  /** Which fleet: the reconcile's `fleet` (`github:<account>`, or the fleet folder). */
  key: string;
  state: 'closed' | 'open' | 'half-open';
  /** When it last opened (ISO), null when it never did or was reset. */
  openedAt: string | null;
  /** Why it opened. */
  reason: string | null;
  /** Outcomes within the sliding window, oldest first (failures and successes of any migration). */
  outcomes: { at: string; ok: boolean; migration: string; target: string | null }[];
  /** The one action let through while half-open, until its outcome is known. */
  canary: { migration: string; target: string; action: 'open' | 'merge'; at: string } | null;
  updatedAt: string;
}

/** Which journal events `Store.events` returns; every field narrows, none set: the whole journal. */
export interface EventFilter {
  migration?: string;
  target?: string;
  /** Only events appended after the one with this id (what a reader holding the journal up to it lacks). */
  afterId?: number;
  /** The newest `limit` events of those selected, still oldest first. */
  limit?: number;
}

/**
 * A reconcile the App was asked for (by a webhook) and has not carried out yet. One entry per
 * installation and migration: requests that arrive before it is carried out fold into it (`seq`
 * grows), so a burst of events costs one reconcile.
 */
export interface PendingReconcile {
  installation: number;
  migration: string;
  /** The installation's account (`acme`), for the summary's fleet. */
  account: string;
  /** Where the manifest is, when the event said (a push of it); null: the App finds it by the migration's name. */
  manifestRepo: string | null;
  manifestPath: string | null;
  /** What asked for it last: the event's name and delivery id. */
  reason: string;
  /** When it was first and last asked for (ISO). */
  firstAt: string;
  lastAt: string;
  /** Grows by one with every request folded in; see `completeReconcile`. */
  seq: number;
}

/** A new request for a reconcile: the entry's fields the asker knows, and when it asked. */
export type ReconcileAsk = Omit<PendingReconcile, 'firstAt' | 'lastAt' | 'seq'> & { at: string };

/**
 * The App's durable queue of pending reconciles: a webhook is answered once its reconcile is recorded
 * here, and the reconcile is carried out afterwards. A crash after the answer loses nothing: the next
 * start, or the periodic sweep, carries out what is still pending. Written at once (never buffered).
 */
export interface ReconcileQueue {
  /** Records the request; an entry already pending for the same installation and migration takes it in (seq + 1). */
  requestReconcile(ask: ReconcileAsk): Promise<PendingReconcile>;
  /** Every pending entry, the longest-waiting first. */
  pendingReconciles(): Promise<PendingReconcile[]>;
  /**
   * Removes the entry of a reconcile that started when the entry was at `seq`; a request that came
   * meanwhile (a higher seq) keeps it pending, for one more reconcile. True when removed.
   */
  completeReconcile(installation: number, migration: string, seq: number): Promise<boolean>;
}

/**
 * Which manifest a migration's name belongs to (docs/security.md, "A migration's identity is its
 * source"). The first manifest that runs under a name claims it; a second manifest with the same
 * `metadata.name` is refused while the first exists. PR markers carry the source, and the engine adopts
 * only pull requests whose marker names the claim's source (or one it was handed over from).
 */
export interface MigrationClaim {
  migration: string;
  /** `owner/repo:path/to/manifest.yaml` (the manifest repository and the path in it), or `local:<path>`. */
  source: string;
  /** The App installation the manifest repository belongs to; null outside the App. */
  installation: number | null;
  /** The tracking issue the App opened for it in the manifest repository (its number), once there is one. */
  trackingIssue: number | null;
  /** Sources this claim was handed over from (a manifest moved), oldest first: their PRs are still the migration's. */
  previousSources: string[];
  claimedAt: string;
}

/**
 * How long a webhook delivery id is remembered. GitHub redelivers (on request) only deliveries of the
 * past 3 days ("Redelivering webhooks", docs.github.com/en/webhooks/testing-and-troubleshooting-webhooks/redelivering-webhooks);
 * a week covers that with room.
 */
export const DELIVERY_MEMORY_MS = 7 * 24 * 3600_000;

/** The claims on migration names, and the webhook deliveries the App has handled. */
export interface Claims {
  /** The claim on `migration`: the existing one, else a new one for `claim` (compare the returned source). */
  claimMigration(claim: { migration: string; source: string; installation: number | null; at: string }): Promise<MigrationClaim>;
  migrationClaim(migration: string): Promise<MigrationClaim | null>;
  /** Hands the claim over to a new source (its old source joins `previousSources`). */
  transferMigration(migration: string, to: { source: string; installation: number | null; at: string }): Promise<MigrationClaim>;
  setTrackingIssue(migration: string, issue: number): Promise<void>;
  /** Every claim, by migration name. */
  claims(): Promise<MigrationClaim[]>;
  /**
   * Records a webhook delivery id; false when it was recorded before (a replayed or redelivered
   * delivery). Ids older than `keepDays` are forgotten.
   */
  firstDelivery(id: string, at: string): Promise<boolean>;
  /** Forgets a delivery (its handler failed, so a redelivery must act). */
  forgetDelivery(id: string): Promise<void>;
}

/** Who holds a lease, since when, and until when unless renewed (ISO times). */
export interface LeaseRecord {
  name: string;
  /** The holder's id: `host:pid:random` for a process (src/rollout/reconcile-lease.ts). */
  holder: string;
  since: string;
  expiresAt: string;
}

/**
 * Leases: one holder at a time per name, across every process that shares the store. A reconcile
 * takes `reconcile:<migration>` for its tick, so two processes on one store never act on one
 * migration at once (docs/store.md, "The reconcile lease"). A holder that dies loses its lease when
 * it expires.
 */
export interface Leases {
  /**
   * Takes (or renews) the lease `name` for `holder` until `at + ttlMs`, when it is free, expired at
   * `at`, or `holder`'s already; in one transaction. Returns the lease as it is now: `holder` is the
   * caller's when taken, another's when not.
   */
  takeLease(name: string, holder: string, at: string, ttlMs: number): Promise<LeaseRecord>;
  /** Gives the lease up, when `holder` holds it. */
  releaseLease(name: string, holder: string): Promise<void>;
}

/**
 * What a target's change set is looked up by: the migration, the target, the commit its change set
 * was computed on, and the manifest's hash. Built only by changeSetKey (src/rollout/change-cache.ts).
 */
export interface ChangeSetKey {
  migration: string;
  /** The target: a repository (`owner/name`). */
  target: string;
  headSha: string;
  manifestHash: string;
}

/**
 * Change sets computed by `changes` jobs, kept for the reconcile that fanned them out (docs/store.md,
 * "The change-set cache"). A key is first requested (pending, in a batch: one reconcile's fan-out),
 * then put once computed. Requesting a target's key forgets that target's keys of other heads or
 * manifests: a target has at most one row per migration.
 */
export interface ChangeSetCache {
  /** Records `keys` as wanted by `batch`; a key computed already is left alone, a pending one joins `batch`. */
  requestChangeSets(keys: readonly ChangeSetKey[], batch: string, at: string): Promise<void>;
  /**
   * Keeps `set` (JSON) for `key` unless one is kept already (the first put wins: a change set is a
   * function of its key). Returns the key's batch and how many keys of that batch are still not
   * computed (0: this was the last; null batch: the key was never requested).
   */
  putChangeSet(key: ChangeSetKey, set: unknown, at: string): Promise<{ batch: string | null; pending: number }>;
  /** The computed sets among `keys`, by changeSetKeyText; keys not computed (or unknown) are absent. */
  cachedChangeSets(keys: readonly ChangeSetKey[]): Promise<Map<string, unknown>>;
}

/** A key as one string (for maps): its four parts joined by NUL. */
export function changeSetKeyText(k: ChangeSetKey): string {
  return `${k.migration}\u0000${k.target}\u0000${k.headSha}\u0000${k.manifestHash}`;
}

export interface Store extends Claims, Leases {
  /** Where it lives (a file path for SQLite). */
  readonly location: string;
  append(event: JournalEvent): Promise<void>;
  /** Oldest first (by id, the order of appending). Served by an index for `migration` and `target`. */
  events(filter?: EventFilter): Promise<StoredEvent[]>;
  startRun(run: Omit<RunRecord, 'id' | 'finishedAt' | 'state' | 'summary'>): Promise<number>;
  finishRun(id: number, state: string, summary: unknown): Promise<void>;
  /** Newest first. */
  runs(filter?: { migration?: string; limit?: number }): Promise<RunRecord[]>;
  /** Every migration the store has seen, with its newest run. */
  migrations(): Promise<RunRecord[]>;
  getControl(migration: string): Promise<ControlRecord>;
  setControl(control: ControlRecord): Promise<void>;
  /** The fleet's breaker; a never-set one is closed with no outcomes, updated at the epoch. */
  getBreaker(key: string): Promise<BreakerRecord>;
  setBreaker(record: BreakerRecord): Promise<void>;
  close(): Promise<void>;
}
