/* eslint-disable @typescript-eslint/no-explicit-any -- webhook example payloads are reshaped freely in tests */
import { afterEach, describe, expect, it } from '@jest/globals';
import type nock from 'nock';
import { renderTrackingMarker } from '../../src/app/tracking-issue.js';
import { JournalView } from '../../src/rollout/journal-view.js';
import { approvalsOf } from '../../src/rollout/reconcile.js';
import type { TrialReport } from '../../src/rollout/trial.js';
import { githubApi } from '../helpers/openapi.js';
import { restPull, sha, useNock } from '../forge/github/setup.js';
import { example, inRepo, MANIFEST } from './fixtures.js';
import { authInterceptors, BOT_LOGIN, startApp as startAnyApp, summaryOf, type TestApp } from './setup.js';

const manifestPath = '.fleetwave/migrations/play-events-v2.yaml';
const trackingBody = `State: running\n\n${renderTrackingMarker({ migration: 'play-events-v2', manifest: manifestPath })}`;

/** An App whose store knows the migration and its tracking issue #17 (opened by the App). */
function startApp(options: Parameters<typeof startAnyApp>[0] = {}) {
  return startAnyApp({ tracking: { migration: 'play-events-v2', source: `acme/data-platform:${manifestPath}`, issue: 17 }, ...options });
}

function comment(body: string, user = 'mona', options: { tracking?: boolean } = {}) {
  const p = inRepo(example('issue_comment', 'created'), 'acme/data-platform');
  p.issue = {
    ...p.issue,
    number: options.tracking === false ? 18 : 17,
    body: options.tracking === false ? 'an ordinary issue' : trackingBody,
    user: { ...p.issue.user, login: BOT_LOGIN, type: 'Bot' },
  };
  delete p.issue.pull_request;
  p.comment = { ...p.comment, body, user: { ...p.comment.user, login: user, type: 'User' } };
  p.sender = { ...p.sender, login: user };
  return p;
}

function permission(scope: nock.Scope, user: string, level: string) {
  return scope.get(`/repos/acme/data-platform/collaborators/${user}/permission`).reply(200, { permission: level, user: { login: user } });
}

function manifestAndIssue(scope: nock.Scope, times = 1) {
  scope.get(`/repos/acme/data-platform/contents/${encodeURIComponent(manifestPath)}`).reply(200, MANIFEST);
  for (let i = 0; i < times; i++) {
    scope
      .get('/repos/acme/data-platform/issues')
      .query(true)
      .reply(200, [{ number: 17, body: trackingBody, user: { login: BOT_LOGIN } }])
      .patch('/repos/acme/data-platform/issues/17')
      .reply(200, {});
  }
  return scope;
}

