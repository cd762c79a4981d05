/**
 * The dataset gate (issue 15): no consumer is pointed at the new dataset before that dataset is there
 * and verified. The engine reads the target's verification record once per tick
 * (src/rollout/dataset-gate.ts) and hands decide its view; this gate applies it to the tick's actions.
 *
 * - verified: nothing held.
 * - missing, stale, unreadable: no pull request is opened; the reason says what to run. Merges of
 *   pull requests already open go on: they were opened against a verified dataset, and a record being
 *   rewritten (a re-conversion, a changed manifest) is not evidence that the data is wrong.
 * - failed: the migration pauses, a completed one too (a journalled pause, as the failure threshold's,
 *   and a `paused` alert naming the failed check); no pull request is opened or merged; with `rollout.revertOnFailure`
 *   the merged consumers are reverted, newest wave first. A new passing record lifts it at the next tick.
 * - skipped (`dataset.gate: none`) and unchecked (an engine built without a reader): nothing held.
 */
import type { Action, DatasetGateView } from '../decision.js';
import type { Gate } from './gate.js';

/** The wave a dataset pause is journalled with: it is no wave's failure. */
export const DATASET_PAUSE_WAVE = -1;

export const datasetGate: Gate = {
  name: 'dataset',
  actions(actions, ctx) {
    const d = ctx.dataset;
    if (!d || d.state === 'verified' || d.state === 'skipped' || d.state === 'unchecked') return { actions: [...actions], reason: null };
    const reason = d.reason ?? `the dataset gate is ${d.state}`;
    if (d.state !== 'failed') {
      const held = actions.filter((a) => a.kind === 'open').length;
      const kept = actions.filter((a) => a.kind !== 'open');
      return { actions: kept, reason: held > 0 || ctx.derived.some((t) => t.state === 'planned') ? reason : null };
    }
    // Failed: hold every open and merge; revert the merged consumers newest wave first (revertOnFailure).
    const kept: Action[] = actions.filter((a) => a.kind !== 'open' && a.kind !== 'merge');
    if (ctx.policy.revertOnFailure) {
      const reverting = new Set(kept.flatMap((a) => (a.kind === 'revert' ? [a.repo] : [])));
      const merged = ctx.derived
        .filter((t) => !reverting.has(t.repo))
        .flatMap((t) => {
          const pr = ctx.views.get(t.repo)?.pr;
          return pr?.state === 'merged' && !pr.revertSha ? [{ repo: t.repo, wave: t.wave ?? -1, number: pr.number }] : [];
        })
        .sort((a, b) => b.wave - a.wave || (a.repo < b.repo ? -1 : a.repo > b.repo ? 1 : 0));
      for (const m of merged)
        kept.push({ kind: 'revert', repo: m.repo, number: m.number, reason: `the target dataset failed verification: ${reasonsOf(d)}` });
    }
    kept.push({ kind: 'pause', reason, wave: DATASET_PAUSE_WAVE });
    return { actions: kept, reason, pause: true, pauseCompleted: true };
  },
};

function reasonsOf(d: DatasetGateView): string {
  return d.evidence?.reasons.length ? d.evidence.reasons.join('; ') : 'see its verification record';
}
