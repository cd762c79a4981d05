/**
 * PR upkeep (`rollout.rebaseWhen`, issue 21): an open pull request of the rules' whose default branch
 * moved on is made again on the new head — a new bot commit on the same branch, so the same PR's checks
 * start again — when it conflicts (`conflicted`, the default), whenever the base moved (`behind`), or
 * never; a PR whose manifest changed is made again whatever `rebaseWhen` says (its change and body would
 * be stale; one whose change is the same only gets its body refreshed), and one whose consumer no longer needs the change (someone migrated it by hand) is closed
 * with a comment saying why. Never an agent's PR or a branch a person committed to (observe leaves
 * their `upkeep` unset). Pure: decide calls it while the migration runs.
 */
import type { Action, DecidePolicy, DerivedTarget, TargetView, UpdateWhy } from './decision.js';

/** The upkeep actions of this tick: at most one per target. */
export function upkeepActions(
  derived: readonly DerivedTarget[],
  views: ReadonlyMap<string, TargetView>,
  policy: Pick<DecidePolicy, 'rebaseWhen'>,
): Action[] {
  const rebaseWhen = policy.rebaseWhen ?? 'conflicted';
  const actions: Action[] = [];
  for (const d of derived) {
    const view = views.get(d.repo);
    const pr = view?.pr;
    const u = view?.upkeep;
    // Open (or failed on its checks): a PR parked for a person (their commit, an error) is theirs.
    if (!pr || pr.state !== 'open' || !u || view.error || (d.state !== 'open' && d.state !== 'failed')) continue;
    if (u.needed === false) {
      actions.push({
        kind: 'close-pr',
        repo: d.repo,
        number: pr.number,
        reason:
          `Fleetwave closed this pull request: \`${pr.baseBranch}\` at ${u.baseHead.slice(0, 7)} no longer needs its change ` +
          '(the rules find nothing left to migrate there: it was migrated another way). Nothing else is needed here.',
      });
      continue;
    }
    const why = whyUpdate(u, rebaseWhen);
    if (why) actions.push({ kind: 'update-pr', repo: d.repo, number: pr.number, headSha: pr.headSha, baseSha: u.baseHead, why });
  }
  return actions;
}

/** Why the PR is made again (or its body refreshed), or null to leave it as it is. */
function whyUpdate(u: NonNullable<TargetView['upkeep']>, rebaseWhen: NonNullable<DecidePolicy['rebaseWhen']>): UpdateWhy | null {
  if (u.regenerable) {
    if (u.conflicted && rebaseWhen !== 'never') return 'conflicted';
    if (u.manifestChanged) return 'manifest';
    if (u.behind && rebaseWhen === 'behind') return 'behind';
  }
  return u.bodyStale ? 'body' : null;
}
