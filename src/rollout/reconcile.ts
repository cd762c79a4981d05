/**
 * reconcile = observe → decide → execute → journal, for one migration. Every trigger (CLI, webhook,
 * timer, Action) ends in this call. It keeps nothing between calls that the forge cannot give back:
 * the optional `ReconcileSession` only caches work within one run.
 */
import type { ChangeApplier, ChangeSet, Finding } from '../codemod/port.js';
import type { Forge, PullRequestInfo, RepoName } from '../forge/port.js';
import type { LoadedManifest } from '../manifest/types.js';
import { discoverConsumers, type Discovery } from '../plan/discover.js';
import { countReferences, oldDatasetNeedles } from '../plan/references.js';
import { tierResolver } from '../plan/tiers.js';
import { assignWaves, rolloutOrder } from '../plan/waves.js';
import { computeBurndown } from '../report/burndown.js';
import { renderBurndownMermaid } from '../report/burndown-mermaid.js';
import { pullRequestBody, pullRequestTitle } from '../report/pull-request.js';
import type { Store, StoredEvent } from '../store/port.js';
import { parseDuration, parseFraction } from '../util/duration.js';
import { FleetwaveError, ForgeError } from '../util/errors.js';
import type { Logger } from '../util/log.js';
import { VERSION } from '../version.js';
import { decide, deriveTarget, TERMINAL_STATES, type Action, type Approval, type Decision, type DecidePolicy, type TargetView } from './decide.js';
import { afterActions, beforeActions, type SafetyDeps } from './breaker-tick.js';
import { branchName, parseMarker } from './marker.js';
import { RETRY } from './run.js';
import { JournalView } from './journal-view.js';
import type { MigrationSummary, TargetState, TargetSummary } from './model.js';

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
  /** The catalog's owner of a repository (`spec.owner`), when configured: told of a revert of their repository. */
  ownerOf?: (repo: RepoName) => Promise<string | null>;
  /** The fleet's circuit breaker policy (null: none; default: FLEETWAVE_BREAKER_* or docs/breaker.md's defaults). */
  breaker?: SafetyDeps['breaker'];
  /** Alert sinks beyond the journal and the log (default: FLEETWAVE_ALERT_URL when set). */
  alerts?: SafetyDeps['alerts'];
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
}

export function newSession(): ReconcileSession {
  return { changeSets: new Map(), errors: new Map(), attempts: new Map() };
}

export interface Observation {
  discovery: Discovery;
  views: TargetView[];
  waveCount: number;
  heads: Map<RepoName, { sha: string; defaultBranch: string }>;
  findings: Map<RepoName, Finding[]>;
  /** Files the changes would edit, for targets without a pull request. */
  edits: Map<RepoName, number>;
}

export function policyOf(loaded: LoadedManifest): DecidePolicy {
  const r = loaded.manifest.rollout;
  const approvers = {
    approvers: r.approvals?.from ?? [loaded.manifest.metadata.owner],
    required: r.approvals?.required ?? 1,
    expiresAfterMs: parseDuration(r.approvals?.expiresAfter ?? '7d') ?? 7 * 86_400_000,
  };
  // Two-phase for every target (a sensitive dataset, or `approvals` alone), or, with
  // `requireApprovalFor`, for the targets of those tiers only.
  const all = loaded.manifest.metadata.sensitive || (r.approvals !== undefined && r.requireApprovalFor.length === 0);
  const flagged = !all && r.requireApprovalFor.length > 0;
  return {
    automerge: r.automerge,
    twoPhase: all || flagged ? approvers : null,
    approvalScope: all ? 'all' : 'flagged',
    retryFailedChecks: r.retryFailedChecks,
    revertOnFailure: r.revertOnFailure,
    failureThreshold: parseFraction(r.failureThreshold) ?? 0.2,
    soakMs: parseDuration(r.soak) ?? 0,
    maxOpenPRs: r.maxOpenPRs,
  };
}

