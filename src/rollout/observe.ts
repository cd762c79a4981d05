/**
 * observe: ask the forge what is true now — the consumers (discovery, with code search answered from
 * the journal within `consumers.searchEvery`), every target's pull request and bot branch, the changes
 * of targets without a PR (cached per repo@head in the session), tiers, the canaries and the waves —
 * into the TargetViews decide reads.
 */
import type { ChangeSet, Finding } from '../codemod/port.js';
import type { PullRequestInfo, RepoName } from '../forge/port.js';
import { discoverConsumers, type Discovery } from '../plan/discover.js';
import { assignWaves, rolloutOrder } from '../plan/waves.js';
import type { StoredOf } from '../store/journal-events.js';
import { deriveTarget, TERMINAL_STATES, type TargetView } from './decide.js';
import type { Upkeep } from './decision.js';
import type { OldDatasetFacts } from '../report/old-dataset.js';
import { branchName, changesHash, isOurs, parseMarker } from './marker.js';
import {
  changeSetFailure,
  changeSetFailureReason,
  computeChangeSet,
  failsForGood,
  prefetchChangeSets,
  repoSessionKey,
} from './change-cache.js';
import { journal, type Tick } from './tick.js';
import { preferTrialPassed, trialStates } from './trial.js';
import { isTimeZone } from '../util/zoned-time.js';
import { foldersOf, partMatters, partOf, repoOf, splitTarget, targetId, workspaceSpec } from '../plan/workspaces.js';
import { FleetwaveError } from '../util/errors.js';

export interface Observation {
  discovery: Discovery;
  /**
   * The searches whose answer the forge said may be partial (GitHub's `incomplete_results`), this
   * tick's or the journalled one answering again: consumers they missed are not targets yet.
   */
  searchIncomplete: string[];
  views: TargetView[];
  waveCount: number;
  heads: Map<RepoName, { sha: string; defaultBranch: string }>;
  findings: Map<RepoName, Finding[]>;
  /** Files the changes would edit, for targets without a pull request. */
  edits: Map<RepoName, number>;
  /** The agent rule's outcome on targets without a pull request, where it ran. */
  agent: Map<RepoName, 'passed' | 'failed' | 'vetoed'>;
  /** Who was asked to review each target's pull request (the journal's newest `request-reviewers` for that PR). */
  reviewers: Map<RepoName, { users: string[]; teams: string[] }>;
  /** The journal's facts for the old dataset's status (src/report/old-dataset.ts): newest rescans, PRs closed as no longer needed. */
  oldDataset: OldDatasetFacts;
  /** The nudges of the targets' current pull requests (`rollout.nudgeAfter`): when, open since when, who was mentioned. */
  nudges: Map<RepoName, { at: string; since: string; mentioned: string[] }>;
}

