/**
 * Threats (docs/security.md, "Exposure"): an unauthenticated 400 MB POST with a wrong signature took
 * 4.7 GB of memory and wrote a 419 MB log; the dashboard and /metrics answered anyone on the
 * internet-facing webhook port. Real HTTP servers on loopback, a real pino logger writing to a buffer.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { sign } from '@octokit/webhooks-methods';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
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

/**
 * One HTTP request over a raw socket, answered once the server closes the connection. Not through
 * node:http's client: nock, which other test files of the same worker install, intercepts that client
 * (and fetch) process-wide and refuses loopback connections; it never touches `net`.
 */
function exchange(port: number, head: string, body: Buffer | null = null): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? undefined : reject(err)));
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    socket.write(`${head}\r\n`);
    if (body) socket.write(body);
  });
}

function requestHead(method: string, path: string, headers: Record<string, string>): string {
  return [
    `${method} ${path} HTTP/1.1`,
    'host: 127.0.0.1',
    'connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    '',
  ].join('\r\n');
}

/** A POST to the webhook path; its headers go at once, `body` (when given) after them. */
function post(port: number, headers: Record<string, string>, body: Buffer | null): Promise<{ status: number; body: string }> {
  return exchange(port, requestHead('POST', '/api/github/webhooks', headers), body);
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return exchange(port, requestHead('GET', path, headers));
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
    for (const path of ['/metrics', '/fleetwave/', '/']) expect((await get(port, path)).status).toBe(404);
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
      await store.claimMigration({ migration, source: `acme/data:${migration}.yaml`, installation, at: '2026-01-01T00:00:00Z' });
      await store.startRun({
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
          : { visible: async (m: string) => (await store.migrationClaim(m))?.installation === installation, serveMetrics: false }),
      }).handle;
    const port = await listen(
      dashboardListener(dashboardFor, { token: 'operator-token', installations: [{ installation: 1, token: 'installation-one-token' }] }),
    );
    const get = (path: string, auth?: string) =>
      exchange(port, requestHead('GET', path, { accept: 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) }));
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
