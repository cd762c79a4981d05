/**
 * A loopback HTTP bridge to the GitHub double, for tests that run Fleetwave in a child process (the
 * Action bundle as a runner runs it): the double (simulator.ts) answers behind nock, in this process,
 * where no other process can reach it. The bridge listens on 127.0.0.1 (a free port) and re-sends each
 * request it receives (method, path and query, headers, body) through this process's own HTTP client
 * (`fetch`) to `https://api.github.com`, which nock intercepts; the answer (status, headers, body) goes
 * back as it came. So the double stays one implementation, and the child talks to it over real HTTP
 * with `GITHUB_API_URL=<bridge.url>`. Its answers are the double's, so they are checked as every answer of
 * the double is (GraphQL executed against GitHub's schema, REST held to GitHub's OpenAPI description,
 * test/helpers/openapi.ts): a child's request or an answer GitHub would not give fails the test.
 *
 * A client configured for GitHub Enterprise Server reaches it too: GHES serves REST under `/api/v3` and
 * GraphQL at `/api/graphql` ("About the REST API" / "Forming calls with GraphQL", docs.github.com/en/enterprise-server),
 * and that is the base URL Probot builds from `GHE_HOST` and `GHE_PROTOCOL` (probot's create-probot.js:
 * `${GHE_PROTOCOL}://${GHE_HOST}/api/v3`; @octokit/graphql turns a base URL ending in `/api/v3` into
 * `/api/graphql`). So the App, which takes its GitHub from Probot, runs against the double as a child
 * process with `GHE_HOST=127.0.0.1:<port>` and `GHE_PROTOCOL=http`: the bridge sends `/api/v3/<path>` on
 * as `/<path>` and `/api/graphql` as `/graphql` (api.github.com has no path under `/api/`).
 *
 * It serves loopback only (it listens on 127.0.0.1 and refuses any other peer), keeps each exchange
 * for the test to read (`exchanges`, with when each request arrived), and closes on `close()`, ending
 * any connection left open.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the bridge carried, with GitHub's (the double's) answer. */
export interface BridgeExchange {
  /** When the request arrived at the bridge (ms since the epoch, this process's clock). */
  at: number;
  method: string;
  /** The path and query on GitHub.com's layout (e.g. `/repos/acme/c1/pulls`, `/graphql`), a GHES prefix taken off. */
  path: string;
  requestBody: string;
  status: number;
  responseBody: string;
}

export interface HttpBridge {
  /** `http://127.0.0.1:<port>`: give it to the child as GITHUB_API_URL. */
  readonly url: string;
  /** Every exchange carried, in order. */
  readonly exchanges: readonly BridgeExchange[];
  close(): Promise<void>;
}

/** Headers a client may not set on `fetch`, or that describe this hop only (RFC 9110 §7.6.1). */
const HOP_HEADERS = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'expect', 'upgrade']);
/** Headers of the answer that the bridge recomputes: it sends the body whole and uncompressed. */
const ANSWER_HOP_HEADERS = new Set(['connection', 'keep-alive', 'content-length', 'transfer-encoding', 'content-encoding']);

const LOOPBACK = new Set(['127.0.0.1', '::ffff:127.0.0.1']);

/** GitHub.com's path of a request sent to a GHES layout (`/api/v3/…`, `/api/graphql`); others as they are. */
function dotComPath(path: string): string {
  if (path.startsWith('/api/v3/')) return path.slice('/api/v3'.length);
  if (path === '/api/graphql' || path.startsWith('/api/graphql?')) return path.slice('/api'.length);
  return path;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Starts a bridge from 127.0.0.1:<free port> to `target` (default `https://api.github.com`, where nock answers). */
export async function startHttpBridge(target = 'https://api.github.com'): Promise<HttpBridge> {
  const exchanges: BridgeExchange[] = [];
  const forward = async (req: IncomingMessage, res: ServerResponse, at: number): Promise<void> => {
    if (!LOOPBACK.has(req.socket.remoteAddress ?? '')) {
      res.writeHead(403).end();
      return;
    }
    const method = req.method ?? 'GET';
    const path = dotComPath(req.url ?? '/');
    const body = await readBody(req);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || HOP_HEADERS.has(name)) continue;
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
    }
    const answer = await fetch(new URL(path, target), {
      method,
      headers,
      redirect: 'manual',
      ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
    });
    const answerBody = Buffer.from(await answer.arrayBuffer());
    exchanges.push({
      at,
      method,
      path,
      requestBody: body.toString('utf8'),
      status: answer.status,
      responseBody: answerBody.toString('utf8'),
    });
    const answerHeaders: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (!ANSWER_HOP_HEADERS.has(name)) answerHeaders[name] = value;
    });
    answerHeaders['content-length'] = String(answerBody.length);
    res.writeHead(answer.status, answerHeaders).end(answerBody);
  };
  const server = createServer((req, res) => {
    const at = Date.now();
    forward(req, res, at).catch((err: unknown) => {
      // The double failed to answer (e.g. a request nothing intercepts): the client sees a 502 saying why.
      const message = `http-bridge: ${(err as Error).message}${(err as Error).cause ? ` (${String((err as Error).cause)})` : ''}`;
      exchanges.push({ at, method: req.method ?? 'GET', path: req.url ?? '/', requestBody: '', status: 502, responseBody: message });
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message }));
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    close: () =>
      new Promise<void>((done, fail) => {
        server.close((err) => (err ? fail(err) : done()));
        server.closeAllConnections();
      }),
  };
}