/**
 * Ask the forge what is true now, and compute the changes each target without a PR would get.
 * `history`: the migration's journal as this tick reads it.
 */
export async function observe(
  deps: ReconcileDeps,
  loaded: LoadedManifest,
  options: ReconcileOptions,
  session: ReconcileSession,
  history: JournalView = new JournalView(deps.store, loaded.manifest.metadata.name),
): Promise<Observation> {
  const { forge } = deps;
  const manifest = loaded.manifest;
  const branch = branchName(manifest.metadata.name);
  const repos = await forge.listRepositories();
  const discovery = await discoverConsumers(
    manifest,
    { listRepositories: async () => repos, searchCode: (t) => searchCodeWithin(deps, loaded, history, t, !options.dryRun), catalogConsumers: deps.catalogConsumers },
    { manifestRepo: options.manifestRepo },
  );
  // A target once touched is never lost: repos with this migration's PR stay targets even when
  // search no longer finds them (their code no longer names the old dataset once merged).
  const prs = await forge.findPullRequests(
    repos.map((r) => r.repo).filter((r) => r !== options.manifestRepo),
    branch,
  );
  const ours = new Map<RepoName, PullRequestInfo>();
  for (const [repo, pr] of prs) if (parseMarker(pr.body)?.migration === manifest.metadata.name) ours.set(repo, pr);
  const targets = [...new Set([...discovery.consumers, ...ours.keys()])].sort();
  const heads = new Map(repos.map((r) => [r.repo, { sha: r.headSha, defaultBranch: r.defaultBranch }]));

  const partial: Omit<TargetView, 'wave'>[] = [];
  const policy = policyOf(loaded);
  const soakMs = policy.soakMs;
  const findings = new Map<RepoName, Finding[]>();
  const edits = new Map<RepoName, number>();
  const tiers = tierResolver(manifest.rollout);
  const rerunEvents = new Map<RepoName, StoredEvent[]>();
  for (const e of history.ofAction('rerun-checks')) if (e.target) rerunEvents.set(e.target, [...(rerunEvents.get(e.target) ?? []), e]);
  for (const repo of targets) {
    const pr = ours.get(repo) ?? null;
    // The bot branch matters while the PR is open (a human's commit hands it over); a merged or
    // closed PR's branch is history. Targets without a PR get theirs below, only when they are next.
    const branchInfo = pr?.state === 'open' ? await forge.getBranch(repo, branch) : null;
    let hasChanges = false;
    let blocking: Finding[] = [];
    if (!pr) {
      const set = await changeSetFor(deps, loaded, options, session, repo, heads.get(repo)!.sha);
      hasChanges = set.edits.length > 0;
      blocking = set.findings.filter((f) => f.severity === 'blocking');
      findings.set(repo, set.findings);
      edits.set(repo, set.edits.length);
    }
    // Post-merge verification: the merge commit's checks, while the merge is within its soak time.
    let postMerge: TargetView['postMerge'] = null;
    if (pr?.state === 'merged' && pr.mergeSha && !pr.revertSha && soakMs > 0 && Date.parse(pr.mergedAt ?? '') + soakMs > deps.now().getTime()) {
      postMerge = (await forge.getCommitChecks(repo, pr.mergeSha)).state;
    }
    const tier = tiers.effectiveTier(repo, tiers.manifestTier(repo) === null && deps.tierOf ? await deps.tierOf(repo) : null);
    const checkReruns = pr?.state === 'open' ? rerunsOf(rerunEvents.get(repo) ?? [], repo, pr.headSha) : 0;
    partial.push({ repo, pr, branch: branchInfo, hasChanges, blocking, error: session.errors.get(repo) ?? null, postMerge, tier, needsApproval: tiers.needsApproval(tier), checkReruns });
  }
  // Waves over the targets that are or will be rolled out; stable across runs because a target
  // with a pull request stays in, whatever its default branch now holds, and one without a PR is in
  // exactly when its changes apply and nothing blocks them.
  const actionable = partial.filter((t) => t.pr || (t.hasChanges && t.blocking.length === 0)).map((t) => t.repo);
  const tierOfRepo = new Map(partial.map((t) => [t.repo, t.tier!]));
  const risk = (repo: string) => tiers.risk(tierOfRepo.get(repo)!);
  const canary = typeof manifest.rollout.canary === 'number'
    ? await canariesByRule(deps, loaded, options, history, heads, partial, actionable, manifest.rollout.canary, risk, (t) => tiers.needsApproval(t))
    : manifest.rollout.canary;
  const { ordered, canaries } = rolloutOrder(actionable, canary, risk);
  const { waveOf, sizes } = assignWaves(ordered, canaries, manifest.rollout);
  // Each view gets its wave in place: a spread copy of every view, every tick, cost more than the rest of this step.
  const views = partial as TargetView[];
  for (const v of views) v.wave = waveOf.get(v.repo) ?? null;
  await fetchNextBranches(views, sizes.length, policy.maxOpenPRs, (repo) => forge.getBranch(repo, branch), policy.retryFailedChecks ?? 0);
  return { discovery, views, waveCount: sizes.length, heads, findings, edits };
}

