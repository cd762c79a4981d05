/**
 * The trial run (`fleetwave trial`): before any pull request exists, push each target's change (or a
 * sample's) to a short-lived branch, `fleetwave-trial/<migration>`, wait for the checks of those
 * heads, report passed / failed (with the failing check's tail) / no CI, and delete the branches. No
 * pull request is opened and the bot branch is not touched. The result is journalled (`trial`), and
 * `rollout.canary: <count>` prefers targets whose trial passed (observe.ts, canariesByRule).
 *
 * Safe to run twice: a trial branch left by an interrupted trial is replaced when every commit on it
 * is the bot's, and left alone (the target reported as an error) when a person committed to it. A
 * branch is deleted only at the head this trial pushed (Forge.deleteBranch refuses a moved one).
 */
import type { RepoName } from '../forge/port.js';
import type { LoadedManifest } from '../manifest/types.js';
import { writeEvent } from '../store/journal-events.js';
import { compilePolicy } from './policy.js';
import { reconcileOnce } from './reconcile.js';
import { newSession, type ReconcileDeps, type ReconcileOptions } from './tick.js';
import { aggregate, pickSample, settle, trialBranchName, type TrialReport, type TrialTargetResult } from './trial.js';
import { repoOf, splitTarget } from '../plan/workspaces.js';

