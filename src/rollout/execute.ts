/**
 * execute: carry out decide's actions through the Forge port and journal each outcome. After a
 * transient error the target is looked at again before anything is repeated (effectSeen); merges the
 * forge made on its own are journalled as merges; every merge is followed by a rescan of the
 * references left (the burndown's data).
 */
import { countReferences, oldDatasetNeedles } from '../plan/references.js';
import { computeBurndown } from '../report/burndown.js';
import { renderBurndownMermaid } from '../report/burndown-mermaid.js';
import { pullRequestBody, pullRequestTitle } from '../report/pull-request.js';
import { RateLimitedError, type RepoName } from '../forge/port.js';
import type { EventBody } from '../store/journal-events.js';
import { FleetwaveError, ForgeError } from '../util/errors.js';
import type { Action, DatasetGateView, Decision } from './decide.js';
import { DATASET_PAUSE_WAVE } from './gates/dataset.js';
import { branchName, isOurs, parseMarker } from './marker.js';
import { changeSetFor, type Observation } from './observe.js';
import { requestReviewers } from './request-reviewers.js';
import { mentionsFor } from '../alerts/alert.js';
import type { LoadedManifest } from '../manifest/types.js';
import { RETRY } from './retry.js';
import { journal, type Tick } from './tick.js';
import { repoOf, splitTarget } from '../plan/workspaces.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** What became of the tick's actions. */
export interface Executed {
  executed: Action[];
  /** Actions that met a transient error: the next tick retries them (after looking again). */
  deferred: Action[];
  /** Actions that failed for good this tick: their targets are failed now (session.errors), so another tick shows it. */
  failed: Action[];
}

/**
 * Carries out `decision`'s actions (nothing in a dry run): first journals the merges the forge made
 * on its own, and computes the fleet's burndown once when a PR is to be opened (its body shows it).
 */
export async function executeAll(tick: Tick, observation: Observation, decision: Decision): Promise<Executed> {
  const result: Executed = { executed: [], deferred: [], failed: [] };
  if (tick.options.dryRun) return result;
  await recordObservedMerges(tick, observation);
  tick.session.burndown = decision.actions.some((a) => a.kind === 'open' || a.kind === 'update-pr') ? await fleetBurndown(tick) : undefined;
  for (const action of decision.actions) {
    const outcome = await execute(tick, observation, action, decision.dataset);
    if (outcome === 'done') result.executed.push(action);
    else if (outcome === 'retry') result.deferred.push(action);
    else if (outcome === 'failed') result.failed.push(action);
  }
  return result;
}

