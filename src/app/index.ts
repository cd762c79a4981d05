/**
 * The Fleetwave GitHub App (Probot 14): one handler file per event kind under handlers/. Probot
 * verifies every delivery's signature (WEBHOOK_SECRET) before a handler runs.
 */
import type { ApplicationFunction, Context, Probot } from 'probot';
import { FleetwaveApp } from './fleetwave-app.js';
import { onCheckRun, onCheckSuite, onStatus, onWorkflowRun } from './handlers/checks.js';
import { onInstallationChange } from './handlers/installation.js';
import { onIssueComment } from './handlers/issue-comment.js';
import { onPullRequest, onPullRequestReview } from './handlers/pull-request.js';
import { onPush } from './handlers/push.js';
import type { AppServices } from './types.js';

export type { AppServices, ReconcileMigration, ParseManifest } from './types.js';

/**
 * Runs a handler once per delivery: a delivery id already handled (a replayed or duplicated delivery,
 * signature and all) is ignored; the store remembers ids for a week (DELIVERY_MEMORY_MS), past GitHub's
 * 3 days of redelivery. A failure is logged with the delivery and re-thrown so Probot answers 500; the id
 * is then forgotten, so a redelivery of it acts.
 */
function guarded<C extends Context>(fw: FleetwaveApp, name: string, handler: (app: FleetwaveApp, context: C) => Promise<void>) {
  return async (context: C) => {
    const store = fw.services.store;
    if (!(await store.firstDelivery(context.id, fw.services.now().toISOString()))) {
      context.log.info({ event: name, delivery: context.id }, 'delivery already handled: ignored');
      return;
    }
    try {
      await handler(fw, context);
    } catch (err) {
      await store.forgetDelivery(context.id);
      context.log.error({ event: name, delivery: context.id, err: err instanceof Error ? err.message : String(err) }, 'handler failed');
      throw err;
    }
  };
}

/** Subscribes every handler of `fw` on `probot`. */
export function registerHandlers(probot: Probot, fw: FleetwaveApp): void {
  probot.on('push', guarded(fw, 'push', onPush));
  probot.on('pull_request', guarded(fw, 'pull_request', onPullRequest));
  probot.on('pull_request_review', guarded(fw, 'pull_request_review', onPullRequestReview));
  probot.on('check_suite', guarded(fw, 'check_suite', onCheckSuite));
  probot.on('check_run', guarded(fw, 'check_run', onCheckRun));
  probot.on('status', guarded(fw, 'status', onStatus));
  probot.on('workflow_run', guarded(fw, 'workflow_run', onWorkflowRun));
  probot.on('issue_comment', guarded(fw, 'issue_comment', onIssueComment));
  probot.on(['installation', 'installation_repositories'], guarded(fw, 'installation', onInstallationChange));
}

export function createFleetwaveApp(services: AppServices): ApplicationFunction {
  return (probot: Probot) => registerHandlers(probot, new FleetwaveApp(probot, services));
}
