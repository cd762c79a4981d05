/**
 * Alerts as comments in the migration's tracking issue, mentioning its owners (the App). The issue
 * is the one `upsertTrackingIssue` keeps; a comment is posted once per alert (the outbox journals it).
 */
import type { GitHubClient } from '../forge/github/client.js';
import { splitRepo, wrap } from '../forge/github/client.js';
import { renderAlertComment } from './alert.js';
import type { AlertSink } from './sink.js';

export function issueCommentSink(client: GitHubClient, repo: string, issueNumber: number): AlertSink {
  const { owner, repo: name } = splitRepo(repo);
  return {
    name: 'tracking-issue',
    async deliver(alert): Promise<void> {
      await wrap(`comment on ${repo}#${issueNumber}`, () =>
        client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
          owner,
          repo: name,
          issue_number: issueNumber,
          body: renderAlertComment(alert, owner),
        }),
      );
    },
  };
}
