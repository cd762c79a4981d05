/**
 * What every handler shares: a forge for the event's installation, the bot identity, the manifest
 * locator, `request` — record a reconcile in the store's queue and carry it out after the webhook is
 * answered — and `reconcile` — parse the manifest, run the injected reconcile use case (one at a time
 * per migration), then update the tracking issue.
 *
 * GitHub wants a delivery answered within 10 seconds and does not redeliver a failed one by itself,
 * so no handler reconciles inside the delivery: it records the reconcile durably (ReconcileQueue) and
 * returns. The queue is drained after a short delay (`queueDelayMs`, which also folds a burst of
 * events into one reconcile), at start (`start`) and by the periodic sweep: a crash after the answer
 * loses nothing.
 */
import type { Context, Probot } from 'probot';
import { catalogFromEnv, engineDeps } from '../composition/engine-deps.js';
import type { GitHubClient } from '../forge/github/client.js';
import type { GitHubForge } from '../forge/github/forge.js';
import type { LoadedManifest } from '../manifest/types.js';
import type { MigrationSummary } from '../rollout/model.js';
import { runTrial, type TrialOptions } from '../rollout/trial-run.js';
import type { TrialReport } from '../rollout/trial.js';
import type { ComputeChangesPayload, DeliverAlertPayload, Job, JobQueue, ReconcileAppPayload } from '../queue/port.js';
import type { ReconcileDeps } from '../rollout/tick.js';
import { carryOutChangeJob, changeFanOut } from '../composition/change-jobs.js';
import { ChangesPendingError, computeChangeSet } from '../rollout/change-cache.js';
import type { Logger } from '../util/log.js';
import { Coalescer } from './coalesce.js';
import { InstallationCatalogs } from './installation-catalogs.js';
import { type BotIdentity, installationForge, ownerQualifier, resolveBotIdentity } from './github.js';
import { installationRepositoryNames, looksLikeManifest, ManifestLocator, scanManifests } from './manifests.js';
import { upsertTrackingIssue } from './tracking-issue.js';
import { issueCommentSink, TRACKING_ISSUE_SINK } from '../alerts/issue-comment-sink.js';
import { deliverPending, dispatchPending } from '../alerts/outbox.js';
import type { AlertSink } from '../alerts/sink.js';
import { trackingIssueDispatch } from '../composition/alert-jobs.js';
import { computeBurndown } from '../report/burndown.js';
import { renderBurndownMermaid } from '../report/burndown-mermaid.js';
import { latestTrial } from '../report/trial.js';
import type { AppServices } from './types.js';
import { claimedError, claimIdentity, conflictingClaim, sourceLocation } from '../rollout/identity.js';
import { InputError } from '../util/errors.js';
import {
  type ManifestPolicy,
  mayTarget,
  noPolicy,
  parsePolicyFile,
  POLICY_FILE,
  POLICY_REPO,
  refusal,
  ruleFor,
} from './manifest-policy.js';

/** How long an installation's manifest policy (its `.github/fleetwave.yml`) is reused. */
export const POLICY_TTL_MS = 10 * 60_000;

/** A reconcile run as a `reconcile-app` job (not for an event or a command): it may fan its change sets out. */
interface ReconcileJob {
  /** The job's reason, for the reconcile its change jobs enqueue again. */
  reason: string;
}

export interface EventScope {
  octokit: GitHubClient;
  installationId: number;
  /** The installation's account, e.g. `acme`. */
  account: string;
  log: Logger;
  /** What the scope serves: the event's name and delivery id (`push 1f2e…`), or `sweep`, `queue`. */
  reason: string;
  /** The account's type (`Organization`, `User`) when the event or the listing said. */
  accountType?: string;
}

/** A reconcile-app job's payload for `migration` in `scope`. */
function reconcilePayload(
  scope: EventScope,
  migration: string,
  manifestRepo: string | null,
  manifestPath: string | null,
): ReconcileAppPayload {
  return {
    installation: scope.installationId,
    migration,
    account: scope.account,
    manifestRepo,
    manifestPath,
    // So a worker that never saw the account scopes code search without asking GitHub (GET /users/{account}).
    ...(scope.accountType ? { accountType: scope.accountType } : {}),
  };
}

