/**
 * Alerts as comments in the migration's tracking issue, mentioning its owners (the App). The issue
 * is the one `upsertTrackingIssue` keeps; a comment is posted once per alert (the outbox journals it).
 *
 * Creating a comment is not idempotent: after a 5xx, or an answer that never came, GitHub may have
 * posted it. `createOnce` (used here and for the App's tracking issue and check run) looks for what
 * the write would have created before it sends the write again.
 */
import type { GitHubClient } from '../forge/github/client.js';
import { splitRepo, wrap } from '../forge/github/client.js';
import { isRateLimit, isTransientFailure } from '../forge/github/failure.js';
import { renderAlertComment } from './alert.js';
import type { AlertSink } from './sink.js';

/** A failure after which GitHub may have carried the write out: no answer, or a 5xx (a rate limit was refused before any work). */
function mayHaveHappened(err: unknown): boolean {
  return isTransientFailure(err) && !isRateLimit(err);
}

/**
 * Sends `create` (a POST that creates something); when it fails in a way GitHub may have carried it
 * out, `lookup` looks for the created thing and returns it, and only when it is absent is the write
 * sent again (at most `attempts` sends in all). Other failures are thrown at once.
 */
export async function createOnce<T>(create: () => Promise<T>, lookup: () => Promise<T | null>, attempts = 3): Promise<T> {
  for (let sent = 1; ; sent++) {
    try {
      return await create();
    } catch (err) {
      if (sent >= attempts || !mayHaveHappened(err)) throw err;
      const found = await lookup();
      if (found !== null) return found;
    }
  }
}

/** How far back a lookup of a comment just posted reads (GitHub's `since` is its own clock: allow for skew). */
const LOOKBACK_MS = 10 * 60_000;

/** The sink's name in the journal (`alert-delivery` events) and in delivery jobs. */
export const TRACKING_ISSUE_SINK = 'tracking-issue';

export function issueCommentSink(client: GitHubClient, repo: string, issueNumber: number): AlertSink {
  const { owner, repo: name } = splitRepo(repo);
  return {
    name: TRACKING_ISSUE_SINK,
    async deliver(alert): Promise<void> {
      const body = renderAlertComment(alert, owner);
      const since = new Date(Date.now() - LOOKBACK_MS).toISOString();
      await wrap(`comment on ${repo}#${issueNumber}`, () =>
        createOnce(
          async () =>
            (
              await client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
                owner,
                repo: name,
                issue_number: issueNumber,
                body,
              })
            ).data.id,
          async () => {
            // The body carries the alert's marker (its dedup key and action): the same body is this comment.
            const recent = await client.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
              owner,
              repo: name,
              issue_number: issueNumber,
              since,
              per_page: 100,
            });
            return recent.data.find((c) => c.body === body)?.id ?? null;
          },
        ),
      );
    },
  };
}
