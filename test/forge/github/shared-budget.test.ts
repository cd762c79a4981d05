/**
 * One request budget across processes (issue 20): three real child processes
 * (shared-budget-child.ts, bundled with esbuild) comment on one installation's issue as fast as their
 * budgets let them, against a local HTTP server that answers with GitHub's documented examples
 * (@octokit/openapi, test/helpers/openapi.ts) and logs when each request arrived. The third content
 * request is refused with a secondary rate limit (403 and `retry-after`, as "Rate limits for the REST
 * API" describes). Small limits keep it short: 6 content requests a minute, 400 ms apart.
 *
 * From the server's log: with the ledger in a shared SQLite file, PostgreSQL database or Redis, the three
 * together never send more than 6 in a minute nor two closer than 400 ms, and no request of any of
 * them (reads too) arrives while the rate limit holds; with a ledger per process (the budget before
 * issue 20) the same check fails, which the first case shows.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { checkGitHubRequest, checkGitHubResponse, githubExample, onExample } from '../../helpers/openapi.js';
import { dropDatabases, freshDatabase, sayWhenSkipped, WITH_POSTGRES } from '../../store/postgres-test-db.js';
import { redisUrl, sayWhenRedisSkipped, WITH_REDIS } from '../../store/redis-test-server.js';

jest.setTimeout(120_000);
sayWhenSkipped('test/forge/github/shared-budget.test.ts');
sayWhenRedisSkipped('test/forge/github/shared-budget.test.ts');

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..', '..');
const LIMITS = { perMinute: 6, perHour: 1000, minGapMs: 400, maxRateLimitWaits: 10 };
const CHILDREN = 3;
const RUN_MS = 6_000;
/** The content request (1-based, in arrival order) answered with a secondary rate limit, and its retry-after. */
const RATE_LIMITED = 3;
const RETRY_AFTER_S = 2;
/**
 * How much later than the budget's moment a request may arrive at the server: the time between the
 * ledger granting a send and the request reaching the socket, which varies with the machine's load.
 */
const LATENESS_MS = 150;
/** The time the rate-limited process takes to read the answer and record the hold; requests already on their way may arrive meanwhile. */
const HOLD_RECORDED_MS = 100;

interface Arrival {
  at: number;
  method: string;
  path: string;
  status: number;
  body: string;
}

let child: string;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fleetwave-shared-budget-'));
  const out = join(root, 'test-output', `shared-budget-${process.pid}`);
  mkdirSync(out, { recursive: true });
  child = join(out, 'child.mjs');
  await build({
    entryPoints: [join(root, 'test', 'forge', 'github', 'shared-budget-child.ts')],
    outfile: child,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  });
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await dropDatabases();
});

/** A GitHub for installation 42: GitHub's documented answers, each request's arrival logged and checked against the OpenAPI description. */
function startServer(): Promise<{ url: string; log: Arrival[]; problems: string[]; close(): Promise<void> }> {
  const log: Arrival[] = [];
  const problems: string[] = [];
  let content = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const at = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      problems.push(...checkGitHubRequest(method, path, body ? JSON.parse(body) : undefined));
      let status: number;
      let answer: unknown;
      const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
      if (method === 'POST' && ++content === RATE_LIMITED) {
        // "If you exceed a secondary rate limit, you will receive a 403 or 429 response and an error message that
        // indicates that you exceeded a secondary rate limit. If the retry-after response header is present, you
        // should not retry your request until after that many seconds has elapsed." (Rate limits for the REST API)
        status = 403;
        headers['retry-after'] = String(RETRY_AFTER_S);
        answer = {
          message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          documentation_url: 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        };
      } else {
        status = method === 'POST' ? 201 : 200;
        // GitHub's example of a repository lacks `language`, which its schema requires (as the GitHub double says, simulator.ts), and is no fork.
        answer =
          method === 'GET'
            ? onExample(githubExample(method, path, status), { language: null, source: undefined, parent: undefined })
            : githubExample(method, path, status);
      }
      problems.push(...checkGitHubResponse(method, path, status, answer));
      log.push({ at, method, path, status, body });
      res.writeHead(status, headers).end(JSON.stringify(answer));
    });
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () =>
      done({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        log,
        problems,
        close: () => new Promise<void>((closed) => server.close(() => closed())),
      }),
    ),
  );
}

