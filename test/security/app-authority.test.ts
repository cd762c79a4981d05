/* eslint-disable @typescript-eslint/no-explicit-any -- webhook example payloads are reshaped freely in tests */
/**
 * Threats (docs/security.md): a writer of any repository of an installation starts a migration against
 * every other repository; a second manifest claims a name in use; a `/fleetwave` command in an issue the
 * App did not open (a copied marker), or in another installation, steers someone else's migration; a
 * replayed delivery acts twice. The real Probot App with the real SQLite store, GitHub as nock checked
 * against GitHub's OpenAPI description (test/app/setup.ts).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type nock from 'nock';
import { renderTrackingMarker } from '../../src/app/tracking-issue.js';
import { useNock } from '../forge/github/setup.js';
import { example, inRepo, INSTALLATION, MANIFEST } from '../app/fixtures.js';
import { authInterceptors, BOT_LOGIN, startApp, type TestApp } from '../app/setup.js';

const AFTER = 'a'.repeat(40);
const PATH = '.fleetwave/migrations/play-events-v2.yaml';
const SOURCE = `acme/data-platform:${PATH}`;

function push() {
  const p = inRepo(example('push'), 'acme/data-platform');
  Object.assign(p, { ref: 'refs/heads/main', after: AFTER, deleted: false });
  p.repository.fork = false;
  p.commits = [{ id: AFTER, added: [PATH], modified: [], removed: [] }];
  return p;
}

function pushedManifest(scope: nock.Scope, onCheck: (body: any) => void): nock.Scope {
  return scope
    .get(`/repos/acme/data-platform/contents/${encodeURIComponent(PATH)}`)
    .query({ ref: AFTER })
    .reply(200, MANIFEST)
    .post('/repos/acme/data-platform/check-runs', (b) => (onCheck(b), true))
    .reply(201, { id: 1 });
}

function comment(body: string, issueAuthor: string, user = 'mona') {
  const p = inRepo(example('issue_comment', 'created'), 'acme/data-platform');
  p.issue = {
    ...p.issue,
    number: 17,
    // A tracking issue's text, marker and all, is anyone's to copy into an issue of their own.
    body: `State: running\n\n${renderTrackingMarker({ migration: 'play-events-v2', manifest: PATH })}`,
    user: { ...p.issue.user, login: issueAuthor, type: issueAuthor === BOT_LOGIN ? 'Bot' : 'User' },
  };
  delete p.issue.pull_request;
  p.comment = { ...p.comment, body, user: { ...p.comment.user, login: user, type: 'User' } };
  p.sender = { ...p.sender, login: user };
  return p;
}

describe('who may start a migration', () => {
  useNock();
  let app: TestApp | undefined;
  afterEach(() => app?.dispose());

  it('by default (no operator list, no fleetwave.yml in the account’s .github) nothing runs, and the check run says how to allow it', async () => {
    app = await startApp({ manifestPolicy: null });
    let check: any;
    pushedManifest(authInterceptors(), (b) => (check = b))
      .get('/repos/acme/.github/contents/fleetwave.yml')
      .reply(404, { message: 'Not Found' });
    await app.probot.receive({ id: 'p1', name: 'push', payload: push() as any });
    await app.fw.drain();
    expect(check.conclusion).toBe('failure');
    expect(JSON.stringify(check.output)).toContain('acme/data-platform may not start migrations');
    expect(JSON.stringify(check.output)).toContain('acme/.github/fleetwave.yml');
    expect(app.calls).toHaveLength(0);
    expect(await app.store.pendingReconciles()).toEqual([]);
  });

  it('runs a manifest of a repository the account’s fleetwave.yml lists, limited to that rule’s targets', async () => {
    app = await startApp({ manifestPolicy: null });
    let check: any;
    pushedManifest(authInterceptors(), (b) => (check = b))
      .get('/repos/acme/.github/contents/fleetwave.yml')
      .reply(200, 'manifests:\n  - repository: data-platform\n    targets: [recs, "team-a-*"]\n')
      .get(`/repos/acme/data-platform/contents/${encodeURIComponent(PATH)}`)
      .reply(200, MANIFEST)
      .get('/repos/acme/data-platform/issues')
      .query(true)
      .reply(200, [])
      .post('/repos/acme/data-platform/issues')
      .reply(201, { number: 17 });
    await app.probot.receive({ id: 'p2', name: 'push', payload: push() as any });
    await app.fw.drain();
    expect(check.conclusion).toBe('success');
    expect(app.calls).toHaveLength(1);
    const may = app.calls[0]!.options.mayTarget;
    expect([may('acme/recs'), may('acme/team-a-web'), may('acme/billing')]).toEqual([true, true, false]);
    expect(await app.store.migrationClaim('play-events-v2')).toMatchObject({
      source: SOURCE,
      installation: INSTALLATION,
      trackingIssue: 17,
    });
  });

  it('fails the check run of a manifest whose name another manifest of the installation holds, naming it', async () => {
    app = await startApp();
    await app.store.claimMigration({
      migration: 'play-events-v2',
      source: 'acme/payments:.fleetwave/migrations/events.yaml',
      installation: INSTALLATION,
      at: '2025-12-01T00:00:00Z',
    });
    let check: any;
    pushedManifest(authInterceptors(), (b) => (check = b))
      // The holder is still there and still declares the name.
      .get(`/repos/acme/payments/contents/${encodeURIComponent('.fleetwave/migrations/events.yaml')}`)
      .reply(200, MANIFEST);
    await app.probot.receive({ id: 'p3', name: 'push', payload: push() as any });
    await app.fw.drain();
    expect(check.conclusion).toBe('failure');
    expect(JSON.stringify(check.output)).toContain(
      'metadata.name \\"play-events-v2\\" is already the migration of the manifest acme/payments:.fleetwave/migrations/events.yaml',
    );
    expect(app.calls).toHaveLength(0);
  });
});

describe('/fleetwave commands', () => {
  useNock();
  let app: TestApp | undefined;
  afterEach(() => app?.dispose());

  it('are ignored in an issue the App did not open, though it carries the tracking marker', async () => {
    app = await startApp({ tracking: { migration: 'play-events-v2', source: SOURCE, issue: 17 } });
    // No reply, no read: nothing but the installation token (and the bot's identity) is asked for.
    authInterceptors();
    await app.probot.receive({ id: 'c1', name: 'issue_comment', payload: comment('/fleetwave resume', 'eve') as any });
    await app.fw.drain();
    expect((await app.store.getControl('play-events-v2')).pausedBy).toBeNull();
    expect(await app.store.events({ migration: 'play-events-v2' })).toEqual([]);
    expect(app.calls).toHaveLength(0);
  });

  it('are ignored in a tracking issue of another installation', async () => {
    app = await startApp();
    await app.store.claimMigration({ migration: 'play-events-v2', source: SOURCE, installation: 99, at: '2025-12-01T00:00:00Z' });
    await app.store.setTrackingIssue('play-events-v2', 17);
    await app.probot.receive({ id: 'c2', name: 'issue_comment', payload: comment('/fleetwave rollback', BOT_LOGIN) as any });
    await app.fw.drain();
    expect((await app.store.getControl('play-events-v2')).pausedBy).toBeNull();
    expect(await app.store.events({ migration: 'play-events-v2' })).toEqual([]);
  });

  it('act once for a delivery delivered twice (a replay)', async () => {
    app = await startApp({ tracking: { migration: 'play-events-v2', source: SOURCE, issue: 17 } });
    const scope = authInterceptors()
      .get('/repos/acme/data-platform/collaborators/mona/permission')
      .reply(200, { permission: 'write', user: { login: 'mona' } })
      .get(`/repos/acme/data-platform/contents/${encodeURIComponent(PATH)}`)
      .reply(200, MANIFEST)
      .get('/repos/acme/data-platform/issues')
      .query(true)
      .reply(200, [{ number: 17, body: renderTrackingMarker({ migration: 'play-events-v2', manifest: PATH }), user: { login: BOT_LOGIN } }])
      .patch('/repos/acme/data-platform/issues/17')
      .reply(200, {})
      .post('/repos/acme/data-platform/issues/17/comments')
      .reply(201, {});
    const delivery = { id: 'c3', name: 'issue_comment', payload: comment('/fleetwave pause', BOT_LOGIN) as any };
    await app.probot.receive(delivery as never);
    await app.probot.receive(delivery as never);
    await app.fw.drain();
    expect(scope.isDone()).toBe(true);
    expect((await app.store.events({ migration: 'play-events-v2' })).filter((e) => e.action === 'pause')).toHaveLength(1);
    expect(app.calls).toHaveLength(1);
  });
});
