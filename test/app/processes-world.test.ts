/**
 * The whole App as it runs in production, in real processes (issue 20's concurrency test): two App
 * processes (src/app/main.ts, FLEETWAVE_APP_WORKERS=external: they only record jobs) and three
 * `fleetwave worker` processes (with the App's APP_ID and key they carry out the App's jobs:
 * src/composition/app-jobs.ts) on one fresh PostgreSQL database, one GitHub — the double
 * (test/forge/github/simulator.ts), which stays in this process and which the children reach over
 * HTTP through the loopback bridge (http-bridge.ts) as a GitHub Enterprise Server at GHE_HOST.
 *
 * 1,000 webhook deliveries signed with the webhook secret (X-Hub-Signature-256): 500 distinct ones — the
 * push of each of three manifests (one commit each, as GitHub sends one push per commit) and 497
 * `check_suite` completions over seven consumers — each sent twice (GitHub redelivers), in a seeded
 * shuffled order, spread over both App processes. Three workers are SIGKILLed at seeded points (a busy
 * one when the registry shows one) and replaced; one App process is SIGKILLed once and started again
 * (its deliveries go to the other meanwhile, as a load balancer would send them). Then the check suites
 * keep completing, a round every 2 s, until the migrations end.
 *
 * Asserted: one pull request per (repository, branch) in the double's state; every target merged;
 * every migration completed; no dead job; no two reconciles of one migration at once; and from the
 * bridge's log of arrivals, the content-creating requests of all the processes together within the
 * limits the test sets (FLEETWAVE_WRITES_PER_MINUTE=40, FLEETWAVE_WRITE_GAP_MS=500): small, so both
 * bind (three workers on three migrations would send closer and more often on their own;
 * test/forge/github/shared-budget.test.ts shows that check failing with a ledger per process).
 *
 * "One reconcile at a time" is read from the run records the reconciles leave in the PostgreSQL store
 * (src/rollout/run.ts: `startRun` as one begins, `finishRun` as it ends; the journal's events carry no
 * holder, and the reconcile lease keeps only its current holder), a killed worker's unfinished run
 * ended by its kill (test/helpers/reconcile-overlaps.ts).
 *
 * 80–135 s on 2 cores at load 6–9, most of it the budget (45–55 content requests at 40 a minute: the minute binds).
 * Seed: FLEETWAVE_TEST_SEED (default 20), printed with every failure, with each process's last output.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import nock from 'nock';
import { openQueue } from '../../src/composition/open-queue.js';
import { openStore } from '../../src/composition/open-store.js';
import type { MigrationSummary } from '../../src/rollout/model.js';
import { mulberry32 } from '../../src/simulate/prng.js';
import { type HttpBridge, startHttpBridge } from '../forge/github/http-bridge.js';
import { GitHubSimulator } from '../forge/github/simulator.js';
import { type CliProcess, startApp, startCli } from '../helpers/cli-process.js';
import { openapiViolations, resetGitHubRequests } from '../helpers/openapi.js';
import { CANARY_THEN_ALL, playEventsManifest } from '../helpers/play-events-manifest.js';
import { type Kill, reconcileOverlaps } from '../helpers/reconcile-overlaps.js';
import { killAWorker } from '../helpers/kill-worker.js';
import { shuffled, testSeed } from '../helpers/seeded.js';
import { dropDatabases, freshDatabase, sayWhenSkipped, WITH_POSTGRES } from '../store/postgres-test-db.js';
import { manifestPush, WORLD_POLICY } from './engine-world.js';
import { example, inRepo } from './fixtures.js';
import { privateKey } from './app-key.js';

jest.setTimeout(400_000);
sayWhenSkipped('test/app/processes-world.test.ts');
afterAll(dropDatabases);

const SECRET = 'processes-world-secret';
/** Three migrations (each its own dataset and manifest) over seven consumers. */
const MIGRATIONS: Record<string, string[]> = {
  'clicks-v2': ['acme/k1', 'acme/k2', 'acme/k3'],
  'orders-v2': ['acme/o1', 'acme/o2'],
  'users-v2': ['acme/u1', 'acme/u2'],
};
const CONSUMERS = Object.values(MIGRATIONS).flat();
const migrationOf = (repo: string) => Object.keys(MIGRATIONS).find((m) => MIGRATIONS[m]!.includes(repo))!;
const datasetOf = (migration: string) => migration.replace(/-v2$/, '');
const manifestPath = (migration: string) => `.fleetwave/migrations/${migration}.yaml`;
/** GitHub's limits, made small: the processes' content requests together must keep them. */
const LIMITS = { perMinute: 40, minGapMs: 500 };
/**
 * How much later than the ledger's grant a content request may arrive at the bridge: the time between
 * the ledger granting a send and this process reading the request, which grows with the machine's load
 * (this process also answers as GitHub, executing GraphQL). So two arrivals may be this much closer than
 * `minGapMs`, and a minute's window of arrivals this much shorter than the ledger's (measured: 41
 * arrivals within 59.8 s under a 40-a-minute limit, and 281 ms between two under a 400 ms gap, at load 9;
 * the gap is 500 ms so that 300 ms leaves room for a busier machine).
 */