/**
 * The bot branches of targets without a pull request, fetched only for the targets decide may open
 * now: in decide's order (the views' order), in waves up to the first unfinished one, until the free
 * slots (maxOpenPRs minus the PRs in flight) are taken. A branch found there is adopted, a human's
 * commit on it fails the target before anything is pushed. The rest of the fleet waits unasked: a
 * later wave's target is fetched when its wave and its slot come, so nothing is missed, and a tick
 * costs at most maxOpenPRs branch lookups however large the fleet. A target fetched here that turns
 * out terminal (a human's branch) frees its slot and may finish its wave, so the walk goes on.
 */
export async function fetchNextBranches(
  views: TargetView[],
  waveCount: number,
  maxOpenPRs: number,
  getBranch: (repo: RepoName) => Promise<TargetView['branch']>,
  retryFailedChecks = 0,
): Promise<number> {
  const fetched = new Set<number>();
  let lookups = 0;
  for (;;) {
    const derived = views.map((v) => deriveTarget(v, retryFailedChecks));
    const unfinished = new Array<boolean>(waveCount).fill(false);
    derived.forEach((d, i) => {
      if (d.wave !== null && (!TERMINAL_STATES.has(d.state) || views[i]!.postMerge === 'pending')) unfinished[d.wave] = true;
    });
    const active = unfinished.indexOf(true);
    if (active < 0) return lookups;
    let free = maxOpenPRs - derived.filter((d) => d.state === 'open').length;
    let progressed = false;
    for (let i = 0; i < views.length && free > 0; i++) {
      const v = views[i]!;
      if (derived[i]!.state !== 'planned' || v.wave === null || v.wave > active) continue;
      if (v.pr || fetched.has(i)) {
        free--;
        continue;
      }
      fetched.add(i);
      lookups++;
      v.branch = await getBranch(v.repo);
      if (deriveTarget(v, retryFailedChecks).state === 'planned') free--;
      else progressed = true;
    }
    if (!progressed) return lookups;
  }
}

/** Re-runs of failed checks claimed in the journal for one head of a target's PR (distinct attempts). */
export function rerunsOf(events: readonly StoredEvent[], repo: RepoName, headSha: string): number {
  const claimed = new Set<number>();
  for (const e of events) {
    if (e.target !== repo || e.action !== 'rerun-checks' || e.detail.sha !== headSha) continue;
    if (e.outcome === 'ok') claimed.add(Number(e.detail.attempt));
  }
  return claimed.size;
}

/** How many candidates the canary rule looks at (each costs a check lookup), per canary wanted. */
const CANARY_CANDIDATES_PER_CANARY = 5;