/** Runs the children (each on the store `stateOf(i)` gives) at once against a fresh server; the server's log. */
async function runChildren(stateOf: (i: number) => string, redis?: string): Promise<{ log: Arrival[]; problems: string[] }> {
  const server = await startServer();
  try {
    const procs = Array.from({ length: CHILDREN }, (_, i) =>
      spawn(
        process.execPath,
        [child, stateOf(i), server.url, String(RUN_MS), JSON.stringify(LIMITS), `child-${i}`, ...(redis ? [redis] : [])],
        {
          cwd: root,
          stdio: ['pipe', 'pipe', 'pipe'],
        },
      ),
    );
    const stderr = procs.map(() => '');
    const exits = procs.map(
      (p, i) =>
        new Promise<number | null>((done) => {
          p.stderr.on('data', (d: Buffer) => (stderr[i] += d.toString()));
          p.on('exit', (code) => done(code));
        }),
    );
    await Promise.all(
      procs.map(
        (p, i) =>
          new Promise<void>((ready, failed) => {
            p.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && ready());
            void exits[i]!.then((code) => failed(new Error(`child-${i} exited (${code}) before it was ready: ${stderr[i]}`)));
          }),
      ),
    );
    for (const p of procs) p.stdin.write('go\n');
    const codes = await Promise.all(exits);
    expect({ codes, stderr }).toEqual({ codes: procs.map(() => 0), stderr: procs.map(() => '') });
    return { log: server.log, problems: server.problems };
  } finally {
    await server.close();
  }
}

/** What the server saw that GitHub's limits forbid: more than perMinute in a minute, two too close, a request during the hold. */
function breaches(log: readonly Arrival[]): string[] {
  const out: string[] = [];
  const sends = log.filter((a) => a.method === 'POST').map((a) => a.at);
  sends.forEach((t, i) => {
    const inMinute = sends.filter((s) => s > t - 60_000 && s <= t).length;
    if (inMinute > LIMITS.perMinute) out.push(`${inMinute} content requests in the minute up to send ${i + 1}`);
    if (i > 0 && t - sends[i - 1]! < LIMITS.minGapMs - LATENESS_MS) out.push(`sends ${i} and ${i + 1} ${t - sends[i - 1]!} ms apart`);
  });
  const limited = log.find((a) => a.status === 403);
  if (limited) {
    const from = limited.at + HOLD_RECORDED_MS;
    const until = limited.at + RETRY_AFTER_S * 1000 - LATENESS_MS;
    for (const a of log.filter((x) => x.at > from && x.at < until))
      out.push(`${a.method} ${a.path} ${a.at - limited.at} ms after the rate limit of ${RETRY_AFTER_S} s`);
  }
  return out;
}

describe('one request budget across processes', () => {
  it('is broken by a ledger per process: three processes together exceed the limits and ignore one another’s rate limit', async () => {
    const { log, problems } = await runChildren(() => 'in-process');
    expect(problems).toEqual([]);
    const found = breaches(log);
    expect(found.some((b) => b.includes('in the minute'))).toBe(true);
    expect(found.some((b) => b.includes('ms apart'))).toBe(true);
    expect(found.some((b) => b.includes('after the rate limit'))).toBe(true);
  });

  /** Where the three count: each child's store (`stateOf(i)`), and a Redis server when given. */
  type Setup = () => Promise<{ stateOf: (i: number) => string; redis?: string }>;
  const one = (state: string) => ({ stateOf: () => state });
  const shared: [string, Setup][] = [
    ['a SQLite file', async () => one(join(dir, `fleetwave-${Date.now()}.sqlite`))],
    ...(WITH_POSTGRES ? ([['a PostgreSQL database', async () => one(await freshDatabase())]] as [string, Setup][]) : []),
    // Each child on a store of its own: only Redis is shared.
    ...(WITH_REDIS
      ? ([
          [
            'Redis (FLEETWAVE_BUDGET_REDIS_URL)',
            async () => ({ stateOf: (i: number) => join(dir, `own-${Date.now()}-${i}.sqlite`), redis: redisUrl() }),
          ],
        ] as [string, Setup][])
      : []),
  ];
  it.each(shared)('is kept by three processes sharing the ledger in %s, rate-limit waits included', async (_, setup) => {
    const { stateOf, redis } = await setup();
    const { log, problems } = await runChildren(stateOf, redis);
    expect(problems).toEqual([]);
    expect(breaches(log)).toEqual([]);
    // Not starved either: the minute's six sends (the rate-limited one counts) went out. Which processes
    // sent them is up to the scheduler (the ledgers promise no fairness): on a quiet machine one process
    // took all six in a CI run, so no share per process is asserted.
    const sends = log.filter((a) => a.method === 'POST');
    expect(sends).toHaveLength(LIMITS.perMinute);
    expect(log.filter((a) => a.status === 403)).toHaveLength(1);
  });
});
