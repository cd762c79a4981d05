/** An open pull request as the forge port describes it (src/forge/port.ts), for decide's tests; `extra` overrides. */
import type { PullRequestInfo } from '../../src/forge/port.js';
import type { TargetView } from '../../src/rollout/decision.js';

export function openPullRequest(repo: string, extra: Partial<PullRequestInfo> = {}): PullRequestInfo {
  return {
    repo,
    number: 7,
    url: 'u',
    state: 'open',
    title: 't',
    body: 'b',
    branch: 'fleetwave/m',
    baseBranch: 'main',
    headSha: 'abcdef0123',
    createdAt: '2027-01-11T07:00:00Z',
    checks: { state: 'success', runs: [] },
    reviews: [],
    ...extra,
  };
}

/** A target in wave 0 as observe hands it to decide, with `pr` (or none); `extra` overrides. */
export function targetView(repo: string, pr: PullRequestInfo | null, extra: Partial<TargetView> = {}): TargetView {
  return { repo, wave: 0, blocking: [], hasChanges: true, pr, branch: null, error: null, ...extra };
}