const LATENESS_MS = 300;
const DISTINCT = 500;
const WORKERS = 3;
const WORKER_KILLS = 3;

function manifestOf(migration: string): string {
  const dataset = datasetOf(migration);
  return playEventsManifest(`repos: [${MIGRATIONS[migration]!.join(', ')}]`, CANARY_THEN_ALL)
    .replace('name: play-events-v2', `name: ${migration}`)
    .replaceAll('data/play-events/', `data/${dataset}/`);
}

/** A delivery as GitHub sends it: an event name, an id (the same for a redelivery) and a JSON body. */
interface Delivery {
  id: string;
  name: string;
  body: string;
}

function checkSuiteDone(repo: string): { name: string; payload: unknown } {
  const suite = inRepo(example('check_suite', 'completed'), repo);
  suite.check_suite.head_branch = `fleetwave/${migrationOf(repo)}`;
  suite.check_suite.pull_requests = [];
  return { name: 'check_suite', payload: suite };
}

/** The push of each manifest (one commit each: GitHub sends one push per commit). */
function manifestPushes(): { name: string; payload: unknown }[] {
  return Object.keys(MIGRATIONS).map((m) => manifestPush('acme/data-platform', manifestPath(m)));
}

const delivery = (e: { name: string; payload: unknown }): Delivery => ({ id: randomUUID(), name: e.name, body: JSON.stringify(e.payload) });

/** POSTs a delivery to an App process's webhook listener, signed as GitHub signs it; the status (0: no answer). */
async function deliver(port: number, d: Delivery): Promise<number> {
  const signature = `sha256=${createHmac('sha256', SECRET).update(d.body).digest('hex')}`;
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': d.name,
        'x-github-delivery': d.id,
        'x-hub-signature-256': signature,
        'user-agent': 'GitHub-Hookshot/processes-world',
      },
      body: d.body,
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => done(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ms: number, check: () => Promise<boolean>, every = 250): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(every);
  }
}

/** The requests GitHub counts against its content-creation limits ("Rate limits for the REST API", secondary rate limits). */
function contentCreating(e: { method: string; path: string; requestBody: string }): boolean {
  if (e.method === 'GET' || e.method === 'HEAD') return false;
  if (/^\/app\/installations\/\d+\/access_tokens/.test(e.path)) return false;
  if (e.path.startsWith('/graphql')) return /^\s*mutation\b/.test((JSON.parse(e.requestBody) as { query?: string }).query ?? '');
  return true;
}

/** What the arrivals show that the limits forbid: more than perMinute in a minute, two closer than the gap allows. */
function budgetBreaches(arrivals: readonly number[]): string[] {
  const out: string[] = [];
  arrivals.forEach((t, i) => {
    const inMinute = arrivals.filter((s) => s > t - 60_000 + LATENESS_MS && s <= t).length;
    if (inMinute > LIMITS.perMinute) out.push(`${inMinute} content requests in the minute up to request ${i + 1}`);
    if (i > 0 && t - arrivals[i - 1]! < LIMITS.minGapMs - LATENESS_MS)
      out.push(`requests ${i} and ${i + 1}: ${t - arrivals[i - 1]!} ms apart`);
  });
  return out;
}

