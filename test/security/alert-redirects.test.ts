/**
 * Issue #14: the alert sink refuses redirects. A receiver (or whoever controls it) answering 307 to
 * another host got the alert body, routing key included, re-posted there. Against real HTTP servers
 * on 127.0.0.1: the redirect target must never be asked, the delivery fails once, without retries.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import type { Alert } from '../../src/alerts/alert.js';
import { AlertDeliveryError, webhookSink } from '../../src/alerts/webhook-sink.js';

const ROUTING_KEY = 'R0UTINGKEY0123456789abcdef012345';
let receiver: Server;
let elsewhere: Server;
let receiverUrl = '';
let elsewhereUrl = '';
let receiverHits = 0;
let elsewhereHits = 0;
let status = 307;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  nock.enableNetConnect('127.0.0.1');
  elsewhere = createServer((req, res) => {
    elsewhereHits++;
    req.resume();
    res.writeHead(202).end('{}');
  });
  elsewhereUrl = await listen(elsewhere);
  receiver = createServer((req, res) => {
    receiverHits++;
    req.resume();
    if (req.url === '/hang') return; // never answers
    res.writeHead(status, { location: `${elsewhereUrl}/steal` }).end();
  });
  receiverUrl = await listen(receiver);
});
afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((r) => receiver.close(r));
  await new Promise((r) => elsewhere.close(r));
});

const alert: Alert = {
  kind: 'breaker-open',
  action: 'trigger',
  migration: 'play-events-v2',
  target: null,
  summary: 'breaker open',
  severity: 'critical',
  dedupKey: 'k',
  owners: ['data-platform'],
  details: {},
} as unknown as Alert;

describe('alert sink redirects', () => {
  it.each([301, 302, 307, 308])('a %s is a failed delivery, not followed and not retried', async (code) => {
    status = code;
    receiverHits = 0;
    elsewhereHits = 0;
    const sink = webhookSink({ url: `${receiverUrl}/hooks/SECRET`, routingKey: ROUTING_KEY, attempts: 3, sleep: async () => {} });
    const err = await sink.deliver(alert, '2026-12-07T00:00:00.000Z').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AlertDeliveryError);
    expect((err as Error).message).toMatch(new RegExp(`answered a redirect \\(${code}\\); alerts are not sent on`));
    expect((err as Error).message).not.toContain('SECRET');
    expect((err as Error).message).not.toContain(ROUTING_KEY);
    expect(receiverHits).toBe(1);
    expect(elsewhereHits).toBe(0);
  });

  it('a receiver that never answers fails within the timeout', async () => {
    const started = Date.now();
    const sink = webhookSink({ url: `${receiverUrl}/hang`, attempts: 1, timeoutMs: 300 });
    await expect(sink.deliver(alert, '2026-12-07T00:00:00.000Z')).rejects.toThrow(/did not answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