describe('App: /fleetwave commands in the tracking issue', () => {
  useNock();
  let app: TestApp | undefined;
  afterEach(() => app?.dispose());

  it('pauses the migration for a user with write access, reconciles, and says so', async () => {
    app = await startApp({ summary: (l) => summaryOf(l, { state: 'paused', reason: 'paused by @mona' }) });
    let reply: any;
    const scope = authInterceptors();
    permission(scope, 'mona', 'write');
    manifestAndIssue(scope)
      .post('/repos/acme/data-platform/issues/17/comments', (b) => ((reply = b), true))
      .reply(201, {});
    await app.probot.receive({ id: '1', name: 'issue_comment', payload: comment('/fleetwave pause') as never });
    await app.fw.drain();
    expect(await app.store.getControl('play-events-v2')).toMatchObject({ pausedBy: 'mona', pausedReason: 'paused by @mona in #17' });
    expect(app.calls).toHaveLength(1);
    expect(reply.body).toMatch(/^@mona paused \*\*play-events-v2\*\* \(state: paused\)/);
    expect((await app.store.events({ migration: 'play-events-v2' })).map((e) => e.action)).toContain('pause');
  });

  it('records a pause before the answer: when the reconcile after it fails, the pause holds and the reconcile stays queued', async () => {
    app = await startApp({
      summary: () => {
        throw new Error('GitHub is down');
      },
    });
    const scope = authInterceptors();
    permission(scope, 'mona', 'write');
    // Read by the check in the delivery, then by the queued reconcile.
    scope
      .get(`/repos/acme/data-platform/contents/${encodeURIComponent(manifestPath)}`)
      .times(2)
      .reply(200, MANIFEST);
    await app.probot.receive({ id: '9', name: 'issue_comment', payload: comment('/fleetwave pause') as never });
    expect(await app.store.getControl('play-events-v2')).toMatchObject({ pausedBy: 'mona' });
    expect((await app.store.events({ migration: 'play-events-v2' })).map((e) => e.action)).toEqual(['pause']);
    expect(await app.fw.drain()).toEqual({ reconciled: 0, failed: 1 });
    expect((await app.store.pendingReconciles()).map((e) => [e.migration, e.manifestRepo, e.manifestPath])).toEqual([
      ['play-events-v2', 'acme/data-platform', manifestPath],
    ]);
    expect(app.calls).toHaveLength(2);
  });

  it('refuses a command from a user without write access, and tells them why', async () => {
    app = await startApp();
    let reply: any;
    const scope = authInterceptors();
    permission(scope, 'eve', 'read')
      .post('/repos/acme/data-platform/issues/17/comments', (b) => ((reply = b), true))
      .reply(201, {});
    await app.probot.receive({ id: '2', name: 'issue_comment', payload: comment('/fleetwave rollback', 'eve') as never });
    await app.fw.drain();
    expect(reply.body).toMatch(/^@eve only people with write access to acme\/data-platform/);
    expect(app.calls).toHaveLength(0);
    expect((await app.store.getControl('play-events-v2')).pausedBy).toBeNull();
  });

  it('answers a malformed command with the list of commands', async () => {
    app = await startApp();
    let reply: any;
    authInterceptors()
      .post('/repos/acme/data-platform/issues/17/comments', (b) => ((reply = b), true))
      .reply(201, {});
    await app.probot.receive({ id: '3', name: 'issue_comment', payload: comment('/fleetwave retry') as never });
    expect(reply.body).toMatch(/needs one repository as owner\/name/);
  });

  it('ignores comments outside tracking issues, comments that are no command, and bots', async () => {
    app = await startApp();
    await app.probot.receive({
      id: '4',
      name: 'issue_comment',
      payload: comment('/fleetwave pause', 'mona', { tracking: false }) as never,
    });
    await app.probot.receive({ id: '5', name: 'issue_comment', payload: comment('looks good to me') as never });
    const bot = comment('/fleetwave pause', 'renovate[bot]');
    bot.comment.user.type = 'Bot';
    await app.probot.receive({ id: '6', name: 'issue_comment', payload: bot as never });
    expect(app.calls).toHaveLength(0);
  });

  it('journals an approval for the hash of the manifest it approves, the one the reconcile compares it with', async () => {
    app = await startApp();
    let reply: any;
    const scope = authInterceptors();
    permission(scope, 'mona', 'write');
    manifestAndIssue(scope)
      .post('/repos/acme/data-platform/issues/17/comments', (b) => ((reply = b), true))
      .reply(201, {});
    await app.probot.receive({ id: '8', name: 'issue_comment', payload: comment('/fleetwave approve') as never });
    await app.fw.drain();
    expect(reply.body).toMatch(/recorded your approval of \*\*play-events-v2\*\*/);
    const hash = app.calls[0]!.loaded.hash;
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const approvals = approvalsOf(await (await JournalView.open(app.store, 'play-events-v2')).ofKind('approve'));
    expect(approvals).toEqual([{ by: 'mona', at: '2026-01-01T00:00:00.000Z', manifestHash: hash }]);
    expect((await app.store.events({ migration: 'play-events-v2' })).map((e) => e.manifestHash)).toEqual([hash]);
  });

  it('resumes past the failed wave: clears the pause and accepts the wave', async () => {
    app = await startApp({
      summary: (l) =>
        summaryOf(l, {
          waves: [
            { index: 0, size: 2, state: 'finished', failed: 1, failedShare: 0.5 },
            { index: 1, size: 4, state: 'waiting', failed: 0, failedShare: 0 },
          ],
        }),
    });
    await app.store.setControl({
      migration: 'play-events-v2',
      pausedBy: 'mona',
      pausedReason: 'x',
      acceptedWaves: [],
      updatedAt: '2026-01-01T00:00:00Z',
    });
    let reply: any;
    const scope = authInterceptors();
    permission(scope, 'mona', 'admin');
    manifestAndIssue(scope, 2)
      .post('/repos/acme/data-platform/issues/17/comments', (b) => ((reply = b), true))
      .reply(201, {});
    await app.probot.receive({ id: '7', name: 'issue_comment', payload: comment('/fleetwave resume') as never });
    await app.fw.drain();
    expect(await app.store.getControl('play-events-v2')).toMatchObject({ pausedBy: null, acceptedWaves: [0] });
    expect(reply.body).toMatch(/resumed \*\*play-events-v2\*\* past the failures of wave 0/);
  });

  it('rolls back: pauses and reverts every merged target through a revert PR', async () => {
    app = await startApp({
      summary: (l) =>
        summaryOf(l, {
          targets: [
            {
              repo: 'acme/recs',
              wave: 0,
              state: 'merged',
              pr: 'https://github.com/acme/recs/pull/3',
              prNumber: 3,
              reason: null,
              needsHuman: false,
              checks: 'success',
              findings: [],
            },
          ],
        }),
    });
    let reply: any;
    const scope = authInterceptors();
    permission(scope, 'mona', 'maintain');
    manifestAndIssue(scope)
      .get('/repos/acme/recs/pulls/3')
      .reply(200, restPull(3, { state: 'closed', merged: true, merged_at: '2026-01-02T00:00:00Z', merge_commit_sha: sha('m'), commits: 1 }))
      .get('/repos/acme/recs/pulls')
      .query(true)
      .reply(200, [
        restPull(9, { html_url: 'https://github.com/acme/recs/pull/9', head: { ref: 'fleetwave-revert/pr-3', sha: sha('r') } }),
      ]);
    githubApi()
      .post('/repos/acme/data-platform/issues/17/comments', (b) => ((reply = b), true))
      .reply(201, {});
    await app.probot.receive({ id: '8', name: 'issue_comment', payload: comment('/fleetwave rollback') as never });
    await app.fw.drain();
    expect((await app.store.getControl('play-events-v2')).pausedBy).toBe('mona');
    expect(reply.body).toContain('reverted 1 of 1 merged target');
    expect(reply.body).toContain('https://github.com/acme/recs/pull/9');
  });
});