/**
 * The canaries of `rollout.canary: <count>`: the lowest-risk targets (tier order, then name) whose
 * default branch's checks pass now — a canary that fails must say something about the migration, not
 * about a consumer that was red already. Tiers that require an approval never provide canaries. The
 * choice is made once and journalled ('choose-canaries'), so waves stay put while checks change; with
 * no journalled choice but pull requests already open (a lost store), the first PRs opened were the
 * canaries. Looks at most CANARY_CANDIDATES_PER_CANARY × count targets; fewer passing means fewer
 * canaries (the first wave then goes first).
 */
async function canariesByRule(
  deps: ReconcileDeps,
  loaded: LoadedManifest,
  options: ReconcileOptions,
  history: JournalView,
  heads: ReadonlyMap<RepoName, { sha: string }>,
  partial: readonly Omit<TargetView, 'wave'>[],
  actionable: readonly RepoName[],
  count: number,
  risk: (repo: string) => number,
  needsApproval: (tier: string) => boolean,
): Promise<RepoName[]> {
  if (count === 0 || actionable.length === 0) return [];
  const chosen = history.ofAction('choose-canaries').findLast((e) => e.outcome === 'ok');
  if (chosen && Array.isArray(chosen.detail.canaries)) return chosen.detail.canaries.map(String);
  const withPr = partial.filter((t) => t.pr).sort((a, b) => a.pr!.createdAt.localeCompare(b.pr!.createdAt) || (a.repo < b.repo ? -1 : 1));
  if (withPr.length > 0) return withPr.slice(0, count).map((t) => t.repo);
  const byRepo = new Map(partial.map((t) => [t.repo, t]));
  const candidates = [...actionable]
    .filter((r) => !needsApproval(byRepo.get(r)!.tier!))
    .sort((a, b) => risk(a) - risk(b) || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, count * CANARY_CANDIDATES_PER_CANARY);
  const canaries: RepoName[] = [];
  const passed: string[] = [];
  const refused: Record<string, string> = {};
  for (const repo of candidates) {
    if (canaries.length >= count) break;
    const head = heads.get(repo)?.sha;
    const state = head ? (await deps.forge.getCommitChecks(repo, head)).state : 'none';
    if (state === 'success') {
      canaries.push(repo);
      passed.push(`${repo}@${head!.slice(0, 7)}`);
    } else refused[repo] = `default branch checks: ${state}`;
  }
  if (!options.dryRun) {
    deps.store.append({
      at: deps.now().toISOString(),
      migration: loaded.manifest.metadata.name,
      target: null,
      action: 'choose-canaries',
      outcome: 'ok',
      detail: { canaries, passed, refused, rule: 'lowest risk first, default branch checks passing' },
      version: VERSION,
      manifestHash: loaded.hash,
    });
  }
  return canaries;
}

/**
 * Code search, reused for `consumers.searchEvery`: a search result journalled less than that long ago
 * answers again (GitHub allows 10 code searches a minute and its index lags behind pushes anyway). Only
 * discovery of NEW consumers waits for the next search: a target with a pull request is observed on
 * every reconcile whatever search says.
 */
async function searchCodeWithin(deps: ReconcileDeps, loaded: LoadedManifest, history: JournalView, text: string, record: boolean): Promise<string[]> {
  const name = loaded.manifest.metadata.name;
  const everyMs = parseDuration(loaded.manifest.consumers.searchEvery) ?? 0;
  if (everyMs > 0) {
    const last = history.ofAction('search').findLast((e) => e.outcome === 'ok' && e.detail.text === text && Array.isArray(e.detail.repos));
    const age = last ? deps.now().getTime() - Date.parse(last.at) : Infinity;
    if (last && age >= 0 && age < everyMs) return last.detail.repos as string[];
  }
  const found = await deps.forge.searchCode(text);
  if (record) {
    deps.store.append({ at: deps.now().toISOString(), migration: name, target: null, action: 'search', outcome: 'ok', detail: { text, repos: found }, version: VERSION, manifestHash: loaded.hash });
  }
  return found;
}