/** Ask the forge what is true now, and compute the changes each target without a PR would get. */
export async function observe(tick: Tick): Promise<Observation> {
  const { deps, options, session, policy } = tick;
  const { forge } = deps;
  const manifest = tick.loaded.manifest;
  const repos = await forge.listRepositories();
  const searchIncomplete = new Set<string>();
  const discovery = await discoverConsumers(
    manifest,
    {
      listRepositories: async () => repos,
      searchCode: (t) => searchCodeWithin(tick, t, searchIncomplete),
      catalogConsumers: deps.catalogConsumers,
    },
    { manifestRepo: options.manifestRepo },
  );
  const heads = new Map(repos.map((r) => [r.repo, { sha: r.headSha, defaultBranch: r.defaultBranch }]));
  // Consumers outside what this manifest may change (the App's policy, src/app/manifest-policy.ts) are
  // left out; a repository with this migration's PR stays a target whatever the policy says now.
  const allowed = options.mayTarget ?? (() => true);
  const outside = discovery.consumers.filter((r) => !allowed(r));
  if (outside.length) deps.logger.info({ migration: tick.migration, outside }, 'consumers outside what this manifest may change: left out');
  // With a job queue, change sets come from jobs (change-cache.ts): this may stop the tick here, before
  // anything is decided, until workers have computed them. Per workspace, every consumer's set is needed
  // to find its targets; else only those of targets without a pull request (after the lookup below).
  const perWorkspace = workspaceSpec(manifest.consumers.workspaces)?.prs === 'per-workspace';
  if (perWorkspace) await prefetchChangeSets(tick, repoHeads(discovery.consumers.filter(allowed), heads));
  const { targets, ours, foreign } = await targetsWithPullRequests(
    tick,
    repos.map((r) => r.repo).filter((r) => r !== options.manifestRepo),
    discovery.consumers.filter(allowed),
    heads,
  );

  await prefetchChangeSets(tick, repoHeads(targets.filter((t) => !ours.has(t)).map(repoOf), heads));

  const partial: Omit<TargetView, 'wave'>[] = [];
  const soakMs = policy.decide.soakMs;
  const findings = new Map<RepoName, Finding[]>();
  const edits = new Map<RepoName, number>();
  const agent = new Map<RepoName, 'passed' | 'failed' | 'vetoed'>();
  const { tiers } = policy;
  const nudges = await nudgesOf(tick, ours);
  const rerunEvents = new Map<RepoName, StoredOf<'rerun-checks'>[]>();
  for (const e of await tick.history.ofKind('rerun-checks'))
    if (e.target) rerunEvents.set(e.target, [...(rerunEvents.get(e.target) ?? []), e]);
  for (const target of targets) {
    // A target is a repository or a workspace folder of one (src/plan/workspaces.ts): the forge is asked
    // about its repository, on its own branch.
    const repo = target;
    const { repo: inRepo, folder } = splitTarget(target);
    const pr = ours.get(repo) ?? null;
    // The bot branch matters while the PR is open (a human's commit hands it over); a merged or
    // closed PR's branch is history. Targets without a PR get theirs below, only when they are next.
    const branchInfo = pr?.state === 'open' ? await forge.getBranch(inRepo, branchName(tick.migration, folder)) : null;
    let hasChanges = false;
    let blocking: Finding[] = [];
    if (!pr) {
      const set = await changeSetFor(tick, repo, heads.get(inRepo)!.sha, 'fail-target');
      hasChanges = set.edits.length > 0;
      const other = foreign.get(repo);
      const taken: Finding[] = other
        ? [{ severity: 'blocking', message: foreignPullRequest(other, tick.migration, branchName(tick.migration, folder)) }]
        : [];
      blocking = [...taken, ...set.findings.filter((f) => f.severity === 'blocking')];
      findings.set(repo, [...taken, ...set.findings]);
      edits.set(repo, set.edits.length);
      if (set.agent) agent.set(repo, set.agent.status);
    }
    // Post-merge verification: the merge commit's checks, while the merge is within its soak time.
    let postMerge: TargetView['postMerge'] = null;
    if (
      pr?.state === 'merged' &&
      pr.mergeSha &&
      !pr.revertSha &&
      soakMs > 0 &&
      Date.parse(pr.mergedAt ?? '') + soakMs > tick.now().getTime()
    ) {
      postMerge = (await forge.getCommitChecks(inRepo, pr.mergeSha)).state;
    }
    // A workspace's tier: the manifest's pattern for it (`acme/mono/packages/*`), else its repository's.
    const named = tiers.manifestTier(target) ?? tiers.manifestTier(inRepo);
    const tier = named ?? tiers.effectiveTier(inRepo, deps.tierOf ? await deps.tierOf(inRepo) : null);
    // The catalog's time zone counts only when the platform knows it (a typo falls back to rollout.timezone).
    const zone = policy.decide.schedule && deps.timezoneOf ? await deps.timezoneOf(inRepo) : null;
    const timezone = zone && isTimeZone(zone) ? zone : null;
    const checkReruns = pr?.state === 'open' ? rerunsOf(rerunEvents.get(repo) ?? [], repo, pr.headSha) : 0;
    const upkeep = pr?.state === 'open' ? await upkeepOf(tick, target, pr, branchInfo, heads.get(inRepo)!.sha) : undefined;
    partial.push({
      repo,
      pr,
      branch: branchInfo,
      hasChanges,
      blocking,
      error: session.errors.get(repo) ?? null,
      postMerge,
      tier,
      needsApproval: tiers.needsApproval(tier),
      checkReruns,
      ...agentFlags(pr),
      timezone,
      ...(upkeep ? { upkeep } : {}),
      ...(nudges.has(repo) ? { nudged: true } : {}),
    });
  }
  // Waves over the targets that are or will be rolled out; stable across runs because a target
  // with a pull request stays in, whatever its default branch now holds, and one without a PR is in
  // exactly when its changes apply and nothing blocks them.
  const actionable = partial.filter((t) => t.pr || (t.hasChanges && t.blocking.length === 0)).map((t) => t.repo);
  const tierOfRepo = new Map(partial.map((t) => [t.repo, t.tier!]));
  const risk = (repo: string) => tiers.risk(tierOfRepo.get(repo)!);
  const canary =
    typeof policy.canary === 'number'
      ? await canariesByRule(tick, { heads, partial, actionable, count: policy.canary, risk })
      : policy.canary;
  const { ordered, canaries } = rolloutOrder(actionable, canary, risk);
  const { waveOf, sizes } = assignWaves(ordered, canaries, manifest.rollout);
  // Each view gets its wave in place: a spread copy of every view, every tick, cost more than the rest of this step.
  const views = partial as TargetView[];
  for (const v of views) v.wave = waveOf.get(v.repo) ?? null;
  await fetchNextBranches(
    views,
    sizes.length,
    policy.decide.maxOpenPRs,
    (target) => {
      const { repo, folder } = splitTarget(target);
      return forge.getBranch(repo, branchName(tick.migration, folder));
    },
    policy.retryFailedChecks,
  );
  return {
    discovery,
    searchIncomplete: [...searchIncomplete].sort(),
    views,
    waveCount: sizes.length,
    heads,
    findings,
    edits,
    agent,
    reviewers: await reviewersAsked(tick, ours),
    oldDataset: await oldDatasetFacts(tick),
    nudges,
  };
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
    const parked = (i: number) => derived[i]!.state === 'open' && views[i]!.agentWritten === true;
    const unfinished = new Array<boolean>(waveCount).fill(false);
    derived.forEach((d, i) => {
      if (d.wave !== null && ((!TERMINAL_STATES.has(d.state) && !parked(i)) || views[i]!.postMerge === 'pending'))
        unfinished[d.wave] = true;
    });
    const active = unfinished.indexOf(true);
    if (active < 0) return lookups;
    let free = maxOpenPRs - derived.filter((d, i) => d.state === 'open' && !parked(i)).length;
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

/**
 * An open PR of the rules' against its default branch now (PR upkeep, `rollout.rebaseWhen`). The
 * change is computed on the current head only when something moved — the base, the PR's mergeability,
 * the manifest — and never for an agent's PR (people own it) or a branch a person committed to.
 */
async function upkeepOf(
  tick: Tick,
  target: RepoName,
  pr: PullRequestInfo,
  branch: TargetView['branch'],
  baseHead: string,
): Promise<Upkeep | undefined> {
  const marker = parseMarker(pr.body);
  if (marker?.agent || branch?.commits.some((c) => !c.byBot)) return undefined;
  const behind = pr.mergeBase !== undefined && pr.mergeBase !== baseHead;
  const conflicted = pr.conflicted === true;
  const newManifest = marker !== null && marker.manifestHash !== tick.loaded.hash;
  if (!behind && !conflicted && !newManifest)
    return { baseHead, behind, conflicted, manifestChanged: false, bodyStale: false, needed: null, regenerable: false };
  let set: ChangeSet;
  try {
    set = await changeSetFor(tick, target, baseHead);
  } catch (err) {
    // A head that cannot be checked out or computed now leaves the PR as it is this tick, never the tick.
    if (!(err instanceof FleetwaveError)) throw err;
    tick.deps.logger.warn(
      { migration: tick.migration, repo: target, err: err.message },
      'PR upkeep: the change on the new head could not be computed; left as it is',
    );
    return { baseHead, behind, conflicted, manifestChanged: false, bodyStale: false, needed: null, regenerable: false };
  }
  const blocking = set.findings.some((f) => f.severity === 'blocking');
  const regenerable = set.edits.length > 0 && !set.agent && !blocking;
  // A new manifest that makes the same change (its rollout section, say) only refreshes the body.
  const sameChange = marker?.changes === changesHash(set.edits);
  return {
    baseHead,
    behind,
    conflicted,
    manifestChanged: newManifest && !sameChange,
    bodyStale: newManifest && sameChange,
    needed: set.edits.length > 0 || set.agent !== undefined || blocking,
    regenerable,
  };
}

/** The reviewers asked on each target's current pull request, from the journal (asked once, when it opened). */
async function reviewersAsked(tick: Tick, prs: ReadonlyMap<RepoName, PullRequestInfo>): Promise<Observation['reviewers']> {
  const asked = new Map<RepoName, { users: string[]; teams: string[] }>();
  for (const e of await tick.history.ofKind('request-reviewers')) {
    if (!e.target || e.outcome !== 'ok' || prs.get(e.target)?.number !== e.detail.pr) continue;
    if (e.detail.users.length + e.detail.teams.length > 0) asked.set(e.target, { users: e.detail.users, teams: e.detail.teams });
  }
  return asked;
}

/** The journal's nudges of each target's current pull request. */
async function nudgesOf(tick: Tick, prs: ReadonlyMap<RepoName, PullRequestInfo>): Promise<Observation['nudges']> {
  const nudges: Observation['nudges'] = new Map();
  for (const e of await tick.history.ofKind('nudge'))
    if (e.target && e.outcome === 'ok' && prs.get(e.target)?.number === e.detail.pr)
      nudges.set(e.target, { at: e.at, since: e.detail.since, mentioned: e.detail.mentioned });
  return nudges;
}

/** The newest rescan of each repository (after its merge), and the PRs upkeep closed as no longer needed. */
async function oldDatasetFacts(tick: Tick): Promise<OldDatasetFacts> {
  const rescans = new Map<RepoName, number>();
  for (const e of await tick.history.ofKind('rescan')) if (e.target && e.outcome === 'ok') rescans.set(e.target, e.detail.references);
  const closedUnneeded = new Set<RepoName>();
  for (const e of await tick.history.ofKind('close-pr')) if (e.target && e.outcome === 'ok') closedUnneeded.add(e.target);
  return { rescans, closedUnneeded };
}

/** Whether the target's PR is an agent's (its marker says so), and whether it only annotates. */
function agentFlags(pr: PullRequestInfo | null): Pick<TargetView, 'agentWritten' | 'annotationOnly'> {
  const marker = pr ? parseMarker(pr.body) : null;
  if (!marker?.agent) return {};
  return marker.annotate ? { agentWritten: true, annotationOnly: true } : { agentWritten: true };
}

/** Re-runs of failed checks claimed in the journal for one head of a target's PR (distinct attempts). */
export function rerunsOf(events: readonly StoredOf<'rerun-checks'>[], repo: RepoName, headSha: string): number {
  const claimed = new Set<number>();
  for (const e of events) {
    if (e.target !== repo || e.outcome !== 'ok' || e.detail.sha !== headSha) continue;
    claimed.add(e.detail.attempt);
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
  tick: Tick,
  fleet: {
    heads: ReadonlyMap<RepoName, { sha: string }>;
    partial: readonly Omit<TargetView, 'wave'>[];
    actionable: readonly RepoName[];
    count: number;
    risk: (repo: string) => number;
  },
): Promise<RepoName[]> {
  const { heads, partial, actionable, count, risk } = fleet;
  if (count === 0 || actionable.length === 0) return [];
  const chosen = (await tick.history.ofKind('choose-canaries')).findLast((e) => e.outcome === 'ok');
  if (chosen) return [...chosen.detail.canaries];
  const withPr = partial.filter((t) => t.pr).sort((a, b) => a.pr!.createdAt.localeCompare(b.pr!.createdAt) || (a.repo < b.repo ? -1 : 1));
  if (withPr.length > 0) return withPr.slice(0, count).map((t) => t.repo);
  const byRepo = new Map(partial.map((t) => [t.repo, t]));
  // A trial run (`fleetwave trial`, its latest result) puts targets whose change already passed CI first.
  const trial = trialStates((await tick.history.ofKind('trial')).findLast((e) => e.outcome === 'ok')?.detail);
  const candidates = preferTrialPassed(
    [...actionable]
      .filter((r) => !tick.policy.tiers.needsApproval(byRepo.get(r)!.tier!))
      .sort((a, b) => risk(a) - risk(b) || (a < b ? -1 : a > b ? 1 : 0)),
    trial,
  ).slice(0, count * CANARY_CANDIDATES_PER_CANARY);
  const canaries: RepoName[] = [];
  const passed: string[] = [];
  const refused: Record<string, string> = {};
  for (const repo of candidates) {
    if (canaries.length >= count) break;
    const head = heads.get(repoOf(repo))?.sha;
    const state = head ? (await tick.deps.forge.getCommitChecks(repoOf(repo), head)).state : 'none';
    if (state === 'success') {
      canaries.push(repo);
      passed.push(`${repo}@${head!.slice(0, 7)}`);
    } else refused[repo] = `default branch checks: ${state}`;
  }
  if (!tick.options.dryRun)
    await journal(tick, {
      target: null,
      action: 'choose-canaries',
      outcome: 'ok',
      detail: {
        canaries,
        passed,
        refused,
        rule: `${trial ? 'trial passed first, then ' : ''}lowest risk first, default branch checks passing`,
      },
    });
  return canaries;
}

/**
 * Code search, reused for `consumers.searchEvery`: a search result journalled less than that long ago
 * answers again (GitHub allows 10 code searches a minute and its index lags behind pushes anyway). Only
 * discovery of NEW consumers waits for the next search: a target with a pull request is observed on
 * every reconcile whatever search says. A dry run does not journal its searches. An answer the forge
 * says may be partial is journalled with `incomplete`, logged as a warning and added to `incomplete`
 * (the run summary says so), also when the journalled one answers again.
 */
async function searchCodeWithin(tick: Tick, text: string, incomplete: Set<string>): Promise<string[]> {
  const everyMs = tick.policy.searchEveryMs;
  if (everyMs > 0) {
    const last = (await tick.history.ofKind('search')).findLast((e) => e.outcome === 'ok' && e.detail.text === text);
    const age = last ? tick.now().getTime() - Date.parse(last.at) : Infinity;
    if (last && age >= 0 && age < everyMs) {
      if (last.detail.incomplete) incomplete.add(text);
      return last.detail.repos;
    }
  }
  let partial = false;
  const found = await tick.deps.forge.searchCode(text, { onIncomplete: () => (partial = true) });
  if (partial) {
    incomplete.add(text);
    tick.deps.logger.warn(
      { migration: tick.migration, search: text, found: found.length },
      'code search answered incompletely (it ran out of time): consumers it missed get no pull request until a later search finds them',
    );
  }
  if (!tick.options.dryRun)
    await journal(tick, {
      target: null,
      action: 'search',
      outcome: 'ok',
      detail: { text, repos: found, ...(partial ? { incomplete: true } : {}) },
    });
  return found;
}

/**
 * The changes a target gets on its repository's `headSha`, computed once per run (the session caches
 * them by target@head). With `consumers.workspaces`, the repository's change set is computed once and
 * each file's workspace noted (src/plan/workspaces.ts); a workspace target (`per-workspace`) gets its
 * folder's part, the repository's own target the files outside every workspace.
 */
export async function changeSetFor(
  tick: Tick,
  target: RepoName,
  headSha: string,
  onError: 'throw' | 'fail-target' = 'throw',
): Promise<ChangeSet> {
  const { session } = tick;
  const spec = workspaceSpec(tick.loaded.manifest.consumers.workspaces);
  const key = `${target}@${headSha}`;
  const cached = session.changeSets.get(key);
  if (cached) return cached;
  const whole = await repoChangeSet(tick, repoOf(target), headSha, onError);
  if (!spec || spec.prs === 'one') {
    session.changeSets.set(key, whole);
    return whole;
  }
  const part = partOf(whole, splitTarget(target).folder);
  session.changeSets.set(key, part);
  return part;
}

/** The whole repository's change set at `headSha` (cached by `<repo>@@<head>`), its files' workspaces noted. */
async function repoChangeSet(tick: Tick, repo: RepoName, headSha: string, onError: 'throw' | 'fail-target' = 'throw'): Promise<ChangeSet> {
  const { deps, session } = tick;
  const key = repoSessionKey(tick.loaded.manifest, repo, headSha);
  const cached = session.changeSets.get(key);
  if (cached) return cached;
  let set: ChangeSet;
  try {
    set = await computeChangeSet(deps, tick.loaded.manifest, repo, headSha, tick.options.manifestDir);
  } catch (err) {
    // An error a retry would repeat (a codemod's refusal, a repository that cannot be checked out) fails
    // that target with the reason and the others go on, as under workers (change-cache.ts); a transient
    // forge error or a bug stops the tick, to be tried again.
    if (onError === 'throw' || !failsForGood(err)) throw err;
    const failure = changeSetFailure(err);
    session.errors.set(repo, changeSetFailureReason(failure));
    deps.logger.warn(
      { migration: tick.migration, repo, err: failure.failed },
      'change set could not be computed: the target fails with the reason',
    );
    set = { edits: [], summaries: [], findings: [] };
  }
  session.changeSets.set(key, set);
  return set;
}

/**
 * The targets of this tick and their pull requests. A consumer repository is one target, or with
 * `consumers.workspaces` (`per-workspace`) one per workspace folder its change touches plus its own for
 * the files outside them (kept only when it has something, or when the repository has no workspace at
 * all). A target once touched is never lost: repositories and workspaces with this migration's PR stay
 * targets even when search no longer finds them (their code no longer names the old dataset once
 * merged) — a workspace's from the journal's `open-pr` events, as its branch cannot be listed.
 */
async function targetsWithPullRequests(
  tick: Tick,
  fleet: RepoName[],
  consumers: RepoName[],
  heads: ReadonlyMap<RepoName, { sha: string }>,
): Promise<{ targets: RepoName[]; ours: Map<RepoName, PullRequestInfo>; foreign: Map<RepoName, PullRequestInfo> }> {
  const { forge } = tick.deps;
  const ours = new Map<RepoName, PullRequestInfo>();
  // An open pull request on the bot branch that is not this migration's (another manifest of the same
  // name, or a person's): never adopted, pushed over or merged; the target is blocked while it is open.
  const foreign = new Map<RepoName, PullRequestInfo>();
  const sort = (found: Map<RepoName, PullRequestInfo>, folder: string | null) => {
    for (const [repo, pr] of found) {
      const target = targetId(repo, folder);
      if (isOurs(parseMarker(pr.body), tick.migration, tick.identity.accepted)) ours.set(target, pr);
      else if (pr.state === 'open') foreign.set(target, pr);
    }
  };
  sort(await forge.findPullRequests(fleet, branchName(tick.migration)), null);
  const spec = workspaceSpec(tick.loaded.manifest.consumers.workspaces);
  if (!spec || spec.prs === 'one') return { targets: [...new Set([...consumers, ...ours.keys()])].sort(), ours, foreign };

  // Workspaces: those a PR was opened for (journal), and those the change on the current head touches.
  const folders = new Map<RepoName, Set<string>>();
  const add = (repo: RepoName, folder: string) => folders.set(repo, (folders.get(repo) ?? new Set()).add(folder));
  const inFleet = new Set(fleet);
  for (const e of await tick.history.ofKind('open-pr')) {
    const t = e.target ? splitTarget(e.target) : null;
    if (t?.folder && inFleet.has(t.repo)) add(t.repo, t.folder);
  }
  for (const repo of consumers)
    for (const folder of foldersOf(await repoChangeSet(tick, repo, heads.get(repo)!.sha, 'fail-target'))) add(repo, folder);
  // One lookup per workspace branch, over every repository that has that workspace.
  const byFolder = new Map<string, RepoName[]>();
  for (const [repo, set] of folders) for (const f of set) byFolder.set(f, [...(byFolder.get(f) ?? []), repo]);
  for (const [folder, among] of [...byFolder].sort(([a], [b]) => (a < b ? -1 : 1)))
    sort(await forge.findPullRequests(among, branchName(tick.migration, folder)), folder);

  const targets = new Set<RepoName>([...ours.keys(), ...foreign.keys()]);
  for (const repo of consumers) {
    const mine = [...(folders.get(repo) ?? [])];
    for (const f of mine) targets.add(targetId(repo, f));
    // The repository's own target: always when it has no workspace, else when its own part has something.
    const own = partOf(await repoChangeSet(tick, repo, heads.get(repo)!.sha, 'fail-target'), null);
    if (mine.length === 0 || partMatters(own)) targets.add(repo);
  }
  for (const [repo, set] of folders) if (!consumers.includes(repo)) for (const f of set) targets.add(targetId(repo, f));
  return { targets: [...targets].sort(), ours, foreign };
}

/** Each repository once, with its default branch's head. */
function repoHeads(repos: readonly RepoName[], heads: ReadonlyMap<RepoName, { sha: string }>): { repo: RepoName; headSha: string }[] {
  return [...new Set(repos)].flatMap((repo) => {
    const head = heads.get(repo);
    return head ? [{ repo, headSha: head.sha }] : [];
  });
}

/** Why a target whose bot branch carries someone else's open pull request is blocked. */
function foreignPullRequest(pr: PullRequestInfo, migration: string, branch: string): string {
  const marker = parseMarker(pr.body);
  const whose =
    marker?.migration === migration
      ? `of another manifest named ${migration}${marker.source ? ` (${marker.source})` : ' (its marker names no source)'}`
      : "that is not this migration's";
  return `${pr.url} on ${branch} is a pull request ${whose}: Fleetwave neither adopts nor pushes over it; close it (or give this migration another metadata.name) to go on`;
}