describe('App: /fleetwave trial', () => {
  useNock();
  let app: TestApp | undefined;
  afterEach(() => app?.dispose());

  const report: TrialReport = {
    migration: 'play-events-v2',
    branch: 'fleetwave-trial/play-events-v2',
    candidates: 6,
    skipped: [],
    sample: 3,
    aggregate: { total: 3, passed: 2, failed: 1, noCi: 0, errors: 0 },
    results: [
      { repo: 'acme/a', state: 'passed', sha: sha('1') },
      { repo: 'acme/b', state: 'failed', sha: sha('2'), failing: [{ name: 'test', tail: 'FAIL events.test.ts\n  expected v1' }] },
      { repo: 'acme/c', state: 'passed', sha: sha('3') },
    ],
    notDeleted: [],
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:05:00.000Z',
  };

  it('runs the trial with the sample asked for, queues no reconcile, and answers with the aggregate and the failing tail', async () => {
    const asked: { sample?: number; source: string; fleet: string }[] = [];
    app = await startApp({
      trial: async (_deps, _loaded, options, trial) => {
        asked.push({ ...trial, source: options.source, fleet: options.fleet });
        return report;
      },
    });
    let reply: any;
    const scope = authInterceptors();
    permission(scope, 'mona', 'write');
    scope
      .get(`/repos/acme/data-platform/contents/${encodeURIComponent(manifestPath)}`)
      .reply(200, MANIFEST)
      .post('/repos/acme/data-platform/issues/17/comments', (b) => ((reply = b), true))
      .reply(201, {});
    await app.probot.receive({ id: '31', name: 'issue_comment', payload: comment('/fleetwave trial 3') as never });
    await app.fw.drain();
    expect(asked).toEqual([{ sample: 3, source: `acme/data-platform:${manifestPath}`, fleet: 'github:acme' }]);
    expect(app.calls).toHaveLength(0);
    expect(await app.store.pendingReconciles()).toEqual([]);
    expect(reply.body).toMatch(
      /^@mona trial of \*\*play-events-v2\*\* on `fleetwave-trial\/play-events-v2`: 3 targets tried \(a sample of 6\)/,
    );
    expect(reply.body).toContain('**2 passed, 1 failed, 0 without CI**');
    expect(reply.body).toContain('Failed: acme/b at 2222222');
    expect(reply.body).toContain('```text\nFAIL events.test.ts\n  expected v1\n```');
  });

  it('runs one trial of a migration at a time: a second request while it runs gets its report', async () => {
    let calls = 0;
    let finish!: () => void;
    const running = new Promise<void>((r) => (finish = r));
    app = await startApp({
      trial: async () => {
        calls++;
        await running;
        return report;
      },
    });
    const replies: any[] = [];
    const scope = authInterceptors();
    permission(scope, 'mona', 'write');
    permission(scope, 'mona', 'write');
    scope
      .post('/repos/acme/data-platform/issues/17/comments', (b) => (replies.push(b), true))
      .times(2)
      .reply(201, {});
    // The manifest reads come just before the App's trial is asked: once both are done, both requests are in.
    const reads = githubApi()
      .get(`/repos/acme/data-platform/contents/${encodeURIComponent(manifestPath)}`)
      .times(2)
      .reply(200, MANIFEST);
    const first = app.probot.receive({ id: '41', name: 'issue_comment', payload: comment('/fleetwave trial') as never });
    const second = app.probot.receive({ id: '42', name: 'issue_comment', payload: comment('/fleetwave trial') as never });
    while (!reads.isDone() || calls === 0) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    finish();
    await Promise.all([first, second]);
    await app.fw.drain();
    expect(calls).toBe(1);
    expect(replies).toHaveLength(2);
    for (const r of replies) expect(r.body).toContain('**2 passed, 1 failed, 0 without CI**');
  });

  it('refuses a malformed sample size', async () => {
    app = await startApp({ trial: async () => report });
    let reply: any;
    authInterceptors()
      .post('/repos/acme/data-platform/issues/17/comments', (b) => ((reply = b), true))
      .reply(201, {});
    await app.probot.receive({ id: '32', name: 'issue_comment', payload: comment('/fleetwave trial some') as never });
    expect(reply.body).toMatch(/`\/fleetwave trial` takes at most a sample size/);
  });
});
