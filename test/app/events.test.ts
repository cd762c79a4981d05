/* eslint-disable @typescript-eslint/no-explicit-any -- webhook example payloads are reshaped freely in tests */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type nock from 'nock';
import { renderMarker } from '../../src/rollout/marker.js';
import { githubApi, githubRequests } from '../helpers/openapi.js';
import { useNock } from '../forge/github/setup.js';
import { example, inRepo, MANIFEST } from './fixtures.js';
import { authInterceptors, BOT_LOGIN, startApp, type TestApp } from './setup.js';

const manifestPath = '.fleetwave/migrations/play-events-v2.yaml';
const marker = renderMarker({ migration: 'play-events-v2', manifestHash: 'abc' });

function pr(p: Record<string, any>, options: { branch?: string; body?: string; fork?: boolean } = {}) {
  const full = p.repository.full_name;
  p.pull_request.head = {
    ...p.pull_request.head,
    ref: options.branch ?? 'fleetwave/play-events-v2',
    repo: { full_name: options.fork ? 'mallory/recs' : full },
  };
  p.pull_request.base = { ...p.pull_request.base, repo: { full_name: full } };
  p.pull_request.body = options.body ?? `Migrate\n\n${marker}`;
  return p;
}

/** The manifest is found by reading the manifest folders of the installation's repositories, then read again at HEAD. */
function locateAndReconcile(scope: nock.Scope, options: { reread?: boolean } = {}) {
  scope
    .get('/installation/repositories')
    .query({ per_page: '100', page: '1' })
    .reply(200, { total_count: 2, repositories: [{ full_name: 'acme/recs' }, { full_name: 'acme/data-platform' }] })
    .post('/graphql')
    .reply(200, {
      data: {
        r0: { f0: null, f1: null },
        r1: {
          f0: {
            entries: [
              { name: 'play-events-v2.yaml', type: 'blob' },
              { name: 'README.md', type: 'blob' },
            ],
          },
          f1: null,
        },
      },
    })
    // Then only the file the globs match is read, in the one repository that has it.
    .post(
      '/graphql',
      (b: { query: string; variables: Record<string, string> }) => b.variables.n0 === 'data-platform' && !('n1' in b.variables),
    )
    .reply(200, { data: { r0: { m0: { text: MANIFEST } } } });
  if (options.reread !== false) scope.get(`/repos/acme/data-platform/contents/${encodeURIComponent(manifestPath)}`).reply(200, MANIFEST);
  return scope
    .get('/repos/acme/data-platform/issues')
    .query({ labels: 'fleetwave', state: 'all', per_page: '100', page: '1' })
    .reply(200, [
      {
        number: 17,
        user: { login: BOT_LOGIN },
        body: 'old <!-- fleetwave-tracking:{"migration":"play-events-v2","manifest":".fleetwave/migrations/play-events-v2.yaml"} -->',
      },
    ])
    .patch('/repos/acme/data-platform/issues/17')
    .reply(200, { number: 17 });
}