async function changeSetFor(
  deps: ReconcileDeps,
  loaded: LoadedManifest,
  options: ReconcileOptions,
  session: ReconcileSession,
  repo: RepoName,
  headSha: string,
): Promise<ChangeSet> {
  const key = `${repo}@${headSha}`;
  const cached = session.changeSets.get(key);
  if (cached) return cached;
  const checkout = await deps.forge.checkout(repo, headSha);
  try {
    const set = await deps.changes.compute({ manifest: loaded.manifest, repo, dir: checkout.dir, manifestDir: options.manifestDir });
    session.changeSets.set(key, set);
    return set;
  } finally {
    await checkout.dispose();
  }
}

/** The approvals among a migration's journal events (`fleetwave approve`, `/fleetwave approve`). */
export function approvalsOf(events: readonly StoredEvent[]): Approval[] {
  return events
    .filter((e) => e.action === 'approve' && e.outcome === 'ok')
    .map((e) => ({ by: String(e.detail.by), at: e.at, manifestHash: String(e.detail.manifestHash ?? e.manifestHash) }));
}

/** One reconcile tick: observe, decide, and (unless dry-run) execute and journal. */
export async function reconcileOnce(
  deps: ReconcileDeps,
  loaded: LoadedManifest,
  options: ReconcileOptions,
  session: ReconcileSession = newSession(),
): Promise<{ decision: Decision; observation: Observation; executed: Action[]; deferred: Action[]; failed: Action[] }> {
  const name = loaded.manifest.metadata.name;
  // Every reader below looks through one view of the journal, read once per run (src/rollout/journal-view.ts).
  if (!session.journal?.isOf(deps.store, name)) session.journal = new JournalView(deps.store, name);
  const history = session.journal;
  const observation = await observe(deps, loaded, options, session, history);
  const policy = policyOf(loaded);
  const decided = decide({
    migration: name,
    targets: observation.views,
    waveCount: observation.waveCount,
    policy,
    control: deps.store.getControl(name),
    now: deps.now(),
    manifestHash: loaded.hash,
    approvals: policy.twoPhase ? approvalsOf(history.ofAction('approve')) : [],
  });
  // The fleet's circuit breaker records the outcomes and may hold the actions back (src/rollout/breaker-tick.ts).
  const { decision, tick } = beforeActions(deps, loaded, options, decided, observation, history);
  const executed: Action[] = [];
  const deferred: Action[] = [];
  /** Actions that failed for good this tick: their targets are failed now (session.errors), so another tick shows it. */
  const failed: Action[] = [];
  if (!options.dryRun) {
    await recordObservedMerges(deps, loaded, observation, history);
    session.burndown = decision.actions.some((a) => a.kind === 'open') ? fleetBurndown(deps, history) : undefined;
    for (const action of decision.actions) {
      const outcome = await execute(deps, loaded, options, session, observation, history, action);
      if (outcome === 'done') executed.push(action);
      else if (outcome === 'retry') deferred.push(action);
      else if (outcome === 'failed') failed.push(action);
    }
  }
  await afterActions(deps, loaded, options, tick, decision, executed, history);
  return { decision, observation, executed, deferred, failed };
}

