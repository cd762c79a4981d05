/**
 * The dashboard and Prometheus `/metrics` on a listener of their own, never on the internet-facing
 * webhook port: by default on loopback (127.0.0.1:3001), for an operator's tunnel or a scraper on the
 * same host. Bound elsewhere it needs a token (`Authorization: Bearer <FLEETWAVE_DASHBOARD_TOKEN>`),
 * compared in constant time; the App refuses to start with a non-loopback host and no token. The
 * dashboard shows every installation's migrations: it is the operator's view (docs/security.md).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InputError } from '../util/errors.js';

export interface DashboardBinding {
  host: string;
  port: number;
  token: string | null;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Where the dashboard listens, from FLEETWAVE_DASHBOARD_HOST / _PORT / _TOKEN; null when the port is 0 (off). */
export function dashboardBinding(env: NodeJS.ProcessEnv): DashboardBinding | null {
  const host = env.FLEETWAVE_DASHBOARD_HOST || '127.0.0.1';
  const rawPort = env.FLEETWAVE_DASHBOARD_PORT ?? '3001';
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InputError(`FLEETWAVE_DASHBOARD_PORT=${rawPort}: expected a port number (0 turns the dashboard off)`);
  if (port === 0) return null;
  const token = env.FLEETWAVE_DASHBOARD_TOKEN || null;
  if (!LOOPBACK.has(host) && !token)
    throw new InputError(
      `FLEETWAVE_DASHBOARD_HOST=${host} is not loopback: set FLEETWAVE_DASHBOARD_TOKEN (clients send Authorization: Bearer <token>), or keep the dashboard on 127.0.0.1`,
    );
  return { host, port, token };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** The dashboard's request handler behind the token (when there is one); `/metrics` is the dashboard's metrics page. */
export function dashboardListener(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
  token: string | null,
): (req: IncomingMessage, res: ServerResponse) => void {
  const expected = token === null ? null : digest(`Bearer ${token}`);
  return (req, res) => {
    if (expected && !timingSafeEqual(digest(req.headers.authorization ?? ''), expected)) {
      res.writeHead(401, { 'www-authenticate': 'Bearer', 'content-type': 'text/plain; charset=utf-8' });
      res.end('a bearer token is required\n');
      return;
    }
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/metrics') req.url = '/fleetwave/metrics';
    else if (path === '/') req.url = '/fleetwave/';
    handle(req, res);
  };
}