describe('App: pull request, review and CI events', () => {
  useNock();
  let app: TestApp;
  beforeEach(async () => {
    app = await startApp();
  });
  afterEach(() => app.dispose());

  it('reconciles the migration of a merged bot PR, found through the branch, the marker and the manifest on a default branch', async () => {
    locateAndReconcile(authInterceptors());
    const payload = pr(inRepo(example('pull_request', 'closed'), 'acme/recs'));
    payload.sender = { ...payload.sender, login: 'mona' };
    await app.probot.receive({ id: '1', name: 'pull_request', payload: payload as never });
    await app.fw.drain();
    expect(app.calls).toHaveLength(1);
    expect(app.calls[0]!.options.manifestRepo).toBe('acme/data-platform');
    expect(app.calls[0]!.loaded.path).toBe(manifestPath);
  });

  it("ignores PRs that are not the migration's: other branches, forks, a marker of another migration, and its own actions", async () => {
    authInterceptors(githubApi());
    const own = pr(inRepo(example('pull_request', 'synchronize'), 'acme/recs'));
    own.sender = { ...own.sender, login: BOT_LOGIN };
    await app.probot.receive({ id: '2', name: 'pull_request', payload: own as never });
    for (const p of [
      pr(inRepo(example('pull_request', 'closed'), 'acme/recs'), { branch: 'feature/x' }),
      pr(inRepo(example('pull_request', 'closed'), 'acme/recs'), { fork: true }),
      pr(inRepo(example('pull_request', 'closed'), 'acme/recs'), { body: renderMarker({ migration: 'other', manifestHash: 'x' }) }),
      pr(inRepo(example('pull_request', 'labeled'), 'acme/recs')),
    ]) {
      await app.probot.receive({ id: '3', name: 'pull_request', payload: p as never });
    }
    await app.fw.drain();
    expect(await app.store.pendingReconciles()).toEqual([]);
    expect(app.calls).toHaveLength(0);
    expect(
      githubRequests()
        .map((r) => r.path)
        .sort(),
    ).toEqual(['/app', '/app/installations/4242/access_tokens', '/users/fleetwave%5Bbot%5D']);
  });

  it('reconciles on a review of a bot PR', async () => {
    locateAndReconcile(authInterceptors());
    const payload = pr(inRepo(example('pull_request_review', 'submitted'), 'acme/recs'));
    payload.sender = { ...payload.sender, login: 'mona' };
    await app.probot.receive({ id: '4', name: 'pull_request_review', payload: payload as never });
    await app.fw.drain();
    expect(app.calls).toHaveLength(1);
  });

  it('reconciles when CI on a bot branch completes (check suite, status), and not for other branches', async () => {
    const scope = authInterceptors();
    locateAndReconcile(scope);
    const suite = inRepo(example('check_suite', 'completed'), 'acme/recs');
    suite.check_suite.head_branch = 'fleetwave/play-events-v2';
    suite.check_suite.pull_requests = [];
    await app.probot.receive({ id: '5', name: 'check_suite', payload: suite as never });
    const other = inRepo(example('check_suite', 'completed'), 'acme/recs');
    other.check_suite.head_branch = 'main';
    other.check_suite.pull_requests = [];
    await app.probot.receive({ id: '6', name: 'check_suite', payload: other as never });
    await app.fw.drain();
    expect(app.calls).toHaveLength(1);

    // The located manifest is remembered: the status event reads only the manifest and the issue.
    scope
      .get(`/repos/acme/data-platform/contents/${encodeURIComponent(manifestPath)}`)
      .reply(200, MANIFEST)
      .get('/repos/acme/data-platform/issues')
      .query(true)
      .reply(200, [
        {
          number: 17,
          user: { login: BOT_LOGIN },
          body: 'x <!-- fleetwave-tracking:{"migration":"play-events-v2","manifest":".fleetwave/migrations/play-events-v2.yaml"} -->',
        },
      ])
      .patch('/repos/acme/data-platform/issues/17')
      .reply(200, {});
    const status = inRepo(example('status'), 'acme/recs');
    status.state = 'failure';
    status.branches = [{ name: 'fleetwave/play-events-v2', commit: { sha: 'h', url: '' }, protected: false }];
    await app.probot.receive({ id: '7', name: 'status', payload: status as never });
    await app.fw.drain();
    expect(app.calls).toHaveLength(2);
  });

  it('ignores the event of a migration whose manifest is on no default branch', async () => {
    authInterceptors(githubApi(), { bot: false })
      .get('/installation/repositories')
      .query(true)
      .reply(200, { total_count: 1, repositories: [{ full_name: 'acme/recs' }] })
      .post('/graphql')
      .reply(200, { data: { r0: { f0: null, f1: null } } });
    const run = inRepo(example('workflow_run', 'completed'), 'acme/recs');
    run.workflow_run.head_branch = 'fleetwave/play-events-v2';
    await app.probot.receive({ id: '8', name: 'workflow_run', payload: run as never });
    await app.fw.drain();
    expect(app.calls).toHaveLength(0);
    expect(await app.store.pendingReconciles()).toEqual([]);
  });

  it('the periodic reconcile reconciles every migration of every installation', async () => {
    const scope = authInterceptors();
    scope
      .get('/app/installations')
      .query({ per_page: '100', page: '1' })
      .reply(200, [{ id: 4242, account: { login: 'acme', type: 'Organization' } }]);
    // The scan read the manifest's text on the default branch just now: no second read.
    locateAndReconcile(scope, { reread: false });
    const result = await app.fw.sweep(app.probot.log as never);
    expect(result).toEqual({ reconciled: 1, failed: 0, skipped: 0 });
    expect(app.calls).toHaveLength(1);
    expect(app.calls[0]!.options).toMatchObject({
      manifestRepo: 'acme/data-platform',
      fleet: 'github:acme',
      source: 'acme/data-platform:.fleetwave/migrations/play-events-v2.yaml',
      installation: 4242,
    });
  });
});