/** Where an event said the migration's manifest is (a push of it). */
export interface ManifestHint {
  repo: string;
  path: string;
}

export interface DrainResult {
  reconciled: number;
  failed: number;
}

export class FleetwaveApp {
  readonly locator: ManifestLocator;
  private bot: Promise<BotIdentity> | null = null;
  private readonly coalescer = new Coalescer<MigrationSummary>();
  private readonly catalogs: InstallationCatalogs;
  /** Trials running in this process, by installation and migration (`/fleetwave trial`). */
  private readonly trials = new Map<string, Promise<TrialReport>>();
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<DrainResult> | null = null;
  private stopped = false;
  /** Entries whose reconcile failed at this seq: not retried by the queue until a new request, or the sweep. */
  private readonly failedAt = new Map<string, number>();
  /** Each installation's code-search qualifier (`org:acme`), learnt from events and the installation listing. */
  private readonly owners = new Map<number, string>();
  /** Work carried on after an answer that is not a queued reconcile (a command's reply). */
  private readonly tasks = new Set<Promise<void>>();
  /** Each installation's policy on manifest repositories, and when it was read. */
  private readonly policies = new Map<number, { policy: ManifestPolicy; at: number }>();

  constructor(
    readonly probot: Probot,
    readonly services: AppServices,
  ) {
    this.locator = new ManifestLocator(services.config.manifestGlobs, () => services.now().getTime());
    this.catalogs = new InstallationCatalogs(() => services.now().getTime());
  }

  /** The event's installation, its client and account; null for events without an installation. */
  scope(context: Context): EventScope | null {
    const payload = context.payload as {
      installation?: { id: number; account?: { login?: string; type?: string } | null };
      repository?: { owner: { login: string; type?: string } };
      action?: string;
    };
    if (!payload.installation?.id) return null;
    const accountType = payload.repository?.owner.type ?? payload.installation.account?.type;
    const account = payload.repository?.owner.login ?? payload.installation.account?.login ?? String(payload.installation.id);
    // Remembered for the reconciles this event queues, carried out without the event.
    if (accountType) this.owners.set(payload.installation.id, ownerQualifier(account, accountType));
    return {
      octokit: context.octokit as unknown as GitHubClient,
      installationId: payload.installation.id,
      account,
      log: context.log as unknown as Logger,
      reason: `${context.name}${payload.action ? `.${payload.action}` : ''} ${context.id}`,
      ...(accountType ? { accountType } : {}),
    };
  }

  /**
   * Records, durably, that `migration` is to be reconciled, and schedules the queue; returns at once.
   * Requests for a migration already pending fold into its entry.
   */
  async request(scope: EventScope, migration: string, manifest?: ManifestHint): Promise<void> {
    // Workers carry it out (FLEETWAVE_APP_WORKERS=external): a job on the shared queue instead.
    if (this.services.jobs) {
      const job = await this.services.jobs.enqueue({
        kind: 'reconcile-app',
        key: migration,
        payload: reconcilePayload(scope, migration, manifest?.repo ?? null, manifest?.path ?? null),
        reason: scope.reason,
      });
      scope.log.info({ migration, reason: scope.reason, job: job.id, folded: job.folded }, 'reconcile queued for the workers');
      return;
    }
    const entry = await this.services.store.requestReconcile({
      installation: scope.installationId,
      migration,
      account: scope.account,
      manifestRepo: manifest?.repo ?? null,
      manifestPath: manifest?.path ?? null,
      reason: scope.reason,
      at: this.services.now().toISOString(),
    });
    scope.log.info({ migration, reason: scope.reason, seq: entry.seq }, 'reconcile requested');
    this.schedule();
  }

  /**
   * A `reconcile-app` job, in a worker: the reconcile a webhook asked for, as the App's own queue
   * carries one out (the manifest where the event said it is, else found by the migration's name).
   */
  async runJob(job: ReconcileAppPayload, reason: string, log: Logger): Promise<void> {
    try {
      await this.carryOut({ ...job, reason }, log, { reason });
    } catch (err) {
      // Its change sets are being computed by compute-changes-app jobs; the last of them enqueues this reconcile again.
      if (!(err instanceof ChangesPendingError)) throw err;
      log.info({ migration: err.migration, pending: err.pending, batch: err.batch }, 'waiting for change sets');
    }
  }