/** Carries out one action through the forge and journals it; a transient error is retried by a later tick, never blindly. */
async function execute(
  tick: Tick,
  observation: Observation,
  action: Action,
  dataset?: DatasetGateView,
): Promise<'done' | 'nothing' | 'retry' | 'failed'> {
  const { deps, loaded, session, history } = tick;
  const { forge, logger } = deps;
  const name = tick.migration;
  try {
    switch (action.kind) {
      case 'pause': {
        const last = await history.lastIs('pause');
        if (last && 'wave' in last.detail && last.detail.wave === action.wave) return 'nothing';
        // The dataset gate's pause (gates/dataset.ts) holds while its record says so: journalled once per
        // reason, until a resume or another reason (its alert is journalled after it, so it is not the last event).
        if (action.wave === DATASET_PAUSE_WAVE) {
          const pause = (await history.ofKind('pause')).at(-1);
          const resume = (await history.ofKind('resume')).at(-1);
          if (pause && pause.detail.reason === action.reason && (!resume || resume.id < pause.id)) return 'nothing';
        }
        await journal(tick, { target: null, action: 'pause', outcome: 'ok', detail: { reason: action.reason, wave: action.wave } });
        logger.warn({ migration: name, wave: action.wave }, action.reason);
        return 'done';
      }
      case 'merge': {
        const merged = await forge.mergePullRequest(repoOf(action.repo), action.number, action.headSha);
        if (merged.autoMerge) {
          // GitHub merges it once branch protection is satisfied; a later reconcile observes the merge.
          await journal(tick, {
            target: action.repo,
            action: 'auto-merge',
            outcome: 'ok',
            detail: { pr: action.number, headSha: action.headSha },
          });
          logger.info({ migration: name, repo: action.repo, pr: action.number }, 'auto-merge enabled');
          return 'done';
        }
        const { sha } = merged;
        await journal(tick, { target: action.repo, action: 'merge', outcome: 'ok', detail: { pr: action.number, sha } });
        logger.info({ migration: name, repo: action.repo, pr: action.number }, 'merged');
        await rescan(tick, observation, action.repo, sha);
        return 'done';
      }
      case 'revert': {
        const { sha } = await forge.revertPullRequest(repoOf(action.repo), action.number, action.reason);
        await journal(tick, {
          target: action.repo,
          action: 'revert',
          outcome: 'ok',
          detail: { pr: action.number, sha, reason: action.reason },
        });
        logger.warn({ migration: name, repo: action.repo, pr: action.number }, `reverted: ${action.reason}`);
        return 'done';
      }
      case 'open': {
        const { repo, folder } = splitTarget(action.repo);
        const head = observation.heads.get(repo)!;
        const set = await changeSetFor(tick, action.repo, head.sha);
        const branch = branchName(name, folder);
        let sha = action.adoptBranch?.sha;
        if (!action.adoptBranch) {
          if (set.edits.length === 0) return 'nothing';
          ({ sha } = await forge.pushChanges({
            repo,
            branch,
            baseSha: head.sha,
            edits: set.edits,
            message:
              `${loaded.manifest.metadata.name}: ${set.summaries.map((s) => s.rule).join(', ') || 'migrate'}\n\n${loaded.manifest.metadata.description ?? ''}`.trim(),
          }));
          await journal(tick, { target: action.repo, action: 'push', outcome: 'ok', detail: { branch, sha, files: set.edits.length } });
        }
        const pr = await forge.openPullRequest({
          repo,
          branch,
          base: head.defaultBranch,
          title: pullRequestTitle(loaded.manifest, { agent: Boolean(set.agent), annotate: Boolean(set.agent?.annotated) }),
          // An agent's change: a draft people review and merge (decide never merges it either).
          ...(set.agent ? { draft: true } : {}),
          body: pullRequestBody({
            manifest: loaded.manifest,
            manifestHash: loaded.hash,
            source: tick.identity.source,
            manifestRef: loaded.path,
            changes: set,
            wave: action.wave,
            burndown: session.burndown,
            dataset,
            workspace: folder,
          }),
        });
        await journal(tick, {
          target: action.repo,
          action: 'open-pr',
          outcome: 'ok',
          detail: {
            pr: pr.number,
            url: pr.url,
            wave: action.wave,
            sha,
            adopted: Boolean(action.adoptBranch),
            ...(set.agent ? { agent: true } : {}),
          },
        });
        logger.info({ migration: name, repo: action.repo, pr: pr.number, wave: action.wave }, 'opened pull request');
        await requestReviewers(
          tick,
          action.repo,
          pr.number,
          head.sha,
          set.edits.map((e) => e.path),
        );
        return 'done';
      }
      case 'update-pr': {
        // The change made again on the default branch's head: a new bot commit on the same branch, pushed
        // only while the branch is still at the head decide saw and holds no one else's commit (the
        // forge checks both), so a person's push in between is never overwritten.
        const set = await changeSetFor(tick, action.repo, action.baseSha);
        // `body`: the new manifest makes the PR's own change; only the body (its marker's hash) is new.
        const push = action.why !== 'body';
        if (push && (set.edits.length === 0 || set.findings.some((f) => f.severity === 'blocking'))) return 'nothing';
        const { sha } = !push
          ? { sha: action.headSha }
          : await forge.pushChanges({
              repo: repoOf(action.repo),
              branch: branchName(name, splitTarget(action.repo).folder),
              baseSha: action.baseSha,
              expectedHeadSha: action.headSha,
              edits: set.edits,
              message: `${loaded.manifest.metadata.name}: made again on ${action.baseSha.slice(0, 7)} (${action.why})\n\n${set.summaries.map((s) => s.rule).join(', ') || 'migrate'}`,
            });
        const wave = observation.views.find((v) => v.repo === action.repo)?.wave ?? 0;
        await forge.updatePullRequest(repoOf(action.repo), action.number, {
          title: pullRequestTitle(loaded.manifest, { agent: false, annotate: false }),
          body: pullRequestBody({
            manifest: loaded.manifest,
            manifestHash: loaded.hash,
            source: tick.identity.source,
            manifestRef: loaded.path,
            changes: set,
            wave,
            burndown: session.burndown,
            dataset,
            workspace: splitTarget(action.repo).folder,
          }),
        });
        await journal(tick, {
          target: action.repo,
          action: 'update-pr',
          outcome: 'ok',
          detail: { pr: action.number, sha, base: action.baseSha, why: action.why },
        });
        logger.info(
          { migration: name, repo: action.repo, pr: action.number, why: action.why },
          push ? 'pull request made again on the new head' : 'pull request body refreshed',
        );
        return 'done';
      }
      case 'close-pr': {
        await forge.comment(repoOf(action.repo), action.number, action.reason);
        await forge.closePullRequest(repoOf(action.repo), action.number);
        await journal(tick, {
          target: action.repo,
          action: 'close-pr',
          outcome: 'ok',
          detail: { pr: action.number, reason: action.reason },
        });
        logger.info({ migration: name, repo: action.repo, pr: action.number }, 'closed: no longer needed');
        return 'done';
      }
      case 'nudge': {
        // Claimed in the journal first, like a re-run: at most one comment per PR, whatever crashes.
        if ((await history.ofKind('nudge')).some((e) => e.target === action.repo && e.outcome === 'ok' && e.detail.pr === action.number))
          return 'nothing';
        const mentioned = await ownersToMention(tick, observation, action.repo);
        await journal(tick, {
          target: action.repo,
          action: 'nudge',
          outcome: 'ok',
          detail: { pr: action.number, since: action.since, mentioned },
        });
        await forge.comment(repoOf(action.repo), action.number, nudgeComment(loaded.manifest, action, mentioned));
        logger.info({ migration: name, repo: action.repo, pr: action.number, mentioned }, 'nudged a stuck pull request');
        return 'done';
      }
      case 'rerun-checks': {
        // Claimed in the journal before the request, so no tick, restart, replayed webhook or
        // concurrent reconcile asks twice for the same head and attempt: at most once. A claim whose
        // request never reached the forge leaves the PR failed rather than re-run twice. The tick's
        // journal catches up with the store first, so a claim made since the tick began counts too.
        const claimed = (await history.ofKind('rerun-checks')).some(
          (e) => e.target === action.repo && e.outcome === 'ok' && e.detail.sha === action.headSha && e.detail.attempt === action.attempt,
        );
        if (claimed) return 'nothing';
        await journal(tick, {
          target: action.repo,
          action: 'rerun-checks',
          outcome: 'ok',
          detail: { pr: action.number, sha: action.headSha, attempt: action.attempt },
        });
        await forge.rerunChecks(repoOf(action.repo), action.number);
        logger.info({ migration: name, repo: action.repo, pr: action.number, attempt: action.attempt }, 're-running failed checks');
        return 'done';
      }
    }
  } catch (err) {
    // Still rate limited after the waits the forge was asked for: no look again, no retry; the tick ends.
    if (err instanceof RateLimitedError) throw err;
    if (err instanceof ForgeError && err.transient) {
      const target = 'repo' in action ? action.repo : null;
      await journal(tick, { target, action: action.kind, outcome: 'error', detail: { error: err.message, transient: true } });
      if (target === null || action.kind === 'pause') {
        logger.warn({ migration: name, action: action.kind, err: err.message }, 'transient forge error; will retry');
        return 'retry';
      }
      // The error may have come after the effect (a timeout on a request the forge carried out): look
      // at the target again before anything is retried, so that a retry never repeats a side effect.
      const seen = await effectSeen(tick, action, err.message).catch(() => null);
      if (seen) {
        if (seen.event) await journal(tick, seen.event);
        logger.info(
          { migration: name, repo: target, action: action.kind },
          'the forge carried out the action despite the error; not repeated',
        );
        if (seen.event?.action === 'merge' && typeof seen.event.detail.sha === 'string')
          await rescan(tick, observation, target, seen.event.detail.sha);
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
      await journal(tick, { target: action.repo, action: action.kind, outcome: 'error', detail: { error: err.message } });
      logger.error({ migration: name, repo: action.repo, action: action.kind, err: err.message }, 'action failed');
      return 'failed';
    }
    throw err;
  }
}

/**
 * After a transient error of an action on one target: did the forge carry it out anyway? Asks the
 * forge for that target's pull request again (one request on GitHub) and answers with the event to
 * journal when it did (marked recovered, after `afterError`; none for a re-run, claimed before), or
 * null when it did not (or cannot tell), so the action is retried. An `open` whose push went through
 * but whose PR did not is retried by the next tick, which adopts the pushed branch.
 */
async function effectSeen(
  tick: Tick,
  action: Exclude<Action, { kind: 'pause' }>,
  afterError: string,
): Promise<{ event: EventBody | null } | null> {
  const name = tick.migration;
  const { repo, folder } = splitTarget(action.repo);
  const pr = (await tick.deps.forge.findPullRequests([repo], branchName(name, folder))).get(repo);
  if (!pr || !isOurs(parseMarker(pr.body), name, tick.identity.accepted)) return null;
  const target = action.repo;
  const recovered = { recovered: true, afterError };
  switch (action.kind) {
    case 'open':
      return pr.state === 'open'
        ? {
            event: {
              target,
              action: 'open-pr',
              outcome: 'ok',
              detail: { pr: pr.number, url: pr.url, wave: action.wave, sha: pr.headSha, ...recovered },
            },
          }
        : null;
    case 'merge':
      return pr.number === action.number && pr.state === 'merged'
        ? { event: { target, action: 'merge', outcome: 'ok', detail: { pr: pr.number, sha: pr.mergeSha, ...recovered } } }
        : null;
    case 'revert':
      return pr.number === action.number && pr.revertSha
        ? {
            event: {
              target,
              action: 'revert',
              outcome: 'ok',
              detail: { pr: pr.number, sha: pr.revertSha, reason: action.reason, ...recovered },
            },
          }
        : null;
    case 'rerun-checks':
      // Claimed before the request; seen when the head's checks left `failure` (or the head moved on).
      return pr.number === action.number && (pr.headSha !== action.headSha || pr.checks.state !== 'failure') ? { event: null } : null;
    case 'update-pr':
      // Pushed when the head moved off the one decide saw; the next tick sees the rest (a stale body is refreshed then).
      return pr.number === action.number && pr.headSha !== action.headSha
        ? {
            event: {
              target,
              action: 'update-pr',
              outcome: 'ok',
              detail: { pr: pr.number, sha: pr.headSha, base: action.baseSha, why: action.why, ...recovered },
            },
          }
        : null;
    case 'nudge':
      // Claimed before the comment: never repeated.
      return { event: null };
    case 'close-pr':
      return pr.number === action.number && pr.state === 'closed'
        ? { event: { target, action: 'close-pr', outcome: 'ok', detail: { pr: pr.number, reason: action.reason, ...recovered } } }
        : null;
  }
}

/**
 * Merges the forge made on its own (GitHub's auto-merge once branch protection is met, or a person
 * merging the bot's pull request): journalled once as merges, with the rescan the burndown counts, so a
 * merged target has the same history whoever pressed the button.
 */
async function recordObservedMerges(tick: Tick, observation: Observation): Promise<void> {
  const merged = observation.views.filter((v) => v.pr?.state === 'merged' && v.pr.mergeSha);
  if (merged.length === 0) return;
  const name = tick.migration;
  const journalled = new Set(
    (await tick.history.ofKind('merge')).flatMap((e) => (e.outcome === 'ok' ? [`${e.target}#${e.detail.pr}`] : [])),
  );
  for (const v of merged) {
    const pr = v.pr!;
    if (journalled.has(`${v.repo}#${pr.number}`)) continue;
    await journal(tick, {
      target: v.repo,
      action: 'merge',
      outcome: 'ok',
      detail: { pr: pr.number, sha: pr.mergeSha, by: pr.closedBy ?? null, observed: true, mergedAt: pr.mergedAt ?? null },
    });
    tick.deps.logger.info({ migration: name, repo: v.repo, pr: pr.number }, 'merged by the forge (auto-merge or a person)');
    await rescan(tick, observation, v.repo, pr.mergeSha!);
  }
}

/**
 * After a merge, count the references to the old dataset left on the default branch (the burndown
 * counts these, not merged PRs): in the target's own files — a workspace's folder, or the repository
 * without the folders of its workspace targets. History only: a failed rescan is logged and the merge stands.
 */
async function rescan(tick: Tick, observation: Observation, target: RepoName, sha: string): Promise<void> {
  const { deps, loaded } = tick;
  const { repo, folder } = splitTarget(target);
  const workspaces = observation.views.flatMap((v) => {
    const t = splitTarget(v.repo);
    return t.repo === repo && t.folder !== null ? [t.folder] : [];
  });
  try {
    const checkout = await deps.forge.checkout(repo, sha);
    try {
      const needles = oldDatasetNeedles(loaded.manifest.dataset.source.uri);
      const references =
        folder === null
          ? await countReferences(checkout.dir, needles, (path) => workspaces.includes(path))
          : existsSync(join(checkout.dir, folder))
            ? await countReferences(join(checkout.dir, folder), needles)
            : 0;
      await journal(tick, { target, action: 'rescan', outcome: 'ok', detail: { references, sha } });
    } finally {
      await checkout.dispose();
    }
  } catch (err) {
    deps.logger.warn({ repo: target, err: err instanceof Error ? err.message : String(err) }, 'rescan after merge failed');
  }
}

/** The fleet's burndown so far as a Mermaid chart, for PR bodies (from the journal: merges and rescans). */
async function fleetBurndown(tick: Tick): Promise<string | undefined> {
  const { history } = tick;
  if ((await history.ofKind('merge')).length === 0) return undefined;
  const events = [...(await history.all())];
  return renderBurndownMermaid(computeBurndown({ summary: null, events, asOf: tick.now().toISOString() }), { title: history.migration });
}

/** Who a nudge mentions: the reviewers asked on the PR (users, and teams of the repository's organisation), else its catalog owner. */
async function ownersToMention(tick: Tick, observation: Observation, repo: RepoName): Promise<string[]> {
  const org = repo.split('/')[0] ?? null;
  const asked = observation.reviewers.get(repo);
  if (asked) return mentionsFor([...asked.users, ...asked.teams.map((t) => `${org}/${t}`)], org);
  // the owner is a courtesy: a catalog that cannot answer leaves the comment without a mention
  const owner = tick.deps.ownerOf ? await tick.deps.ownerOf(repoOf(repo)).catch(() => null) : null;
  return owner ? mentionsFor([owner], org) : [];
}

/** The one comment on a stuck pull request: who, since when, why it waits, what to do. */
function nudgeComment(
  manifest: LoadedManifest['manifest'],
  action: Extract<Action, { kind: 'nudge' }>,
  mentioned: readonly string[],
): string {
  const lines = [
    `${mentioned.length ? `${mentioned.join(' ')} — ` : ''}this pull request of the dataset migration **${manifest.metadata.name}** (owned by ${manifest.metadata.owner}) has been open since ${action.since} without a review${action.why ? `, and it waits for people: ${action.why}` : ''}.`,
    '',
    'Please review it, or close it and say why if this repository should not move.',
  ];
  if (manifest.metadata.sunset) lines.push('', `The old dataset goes away on **${manifest.metadata.sunset}**.`);
  lines.push('', '_Fleetwave comments once per pull request (`rollout.nudgeAfter`); the tracking issue lists it as stuck._');
  return lines.join('\n');
}
