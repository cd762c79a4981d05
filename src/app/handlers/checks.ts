/**
 * CI results: `check_suite` and `check_run` completed, `status` settled, `workflow_run` completed.
 * The migration comes from the bot branch the result is about; its reconcile is requested (queued,
 * carried out after the answer).
 */
import type { Context } from 'probot';
import { migrationOfBranch } from '../../rollout/marker.js';
import type { FleetwaveApp } from '../fleetwave-app.js';

async function reconcileBranches(app: FleetwaveApp, context: Context, branches: (string | null | undefined)[]): Promise<void> {
  const scope = app.scope(context);
  if (!scope) return;
  const migrations = [...new Set(branches.map((b) => (b ? migrationOfBranch(b) : null)).filter((m): m is string => m !== null))];
  for (const m of migrations) await app.request(scope, m);
}

export async function onCheckSuite(app: FleetwaveApp, context: Context<'check_suite'>): Promise<void> {
  const p = context.payload;
  if (p.action !== 'completed') return;
  await reconcileBranches(app, context, [p.check_suite.head_branch, ...p.check_suite.pull_requests.map((pr) => pr.head.ref)]);
}

/**
 * GitHub sends `check_run` to every App with `checks: write` whether it subscribed or not, one event per
 * check run of every commit. Only a completed run that did not pass can tell something before its
 * suite completes (an early failure); a passing run changes nothing until `check_suite` completes, so
 * it is ignored, as are runs still going and runs off Fleetwave branches. What is left is queued and
 * folds into one reconcile per migration.
 */
const PASSING = new Set(['success', 'neutral', 'skipped']);

export async function onCheckRun(app: FleetwaveApp, context: Context<'check_run'>): Promise<void> {
  const p = context.payload;
  if (p.action !== 'completed' || PASSING.has(p.check_run.conclusion ?? '')) return;
  await reconcileBranches(app, context, [p.check_run.check_suite?.head_branch, ...p.check_run.pull_requests.map((pr) => pr.head.ref)]);
}

export async function onStatus(app: FleetwaveApp, context: Context<'status'>): Promise<void> {
  const p = context.payload;
  if (p.state === 'pending') return;
  await reconcileBranches(
    app,
    context,
    p.branches.map((b) => b.name),
  );
}

export async function onWorkflowRun(app: FleetwaveApp, context: Context<'workflow_run'>): Promise<void> {
  const p = context.payload;
  if (p.action !== 'completed') return;
  await reconcileBranches(app, context, [p.workflow_run.head_branch]);
}