  /**
   * A `compute-changes-app` job, in a process with the App's settings: one target's change set, computed
   * on the installation's GitHub as the reconcile that fanned it out would (src/rollout/change-cache.ts
   * computeChangeSet), with the manifest the reconcile read, and kept in the change-set cache
   * (src/composition/change-jobs.ts). Nothing is kept when the manifest changed since (its reconcile fans
   * out again under the new hash).
   */
  async computeChangesJob(job: Job, log: Logger): Promise<void> {
    const { jobs, changeSets } = this.services;
    const p = job.payload as ComputeChangesPayload;
    if (!jobs || !changeSets)
      throw new Error(`compute-changes-app job ${job.id}: this App has no job queue or change-set cache (FLEETWAVE_APP_WORKERS=external)`);
    if (p.reconcile.kind !== 'reconcile-app') throw new Error(`compute-changes-app job ${job.id} is for a ${p.reconcile.kind} job`);
    const r = p.reconcile.payload;
    await carryOutChangeJob(job, { cache: changeSets, queue: jobs, log, now: () => this.services.now() }, async (key) => {
      if (!r.manifestRepo || !r.manifestPath) return null;
      const forge = await this.forge(await this.jobScope(r, p.reconcile.reason, log));
      const text = await forge.readFile(r.manifestRepo, r.manifestPath);
      if (text === null) return null;
      let loaded: LoadedManifest;
      try {
        loaded = this.services.parseManifest(text, r.manifestPath);
      } catch {
        return null; // changed since the fan-out, and no longer valid: its reconcile says why
      }
      if (loaded.hash !== key.manifestHash) return null;
      return computeChangeSet({ forge, changes: this.services.changes }, loaded.manifest, key.target, key.headSha);
    });
  }

  /** A `deliver-alert-app` job's sink: comments in the tracking issue, as the installation. */
  async trackingIssueSink(issue: NonNullable<DeliverAlertPayload['issue']>): Promise<AlertSink> {
    const octokit = (await this.probot.auth(issue.installation)) as unknown as GitHubClient;
    return issueCommentSink(octokit, issue.repo, issue.number);
  }

  /** Carries on `work` after the answer; its failure is logged. `drain` waits for it. */
  afterAnswer(scope: EventScope, work: () => Promise<void>): void {
    const task: Promise<void> = work()
      .catch((err: unknown) => scope.log.error({ reason: scope.reason, err: err instanceof Error ? err.message : String(err) }, 'failed'))
      .finally(() => this.tasks.delete(task));
    this.tasks.add(task);
  }

  /** At start: whatever an earlier process left pending is carried out soon. Returns how many entries wait. */
  async start(): Promise<number> {
    if (this.services.jobs) {
      // Switched to workers: what the App's own queue still holds becomes their jobs.
      const left = await this.services.store.pendingReconciles();
      for (const e of left) {
        await this.services.jobs.enqueue({
          kind: 'reconcile-app',
          key: e.migration,
          payload: {
            installation: e.installation,
            migration: e.migration,
            account: e.account,
            manifestRepo: e.manifestRepo,
            manifestPath: e.manifestPath,
          },
          reason: e.reason,
        });
        await this.services.store.completeReconcile(e.installation, e.migration, e.seq);
      }
      return left.length;
    }
    const pending = (await this.services.store.pendingReconciles()).length;
    if (pending > 0) {
      this.probot.log.info({ pending }, 'reconciles left pending by an earlier run: carrying them out');
      this.schedule();
    }
    return pending;
  }

