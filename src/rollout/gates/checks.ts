/**
 * Checks: a pull request is merged only when checks on its current head reported success.
 *
 * Right after a pull request opens, or its head moves, a code host reports no check at all: GitHub
 * creates the check suites some seconds after the push, and until then the head commit's
 * `statusCheckRollup` is null (CheckState `none`). So `none` is pending for `rollout.checksGrace`,
 * counted from when the head appeared (PullRequestInfo.headSince, else the PR's createdAt). After the
 * grace, a repository without any CI waits for a human (`rollout.withoutChecks: wait`, the default),
 * or merges when the manifest says so explicitly (`withoutChecks: merge`).
 *
 * deriveTarget reads the verdict for the target's reason (and needsHuman); the gate drops every merge
 * the verdict does not allow, whoever asked for it.
 */
import type { PullRequestInfo } from '../../forge/port.js';
import type { DecidePolicy } from '../decision.js';
import type { Gate } from './gate.js';

/** `rollout.checksGrace`'s default: how long a head without any check counts as pending. */
export const DEFAULT_CHECKS_GRACE_MS = 15 * 60_000;

export type ChecksVerdict = { merge: true } | { merge: false; reason: string; needsHuman: boolean };

function minutes(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`;
}

/** Whether the checks of `pr`'s current head allow its merge at `now`, else why not. */
export function checksVerdict(
  pr: PullRequestInfo,
  policy: Pick<DecidePolicy, 'checksGraceMs' | 'withoutChecks'>,
  now: Date,
): ChecksVerdict {
  const head = pr.headSha.slice(0, 7);
  switch (pr.checks.state) {
    case 'success':
      return { merge: true };
    case 'pending':
      return { merge: false, reason: 'waiting for checks', needsHuman: false };
    case 'failure':
      return { merge: false, reason: `checks failed on ${head}`, needsHuman: false };
    case 'none': {
      const grace = policy.checksGraceMs ?? DEFAULT_CHECKS_GRACE_MS;
      const since = Math.max(Date.parse(pr.createdAt) || 0, Date.parse(pr.headSince ?? '') || 0);
      const until = since + grace;
      if (now.getTime() < until)
        return {
          merge: false,
          reason: `no checks yet on ${head}: waiting for them to start (until ${new Date(until).toISOString()})`,
          needsHuman: false,
        };
      if (policy.withoutChecks === 'merge') return { merge: true };
      return {
        merge: false,
        reason: `no checks reported on ${head} within ${minutes(grace)} (rollout.checksGrace): Fleetwave merges only what checks passed; add CI to the repository, merge the pull request yourself, or set rollout.withoutChecks: merge`,
        needsHuman: true,
      };
    }
  }
}

export const checksGate: Gate = {
  name: 'checks',
  actions(actions, ctx) {
    const held: string[] = [];
    const allowed = actions.filter((a) => {
      if (a.kind !== 'merge') return true;
      const pr = ctx.views.get(a.repo)?.pr;
      const ok = pr?.state === 'open' && pr.headSha === a.headSha && checksVerdict(pr, ctx.policy, ctx.now).merge;
      if (!ok) held.push(a.repo);
      return ok;
    });
    if (held.length === 0) return { actions: allowed, reason: null };
    const shown = held.slice(0, 3).join(', ') + (held.length > 3 ? ` and ${held.length - 3} more` : '');
    return {
      actions: allowed,
      reason: `${held.length} merge${held.length === 1 ? '' : 's'} wait for checks on the current head (${shown})`,
    };
  },
};
