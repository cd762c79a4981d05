/**
 * The tracking issue's alert comments: a comment whose POST failed with a 5xx may have been posted
 * (GitHub may carry out a request it answers with a 5xx), so it is looked up by its body (which
 * carries the alert's marker) before it is posted again. The client is the real one with its default
 * retries: it does not repeat a creating POST itself (isSafeToRepeat), so the 5xx reaches the sink.
 */
import { describe, expect, it } from '@jest/globals';
import { renderAlertComment, type Alert } from '../../src/alerts/alert.js';
import { issueCommentSink } from '../../src/alerts/issue-comment-sink.js';
import { createGitHubClient } from '../../src/forge/github/client.js';
import { FakeClock } from '../forge/github/fake-clock.js';
import { useNock } from '../forge/github/setup.js';
import { githubApi, githubRequests } from '../helpers/openapi.js';

const alert: Alert = {
  kind: 'wave-failed',
  action: 'trigger',
  migration: 'play-events-v2',
  target: null,
  summary: 'play-events-v2: wave 1 failed 2 of 4; the migration is paused.',
  severity: 'error',
  dedupKey: 'fleetwave/play-events-v2/wave-failed/1/0',
  owners: ['group:default/recs-team'],
  details: {},
};
const client = () => createGitHubClient({ token: 'ghs_x', clock: new FakeClock(), limits: {} }).client;

describe('alert comments in the tracking issue', () => {
  useNock();

  it('after a 502, finds the comment GitHub posted anyway and does not post a second', async () => {
    githubApi()
      .post('/repos/acme/data-platform/issues/17/comments')
      .reply(502, { message: 'Server Error' })
      .get('/repos/acme/data-platform/issues/17/comments')
      .query((q) => q.per_page === '100' && typeof q.since === 'string')
      .reply(200, [
        { id: 1, body: 'a human comment' },
        { id: 2, body: renderAlertComment(alert, 'acme') },
      ]);
    await issueCommentSink(client(), 'acme/data-platform', 17).deliver(alert, '2026-01-01T00:00:00.000Z');
    expect(githubRequests().filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('after a 502 that GitHub did not carry out, posts it again', async () => {
    let posted: unknown;
    githubApi()
      .post('/repos/acme/data-platform/issues/17/comments')
      .reply(502, { message: 'Server Error' })
      .get('/repos/acme/data-platform/issues/17/comments')
      .query(true)
      .reply(200, [{ id: 1, body: 'a human comment' }])
      .post('/repos/acme/data-platform/issues/17/comments', (b) => ((posted = b), true))
      .reply(201, { id: 3 });
    await issueCommentSink(client(), 'acme/data-platform', 17).deliver(alert, '2026-01-01T00:00:00.000Z');
    expect(posted).toEqual({ body: renderAlertComment(alert, 'acme') });
  });
});