  /** No more queue runs from this instance (the process is going away; entries stay pending in the store). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.drain();
    }, this.services.config.queueDelayMs);
    this.timer.unref();
  }

  /**
   * Carries out the pending reconciles now, one at a time, until none is left (requests that arrive
   * meanwhile included), and waits for work carried on after answers. An entry whose reconcile fails
   * stays pending; it is tried again after a new request for it, or with `retryFailed` (the sweep).
   */
  drain(options: { retryFailed?: boolean } = {}): Promise<DrainResult> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (options.retryFailed) this.failedAt.clear();
    if (!this.draining) this.draining = this.drainQueue().finally(() => (this.draining = null));
    return this.draining;
  }

  private async drainQueue(): Promise<DrainResult> {
    const result: DrainResult = { reconciled: 0, failed: 0 };
    for (;;) {
      if (this.stopped) break;
      // Work carried on after an answer first: a command's own reconcile answers its queued request.
      if (this.tasks.size > 0) {
        await Promise.all([...this.tasks]);
        continue;
      }
      const next = (await this.services.store.pendingReconciles()).find(
        (e) => (this.failedAt.get(`${e.installation}:${e.migration}`) ?? 0) < e.seq,
      );
      if (!next) break;
      const key = `${next.installation}:${next.migration}`;
      const log = this.probot.log.child({ installation: next.installation, migration: next.migration }) as unknown as Logger;
      try {
        await this.carryOut(next, log);
        // Done, unless a request came while it ran (a higher seq): then it runs once more.
        await this.services.store.completeReconcile(next.installation, next.migration, next.seq);
        this.failedAt.delete(key);
        result.reconciled++;
      } catch (err) {
        this.failedAt.set(key, next.seq);
        result.failed++;
        log.error(
          { reason: next.reason, err: err instanceof Error ? err.message : String(err) },
          'queued reconcile failed; it stays pending',
        );
      }
    }
    return result;
  }

  /** One queued reconcile: the manifest where the event said it is, else found by the migration's name. */
  private async carryOut(entry: ReconcileAppPayload & { reason: string }, log: Logger, asJob?: ReconcileJob): Promise<void> {
    const scope = await this.jobScope(entry, entry.reason, log);
    if (entry.manifestRepo && entry.manifestPath) {
      const text = await (await this.forge(scope)).readFile(entry.manifestRepo, entry.manifestPath);
      if (text !== null && this.services.parseManifest(text, entry.manifestPath).manifest.metadata.name === entry.migration) {
        await this.reconcile(scope, entry.manifestRepo, entry.manifestPath, text, asJob);
        return;
      }
    }
    // Null when the manifest is gone: nothing to reconcile, and the request is answered all the same.
    await this.reconcileByName(scope, entry.migration, asJob);
  }

  /** The scope of queued work (a reconcile, a change job): the installation's client, without an event. */
  private async jobScope(entry: ReconcileAppPayload, reason: string, log: Logger): Promise<EventScope> {
    const octokit = (await this.probot.auth(entry.installation)) as unknown as GitHubClient;
    return {
      octokit,
      installationId: entry.installation,
      account: entry.account,
      log,
      reason: `queue (${reason})`,
      ...(entry.accountType ? { accountType: entry.accountType } : {}),
    };
  }

  botIdentity(scope: EventScope): Promise<BotIdentity> {
    if (!this.bot) {
      this.bot = this.probot.auth().then((app) => resolveBotIdentity(app as unknown as GitHubClient, scope.octokit));
      this.bot.catch(() => (this.bot = null));
    }
    return this.bot;
  }

  async forge(scope: EventScope): Promise<GitHubForge> {
    const bot = await this.botIdentity(scope);
    const octokit = scope.octokit as unknown as { auth?: (o: { type: 'installation' }) => Promise<{ token: string }> };
    const token = octokit.auth ? async () => (await octokit.auth!({ type: 'installation' })).token : undefined;
    return installationForge(scope.octokit, bot, this.services.config, token, await this.searchScope(scope));
  }

  /**
   * Code search scoped to the installation's account (`org:acme` / `user:mona`). The account's type
   * comes from the event or the installation listing; a queued reconcile after a restart asks for it
   * once (`GET /users/{account}`).
   */
  private async searchScope(scope: EventScope): Promise<string> {
    if (scope.accountType) this.owners.set(scope.installationId, ownerQualifier(scope.account, scope.accountType));
    let qualifier = this.owners.get(scope.installationId);
    if (!qualifier) {
      const user = await scope.octokit.request('GET /users/{username}', { username: scope.account });
      qualifier = ownerQualifier(scope.account, user.data.type);
      this.owners.set(scope.installationId, qualifier);
    }
    return qualifier;
  }

  /**
   * The installation's policy on who may start migrations (src/app/manifest-policy.ts): the operator's
   * allow list, else the account's `.github/fleetwave.yml`, read once per POLICY_TTL_MS.
   */
  async policyOf(scope: EventScope): Promise<ManifestPolicy> {
    if (this.services.config.manifestPolicy) return this.services.config.manifestPolicy;
    const kept = this.policies.get(scope.installationId);
    const now = this.services.now().getTime();
    if (kept && now - kept.at < POLICY_TTL_MS) return kept.policy;
    const text = await (await this.forge(scope)).readFile(`${scope.account}/${POLICY_REPO}`, POLICY_FILE);
    const policy = text === null ? noPolicy(scope.account) : parsePolicyFile(text, scope.account);
    this.policies.set(scope.installationId, { policy, at: now });
    return policy;
  }

  /**
   * Whether the manifest at `manifestRepo:path` may run as `migration`: its repository allowed by the
   * installation's policy, and the name not held by another manifest. Null when it may; else why not.
   */
  async refusalOf(scope: EventScope, manifestRepo: string, path: string, migration: string): Promise<string | null> {
    const policy = await this.policyOf(scope);
    if (!ruleFor(policy, manifestRepo)) return refusal(policy, manifestRepo, scope.account);
    const source = `${manifestRepo}:${path}`;
    const deps = { store: this.services.store, forge: await this.forge(scope), logger: scope.log, now: () => this.services.now() };
    const held = await conflictingClaim(deps, migration, source, scope.installationId);
    return held ? claimedError(held, source, scope.installationId).message : null;
  }

  /** Validate (throws ValidationError) and reconcile one manifest, then update its tracking issue. */
  async reconcile(scope: EventScope, manifestRepo: string, path: string, text: string, asJob?: ReconcileJob): Promise<MigrationSummary> {
    const loaded: LoadedManifest = this.services.parseManifest(text, path);
    const migration = loaded.manifest.metadata.name;
    return this.coalescer.run(`${scope.installationId}:${migration}`, async () => {
      // A reconcile that starts after the last request for it answers that request (whoever runs it).
      const pending = (await this.services.store.pendingReconciles()).find(
        (e) => e.installation === scope.installationId && e.migration === migration,
      );
      const forge = await this.forge(scope);
      // Who may start it (the installation's policy) and whose it is (the claim on its name), before anything is done.
      const rule = ruleFor(await this.policyOf(scope), manifestRepo);
      if (!rule) throw new InputError(refusal(await this.policyOf(scope), manifestRepo, scope.account));
      const source = `${manifestRepo}:${path}`;
      await claimIdentity({ store: this.services.store, forge, logger: scope.log, now: () => this.services.now() }, loaded, {
        source,
        installation: scope.installationId,
      });
      const { jobs, changeSets } = this.services;
      // Run as a reconcile-app job: its targets' change sets are computed by compute-changes-app jobs,
      // the last of which enqueues this reconcile again (src/rollout/change-cache.ts).
      const fanOut =
        asJob && jobs && changeSets
          ? changeFanOut(jobs, changeSets, {
              kind: 'reconcile-app',
              key: migration,
              payload: reconcilePayload(scope, migration, manifestRepo, path),
              reason: asJob.reason,
            })
          : undefined;
      const summary = await this.services.reconcileMigration(
        {
          // With workers, the reconcile's alert deliveries are jobs too (src/composition/alert-jobs.ts).
          ...this.engineDepsFor(scope, forge, jobs),
          ...(fanOut ? { changeFanOut: fanOut } : {}),
        },
        loaded,
        {
          manifestRepo,
          fleet: `github:${scope.account}`,
          source,
          installation: scope.installationId,
          mayTarget: (repo) => mayTarget(rule, repo),
        },
      );
      const events = await this.services.store.events({ migration });
      // The chart ends at the journal's last event, not at this moment: a reconcile that changed nothing
      // leaves the tracking issue's body as it was, so it sends no edit (GitHub counts each one against the
      // installation's content limits; ending at "now" rewrote the issue on every reconcile).
      const lastChange = events.reduce<string | null>((last, e) => (last === null || e.at > last ? e.at : last), null);
      const burndown = renderBurndownMermaid(computeBurndown({ summary, events, asOf: lastChange ?? this.services.now().toISOString() }), {
        title: migration,
      });
      const bot = await this.botIdentity(scope);
      const issue = await upsertTrackingIssue(scope.octokit, manifestRepo, path, summary, burndown, bot.login, latestTrial(events));
      // Commands are taken only in this issue, for this migration (src/app/handlers/issue-comment.ts).
      await this.services.store.setTrackingIssue(migration, issue);
      // The migration's alerts (journalled by the reconcile) as comments mentioning its owners; once each.
      // With workers, each comment is a `deliver-alert-app` job (a worker with the App's settings posts it).
      if (this.services.jobs)
        await dispatchPending(
          this.services.store,
          migration,
          [TRACKING_ISSUE_SINK],
          trackingIssueDispatch(this.services.jobs, { installation: scope.installationId, repo: manifestRepo, number: issue }),
          { now: this.services.now() },
        );
      else
        await deliverPending(this.services.store, migration, [issueCommentSink(scope.octokit, manifestRepo, issue)], {
          now: this.services.now(),
          logger: scope.log,
        });
      if (pending) await this.services.store.completeReconcile(scope.installationId, migration, pending.seq);
      scope.log.info({ migration, state: summary.state, manifestRepo, trackingIssue: issue }, 'reconciled');
      return summary;
    });
  }

  /**
   * A trial run of the manifest (`/fleetwave trial`): each target's change on a short-lived branch,
   * its checks awaited, the branches deleted (src/rollout/trial-run.ts). Same policy as a reconcile:
   * only a manifest repository the installation's policy allows, only the repositories it may change.
   * One trial of a migration at a time in this process: a second `/fleetwave trial` while one runs gets
   * the running one's report (both would push to the same trial branches).
   */
  async trial(scope: EventScope, manifestRepo: string, path: string, text: string, trial: TrialOptions): Promise<TrialReport> {
    const loaded: LoadedManifest = this.services.parseManifest(text, path);
    const key = `${scope.installationId}\0${loaded.manifest.metadata.name}`;
    const running = this.trials.get(key);
    if (running) {
      scope.log.info(
        { migration: loaded.manifest.metadata.name },
        'a trial of this migration is running: its report answers this request too',
      );
      return running;
    }
    const started = this.startTrial(scope, manifestRepo, path, loaded, trial);
    this.trials.set(key, started);
    try {
      return await started;
    } finally {
      this.trials.delete(key);
    }
  }

  /** The engine's dependencies for one installation's work: its forge, the App's store and applier, its catalog (and the job queue, when alerts go through jobs). */
  private engineDepsFor(scope: EventScope, forge: GitHubForge, queue?: JobQueue): ReconcileDeps {
    const env = this.services.env ?? process.env;
    const catalog = this.catalogs.get(scope.installationId, () => catalogFromEnv(forge, env, scope.log));
    return engineDeps({
      forge,
      store: this.services.store,
      changes: this.services.changes,
      logger: scope.log,
      now: () => this.services.now(),
      env,
      catalog,
      ...(queue ? { queue } : {}),
    });
  }

  private async startTrial(
    scope: EventScope,
    manifestRepo: string,
    path: string,
    loaded: LoadedManifest,
    trial: TrialOptions,
  ): Promise<TrialReport> {
    const forge = await this.forge(scope);
    const rule = ruleFor(await this.policyOf(scope), manifestRepo);
    if (!rule) throw new InputError(refusal(await this.policyOf(scope), manifestRepo, scope.account));
    const deps = this.engineDepsFor(scope, forge);
    const request = {
      manifestRepo,
      fleet: `github:${scope.account}`,
      source: `${manifestRepo}:${path}`,
      installation: scope.installationId,
      mayTarget: (repo: string) => mayTarget(rule, repo),
    };
    return (this.services.trialMigration ?? runTrial)(deps, loaded, request, trial);
  }

  /** Reconcile the migration `name` of this installation, wherever its manifest lives; null when none does. */
  async reconcileByName(scope: EventScope, migration: string, asJob?: ReconcileJob): Promise<MigrationSummary | null> {
    // The manifest that holds the name, when this installation's: no scan needed.
    const claim = await this.services.store.migrationClaim(migration);
    const claimed = claim?.installation === scope.installationId ? sourceLocation(claim.source) : null;
    if (claimed) {
      const text = await (await this.forge(scope)).readFile(claimed.repo, claimed.path);
      if (
        text !== null &&
        looksLikeManifest(text) &&
        this.services.parseManifest(text, claimed.path).manifest.metadata.name === migration
      ) {
        return this.reconcile(scope, claimed.repo, claimed.path, text, asJob);
      }
    }
    const located = await this.locator.locate(scope.octokit, scope.installationId, migration);
    if (!located) {
      scope.log.info({ migration }, 'no manifest for this migration on any default branch of the installation; ignoring the event');
      return null;
    }
    const forge = await this.forge(scope);
    const text = await forge.readFile(located.repo, located.path);
    if (text === null) {
      this.locator.forget(scope.installationId);
      return null;
    }
    return this.reconcile(scope, located.repo, located.path, text, asJob);
  }

  /**
   * The periodic reconcile: first what the queue holds (failed entries tried again), then every
   * migration of every installation, so soak times end and missed webhooks are made up for. One
   * failing migration does not stop the others; a suspended installation (GitHub refuses its tokens)
   * is skipped with a log line, as is one whose repositories cannot be read.
   */
  async sweep(log: Logger): Promise<{ reconciled: number; failed: number; skipped: number }> {
    const queued = await this.drain({ retryFailed: true });
    const app = (await this.probot.auth()) as unknown as GitHubClient;
    let reconciled = queued.reconciled;
    let failed = queued.failed;
    let skipped = 0;
    for (let page = 1; ; page++) {
      const res = await app.request('GET /app/installations', { per_page: 100, page });
      for (const installation of res.data) {
        const owner = installation.account as { login?: string; type?: string } | null;
        const account = owner?.login ?? String(installation.id);
        if (installation.suspended_at) {
          skipped++;
          log.warn({ installation: installation.id, account, suspendedAt: installation.suspended_at }, 'installation suspended: skipped');
          continue;
        }
        let manifests: Map<string, { repo: string; path: string; text: string }>;
        let scope: EventScope;
        try {
          const octokit = (await this.probot.auth(installation.id)) as unknown as GitHubClient;
          scope = {
            octokit,
            installationId: installation.id,
            account,
            log,
            reason: 'sweep',
            ...(owner?.type ? { accountType: owner.type } : {}),
          };
          // Only the repositories the installation's policy lets start migrations are looked at.
          const policy = await this.policyOf(scope);
          const repos = (await installationRepositoryNames(octokit)).filter((r) => ruleFor(policy, r));
          const sources = new Map((await this.services.store.claims()).map((c) => [c.migration, c.source]));
          manifests = await scanManifests(octokit, repos, this.services.config.manifestGlobs, (m) => sources.get(m) ?? null);
        } catch (err) {
          skipped++;
          log.warn(
            { installation: installation.id, account, err: err instanceof Error ? err.message : String(err) },
            'installation skipped: its repositories could not be read (suspended, or its token refused)',
          );
          continue;
        }
        for (const [migration, m] of manifests) {
          try {
            if (this.services.jobs) await this.request(scope, migration, { repo: m.repo, path: m.path });
            else await this.reconcile(scope, m.repo, m.path, m.text);
            reconciled++;
          } catch (err) {
            failed++;
            log.error(
              { migration, installation: installation.id, err: err instanceof Error ? err.message : String(err) },
              'periodic reconcile failed',
            );
          }
        }
      }
      if (res.data.length < 100) break;
    }
    return { reconciled, failed, skipped };
  }
}
