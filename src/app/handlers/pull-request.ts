/**
 * `pull_request` (closed, reopened, synchronize by a human, edited) and `pull_request_review`: the
 * migration is the one named by the bot branch (`fleetwave/<name>`) and confirmed by the PR body's
 * marker; its reconcile is requested (queued, carried out after the answer). Events the App caused itself and PRs from forks are ignored.
 */
import type { Context } from 'probot';
import { migrationOfBranch, parseMarker } from '../../rollout/marker.js';
import type { FleetwaveApp } from '../fleetwave-app.js';

interface PrLike {
  body: string | null;
  head: { ref: string; repo: { full_name: string } | null };
  base: { repo: { full_name: string } };
}

/** The migration a pull request belongs to: its branch and its marker must agree. */
export function migrationOfPullRequest(pr: PrLike): string | null {
  if (!pr.head.repo || pr.head.repo.full_name !== pr.base.repo.full_name) return null;
  const fromBranch = migrationOfBranch(pr.head.ref);
  if (!fromBranch) return null;
  const marker = parseMarker(pr.body);
  return marker && marker.migration !== fromBranch ? null : fromBranch;
}

const ACTIONS = new Set(['closed', 'reopened', 'synchronize', 'edited', 'ready_for_review']);

export async function onPullRequest(app: FleetwaveApp, context: Context<'pull_request'>): Promise<void> {
  const p = context.payload;
  if (!ACTIONS.has(p.action)) return;
  await reconcilePullRequest(app, context, p.pull_request as unknown as PrLike, p.sender?.login ?? '');
}

export async function onPullRequestReview(app: FleetwaveApp, context: Context<'pull_request_review'>): Promise<void> {
  const p = context.payload;
  await reconcilePullRequest(app, context, p.pull_request as unknown as PrLike, p.sender.login);
}

async function reconcilePullRequest(app: FleetwaveApp, context: Context, pr: PrLike, sender: string): Promise<void> {
  const scope = app.scope(context);
  if (!scope) return;
  const migration = migrationOfPullRequest(pr);
  if (!migration) return;
  if (sender === (await app.botIdentity(scope)).login) return; // our own push, merge or close
  await app.request(scope, migration);
}
