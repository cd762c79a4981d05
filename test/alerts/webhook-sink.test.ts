/**
 * The alert POST, against a real HTTP server on 127.0.0.1: a PagerDuty Events v2 body, retries on 5xx
 * and on a receiver that does not answer in time, no retry on a 4xx, and neither the routing key nor
 * the URL's secret path in any error or log line.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import nock from 'nock';
import pino from 'pino';
import { deriveAlerts } from '../../src/alerts/alert.js';
import { deliverPending, journalAlert } from '../../src/alerts/outbox.js';
import { webhookSink, webhookSinkFromEnv } from '../../src/alerts/webhook-sink.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { silentLogger } from '../../src/util/log.js';

const ROUTING_KEY = 'R0UTINGKEY0123456789abcdef012345';
const SECRET_PATH = '/hooks/T000SECRET/B000SECRET';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a JSON body read back
}

let server: Server;
let base = '';
const received: Received[] = [];
/** How to answer the next requests, in order; then 202. 'hang': no answer. */
const script: (number | 'hang')[] = [];

beforeAll(async () => {
  // An earlier test file in this jest worker may have disabled net connections with nock (GitHub tests).
  nock.enableNetConnect('127.0.0.1');
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(text) as Record<string, unknown> });
      const next = script.shift() ?? 202;
      if (next === 'hang') return; // the client's timeout gives up on it
      res.writeHead(next, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(next === 202 ? { status: 'success', message: 'Event processed', dedup_key: 'x' } : { status: 'invalid event' }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const alert = deriveAlerts({
  migration: 'play-events-v2',
  fleet: 'github:acme',
  owners: ['data-platform'],
  state: 'paused',
  reason: 'wave 1 failed 3 of 5 (60%), above the failure threshold of 20%',
  failedWave: { index: 1, failed: 3, size: 5 },
  breaker: null,
  reverts: [],
  episode: 0,
  raised: new Map(),
})[0]!;

const noWait = { sleep: async () => {}, random: () => 0.5 };

describe('webhook sink', () => {
  it('posts a PagerDuty Events v2 body, and retries a 503 until the receiver takes it', async () => {
    received.length = 0;
    script.push(503, 500);
    const sink = webhookSink({ url: `${base}/v2/enqueue`, routingKey: ROUTING_KEY, source: 'fleetwave-app', ...noWait });
    await sink.deliver(alert, '2026-03-02T10:00:00.000Z');
    expect(received).toHaveLength(3);
    expect(received[2]!.path).toBe('/v2/enqueue');
    expect(received[2]!.headers['content-type']).toBe('application/json');
    expect(received[2]!.body).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: 'fleetwave/play-events-v2/wave-failed/1/0',
      payload: {
        summary: 'play-events-v2: wave 1 failed 3 of 5; the migration is paused.',
        source: 'fleetwave-app',
        severity: 'error',
        timestamp: '2026-03-02T10:00:00.000Z',
        component: 'play-events-v2',
        group: 'play-events-v2',
        class: 'wave-failed',
        custom_details: {
          wave: 1,
          failed: 3,
          size: 5,
          reason: alert.details.reason,
          migration: 'play-events-v2',
          target: null,
          owners: ['data-platform'],
        },
      },
    });
  });

  it('retries a receiver that does not answer within the timeout', async () => {
    received.length = 0;
    script.push('hang');
    await webhookSink({ url: `${base}/v2/enqueue`, timeoutMs: 300, ...noWait }).deliver(alert, '2026-03-02T10:00:00.000Z');
    expect(received).toHaveLength(2);
    // No routing key configured: none is sent.
    expect(received[1]!.body).not.toHaveProperty('routing_key');
  });

  it('gives up at once on a 400, and the journal and the log name the receiver by origin only, never the key or the secret path', async () => {
    received.length = 0;
    script.push(400);
    const store = new MemoryStore();
    await journalAlert(store, alert, { at: '2026-03-02T10:00:00.000Z', manifestHash: 'h', logger: silentLogger });
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, new Writable({ write: (chunk: Buffer, _e, cb) => (lines.push(chunk.toString('utf8')), cb()) }));
    const sink = webhookSink({ url: `${base}${SECRET_PATH}`, routingKey: ROUTING_KEY, ...noWait });
    const result = await deliverPending(store, 'play-events-v2', [sink], { now: new Date('2026-03-02T10:01:00Z'), logger });
    expect(result).toEqual({ delivered: 0, failed: 1 });
    expect(received).toHaveLength(1);
    const delivery = (await store.events()).find((e) => e.action === 'alert-delivery')!;
    expect(delivery.outcome).toBe('error');
    expect(delivery.detail.error).toBe(`alert wave-failed not delivered: ${base} answered 400`);
    const everything = JSON.stringify(await store.events()) + lines.join('');
    expect(lines.join('')).toContain('alert not delivered');
    expect(everything).not.toContain(ROUTING_KEY);
    expect(everything).not.toContain('SECRET');
  });

  it('an unreachable receiver is retried, then reported', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const sink = webhookSink({ url: `http://127.0.0.1:${port}/x`, attempts: 2, ...noWait });
    await expect(sink.deliver(alert, '2026-03-02T10:00:00.000Z')).rejects.toThrow(`http://127.0.0.1:${port} unreachable`);
  });

  it('is configured from FLEETWAVE_ALERT_URL (none without it) and refuses a URL that is not http(s)', () => {
    expect(webhookSinkFromEnv({})).toBeNull();
    expect(
      webhookSinkFromEnv({ FLEETWAVE_ALERT_URL: 'https://events.pagerduty.com/v2/enqueue', FLEETWAVE_PAGERDUTY_ROUTING_KEY: ROUTING_KEY })!
        .name,
    ).toBe('webhook:https://events.pagerduty.com');
    expect(() => webhookSinkFromEnv({ FLEETWAVE_ALERT_URL: 'ftp://x/y' })).toThrow(/http\(s\)/);
    expect(() => webhookSinkFromEnv({ FLEETWAVE_ALERT_URL: 'not a url' })).toThrow(/FLEETWAVE_ALERT_URL/);
  });
});

describe('App configuration', () => {
  it('refuses a bad alert URL or breaker setting at start', async () => {
    const { configFromEnv } = await import('../../src/app/config.js');
    expect(() => configFromEnv({ FLEETWAVE_ALERT_URL: 'ftp://x/y' })).toThrow(/FLEETWAVE_ALERT_URL/);
    expect(() => configFromEnv({ FLEETWAVE_BREAKER_COOLDOWN: 'later' })).toThrow(/FLEETWAVE_BREAKER_COOLDOWN=later/);
    expect(configFromEnv({ FLEETWAVE_ALERT_URL: 'https://events.pagerduty.com/v2/enqueue', FLEETWAVE_BREAKER: 'off' }).mergeMethod).toBe(
      'squash',
    );
  });
});
