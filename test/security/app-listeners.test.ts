/**
 * Threats (docs/security.md, "Exposure"): an unauthenticated 400 MB POST with a wrong signature took
 * 4.7 GB of memory and wrote a 419 MB log; the dashboard and /metrics answered anyone on the
 * internet-facing webhook port. Real HTTP servers on loopback, a real pino logger writing to a buffer.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { sign } from '@octokit/webhooks-methods';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { dashboardBinding, dashboardListener } from '../../src/app/dashboard-listener.js';
import { webhookListener } from '../../src/app/webhook-listener.js';
import { createDashboardServer } from '../../src/dashboard/server.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import type { Logger } from '../../src/util/log.js';

const SECRET = 'the-webhook-secret';
const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

function capture(): { logger: Logger; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream) as unknown as Logger, text: () => chunks.join('') };
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

/** A POST whose headers are sent at once; `body` is written after, unless the server answers first. */
function post(
  port: number,
  headers: Record<string, string>,
  body: Buffer | null,
): Promise<{ status: number; text: string; wrote: number }> {
  return new Promise((resolve, reject) => {
    let wrote = 0;
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/github/webhooks', headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, text, wrote }));
      res.on('error', reject);
    });
    req.on('error', () => undefined); // the server closes a refused upload's connection
    if (body) {
      wrote = body.length;
      req.end(body);
    } else req.flushHeaders();
  });
}

function deliveryHeaders(body: string, signature: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'x-github-event': 'issue_comment',
    'x-github-delivery': 'd-1',
    'x-hub-signature-256': signature,
  };
}

describe('the webhook listener', () => {
  it('refuses a body declared over GitHub’s 25 MB cap before reading any of it', async () => {
    const received: unknown[] = [];
    const { logger, text } = capture();
    const port = await listen(webhookListener({ secret: SECRET, receive: async (e) => void received.push(e), logger }));
    const res = await post(port, { ...deliveryHeaders('', 'sha256=00'), 'content-length': String(400 * 1024 * 1024) }, null);
    expect(res.status).toBe(413);
    expect(received).toEqual([]);
    expect(text()).toContain('over the payload cap');
    expect(text().length).toBeLessThan(2_000);
  });

  it('refuses a delivery without a Content-Length (a chunked body could be any size)', async () => {
    const { logger } = capture();
    const port = await listen(webhookListener({ secret: SECRET, receive: async () => undefined, logger }));
    const headers = deliveryHeaders('', 'sha256=00');
    delete (headers as Record<string, string | undefined>)['content-length'];
    const res = await post(port, { ...headers, 'transfer-encoding': 'chunked' }, null);
    expect(res.status).toBe(411);
  });

  it('refuses a wrong signature without logging the payload', async () => {
    const received: unknown[] = [];
    const { logger, text } = capture();
    const port = await listen(webhookListener({ secret: SECRET, receive: async (e) => void received.push(e), logger }));
    const body = JSON.stringify({ secret_looking_field: 'PAYLOAD-MARKER', padding: 'x'.repeat(2 * 1024 * 1024) });
    const res = await post(port, deliveryHeaders(body, await sign('another-secret', body)), Buffer.from(body));
    expect(res.status).toBe(401);
    expect(received).toEqual([]);
    expect(text()).not.toContain('PAYLOAD-MARKER');
    expect(text().length).toBeLessThan(2_000);
  });

  it('hands a delivery signed with the secret to the App, parsed', async () => {
    const received: { id: string; name: string; payload: unknown }[] = [];
    const { logger } = capture();
    const port = await listen(webhookListener({ secret: SECRET, receive: async (e) => void received.push(e), logger }));
    const body = JSON.stringify({ action: 'created' });
    const res = await post(port, deliveryHeaders(body, await sign(SECRET, body)), Buffer.from(body));
    expect(res.status).toBe(200);
    expect(received).toEqual([{ id: 'd-1', name: 'issue_comment', payload: { action: 'created' } }]);
  });

  it('serves no dashboard or metrics', async () => {
    const { logger } = capture();
    const port = await listen(webhookListener({ secret: SECRET, receive: async () => undefined, logger }));
    for (const path of ['/metrics', '/fleetwave/', '/']) {
      const status = await new Promise<number>((resolve) =>
        request({ host: '127.0.0.1', port, path }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        }).end(),
      );
      expect(status).toBe(404);
    }
  });
});

describe('the dashboard listener', () => {
  it('binds to loopback by default, and refuses another host without a token', () => {
    expect(dashboardBinding({})).toEqual({ host: '127.0.0.1', port: 3001, token: null, installations: [] });
    expect(() => dashboardBinding({ FLEETWAVE_DASHBOARD_HOST: '0.0.0.0' })).toThrow(/set FLEETWAVE_DASHBOARD_TOKEN/);
    expect(dashboardBinding({ FLEETWAVE_DASHBOARD_HOST: '0.0.0.0', FLEETWAVE_DASHBOARD_TOKEN: 't' })).toMatchObject({
      host: '0.0.0.0',
      port: 3001,
      token: 't',
    });
    expect(dashboardBinding({ FLEETWAVE_DASHBOARD_TOKENS: '7:an-installation-token' })!.installations).toEqual([
      { installation: 7, token: 'an-installation-token' },
    ]);
    expect(() => dashboardBinding({ FLEETWAVE_DASHBOARD_TOKENS: '7:short' })).toThrow(/at least 16 characters/);
    expect(dashboardBinding({ FLEETWAVE_DASHBOARD_PORT: '0' })).toBeNull();
  });

  it('answers only with a token; an installation’s token sees its own migrations and no metrics', async () => {
    const store = new MemoryStore();
    for (const [migration, installation] of [
      ['ours', 1],
      ['theirs', 2],
    ] as const) {
      store.claimMigration({ migration, source: `acme/data:${migration}.yaml`, installation, at: '2026-01-01T00:00:00Z' });
      store.startRun({
        migration,
        manifestPath: `${migration}.yaml`,
        manifestHash: 'h',
        fleet: 'github:acme',
        startedAt: '2026-01-01T00:00:00Z',
      });
    }
    const dashboardFor = (installation: number | null) =>
      createDashboardServer({
        store,
        basePath: '/fleetwave',
        ...(installation === null
          ? {}
          : { visible: (m: string) => store.migrationClaim(m)?.installation === installation, serveMetrics: false }),
      }).handle;
    const port = await listen(
      dashboardListener(dashboardFor, { token: 'operator-token', installations: [{ installation: 1, token: 'installation-one-token' }] }),
    );
    const get = (path: string, auth?: string) =>
      new Promise<{ status: number; body: string }>((resolve) =>
        request(
          { host: '127.0.0.1', port, path, headers: { accept: 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) } },
          (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode!, body }));
          },
        ).end(),
      );
    const names = (body: string) => (JSON.parse(body) as { migrations: { migration: string }[] }).migrations.map((m) => m.migration);
    expect((await get('/metrics')).status).toBe(401);
    expect((await get('/', 'wrong')).status).toBe(401);
    expect(names((await get('/', 'operator-token')).body).sort()).toEqual(['ours', 'theirs']);
    expect((await get('/metrics', 'operator-token')).status).toBe(200);
    expect(names((await get('/', 'installation-one-token')).body)).toEqual(['ours']);
    expect((await get('/fleetwave/migrations/theirs', 'installation-one-token')).status).toBe(404);
    expect((await get('/fleetwave/migrations/ours', 'installation-one-token')).status).toBe(200);
    expect((await get('/metrics', 'installation-one-token')).status).toBe(404);
  });
});
