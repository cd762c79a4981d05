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
import { assignWaves, rolloutOrder } from '../plan/waves.js';
import { computeBurndown } from '../report/burndown.js';
import { renderBurndownMermaid } from '../report/burndown-mermaid.js';
import { pullRequestBody, pullRequestTitle } from '../report/pull-request.js';
import type { Store } from '../store/port.js';
import { parseDuration, parseFraction } from '../util/duration.js';
import { FleetwaveError, ForgeError } from '../util/errors.js';
import type { Logger } from '../util/log.js';
import { VERSION } from '../version.js';
import { decide, type Action, type Approval, type Decision, type DecidePolicy, type TargetView } from './decide.js';
import { afterActions, beforeActions, type SafetyDeps } from './breaker-tick.js';
import { branchName, parseMarker } from './marker.js';
import type { MigrationSummary, TargetState, TargetSummary } from './model.js';

export interface ReconcileDeps {
  forge: Forge;
  store: Store;
  changes: ChangeApplier;
  logger: Logger;
  now(): Date;
  /** Backstage catalog lookup, when configured. */
  catalogConsumers?: (entityRef: string) => Promise<string[]>;
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
}

export function newSession(): ReconcileSession {
  return { changeSets: new Map(), errors: new Map() };
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
  const twoPhase = loaded.manifest.metadata.sensitive || r.approvals
    ? {
        approvers: r.approvals?.from ?? [loaded.manifest.metadata.owner],
        required: r.approvals?.required ?? 1,
        expiresAfterMs: parseDuration(r.approvals?.expiresAfter ?? '7d') ?? 7 * 86_400_000,
      }
    : null;
  return {
    automerge: r.automerge,
    twoPhase,
    revertOnFailure: r.revertOnFailure,
    failureThreshold: parseFraction(r.failureThreshold) ?? 0.2,
    soakMs: parseDuration(r.soak) ?? 0,
    maxOpenPRs: r.maxOpenPRs,
  };
}

/** Ask the forge what is true now, and compute the changes each target without a PR would get. */
export async function observe(deps: ReconcileDeps, loaded: LoadedManifest, options: ReconcileOptions, session: ReconcileSession): Promise<Observation> {
  const { forge } = deps;
  const manifest = loaded.manifest;
  const branch = branchName(manifest.metadata.name);
  const repos = await forge.listRepositories();
  const discovery = await discoverConsumers(
    manifest,
    { listRepositories: async () => repos, searchCode: (t) => forge.searchCode(t), catalogConsumers: deps.catalogConsumers },
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
  const soakMs = policyOf(loaded).soakMs;
  const findings = new Map<RepoName, Finding[]>();
  const edits = new Map<RepoName, number>();
  for (const repo of targets) {
    const pr = ours.get(repo) ?? null;
    // The bot branch matters while no PR exists (adopt it, or find a human's commit) and while the PR
    // is open (a human's commit hands it over); a merged or closed PR's branch is history.
    const branchInfo = pr && pr.state !== 'open' ? null : await forge.getBranch(repo, branch);
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
    partial.push({ repo, pr, branch: branchInfo, hasChanges, blocking, error: session.errors.get(repo) ?? null, postMerge });
  }
  // Waves over the targets that are or will be rolled out; stable across runs because a target
  // with a pull request stays in, whatever its default branch now holds.
  const actionable = partial.filter((t) => t.pr || t.branch || (t.hasChanges && t.blocking.length === 0)).map((t) => t.repo);
  const { ordered, canaries } = rolloutOrder(actionable, manifest.rollout.canary);
  const { waveOf, sizes } = assignWaves(ordered, canaries, manifest.rollout);
  const views = partial.map((t) => ({ ...t, wave: waveOf.get(t.repo) ?? null }));
  return { discovery, views, waveCount: sizes.length, heads, findings, edits };
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

/** Approvals journalled for a migration (`fleetwave approve`, `/fleetwave approve`). */
export function approvalsOf(store: Store, migration: string): Approval[] {
  return store
    .events({ migration })
    .filter((e) => e.action === 'approve' && e.outcome === 'ok')
    .map((e) => ({ by: String(e.detail.by), at: e.at, manifestHash: String(e.detail.manifestHash ?? e.manifestHash) }));
}

/** One reconcile tick: observe, decide, and (unless dry-run) execute and journal. */
export async function reconcileOnce(
  deps: ReconcileDeps,
  loaded: LoadedManifest,
  options: ReconcileOptions,
  session: ReconcileSession = newSession(),
): Promise<{ decision: Decision; observation: Observation; executed: Action[]; deferred: Action[] }> {
  const observation = await observe(deps, loaded, options, session);
  const name = loaded.manifest.metadata.name;
  const policy = policyOf(loaded);
  const decided = decide({
    migration: name,
    targets: observation.views,
    waveCount: observation.waveCount,
    policy,
    control: deps.store.getControl(name),
    now: deps.now(),
    manifestHash: loaded.hash,
    approvals: policy.twoPhase ? approvalsOf(deps.store, name) : [],
  });
  // The fleet's circuit breaker records the outcomes and may hold the actions back (src/rollout/breaker-tick.ts).
  const { decision, tick } = beforeActions(deps, loaded, options, decided, observation);
  const executed: Action[] = [];
  const deferred: Action[] = [];
  if (!options.dryRun) {
    session.burndown = decision.actions.some((a) => a.kind === 'open') ? fleetBurndown(deps, name) : undefined;
    for (const action of decision.actions) {
      const outcome = await execute(deps, loaded, options, session, observation, action);
      if (outcome === 'done') executed.push(action);
      else if (outcome === 'retry') deferred.push(action);
    }
  }
  await afterActions(deps, loaded, options, tick, decision, executed);
  return { decision, observation, executed, deferred };
}

async function execute(
  deps: ReconcileDeps,
  loaded: LoadedManifest,
  options: ReconcileOptions,
  session: ReconcileSession,
  observation: Observation,
  action: Action,
): Promise<'done' | 'nothing' | 'retry' | 'failed'> {
  const { forge, store, logger } = deps;
  const name = loaded.manifest.metadata.name;
  const journal = (target: string | null, kind: string, outcome: 'ok' | 'error' | 'skipped', detail: Record<string, unknown>) =>
    store.append({ at: deps.now().toISOString(), migration: name, target, action: kind, outcome, detail, version: VERSION, manifestHash: loaded.hash });
  try {
    switch (action.kind) {
      case 'pause': {
        const last = store.events({ migration: name, limit: 1 })[0];
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
    }
  } catch (err) {
    if (err instanceof ForgeError && err.transient) {
      // Left for the next tick: the forge is the truth, nothing was half-done that it cannot tell us.
      journal('repo' in action ? action.repo : null, action.kind, 'error', { error: err.message, transient: true });
      logger.warn({ migration: name, action: action.kind, err: err.message }, 'transient forge error; will retry');
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
function fleetBurndown(deps: ReconcileDeps, migration: string): string | undefined {
  const events = deps.store.events({ migration });
  if (!events.some((e) => e.action === 'merge')) return undefined;
  return renderBurndownMermaid(computeBurndown({ summary: null, events, asOf: deps.now().toISOString() }), { title: migration });
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