(WITH_POSTGRES ? describe : describe.skip)('two App processes and three workers on one PostgreSQL database and one GitHub', () => {
  it('1,000 deliveries, duplicated and shuffled, workers and an App killed: one PR each, every target merged, one reconcile at a time, the budget kept', async () => {
    const seed = testSeed(20);
    const random = mulberry32(seed);
    const children: CliProcess[] = [];
    let passed = false;
    let sim: GitHubSimulator | undefined;
    let bridge: HttpBridge | undefined;
    const url = await freshDatabase();
    const store = await openStore(url);
    const queue = await openQueue(url);
    try {
      nock.disableNetConnect();
      // The App processes' webhook listeners (the deliveries) are real: only api.github.com is the double.
      nock.enableNetConnect(/^127\.0\.0\.1(:\d+)?$/);
      resetGitHubRequests();
      // The real clock: the processes compare GitHub's times with theirs.
      sim = new GitHubSimulator('fleetwave[bot]', () => new Date().toISOString());
      await sim.addRepo('acme/.github', { 'fleetwave.yml': WORLD_POLICY });
      await sim.addRepo('acme/data-platform', Object.fromEntries(Object.keys(MIGRATIONS).map((m) => [manifestPath(m), manifestOf(m)])));
      for (const c of CONSUMERS) await sim.addRepo(c, { 'src/read.ts': `export const uri = 'data/${datasetOf(migrationOf(c))}/v1';\n` });
      sim.install();
      bridge = await startHttpBridge();
      const ghe = new URL(bridge.url).host;

      const common: Record<string, string> = {
        APP_ID: '1',
        PRIVATE_KEY: privateKey,
        GHE_HOST: ghe,
        GHE_PROTOCOL: 'http',
        FLEETWAVE_STATE: url,
        FLEETWAVE_GIT_URL: sim.gitBaseUrl,
        FLEETWAVE_WRITES_PER_MINUTE: String(LIMITS.perMinute),
        FLEETWAVE_WRITE_GAP_MS: String(LIMITS.minGapMs),
        FLEETWAVE_JOB_LEASE_SECONDS: '20',
        FLEETWAVE_JOB_BACKOFF_SECONDS: '1',
        FLEETWAVE_QUEUE_MAINTENANCE_SECONDS: '1',
        FLEETWAVE_LEASE_SECONDS: '6',
        FLEETWAVE_WORKER_GRACE_SECONDS: '20',
        LOG_LEVEL: 'warn',
      };
      const appPorts = [await freePort(), await freePort()];
      const startAppProcess = async (i: number): Promise<CliProcess> => {
        const app = await startApp({
          ...common,
          WEBHOOK_SECRET: SECRET,
          PORT: String(appPorts[i]),
          HOST: '127.0.0.1',
          FLEETWAVE_APP_WORKERS: 'external',
          FLEETWAVE_DASHBOARD_PORT: '0',
          FLEETWAVE_RECONCILE_MINUTES: '0',
        });
        children.push(app);
        await until(`App process ${i} to be ready`, 60_000, async () => {
          if (app.child.exitCode !== null) throw new Error(`App process ${i} exited: ${app.output().slice(-3000)}`);
          return (
            (await fetch(`http://127.0.0.1:${appPorts[i]}/readyz`).then(
              (r) => r.status,
              () => 0,
            )) === 200
          );
        });
        return app;
      };
      const startWorker = async (): Promise<CliProcess> => {
        const w = await startCli(['worker', '--state', url, '--concurrency', '2'], common);
        children.push(w);
        return w;
      };
      const apps = [await startAppProcess(0), await startAppProcess(1)];
      const workers: CliProcess[] = [];
      for (let i = 0; i < WORKERS; i++) workers.push(await startWorker());

      const kills: Kill[] = [];
      // SIGKILLs a worker (a busy one when the registry shows one) and starts another in its place; one kill at a time (the senders run side by side): each picks among the workers alive after the last.
      let killing = Promise.resolve();
      const killOne = (): Promise<void> =>
        (killing = killing.then(async () => {
          const { victim, kill } = await killAWorker(queue, workers, random);
          kills.push(kill);
          workers.splice(workers.indexOf(victim), 1, await startWorker());
        }));

      // 500 distinct deliveries, each twice, shuffled; kills at seeded points among them.
      // The pushes once each, then every consumer's check suites completing, again and again.
      const distinct = [
        ...manifestPushes().map(delivery),
        ...Array.from({ length: DISTINCT - 3 }, (_, i) => delivery(checkSuiteDone(CONSUMERS[i % CONSUMERS.length]!))),
      ];
      const order = shuffled([...distinct, ...distinct], random);
      const killAt = new Set(Array.from({ length: WORKER_KILLS }, () => Math.floor(order.length * (0.1 + 0.8 * random()))));
      const appKillAt = Math.floor(order.length * (0.3 + 0.4 * random()));
      const statuses = new Map<number, number>();
      let appDown = false;
      const SENDERS = 4;
      let next = 0;
      const send = async (): Promise<void> => {
        while (next < order.length) {
          const n = next++;
          const d = order[n]!;
          if (killAt.has(n)) await killOne();
          if (n === appKillAt) {
            // The second App dies where it stands and comes back on its port; meanwhile the first takes every delivery.
            appDown = true;
            apps[1]!.child.kill('SIGKILL');
            await apps[1]!.exited;
            void startAppProcess(1).then((a) => {
              apps[1] = a;
              appDown = false;
            });
          }
          let status = await deliver(appPorts[appDown ? 0 : n % 2]!, d);
          // No answer (the App died with it): GitHub's redelivery, to the other.
          if (status === 0) status = await deliver(appPorts[0]!, d);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      };
      const t0 = Date.now();
      await Promise.all(Array.from({ length: SENDERS }, send));
      const deliveredMs = Date.now() - t0;
      await until('the restarted App process', 60_000, async () => !appDown);
      expect({ seed, statuses: Object.fromEntries(statuses) }).toEqual({ seed, statuses: { 200: 2 * DISTINCT } });

      // Then the consumers' check suites keep completing (a round every 2 s) until each migration has ended.
      const lastSummary = async (m: string): Promise<MigrationSummary | null> => {
        const runs = (await store.runs({ migration: m })).filter((r) => r.finishedAt !== null && r.state !== 'failed');
        return (runs[0]?.summary as MigrationSummary | undefined) ?? null;
      };
      const ended = async () => {
        for (const m of Object.keys(MIGRATIONS)) if ((await lastSummary(m))?.state !== 'completed') return false;
        const s = await queue.stats();
        return s.waiting === 0 && s.running === 0;
      };
      let rounds = 0;
      await until(
        `every migration to complete (seed ${seed})`,
        240_000,
        async () => {
          if (await ended()) return true;
          rounds++;
          for (const [i, c] of CONSUMERS.entries()) await deliver(appPorts[i % 2]!, delivery(checkSuiteDone(c)));
          return false;
        },
        2_000,
      );

      // Zero duplicate PRs: one per (repository, branch), and only the migration's own branch.
      for (const c of CONSUMERS) {
        const branches = sim.repos.get(c)!.pulls.map((p) => p.branch);
        expect({ seed, repo: c, branches }).toEqual({ seed, repo: c, branches: [`fleetwave/${migrationOf(c)}`] });
        expect({ seed, repo: c, state: sim.repos.get(c)!.pulls[0]!.state }).toEqual({ seed, repo: c, state: 'MERGED' });
      }
      // Every migration completed, every target reached.
      for (const m of Object.keys(MIGRATIONS)) {
        const s = (await lastSummary(m))!;
        expect({ seed, migration: m, state: s.state, targets: Object.fromEntries(s.targets.map((t) => [t.repo, t.state])) }).toEqual({
          seed,
          migration: m,
          state: 'completed',
          targets: Object.fromEntries(MIGRATIONS[m]!.map((c) => [c, 'merged'])),
        });
      }
      // One reconcile per migration at any instant.
      const runs = await store.runs({});
      expect({ seed, overlaps: Object.keys(MIGRATIONS).flatMap((m) => reconcileOverlaps(m, runs, kills)) }).toEqual({ seed, overlaps: [] });
      expect({ seed, killed: kills.length, dead: (await queue.stats()).dead }).toEqual({ seed, killed: killAt.size, dead: 0 });
      // The budget, all processes together, from the arrivals at GitHub.
      const content = bridge.exchanges
        .filter(contentCreating)
        .map((e) => e.at)
        .sort((a, b) => a - b);
      expect(content.length).toBeGreaterThan(LIMITS.perMinute / 2);
      expect({ seed, breaches: budgetBreaches(content) }).toEqual({ seed, breaches: [] });
      expect(bridge.exchanges.filter((e) => e.status >= 500)).toEqual([]);
      expect(openapiViolations()).toEqual([]);
      const closest = Math.min(...content.slice(1).map((t, i) => t - content[i]!));
      const busiestMinute = Math.max(...content.map((t) => content.filter((s) => s > t - 60_000 && s <= t).length));
      process.stderr.write(
        `processes-world (seed ${seed}): ${bridge.exchanges.length} requests to GitHub, ${content.length} content-creating (at most ${busiestMinute} in a minute, limit ${LIMITS.perMinute}; ${closest} ms the closest two, gap ${LIMITS.minGapMs}); ${runs.length} runs; ${rounds} rounds of check suites after the deliveries (${Math.round(deliveredMs / 1000)} s)\n`,
      );
      passed = true;
    } finally {
      if (!passed)
        process.stderr.write(
          `processes-world failed with FLEETWAVE_TEST_SEED=${seed}; the last of each process's output:\n${children
            .map((c) => `--- pid ${c.child.pid}\n${c.output().slice(-3000)}`)
            .join('\n')}\n`,
        );
      for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
      await Promise.all(children.map((c) => c.exited));
      await queue.close();
      await store.close();
      await bridge?.close();
      nock.cleanAll();
      nock.enableNetConnect();
      await sim?.dispose();
    }
  });
});