async function execute(
  deps: ReconcileDeps,
  loaded: LoadedManifest,
  options: ReconcileOptions,
  session: ReconcileSession,
  observation: Observation,
  history: JournalView,
  action: Action,
): Promise<'done' | 'nothing' | 'retry' | 'failed'> {
  const { forge, store, logger } = deps;
  const name = loaded.manifest.metadata.name;
  const journal = (target: string | null, kind: string, outcome: 'ok' | 'error' | 'skipped', detail: Record<string, unknown>) =>
    store.append({ at: deps.now().toISOString(), migration: name, target, action: kind, outcome, detail, version: VERSION, manifestHash: loaded.hash });
  try {
    switch (action.kind) {
      case 'pause': {
        const last = history.last();
        if (last?.action === 'pause' && last.detail.wave === action.wave) return 'nothing';
        journal(null, 'pause', 'ok', { reason: action.reason, wave: action.wave });
        logger.warn({ migration: name, wave: action.wave }, action.reason);
        return 'done';
      }
      case 'merge': {
        const merged = await forge.mergePullRequest(action.repo, action.number, action.headSha);
        if (merged.autoMerge) {
          // GitHub merges it once branch protection is satisfied; a later reconcile observes the merge.
          journal(action.repo, 'auto-merge', 'ok', { pr: action.number, headSha: action.headSha });
          logger.info({ migration: name, repo: action.repo, pr: action.number }, 'auto-merge enabled');
          return 'done';
        }
        const { sha } = merged;
        journal(action.repo, 'merge', 'ok', { pr: action.number, sha });
        logger.info({ migration: name, repo: action.repo, pr: action.number }, 'merged');
        await rescan(deps, loaded, action.repo, sha, journal);
        return 'done';
      }
      case 'revert': {
        const { sha } = await forge.revertPullRequest(action.repo, action.number, action.reason);
        journal(action.repo, 'revert', 'ok', { pr: action.number, sha, reason: action.reason });
        logger.warn({ migration: name, repo: action.repo, pr: action.number }, `reverted: ${action.reason}`);
        return 'done';
      }
      case 'open': {
        const head = observation.heads.get(action.repo)!;
        const set = await changeSetFor(deps, loaded, options, session, action.repo, head.sha);
        const branch = branchName(name);
        let sha = action.adoptBranch?.sha;
        if (!action.adoptBranch) {
          if (set.edits.length === 0) return 'nothing';
          ({ sha } = await forge.pushChanges({
            repo: action.repo,
            branch,
            baseSha: head.sha,
            edits: set.edits,
            message: `${loaded.manifest.metadata.name}: ${set.summaries.map((s) => s.rule).join(', ') || 'migrate'}\n\n${loaded.manifest.metadata.description ?? ''}`.trim(),
          }));
          journal(action.repo, 'push', 'ok', { branch, sha, files: set.edits.length });
        }
        const pr = await forge.openPullRequest({
          repo: action.repo,
          branch,
          base: head.defaultBranch,
          title: pullRequestTitle(loaded.manifest),
          body: pullRequestBody({ manifest: loaded.manifest, manifestHash: loaded.hash, manifestRef: loaded.path, changes: set, wave: action.wave, burndown: session.burndown }),
        });
        journal(action.repo, 'open-pr', 'ok', { pr: pr.number, url: pr.url, wave: action.wave, sha, adopted: Boolean(action.adoptBranch) });
        logger.info({ migration: name, repo: action.repo, pr: pr.number, wave: action.wave }, 'opened pull request');
        return 'done';
      }
      case 'rerun-checks': {
        // Claimed in the journal before the request, so no tick, restart, replayed webhook or
        // concurrent reconcile asks twice for the same head and attempt: at most once. A claim whose
        // request never reached the forge leaves the PR failed rather than re-run twice. The tick's
        // journal catches up with the store first, so a claim made since the tick began counts too.
        const claimed = history
          .ofTarget(action.repo)
          .some((e) => e.action === 'rerun-checks' && e.outcome === 'ok' && e.detail.sha === action.headSha && e.detail.attempt === action.attempt);
        if (claimed) return 'nothing';
        journal(action.repo, 'rerun-checks', 'ok', { pr: action.number, sha: action.headSha, attempt: action.attempt });
        await forge.rerunChecks(action.repo, action.number);
        logger.info({ migration: name, repo: action.repo, pr: action.number, attempt: action.attempt }, 're-running failed checks');
        return 'done';
      }
    }
  } catch (err) {
    if (err instanceof ForgeError && err.transient) {
      const target = 'repo' in action ? action.repo : null;
      journal(target, action.kind, 'error', { error: err.message, transient: true });
      if (target === null || action.kind === 'pause') {
        logger.warn({ migration: name, action: action.kind, err: err.message }, 'transient forge error; will retry');
        return 'retry';
      }
      // The error may have come after the effect (a timeout on a request the forge carried out): look
      // at the target again before anything is retried, so that a retry never repeats a side effect.
      const seen = await effectSeen(deps, loaded, action).catch(() => null);
      if (seen) {
        if (seen.journal) journal(target, seen.journal, 'ok', { ...seen.detail, recovered: true, afterError: err.message });
        logger.info({ migration: name, repo: target, action: action.kind }, 'the forge carried out the action despite the error; not repeated');
        if (action.kind === 'merge' && typeof seen.detail.sha === 'string') await rescan(deps, loaded, target, seen.detail.sha, journal);
        return 'done';
      }
      const attempts = (session.attempts?.get(target) ?? 0) + 1;
      session.attempts?.set(target, attempts);
      if (attempts >= RETRY.maxAttempts) {
        session.errors.set(target, `${action.kind} failed after ${attempts} attempts with transient errors; last: ${err.message}`);
        logger.error({ migration: name, repo: target, action: action.kind, attempts, err: err.message }, 'retries exhausted');
        return 'failed';
      }
      logger.warn({ migration: name, repo: target, action: action.kind, attempts, err: err.message }, 'transient forge error; will retry');
      return 'retry';
    }
    if (err instanceof FleetwaveError && 'repo' in action) {
      session.errors.set(action.repo, `${action.kind} failed: ${err.message}`);
      journal(action.repo, action.kind, 'error', { error: err.message });
      logger.error({ migration: name, repo: action.repo, action: action.kind, err: err.message }, 'action failed');
      return 'failed';
    }
    throw err;
  }
}

