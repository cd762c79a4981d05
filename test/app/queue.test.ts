/**
 * Webhooks answered at once, work never lost: a delivery records the reconcile it asks for in the
 * store's queue and returns; the reconcile is carried out afterwards, a burst of events for one
 * migration folded into one, and an App that stops between the answer and the reconcile leaves the
 * entry for the next App over the same store. GitHub answers a delivery that takes longer than 10 s
 * with a timeout and never redelivers it by itself (docs/github-behaviour.md).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type nock from 'nock';
import { useNock } from '../forge/github/setup.js';
import { example, inRepo, MANIFEST } from './fixtures.js';
import { authInterceptors, BOT_LOGIN, startApp, type TestApp } from './setup.js';
import { InProcessQueue } from '../../src/queue/memory/in-process-queue.js';
import type { ReconcileAppPayload } from '../../src/queue/port.js';

const manifestPath = '.fleetwave/migrations/play-events-v2.yaml';
const tracking = `x <!-- fleetwave-tracking:{"migration":"play-events-v2","manifest":"${manifestPath}"} -->`;

function suiteOn(repo: string, branch = 'fleetwave/play-events-v2') {
  const suite = inRepo(example('check_suite', 'completed'), repo);
  suite.check_suite.head_branch = branch;
  suite.check_suite.pull_requests = [];
  return suite;
}

function statusOn(repo: string) {
  const status = inRepo(example('status'), repo);
  status.state = 'success';
  status.branches = [{ name: 'fleetwave/play-events-v2', commit: { sha: 'h', url: '' }, protected: false }];
  return status;
}

/** What one reconcile of the migration asks GitHub: find the manifest, read it, update the tracking issue. */
function oneReconcile(scope: nock.Scope): nock.Scope {
  return scope
    .get('/installation/repositories')
    .query(true)
    .reply(200, { total_count: 1, repositories: [{ full_name: 'acme/data-platform' }] })
    .post('/graphql')
    .reply(200, { data: { r0: { f0: { entries: [{ name: 'play-events-v2.yaml', type: 'blob' }] }, f1: null } } })
    .post('/graphql')
    .reply(200, { data: { r0: { m0: { text: MANIFEST } } } })
    .get(`/repos/acme/data-platform/contents/${encodeURIComponent(manifestPath)}`)
    .reply(200, MANIFEST)
    .get('/repos/acme/data-platform/issues')
    .query(true)
    .reply(200, [{ number: 17, body: tracking, user: { login: BOT_LOGIN } }])
    .patch('/repos/acme/data-platform/issues/17')
    .reply(200, { number: 17 });
}

