/**
 * Stuck pull requests (issue 21): a PR open longer than `rollout.nudgeAfter` with no review yet, which
 * Fleetwave is not about to merge (it waits for a person: an approval, checks that never came, failed
 * checks, an agent's change, a conflict), gets one comment mentioning its owners; the tracking issue
 * lists it from then on. Pure: decide calls it with the actions it is about to take.
 */
import type { Action, DecidePolicy, DerivedTarget, TargetView } from './decision.js';

/** The nudges due now: at most one per pull request, ever; none for a target something else is done to this tick. */
export function nudgeActions(
  derived: readonly DerivedTarget[],
  views: ReadonlyMap<string, TargetView>,
  policy: Pick<DecidePolicy, 'nudgeAfterMs'>,
  now: Date,
  acting: ReadonlySet<string>,
): Action[] {
  const after = policy.nudgeAfterMs;
  if (!after) return [];
  const actions: Action[] = [];
  for (const d of derived) {
    const view = views.get(d.repo);
    const pr = view?.pr;
    if (!pr || pr.state !== 'open' || view.nudged || acting.has(d.repo) || pr.reviews.length > 0) continue;
    if (now.getTime() - Date.parse(pr.createdAt) < after) continue;
    actions.push({ kind: 'nudge', repo: d.repo, number: pr.number, since: pr.createdAt, why: d.reason });
  }
  return actions;
}