/**
 * After a transient error of an action on one target: did the forge carry it out anyway? Asks the
 * forge for that target's pull request again (one request on GitHub) and answers with what to journal
 * when it did, or null when it did not (or cannot tell), so the action is retried. An `open` whose push
 * went through but whose PR did not is retried by the next tick, which adopts the pushed branch.
 */
async function effectSeen(
  deps: ReconcileDeps,
  loaded: LoadedManifest,
  action: Exclude<Action, { kind: 'pause' }>,
): Promise<{ journal: string | null; detail: Record<string, unknown> } | null> {
  const name = loaded.manifest.metadata.name;
  const pr = (await deps.forge.findPullRequests([action.repo], branchName(name))).get(action.repo);
  if (!pr || parseMarker(pr.body)?.migration !== name) return null;
  switch (action.kind) {
    case 'open':
      return pr.state === 'open' ? { journal: 'open-pr', detail: { pr: pr.number, url: pr.url, wave: action.wave, sha: pr.headSha } } : null;
    case 'merge':
      return pr.number === action.number && pr.state === 'merged' ? { journal: 'merge', detail: { pr: pr.number, sha: pr.mergeSha } } : null;
    case 'revert':
      return pr.number === action.number && pr.revertSha ? { journal: 'revert', detail: { pr: pr.number, sha: pr.revertSha, reason: action.reason } } : null;
    case 'rerun-checks':
      // Claimed before the request; seen when the head's checks left `failure` (or the head moved on).
      return pr.number === action.number && (pr.headSha !== action.headSha || pr.checks.state !== 'failure') ? { journal: null, detail: {} } : null;
  }
}

/**
 * Merges the forge made on its own (GitHub's auto-merge once branch protection is met, or a person
 * merging the bot's pull request): journalled once as merges, with the rescan the burndown counts, so a
 * merged target has the same history whoever pressed the button.
 */