describe('App: webhooks answered at once, reconciles queued in the store', () => {
  useNock();
  const apps: TestApp[] = [];
  afterEach(() => {
    for (const a of apps.splice(0).reverse()) a.dispose();
  });
  const start = async (options: Parameters<typeof startApp>[0] = {}) => {
    const app = await startApp(options);
    apps.push(app);
    return app;
  };

  it('answers a delivery before its reconcile runs: the reconcile is in the queue, and is carried out after', async () => {
    const app = await start();
    await app.probot.receive({ id: 'd-1', name: 'check_suite', payload: suiteOn('acme/recs') as never });
    expect(app.calls).toHaveLength(0);
    expect(await app.store.pendingReconciles()).toEqual([
      expect.objectContaining({
        installation: 4242,
        migration: 'play-events-v2',
        account: 'acme',
        reason: 'check_suite.completed d-1',
        seq: 1,
      }),
    ]);
    oneReconcile(authInterceptors());
    await app.fw.drain();
    expect(app.calls).toHaveLength(1);
    expect(await app.store.pendingReconciles()).toEqual([]);
  });

  it('carries out the queue by itself shortly after the answer', async () => {
    const app = await start({ queueDelayMs: 5 });
    oneReconcile(authInterceptors());
    await app.probot.receive({ id: 'd-2', name: 'check_suite', payload: suiteOn('acme/recs') as never });
    expect(app.calls).toHaveLength(0);
    for (let i = 0; i < 200 && (await app.store.pendingReconciles()).length > 0; i++) await new Promise((r) => setTimeout(r, 10));
    await app.fw.drain();
    expect(app.calls).toHaveLength(1);
    expect(await app.store.pendingReconciles()).toEqual([]);
  });

  it('folds a burst of events for one migration into one reconcile', async () => {
    const app = await start();
    let id = 0;
    for (const repo of ['acme/c1', 'acme/c2', 'acme/c3']) {
      await app.probot.receive({ id: String(++id), name: 'check_suite', payload: suiteOn(repo) as never });
      await app.probot.receive({ id: String(++id), name: 'status', payload: statusOn(repo) as never });
    }
    expect((await app.store.pendingReconciles()).map((p) => [p.migration, p.seq])).toEqual([['play-events-v2', 6]]);
    oneReconcile(authInterceptors());
    await app.fw.drain();
    expect(app.calls).toHaveLength(1);
    expect(await app.store.pendingReconciles()).toEqual([]);
  });

  it('ignores check runs that cannot change a migration, and folds the rest into one reconcile', async () => {
    const app = await start();
    const run = (action: string, conclusion: string | null, branch = 'fleetwave/play-events-v2') => {
      const p = inRepo(example('check_run', action), 'acme/recs');
      p.check_run.conclusion = conclusion;
      p.check_run.check_suite = { ...p.check_run.check_suite, head_branch: branch };
      p.check_run.pull_requests = [];
      return p;
    };
    let id = 0;
    const deliver = (p: Record<string, unknown>) => app.probot.receive({ id: String(++id), name: 'check_run', payload: p as never });
    await deliver(run('created', null));
    await deliver(run('completed', 'success'));
    await deliver(run('completed', 'skipped'));
    await deliver(run('completed', 'failure', 'main'));
    expect(await app.store.pendingReconciles()).toEqual([]);
    for (let i = 0; i < 3; i++) await deliver(run('completed', 'failure'));
    expect((await app.store.pendingReconciles()).map((p) => [p.migration, p.seq])).toEqual([['play-events-v2', 3]]);
    oneReconcile(authInterceptors());
    await app.fw.drain();
    expect(app.calls).toHaveLength(1);
  });

  it('loses nothing when the App goes away between the answer and the reconcile: the next App over the store carries it out', async () => {
    const first = await start();
    await first.probot.receive({ id: 'd-3', name: 'check_suite', payload: suiteOn('acme/recs') as never });
    // The process dies: no reconcile ran, the store is closed as it is.
    first.fw.stop();
    await first.store.close();
    expect(first.calls).toHaveLength(0);

    const second = await start({ store: first.storeFile });
    expect((await second.store.pendingReconciles()).map((p) => p.reason)).toEqual(['check_suite.completed d-3']);
    // A new process knows nothing of the account: its type (for the code search's org:/user: scope) is asked once.
    oneReconcile(authInterceptors()).get('/users/acme').reply(200, { login: 'acme', id: 5, type: 'Organization' });
    expect(await second.fw.start()).toBe(1);
    await second.fw.drain();
    expect(second.calls).toHaveLength(1);
    expect(second.calls[0]!.options).toMatchObject({
      manifestRepo: 'acme/data-platform',
      fleet: 'github:acme',
      source: 'acme/data-platform:.fleetwave/migrations/play-events-v2.yaml',
      installation: 4242,
    });
    expect(await second.store.pendingReconciles()).toEqual([]);
  });

  it('keeps a failed reconcile pending, not retried in a loop, and the sweep carries it out', async () => {
    const app = await start();
    await app.probot.receive({ id: 'd-4', name: 'check_suite', payload: suiteOn('acme/recs') as never });
    const scope = authInterceptors();
    scope.get('/installation/repositories').query(true).reply(404, { message: 'Not Found' });
    expect(await app.fw.drain()).toEqual({ reconciled: 0, failed: 1 });
    expect(await app.fw.drain()).toEqual({ reconciled: 0, failed: 0 });
    expect(await app.store.pendingReconciles()).toHaveLength(1);

    scope.get('/app/installations').query(true).reply(200, []);
    oneReconcile(scope);
    expect(await app.fw.sweep(app.probot.log as never)).toEqual({ reconciled: 1, failed: 0, skipped: 0 });
    expect(app.calls).toHaveLength(1);
    expect(await app.store.pendingReconciles()).toEqual([]);
  });

  it('with workers (FLEETWAVE_APP_WORKERS=external): a delivery becomes a job on the queue, and a worker carries it out', async () => {
    const jobs = new InProcessQueue();
    const app = await start({ jobs });
    await app.probot.receive({ id: 'd-5', name: 'check_suite', payload: suiteOn('acme/recs') as never });
    await app.probot.receive({ id: 'd-6', name: 'check_suite', payload: suiteOn('acme/c2') as never });
    // Nothing in the App's own queue, nothing reconciled; one job (the second delivery folded into it).
    expect(await app.store.pendingReconciles()).toEqual([]);
    expect(await app.fw.drain()).toEqual({ reconciled: 0, failed: 0 });
    expect(app.calls).toHaveLength(0);
    const [job, ...more] = await jobs.take(5);
    expect(more).toEqual([]);
    expect(job).toMatchObject({
      kind: 'reconcile-app',
      key: 'play-events-v2',
      reason: 'check_suite.completed d-5',
      payload: { installation: 4242, migration: 'play-events-v2', account: 'acme', manifestRepo: null, manifestPath: null },
    });
    // A worker's App (src/composition/app-jobs.ts) runs it: the same reconcile the App's queue does.
    oneReconcile(authInterceptors());
    await app.fw.runJob(job!.payload as ReconcileAppPayload, job!.reason, app.probot.log as never);
    expect(app.calls).toHaveLength(1);
    expect(app.calls[0]!.options).toMatchObject({ manifestRepo: 'acme/data-platform', fleet: 'github:acme', installation: 4242 });
  });

  it('with workers, what the App queued before the switch becomes their jobs at start', async () => {
    const first = await start();
    await first.probot.receive({ id: 'd-7', name: 'check_suite', payload: suiteOn('acme/recs') as never });
    first.fw.stop();
    await first.store.close();
    const jobs = new InProcessQueue();
    const second = await start({ store: first.storeFile, jobs });
    expect(await second.fw.start()).toBe(1);
    expect(await second.store.pendingReconciles()).toEqual([]);
    expect(await jobs.take(5)).toEqual([
      expect.objectContaining({ kind: 'reconcile-app', key: 'play-events-v2', reason: 'check_suite.completed d-7' }),
    ]);
  });
});
