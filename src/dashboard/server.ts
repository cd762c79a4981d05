/**
 * The web dashboard: node:http, no framework. `/` lists the migrations, `/migrations/<name>` shows one,
 * each also as JSON (`Accept: application/json`); `/queue` the job queue and its workers (when given one);
 * `/metrics` serves Prometheus metrics; `/healthz`
 * answers ok. `handle` can be mounted in another server (the Probot app) under a base path.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { metricsRegistry } from '../metrics/registry.js';
import { storeMetricsRegistry } from '../metrics/store-metrics.js';
import { renderMigrationHtml, renderMigrationListHtml } from '../report/dashboard-html.js';
import { migrationList, migrationPage } from '../report/dashboard-model.js';
import type { RunRecord, Store } from '../store/port.js';
import type { JobQueue } from '../queue/port.js';
import { queueMetricsRegistry } from '../metrics/queue-metrics.js';
import { queuePage, renderQueueHtml } from '../report/dashboard-queue.js';
import type { Logger } from '../util/log.js';
import { silentLogger } from '../util/log.js';

export interface DashboardOptions {
  store: Store;
  /** Where the dashboard is mounted ('' at the root, e.g. '/fleetwave' inside the App). */
  basePath?: string;
  /** Process metrics served with the store's at `/metrics` (default: Fleetwave's registry). */
  metrics?: Registry;
  now?: () => Date;
  logger?: Logger;
  /** Which migrations this dashboard shows (default: all); the others answer 404 as if absent. */
  visible?: (migration: string) => boolean | Promise<boolean>;
  /** Whether `/metrics` is served (default true); metrics aggregate every migration of the store. */
  serveMetrics?: boolean;
  /** The job queue: `/queue` shows it and its workers, `/metrics` counts them (absent: neither). */
  queue?: JobQueue;
}

export interface DashboardServer {
  /** The request handler, for mounting in another server (paths relative to the mount point). */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Listen on `port` (0: any free one) and `host`; resolves with the URL. */
  listen(port: number, host?: string): Promise<{ url: string; server: Server }>;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** JSON when the client names application/json with at least the quality it gives text/html (a bare any-type wildcard gets HTML). */
export function wantsJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(',').map((part) => {
    const [type, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return { type: type!.trim().toLowerCase(), q: q ? Number(q.slice(2)) : 1 };
  });
  const score = (t: string) => Math.max(0, ...types.filter((x) => x.type === t).map((x) => x.q));
  const json = score('application/json');
  return json > 0 && json >= score('text/html');
}

export function createDashboardServer(options: DashboardOptions): DashboardServer {
  const { store } = options;
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? silentLogger;
  const metrics = Registry.merge([
    options.metrics ?? metricsRegistry,
    storeMetricsRegistry(store, now),
    ...(options.queue ? [queueMetricsRegistry(options.queue, now)] : []),
  ]);
  const visible = options.visible ?? (() => true);

  const send = (res: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, {
      ...SECURITY_HEADERS,
      'content-type': type,
      vary: 'Accept',
      'content-length': Buffer.byteLength(body),
      ...extra,
    });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  };
  const page = (req: IncomingMessage, res: ServerResponse, status: number, json: unknown, html: () => string) => {
    if (wantsJson(req.headers.accept)) send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(json, null, 2)}\n`);
    else send(res, status, 'text/html; charset=utf-8', html());
  };
  const notFound = (req: IncomingMessage, res: ServerResponse, message: string) =>
    page(req, res, 404, { error: message }, () => renderError(message, basePath, now()));

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', 'only GET and HEAD\n', { allow: 'GET, HEAD' });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    let path = url.pathname.replace(/\/+$/, '') || '/';
    // Served on its own, the paths carry the base path; mounted (express strips the mount point), they do not.
    if (basePath && (path === basePath || path.startsWith(`${basePath}/`))) path = path.slice(basePath.length) || '/';
    const generatedAt = now().toISOString();
    if (path === '/') {
      const shown: RunRecord[] = [];
      for (const r of await store.migrations()) if (await visible(r.migration)) shown.push(r);
      const items = migrationList(shown, basePath);
      page(req, res, 200, { migrations: items }, () => renderMigrationListHtml(items, { basePath, generatedAt, queue: !!options.queue }));
      return;
    }
    if (path === '/queue' && options.queue) {
      const q = options.queue;
      const model = queuePage({ stats: await q.stats(), workers: await q.workers(), dead: await q.deadJobs(50), now: now() });
      page(req, res, 200, model, () => renderQueueHtml(model, { basePath, generatedAt }));
      return;
    }
    if (path === '/metrics' && options.serveMetrics !== false) {
      send(res, 200, metrics.contentType, await metrics.metrics());
      return;
    }
    if (path === '/healthz') {
      send(res, 200, 'text/plain; charset=utf-8', 'ok\n');
      return;
    }
    const m = /^\/migrations\/([^/]+)$/.exec(path);
    if (m) {
      let name: string;
      try {
        name = decodeURIComponent(m[1]!);
      } catch {
        notFound(req, res, `no such page: ${path}`);
        return;
      }
      const runs = (await visible(name)) ? await store.runs({ migration: name }) : [];
      if (runs.length === 0) {
        notFound(req, res, `no migration named ${name} in this store`);
        return;
      }
      const model = migrationPage({
        runs,
        events: await store.events({ migration: name }),
        now: now(),
        basePath,
        breaker: await store.getBreaker(runs[0]!.fleet),
      });
      page(req, res, 200, model, () => renderMigrationHtml(model, { basePath, generatedAt }));
      return;
    }
    notFound(req, res, `no such page: ${path}`);
  }

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch((err: unknown) => {
      logger.error({ err: (err as Error).message, url: req.url }, 'dashboard request failed');
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `dashboard error: ${(err as Error).message}\n`);
      else res.end();
    });
  };

  let server: Server | null = null;
  return {
    handle,
    listen(port, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        const s = createServer(handle);
        s.once('error', reject);
        s.listen(port, host, () => {
          s.off('error', reject);
          server = s;
          const addr = s.address() as AddressInfo;
          const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
          resolve({ url: `http://${shown}:${addr.port}${basePath}/`, server: s });
        });
      });
    },
    close() {
      return new Promise((resolve, reject) => {
        if (!server) return resolve();
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
        server = null;
      });
    },
  };
}

function renderError(message: string, basePath: string, at: Date): string {
  const esc = (t: string) => t.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found · Fleetwave</title></head><body style="font-family:sans-serif;padding:24px"><h1>Not found</h1><p>${esc(message)}</p><p><a href="${esc(basePath)}/">All migrations</a></p><p style="color:#59636e;font-size:12px">${at.toISOString()}</p></body></html>\n`;
}