export interface TrialOptions {
  /** Try only this many targets (lowest risk first, or drawn with `seed`). */
  sample?: number;
  seed?: number;
  /** How long to wait for the checks of all trial heads (default 30 min). */
  timeoutMs?: number;
  /** How often to ask for checks (default 15 s). */
  pollMs?: number;
  /**
   * How long a head without any check counts as pending (default `rollout.checksGrace`). 0 where the
   * forge answers with the checks' result when asked (the local forge runs them then): no check is no CI.
   */
  graceMs?: number;
  /** Waits between polls (tests pass a simulated one). */
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 30 * 60_000;
const DEFAULT_POLL_MS = 15_000;

export async function runTrial(
  deps: ReconcileDeps,
  loaded: LoadedManifest,
  options: ReconcileOptions,
  trial: TrialOptions = {},
): Promise<TrialReport> {
  const { forge, logger } = deps;
  const migration = loaded.manifest.metadata.name;
  const sleep = trial.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const timeoutMs = trial.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pollMs = trial.pollMs ?? DEFAULT_POLL_MS;
  const policy = compilePolicy(loaded);
  const graceMs = trial.graceMs ?? policy.decide.checksGraceMs ?? 0;
  const startedAt = deps.now();

  // What a run would see (a dry run: nothing written, nothing pushed); the change sets stay in the session.
  const session = newSession();
  const { observation } = await reconcileOnce(deps, loaded, { ...options, dryRun: true }, session);
  const skipped: TrialReport['skipped'] = [];
  const candidates: RepoName[] = [];
  for (const v of observation.views) {
    if (v.pr) skipped.push({ repo: v.repo, reason: `has this migration's pull request (${v.pr.state}): tried for real already` });
    else if (v.blocking.length) skipped.push({ repo: v.repo, reason: `blocked: ${v.blocking.map((f) => f.message).join('; ')}` });
    else if (!v.hasChanges) skipped.push({ repo: v.repo, reason: 'no change to make' });
    else candidates.push(v.repo);
  }
  const tierOf = new Map(observation.views.map((v) => [v.repo, v.tier ?? null]));
  const risk = (repo: RepoName) => policy.tiers.risk(policy.tiers.effectiveTier(repo, tierOf.get(repo) ?? null));
  const chosen = pickSample(candidates, risk, { size: trial.sample, seed: trial.seed });

  // Push every chosen target's change to the trial branch.
  const results = new Map<RepoName, TrialTargetResult>();
  const pushed: { repo: RepoName; branch: string; sha: string; at: number }[] = [];
  for (const target of chosen) {
    // A target is a repository or a workspace of one (src/plan/workspaces.ts): its own trial branch.
    const repo = target;
    const { repo: inRepo, folder } = splitTarget(target);
    const branch = trialBranchName(migration, folder);
    const head = observation.heads.get(inRepo)!;
    const set = session.changeSets.get(`${target}@${head.sha}`);
    if (!set || set.edits.length === 0) {
      results.set(repo, { repo, state: 'error', reason: 'its change could not be computed again' });
      continue;
    }
    try {
      const existing = await forge.getBranch(inRepo, branch);
      const foreign = existing?.commits.find((c) => !c.byBot);
      if (existing && foreign) {
        results.set(repo, {
          repo,
          state: 'error',
          reason: `${branch} carries commit ${foreign.sha.slice(0, 7)} by ${foreign.authorName}: a person's branch is never replaced; delete it by hand to try this target`,
        });
        continue;
      }
      if (existing) logger.info({ migration, repo, branch, sha: existing.sha }, 'replacing a trial branch left by an earlier trial');
      const { sha } = await forge.pushChanges({
        repo: inRepo,
        branch,
        baseSha: head.sha,
        edits: set.edits,
        message: `${migration}: trial (fleetwave trial; this branch is deleted when its checks are read)`,
        ...(existing ? { expectedHeadSha: existing.sha } : {}),
      });
      pushed.push({ repo, branch, sha, at: deps.now().getTime() });
    } catch (err) {
      results.set(repo, { repo, state: 'error', reason: (err as Error).message });
    }
  }

  // Wait for their checks: until every head settled or the timeout.
  const notDeleted: TrialReport['notDeleted'] = [];
  try {
    const waitingSince = deps.now().getTime();
    let open = [...pushed];
    for (;;) {
      const now = deps.now().getTime();
      const timedOut = now - waitingSince >= timeoutMs;
      const still: typeof open = [];
      for (const p of open) {
        let verdict: ReturnType<typeof settle>;
        try {
          verdict = settle(await forge.getCommitChecks(repoOf(p.repo), p.sha), now - p.at, { graceMs, timedOut });
        } catch (err) {
          verdict = { state: 'error', reason: `its checks could not be read: ${(err as Error).message}` };
        }
        if (verdict) results.set(p.repo, { repo: p.repo, sha: p.sha, ...verdict });
        else still.push(p);
      }
      open = still;
      if (open.length === 0 || timedOut) break;
      await sleep(Math.min(pollMs, Math.max(1, waitingSince + timeoutMs - now)));
    }
  } finally {
    // The trial branches go, whatever happened: each at the head this trial pushed.
    for (const p of pushed) {
      try {
        await forge.deleteBranch(repoOf(p.repo), p.branch, p.sha);
      } catch (err) {
        notDeleted.push({ repo: p.repo, reason: (err as Error).message });
        logger.warn({ migration, repo: p.repo, branch: p.branch, err: (err as Error).message }, 'trial branch not deleted');
      }
    }
  }

  const ordered = chosen.map((r) => results.get(r)!);
  const branch = trialBranchName(migration);
  const report: TrialReport = {
    migration,
    branch,
    candidates: candidates.length,
    skipped,
    ...(trial.sample !== undefined ? { sample: trial.sample } : {}),
    ...(trial.seed !== undefined ? { seed: trial.seed } : {}),
    aggregate: aggregate(ordered),
    results: ordered,
    notDeleted,
    startedAt: startedAt.toISOString(),
    finishedAt: deps.now().toISOString(),
  };
  await writeEvent(
    deps.store,
    { at: report.finishedAt, migration, manifestHash: loaded.hash },
    {
      target: null,
      action: 'trial',
      outcome: 'ok',
      detail: {
        branch,
        passed: ordered.filter((r) => r.state === 'passed').map((r) => r.repo),
        failed: Object.fromEntries(
          ordered.filter((r) => r.state === 'failed').map((r) => [r.repo, (r.failing ?? []).map((f) => `${f.name}: ${f.tail}`).join('\n')]),
        ),
        noCi: ordered.filter((r) => r.state === 'no-ci').map((r) => r.repo),
        errors: Object.fromEntries(ordered.filter((r) => r.state === 'error').map((r) => [r.repo, r.reason ?? ''])),
        ...(trial.sample !== undefined ? { sample: trial.sample } : {}),
        ...(trial.seed !== undefined ? { seed: trial.seed } : {}),
        ...(notDeleted.length ? { notDeleted: Object.fromEntries(notDeleted.map((n) => [n.repo, n.reason])) } : {}),
      },
    },
  );
  logger.info({ migration, ...report.aggregate }, 'trial finished');
  return report;
}
