/* eslint-disable @typescript-eslint/no-explicit-any -- webhook example payloads are reshaped freely in tests */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { sign } from '@octokit/webhooks-methods';
import { CHECK_NAME } from '../../src/app/check-run.js';
import { githubApi, githubRequests } from '../helpers/openapi.js';
import { useNock } from '../forge/github/setup.js';
import { BAD_MANIFEST, example, inRepo, MANIFEST } from './fixtures.js';
import { authInterceptors, SECRET, startApp, type TestApp } from './setup.js';

const AFTER = 'a'.repeat(40);
const manifestPath = '.fleetwave/migrations/play-events-v2.yaml';

function pushPayload(options: { ref?: string; added?: string[]; fork?: boolean } = {}) {
  const p = inRepo(example('push'), 'acme/data-platform');
  p.ref = options.ref ?? 'refs/heads/main';
  p.after = AFTER;
  p.deleted = false;
  p.repository.fork = options.fork ?? false;
  p.commits = [{ id: AFTER, added: options.added ?? [manifestPath], modified: [], removed: [] }];
  return p;
}

describe('App: push', () => {
  useNock();
  let app: TestApp;
  beforeEach(async () => {
    app = await startApp();
  });
  afterEach(() => app.dispose());

  it('validates a manifest pushed to the default branch, reports a successful check run, reconciles it and opens its tracking issue', async () => {
    let check: any;
    let issue: any;
    authInterceptors()
      .get(`/repos/acme/data-platform/contents/${encodeURIComponent(manifestPath)}`)
      .query({ ref: AFTER })
      .reply(200, MANIFEST)
      .post('/repos/acme/data-platform/check-runs', (b) => ((check = b), true))
      .reply(201, { id: 1 })
      // The queued reconcile, after the answer, reads the manifest on the default branch.
      .get(`/repos/acme/data-platform/contents/${encodeURIComponent(manifestPath)}`)
      .reply(200, MANIFEST)
      .get('/repos/acme/data-platform/issues')
      .query({ labels: 'fleetwave', state: 'all', per_page: '100', page: '1' })
      .reply(200, [])
      .post('/repos/acme/data-platform/issues', (b) => ((issue = b), true))
      .reply(201, { number: 17 });
    await app.probot.receive({ id: '1', name: 'push', payload: pushPayload() as any });
    await app.fw.drain();
    expect(check).toMatchObject({ name: CHECK_NAME, head_sha: AFTER, status: 'completed', conclusion: 'success' });
    expect(app.calls).toHaveLength(1);
    expect(app.calls[0]!.options).toMatchObject({
      manifestRepo: 'acme/data-platform',
      fleet: 'github:acme',
      source: 'acme/data-platform:.fleetwave/migrations/play-events-v2.yaml',
      installation: 4242,
    });
    expect(app.calls[0]!.loaded.manifest.metadata.name).toBe('play-events-v2');
    expect(app.calls[0]!.deps.forge.botIdentity.login).toBe('fleetwave[bot]');
    expect(issue.title).toBe('Fleetwave: play-events-v2');
    expect(issue.labels).toEqual(['fleetwave']);
    expect(issue.body).toContain('acme/recs');
    expect(issue.body).toContain(
      '<!-- fleetwave-tracking:{"migration":"play-events-v2","manifest":".fleetwave/migrations/play-events-v2.yaml"} -->',
    );
  });

  it('reports an invalid manifest as a failed check run with an annotation at its line, and does not reconcile it', async () => {
    let check: any;
    authInterceptors()
      .get(`/repos/acme/data-platform/contents/${encodeURIComponent(manifestPath)}`)
      .query({ ref: AFTER })
      .reply(200, BAD_MANIFEST)
      .post('/repos/acme/data-platform/check-runs', (b) => ((check = b), true))
      .reply(201, { id: 1 });
    await app.probot.receive({ id: '2', name: 'push', payload: pushPayload() as any });
    await app.fw.drain();
    expect(check.conclusion).toBe('failure');
    expect(check.output.annotations.length).toBeGreaterThan(0);
    const lines = BAD_MANIFEST.split('\n');
    const a = check.output.annotations[0];
    expect(a.path).toBe(manifestPath);
    expect(lines[a.start_line - 1]).toContain('waves');
    expect(app.calls).toHaveLength(0);
  });

  it('ignores pushes to other branches, to forks, of tags, and of files that are not manifests', async () => {
    await app.probot.receive({ id: '3', name: 'push', payload: pushPayload({ ref: 'refs/heads/feature' }) as any });
    await app.probot.receive({ id: '4', name: 'push', payload: pushPayload({ ref: 'refs/tags/v1' }) as any });
    await app.probot.receive({ id: '5', name: 'push', payload: pushPayload({ fork: true }) as any });
    await app.probot.receive({
      id: '6',
      name: 'push',
      payload: pushPayload({ added: ['README.md', '.fleetwave/migrations/notes.txt'] }) as any,
    });
    expect(githubRequests()).toEqual([]);
    expect(app.calls).toHaveLength(0);
  });

  it('ignores YAML in a manifest folder that is not a DatasetMigration', async () => {
    authInterceptors(githubApi(), { bot: true })
      .get(`/repos/acme/data-platform/contents/${encodeURIComponent('migrations/ci.yaml')}`)
      .query({ ref: AFTER })
      .reply(200, 'jobs: {}\n');
    await app.probot.receive({ id: '7', name: 'push', payload: pushPayload({ added: ['migrations/ci.yaml'] }) as any });
    expect(app.calls).toHaveLength(0);
  });

  it('refuses unsigned and wrongly signed deliveries before any handler runs, and accepts a correctly signed one', async () => {
    const payload = JSON.stringify(pushPayload({ ref: 'refs/heads/feature' }));
    await expect(app.probot.webhooks.verifyAndReceive({ id: '8', name: 'push', signature: '', payload })).rejects.toThrow();
    await expect(
      app.probot.webhooks.verifyAndReceive({ id: '9', name: 'push', signature: await sign('not-the-secret', payload), payload }),
    ).rejects.toThrow(/signature does not match/);
    await expect(
      app.probot.webhooks.verifyAndReceive({ id: '10', name: 'push', signature: await sign(SECRET, payload), payload }),
    ).resolves.toBeUndefined();
    expect(githubRequests()).toEqual([]);
  });

  it('refuses a wrongly signed delivery over HTTP with an error status', async () => {
    const middleware = await app.probot.getNodeMiddleware();
    const { createServer } = await import('node:http');
    const server = createServer(
      (req, res) =>
        void middleware(req, res, () => {
          res.statusCode = 404;
          res.end();
        }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const nock = (await import('nock')).default;
    nock.enableNetConnect('127.0.0.1');
    try {
      const port = (server.address() as { port: number }).port;
      const body = JSON.stringify(pushPayload());
      const send = (signature?: string) =>
        fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-github-event': 'push',
            'x-github-delivery': '11',
            ...(signature ? { 'x-hub-signature-256': signature } : {}),
          },
          body,
        });
      expect((await send()).status).toBeGreaterThanOrEqual(400);
      expect((await send(await sign('wrong', body))).status).toBeGreaterThanOrEqual(400);
      expect(app.calls).toHaveLength(0);
    } finally {
      nock.disableNetConnect();
      await new Promise((r) => server.close(r));
    }
  });

  it('never writes a token to its logs, even at trace level', async () => {
    app.dispose();
    const lines: string[] = [];
    const { pino } = await import('pino');
    const log = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
    app = await startApp({ log });
    authInterceptors()
      .get(`/repos/acme/data-platform/contents/${encodeURIComponent(manifestPath)}`)
      .query({ ref: AFTER })
      .reply(200, MANIFEST)
      .post('/repos/acme/data-platform/check-runs')
      .reply(201, { id: 1 })
      .get(`/repos/acme/data-platform/contents/${encodeURIComponent(manifestPath)}`)
      .reply(200, MANIFEST)
      .get('/repos/acme/data-platform/issues')
      .query(true)
      .reply(200, [])
      .post('/repos/acme/data-platform/issues')
      .reply(201, { number: 17 });
    await app.probot.receive({ id: '12', name: 'push', payload: pushPayload() as any });
    await app.fw.drain();
    expect(app.calls).toHaveLength(1);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain('ghs_installation_token');
  });
});
