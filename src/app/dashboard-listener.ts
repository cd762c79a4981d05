/**
 * The dashboard and Prometheus `/metrics` on a listener of their own, never on the internet-facing
 * webhook port: by default on loopback (127.0.0.1:3001), for an operator's tunnel or a scraper on the
 * same host (docs/security.md, "Exposure").
 *
 * Tokens (`Authorization: Bearer <token>`, compared in constant time):
 * - `FLEETWAVE_DASHBOARD_TOKEN`: the operator's; every installation's migrations and `/metrics`;
 * - `FLEETWAVE_DASHBOARD_TOKENS` (`<installation id>:<token>,…`): one installation's view each — only the
 *   migrations whose manifests belong to that installation (the store's claims), and no `/metrics`
 *   (metrics aggregate every installation).
 * With any token set, every request needs one. With none, the listener must be on loopback: the App
 * refuses to start on another host without a token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { InputError } from '../util/errors.js';

export interface DashboardBinding {
  host: string;
  port: number;
  /** The operator's token (every installation), or null. */
  token: string | null;
  /** Tokens that each see one installation. */
  installations: { installation: number; token: string }[];
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function installationTokens(raw: string | undefined): { installation: number; token: string }[] {
  if (!raw) return [];
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const m = /^(\d+):(.{16,})$/.exec(entry);
      if (!m)
        throw new InputError(
          'FLEETWAVE_DASHBOARD_TOKENS: each entry is <installation id>:<token> with a token of at least 16 characters, comma-separated',
        );
      return { installation: Number(m[1]), token: m[2]! };
    });
}

/** Where the dashboard listens, from FLEETWAVE_DASHBOARD_HOST / _PORT / _TOKEN / _TOKENS; null when the port is 0 (off). */
export function dashboardBinding(env: NodeJS.ProcessEnv): DashboardBinding | null {
  const host = env.FLEETWAVE_DASHBOARD_HOST || '127.0.0.1';
  const rawPort = env.FLEETWAVE_DASHBOARD_PORT ?? '3001';
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InputError(`FLEETWAVE_DASHBOARD_PORT=${rawPort}: expected a port number (0 turns the dashboard off)`);
  if (port === 0) return null;
  const token = env.FLEETWAVE_DASHBOARD_TOKEN || null;
  const installations = installationTokens(env.FLEETWAVE_DASHBOARD_TOKENS);
  if (!LOOPBACK.has(host) && !token && installations.length === 0)
    throw new InputError(
      `FLEETWAVE_DASHBOARD_HOST=${host} is not loopback: set FLEETWAVE_DASHBOARD_TOKEN (clients send Authorization: Bearer <token>), or keep the dashboard on 127.0.0.1`,
    );
  return { host, port, token, installations };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The dashboard's request handler behind the tokens. `dashboardFor(null)` is the operator's dashboard,
 * `dashboardFor(id)` one installation's (made once each). `/metrics` is the dashboard's metrics page.
 */
export function dashboardListener(
  dashboardFor: (installation: number | null) => Handler,
  binding: Pick<DashboardBinding, 'token' | 'installations'>,
): Handler {
  const scopes: { digest: Buffer; handle: Handler }[] = [
    ...(binding.token ? [{ digest: digest(`Bearer ${binding.token}`), handle: dashboardFor(null) }] : []),
    ...binding.installations.map((t) => ({ digest: digest(`Bearer ${t.token}`), handle: dashboardFor(t.installation) })),
  ];
  const open = scopes.length === 0 ? dashboardFor(null) : null;
  return (req, res) => {
    let handle = open;
    if (!handle) {
      const given = digest(req.headers.authorization ?? '');
      // Every token compared, whichever matches: the time taken says nothing about which.
      for (const scope of scopes) if (timingSafeEqual(given, scope.digest) && !handle) handle = scope.handle;
    }
    if (!handle) {
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
