/**
 * The App's internet-facing listener: GitHub's webhook deliveries and nothing else (the dashboard and
 * /metrics have a listener of their own, src/app/dashboard-listener.ts). It stands in front of Probot
 * so that hostile requests cost little:
 *
 * - a body over GitHub's own cap is refused before any of it is read: "Payloads are capped at 25 MB"
 *   (docs.github.com/en/webhooks/webhook-events-and-payloads#payload-cap); a delivery without a
 *   Content-Length is refused too (GitHub always sends one), so no body is buffered past the cap;
 * - the signature (`X-Hub-Signature-256`, HMAC-SHA256 of the body with the webhook secret) is checked
 *   in constant time by `@octokit/webhooks-methods` before the body is parsed
 *   (docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries);
 * - an unverified or refused request is logged as one line of metadata (delivery id, event, size), never
 *   its body: Probot's own middleware logged the whole payload of a delivery with a wrong signature.
 *
 * A verified delivery is handed to Probot (`receive`), whose handlers answer fast (they queue work).
 *
 * Probes for a load balancer or Kubernetes: `GET /healthz` answers 200 while the process serves;
 * `GET /readyz` answers 200 when `ready()` (the store answers a query, src/app/main.ts) resolves within
 * 5 s, else 503 — the reason goes to the log, not to the internet.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { verify } from '@octokit/webhooks-methods';
import type { Logger } from '../util/log.js';

/** GitHub's cap on a webhook payload. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;
/** Probot's default webhook path, kept for existing App registrations. */
export const WEBHOOK_PATH = '/api/github/webhooks';

export interface WebhookListenerOptions {
  secret: string;
  /** Hands a verified delivery to the App (Probot's `receive`). */
  receive(event: { id: string; name: string; payload: unknown }): Promise<void>;
  logger: Logger;
  path?: string;
  maxBytes?: number;
  /** Resolves when the App can do its work (its store answers); rejects with why not. Default: always ready. */
  ready?(): Promise<void>;
}

/** How long `/readyz` waits for `ready()`. */
export const READY_TIMEOUT_MS = 5_000;

function answer(res: ServerResponse, status: number, message: string, close = false): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...(close ? { connection: 'close' } : {}) });
  res.end(`${message}\n`);
}

async function readiness(options: WebhookListenerOptions, res: ServerResponse): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      options.ready?.() ?? Promise.resolve(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
      }),
    ]);
    answer(res, 200, 'ready');
  } catch (err) {
    options.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'not ready: /readyz answered 503');
    answer(res, 503, 'not ready');
  } finally {
    clearTimeout(timer);
  }
}

/** The request handler of the webhook listener. */
export function webhookListener(options: WebhookListenerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const path = options.path ?? WEBHOOK_PATH;
  const maxBytes = options.maxBytes ?? MAX_WEBHOOK_BYTES;
  const log = options.logger;
  return (req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (url === '/ping' && req.method === 'GET') return answer(res, 200, 'PONG');
    if (url === '/healthz' && req.method === 'GET') return answer(res, 200, 'ok');
    if (url === '/readyz' && req.method === 'GET') return void readiness(options, res);
    if (url !== path) return answer(res, 404, 'not found');
    if (req.method !== 'POST') return answer(res, 405, 'webhook deliveries are POSTs');
    const id = req.headers['x-github-delivery'];
    const name = req.headers['x-github-event'];
    const signature = req.headers['x-hub-signature-256'];
    const meta = {
      delivery: typeof id === 'string' ? id.slice(0, 100) : null,
      event: typeof name === 'string' ? name.slice(0, 100) : null,
    };
    if (typeof id !== 'string' || typeof name !== 'string' || typeof signature !== 'string') {
      log.warn(meta, 'webhook request without the X-GitHub-Delivery, X-GitHub-Event and X-Hub-Signature-256 headers: refused');
      return answer(res, 400, 'not a GitHub webhook delivery', true);
    }
    const declared = req.headers['content-length'];
    const length = declared === undefined ? NaN : Number(declared);
    if (!Number.isSafeInteger(length)) {
      log.warn(meta, 'webhook delivery without a Content-Length: refused');
      answer(res, 411, 'a Content-Length is required', true);
      return void req.destroy();
    }
    if (length > maxBytes) {
      log.warn({ ...meta, bytes: length, limit: maxBytes }, 'webhook delivery over the payload cap: refused unread');
      answer(res, 413, `payloads are capped at ${maxBytes} bytes`, true);
      return void req.destroy();
    }
    const chunks: Buffer[] = [];
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received <= maxBytes) chunks.push(chunk);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        chunks.length = 0;
        if (!(await verify(options.secret, body, signature).catch(() => false))) {
          log.warn({ ...meta, bytes: received }, 'webhook signature does not match the secret: refused (check WEBHOOK_SECRET)');
          return answer(res, 401, 'signature does not match');
        }
        let payload: unknown;
        try {
          payload = JSON.parse(body);
        } catch {
          log.warn({ ...meta, bytes: received }, 'signed webhook delivery is not JSON: refused');
          return answer(res, 400, 'the payload is not JSON');
        }
        try {
          await options.receive({ id, name, payload });
          answer(res, 200, 'ok');
        } catch (err) {
          // The handler logged its failure with the delivery; GitHub may redeliver a 500.
          log.error({ ...meta, err: err instanceof Error ? err.message : String(err) }, 'webhook delivery failed');
          answer(res, 500, 'the delivery failed; it may be redelivered');
        }
      })();
    });
  };
}
