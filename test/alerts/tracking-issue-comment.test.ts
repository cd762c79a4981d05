/* eslint-disable @typescript-eslint/no-explicit-any -- webhook example payloads are reshaped freely in tests */
/**
 * The App delivers a migration's alerts as comments in its tracking issue, mentioning the owners:
 * a real Probot, a real SQLite store, GitHub as nock checked against the OpenAPI description. The
 * injected reconcile journals an alert as the engine does; a replayed webhook comments nothing again.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { deriveAlerts } from '../../src/alerts/alert.js';
import { journalAlert } from '../../src/alerts/outbox.js';
import { trackingIssueJobHandler } from '../../src/composition/alert-jobs.js';
import { InProcessQueue } from '../../src/queue/memory/in-process-queue.js';
import type { ReconcileAppPayload } from '../../src/queue/port.js';
import { silentLogger } from '../../src/util/log.js';
import { useNock } from '../forge/github/setup.js';
import { githubApi, githubRequests } from '../helpers/openapi.js';
import { example, inRepo, MANIFEST } from '../app/fixtures.js';
import { authInterceptors, startApp, summaryOf, type TestApp } from '../app/setup.js';

const AFTER = 'a'.repeat(40);
const manifestPath = '.fleetwave/migrations/play-events-v2.yaml';

function pushPayload() {
  const p = inRepo(example('push'), 'acme/data-platform');
  p.ref = 'refs/heads/main';
  p.after = AFTER;
  p.deleted = false;
  p.repository.fork = false;
  p.commits = [{ id: AFTER, added: [manifestPath], modified: [], removed: [] }];
  return p;
}

/** GitHub's answers to a push of the manifest, up to the tracking issue the App opens (#17). */
function trackingIssueOpened() {
  return authInterceptors()
    .get(`/repos/acme/data-platform/contents/${encodeURIComponent(manifestPath)}`)
    .query({ ref: AFTER })
    .reply(200, MANIFEST)
    .post('/repos/acme/data-platform/check-runs')
    .reply(201, { id: 1 })
    .get(`/repos/acme/data-platform/contents/${encodeURIComponent(manifestPath)}`)
    .reply(200, MANIFEST)
    .get('/repos/acme/data-platform/issues')
    .query({ labels: 'fleetwave', state: 'all', per_page: '100', page: '1' })
    .reply(200, [])
    .post('/repos/acme/data-platform/issues')
    .reply(201, { number: 17 });
}
describe('App: alerts in the tracking issue', () => {
  useNock();
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });
  let app: TestApp;
  let reconciles = 0;
  beforeEach(async () => {
    reconciles = 0;
    app = await startApp({
      summary: async (loaded) => {
        // As the engine does on a failed wave: journal the alert (once: its dedup key is in the journal after).
        reconciles++;
        if (reconciles === 1) {
          const [alert] = deriveAlerts({
            migration: loaded.manifest.metadata.name,
            fleet: 'github:acme',
            owners: [loaded.manifest.metadata.owner, 'group:default/recs-team'],
            state: 'paused',
            reason: 'wave 1 failed 2 of 4 (50%), above the failure threshold of 20%',
            failedWave: { index: 1, failed: 2, size: 4 },
            breaker: null,
            reverts: [],
            episode: 0,
            raised: new Map(),
          });
          await journalAlert(app.store, alert!, { at: '2026-01-01T00:00:00.000Z', manifestHash: loaded.hash, logger: silentLogger });
        }
        return summaryOf(loaded, { state: 'paused', reason: 'wave 1 failed' });
      },
    });
  });
  afterEach(() => app.dispose());

  it('comments once in the tracking issue, mentioning the owners; a later reconcile comments nothing, a replayed delivery does nothing', async () => {
    let comment: any;
    const scope = trackingIssueOpened()
      .post('/repos/acme/data-platform/issues/17/comments', (b) => ((comment = b), true))
      .reply(201, { id: 901 });
    await app.probot.receive({ id: 'd-1', name: 'push', payload: pushPayload() as any });
    await app.fw.drain();
    expect(comment.body).toMatch(/^❌ \*\*wave-failed\*\* \(error\) — @data-platform @acme\/recs-team\n/);
    expect(comment.body).toContain('play-events-v2: wave 1 failed 2 of 4; the migration is paused.');
    expect(comment.body).toContain('<!-- fleetwave-alert:{"dedupKey":"fleetwave/play-events-v2/wave-failed/1/0","action":"trigger"} -->');
    const delivered = (await app.store.events({ migration: 'play-events-v2' })).filter((e) => e.action === 'alert-delivery');
    expect(delivered.map((e) => [e.detail.sink, e.outcome])).toEqual([['tracking-issue', 'ok']]);
    expect(scope.isDone()).toBe(true);

    // Another push (a new delivery): the App reconciles again and finds the issue; no second comment.
    const body = (
      githubRequests().find((r) => r.method === 'POST' && r.path === '/repos/acme/data-platform/issues')!.body as { body: string }
    ).body;
    // (the installation token and the bot identity are cached from the first delivery)
    githubApi()
      .get(`/repos/acme/data-platform/contents/${encodeURIComponent(manifestPath)}`)
      .query({ ref: AFTER })
      .reply(200, MANIFEST)
      .post('/repos/acme/data-platform/check-runs')
      .reply(201, { id: 2 })
      .get(`/repos/acme/data-platform/contents/${encodeURIComponent(manifestPath)}`)
      .reply(200, MANIFEST)
      .get('/repos/acme/data-platform/issues')
      .query({ labels: 'fleetwave', state: 'all', per_page: '100', page: '1' })
      .reply(200, [{ number: 17, body, labels: [{ name: 'fleetwave' }], user: { login: 'fleetwave[bot]' } }]);
    await app.probot.receive({ id: 'd-2', name: 'push', payload: pushPayload() as any });
    await app.fw.drain();
    expect(reconciles).toBe(2);
    // The first delivery again (a replay): ignored, no request at all.
    await app.probot.receive({ id: 'd-1', name: 'push', payload: pushPayload() as any });
    await app.fw.drain();
    expect(reconciles).toBe(2);
    expect(githubRequests().filter((r) => r.path.endsWith('/comments'))).toHaveLength(1);
    expect((await app.store.events({ migration: 'play-events-v2' })).filter((e) => e.action === 'alert-delivery')).toHaveLength(1);
  });

  it('with workers, the comment is a deliver-alert-app job: the reconcile enqueues it without posting, a worker posts it once', async () => {
    const jobs = new InProcessQueue();
    const worker: TestApp = await startApp({
      jobs,
      summary: async (loaded) => {
        const [alert] = deriveAlerts({
          migration: loaded.manifest.metadata.name,
          fleet: 'github:acme',
          owners: [loaded.manifest.metadata.owner],
          state: 'paused',
          reason: 'paused by dana',
          failedWave: null,
          breaker: null,
          reverts: [],
          episode: 0,
          raised: new Map(),
        });
        await journalAlert(worker.store, alert!, { at: new Date().toISOString(), manifestHash: loaded.hash, logger: silentLogger });
        return summaryOf(loaded, { state: 'paused', reason: 'paused by dana' });
      },
    });
    try {
      trackingIssueOpened();
      await worker.probot.receive({ id: 'd-9', name: 'push', payload: pushPayload() as any });
      const [reconcile] = await jobs.take(1);
      expect(reconcile).toMatchObject({ kind: 'reconcile-app', key: 'play-events-v2' });
      await worker.fw.runJob(reconcile!.payload as ReconcileAppPayload, reconcile!.reason, silentLogger);
      await jobs.complete(reconcile!);
      // The reconcile posted no comment: it enqueued the delivery.
      expect(githubRequests().filter((r) => r.path.endsWith('/comments'))).toHaveLength(0);
      const [delivery] = await jobs.take(1);
      const alertId = (await worker.store.events({ migration: 'play-events-v2' })).find((e) => e.action === 'alert')!.id;
      expect(delivery).toMatchObject({
        kind: 'deliver-alert-app',
        key: `alert:tracking-issue:${alertId}`,
        payload: {
          migration: 'play-events-v2',
          alertId,
          sink: 'tracking-issue',
          issue: { installation: 4242, repo: 'acme/data-platform', number: 17 },
        },
      });
      let comment: any;
      githubApi()
        .post('/repos/acme/data-platform/issues/17/comments', (b) => ((comment = b), true))
        .reply(201, { id: 902 });
      const handler = trackingIssueJobHandler(worker.store, (issue) => worker.fw.trackingIssueSink(issue));
      await handler(delivery!, silentLogger);
      expect(comment.body).toContain('play-events-v2 is paused: paused by dana');
      // Run again (its worker died before completing it): the journal says delivered; nothing is posted.
      await handler(delivery!, silentLogger);
      expect(githubRequests().filter((r) => r.path.endsWith('/comments'))).toHaveLength(1);
      const delivered = (await worker.store.events({ migration: 'play-events-v2' })).filter((e) => e.action === 'alert-delivery');
      expect(delivered.map((e) => [e.detail.sink, e.outcome])).toEqual([['tracking-issue', 'ok']]);
    } finally {
      worker.dispose();
    }
  });
});