async function recordObservedMerges(deps: ReconcileDeps, loaded: LoadedManifest, observation: Observation, history: JournalView): Promise<void> {
  const merged = observation.views.filter((v) => v.pr?.state === 'merged' && v.pr.mergeSha);
  if (merged.length === 0) return;
  const name = loaded.manifest.metadata.name;
  const journalled = new Set(
    history
      .ofAction('merge')
      .filter((e) => e.outcome === 'ok')
      .map((e) => `${e.target}#${String(e.detail.pr)}`),
  );
  const journal = (target: string | null, kind: string, outcome: 'ok' | 'error' | 'skipped', detail: Record<string, unknown>) =>
    deps.store.append({ at: deps.now().toISOString(), migration: name, target, action: kind, outcome, detail, version: VERSION, manifestHash: loaded.hash });
  for (const v of merged) {
    const pr = v.pr!;
    if (journalled.has(`${v.repo}#${pr.number}`)) continue;
    journal(v.repo, 'merge', 'ok', { pr: pr.number, sha: pr.mergeSha, by: pr.closedBy ?? null, observed: true, mergedAt: pr.mergedAt ?? null });
    deps.logger.info({ migration: name, repo: v.repo, pr: pr.number }, 'merged by the forge (auto-merge or a person)');
    await rescan(deps, loaded, v.repo, pr.mergeSha!, journal);
  }
}

/**
 * After a merge, count the references to the old dataset left on the default branch (the burndown
 * counts these, not merged PRs). History only: a failed rescan is logged and the merge stands.
 */
async function rescan(
  deps: ReconcileDeps,
  loaded: LoadedManifest,
  repo: RepoName,
  sha: string,
  journal: (target: string | null, kind: string, outcome: 'ok' | 'error' | 'skipped', detail: Record<string, unknown>) => void,
): Promise<void> {
  try {
    const checkout = await deps.forge.checkout(repo, sha);
    try {
      const references = await countReferences(checkout.dir, oldDatasetNeedles(loaded.manifest.dataset.source.uri));
      journal(repo, 'rescan', 'ok', { references, sha });
    } finally {
      await checkout.dispose();
    }
  } catch (err) {
    deps.logger.warn({ repo, err: err instanceof Error ? err.message : String(err) }, 'rescan after merge failed');
  }
}

/** The fleet's burndown so far as a Mermaid chart, for PR bodies (from the journal: merges and rescans). */
function fleetBurndown(deps: ReconcileDeps, history: JournalView): string | undefined {
  if (history.ofAction('merge').length === 0) return undefined;
  const events = [...history.all()];
  return renderBurndownMermaid(computeBurndown({ summary: null, events, asOf: deps.now().toISOString() }), { title: history.migration });
}

/** The summary every entry point renders, from one decision. */
export function summarize(loaded: LoadedManifest, options: ReconcileOptions, store: Store, decision: Decision, observation: Observation): MigrationSummary {
  const views = new Map(observation.views.map((v) => [v.repo, v]));
  const targets: TargetSummary[] = decision.targets.map((d) => {
    const v = views.get(d.repo)!;
    return {
      repo: d.repo,
      wave: d.wave,
      state: d.state,
      pr: v.pr?.url ?? null,
      prNumber: v.pr?.number ?? null,
      reason: d.reason,
      needsHuman: d.needsHuman,
      checks: v.pr ? v.pr.checks.state : null,
      findings: observation.findings.get(d.repo) ?? [],
    };
  });
  const counts = { planned: 0, blocked: 0, open: 0, merged: 0, failed: 0, reverted: 0, skipped: 0 } as Record<TargetState, number>;
  for (const t of targets) counts[t.state]++;
  return {
    migration: loaded.manifest.metadata.name,
    state: decision.state,
    reason: decision.reason,
    manifest: loaded.path,
    manifestHash: loaded.hash,
    fleet: options.fleet,
    store: store.location,
    waves: decision.waves,
    targets,
    counts,
    waitingUntil: decision.waitingUntil,
  };
}
