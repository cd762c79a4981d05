/* eslint-disable @typescript-eslint/no-explicit-any -- webhook example payloads are reshaped freely in tests */
/**
 * The App with workers (FLEETWAVE_APP_WORKERS=external), end to end on one PostgreSQL store and queue:
 * two App replicas receive every webhook of a migration twice, in a shuffled order, and only record
 * jobs; two workers (each its own App services, as src/composition/app-jobs.ts wires them, and its own
 * queue connection) carry the jobs out with the real engine and the GitHub forge against the simulated
 * GitHub (test/forge/github/simulator.ts). No duplicate PR; the same final state as one App delivering
 * each webhook once, inline (test/app/replay.test.ts). In one process: the simulated GitHub answers
 * behind nock.
 */
import { afterAll, afterEach, describe, expect, it, jest } from '@jest/globals';
import nock from 'nock';
import { Probot } from 'probot';
import { FleetwaveApp } from '../../src/app/fleetwave-app.js';
import { budgetedProbotOctokit } from '../../src/app/github.js';
import { registerHandlers } from '../../src/app/index.js';
import { DEFAULT_CONFIG } from '../../src/app/types.js';
import { createChangeApplier } from '../../src/codemod/engine.js';
import { RequestBudget } from '../../src/forge/github/request-budget.js';
import { parseManifest } from '../../src/manifest/load.js';
import type { JobQueue, ReconcileAppPayload } from '../../src/queue/port.js';
import { openPgBossQueue } from '../../src/queue/postgres/pg-boss-queue.js';
import { QueueWorker } from '../../src/queue/worker.js';
import { runMigration } from '../../src/rollout/run.js';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { silentLogger } from '../../src/util/log.js';
import { FakeClock } from '../forge/github/fake-clock.js';
import { GitHubSimulator } from '../forge/github/simulator.js';
import { CANARY_THEN_ALL, playEventsManifest } from '../helpers/play-events-manifest.js';
import { openapiViolations, resetGitHubRequests } from '../helpers/openapi.js';
import { dropDatabases, freshDatabase, sayWhenSkipped, WITH_POSTGRES } from '../store/postgres-test-db.js';
import { manifestPush, WORLD_POLICY } from './engine-world.js';
import { example, inRepo } from './fixtures.js';
import { privateKey } from './app-key.js';

jest.setTimeout(180_000);
sayWhenSkipped('test/app/workers-world.test.ts');
afterAll(dropDatabases);

const CONSUMERS = ['acme/c1', 'acme/c2', 'acme/c3', 'acme/c4'];
const MANIFEST_PATH = '.fleetwave/migrations/play-events-v2.yaml';
const MANIFEST = playEventsManifest(`repos: [${CONSUMERS.join(', ')}]`, [...CANARY_THEN_ALL, 'failureThreshold: 50%']);

function events(): { name: string; payload: any }[] {
  const out: { name: string; payload: any }[] = [manifestPush('acme/data-platform', MANIFEST_PATH)];
  for (const c of CONSUMERS) {
    const suite = inRepo(example('check_suite', 'completed'), c);
    suite.check_suite.head_branch = 'fleetwave/play-events-v2';
    suite.check_suite.pull_requests = [];
    out.push({ name: 'check_suite', payload: suite });
  }
  return out;
}

function shuffled<T>(items: T[], seed: number): T[] {
  let a = seed >>> 0;
  const rnd = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

(WITH_POSTGRES ? describe : describe.skip)('App replicas and workers on one PostgreSQL database', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
    nock.cleanAll();
    expect(openapiViolations()).toEqual([]);
  });

  it('record each webhook as a job, and workers carry them out: one PR per consumer, the migration goes on', async () => {
    nock.disableNetConnect();
    resetGitHubRequests();
    const sim = new GitHubSimulator('fleetwave[bot]');
    await sim.addRepo('acme/.github', { 'fleetwave.yml': WORLD_POLICY });
    await sim.addRepo('acme/data-platform', { [MANIFEST_PATH]: MANIFEST });
    for (const c of CONSUMERS)
      await sim.addRepo(c, { 'src/read.ts': "export const uri = 'data/play-events/v1';\n" }, c === 'acme/c3' ? 'FAILURE' : 'SUCCESS');
    sim.install();
    closers.push(() => sim.dispose());
    const url = await freshDatabase();
    const store = await openPostgresStore(url);
    closers.push(() => store.close());

    /** One process's App: its own Probot, budget and queue connection, the shared store. */
    const apps: { probot: Probot; fw: FleetwaveApp; jobs: JobQueue }[] = [];
    const reconciles: string[] = [];
    for (let i = 0; i < 4; i++) {
      const jobs = await openPgBossQueue(url, { maintenanceSeconds: 5 });
      closers.push(() => jobs.close());
      const budget = new RequestBudget({}, new FakeClock());
      const probot = new Probot({ appId: 1, privateKey, secret: 's', Octokit: budgetedProbotOctokit(budget), logLevel: 'fatal' });
      let fw: FleetwaveApp | undefined;
      await probot.load((p: Probot) => {
        fw = new FleetwaveApp(p, {
          reconcileMigration: async (deps, loaded, options) => {
            reconciles.push(`${i}`);
            return runMigration(deps, loaded, options);
          },
          parseManifest,
          store,
          changes: createChangeApplier(),
          // The real clock: the runs' start (this clock) and end (the store's) are compared below.
          now: () => new Date(),
          config: { ...DEFAULT_CONFIG, gitBaseUrl: sim.gitBaseUrl, queueDelayMs: 3_600_000 },
          budget,
          jobs,
        });
        registerHandlers(p, fw);
      });
      apps.push({ probot, fw: fw!, jobs });
    }
    const [replicaA, replicaB, workerA, workerB] = apps as [(typeof apps)[0], (typeof apps)[0], (typeof apps)[0], (typeof apps)[0]];

    // Every webhook twice, shuffled, spread over the two replicas: they answer, and reconcile nothing.
    let id = 0;
    for (const e of shuffled([...events(), ...events()], 11)) {
      const replica = ++id % 2 ? replicaA : replicaB;
      await replica.probot.receive({ id: String(id), name: e.name, payload: e.payload } as never);
    }
    expect(reconciles).toEqual([]);
    expect(sim.repos.get('acme/c1')!.pulls).toHaveLength(0);
    const queued = await replicaA.jobs.stats();
    // Ten deliveries for one migration fold into the job still waiting.
    expect(queued).toMatchObject({ waiting: 1, running: 0 });

    // Two workers carry the jobs out, one at a time for the migration.
    const workers = [workerA, workerB].map(
      (w) =>
        new QueueWorker(
          w.jobs,
          { 'reconcile-app': (job, log) => w.fw.runJob(job.payload as ReconcileAppPayload, job.reason, log) },
          { concurrency: 2, logger: silentLogger, pollMs: 100 },
        ),
    );
    for (const w of workers) await w.start();
    closers.push(async () => void (await Promise.all(workers.map((w) => w.stop(0)))));
    const drained = async () => {
      for (let i = 0; i < 900; i++) {
        const s = await replicaA.jobs.stats();
        if (s.waiting === 0 && s.running === 0 && s.completedLastHour > 0) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    // While the first job runs, the checks' webhooks come again: a new job, which must wait for it.
    for (let i = 0; i < 300 && (await replicaA.jobs.stats()).running === 0; i++) await new Promise((r) => setTimeout(r, 20));
    for (const e of events().slice(1)) await replicaB.probot.receive({ id: String(++id), name: e.name, payload: e.payload } as never);
    await drained();
    expect(await replicaA.jobs.stats()).toMatchObject({ waiting: 0, running: 0, dead: 0, failedLastHour: 0 });
    expect(reconciles.length).toBeGreaterThanOrEqual(2);
    // A last round once all is quiet (checks finished meanwhile) moves the migration on; again only workers act.
    for (const e of events().slice(1)) await replicaA.probot.receive({ id: String(++id), name: e.name, payload: e.payload } as never);
    await drained();
    for (const c of CONSUMERS) expect({ repo: c, prs: sim.repos.get(c)!.pulls.length }).toEqual({ repo: c, prs: 1 });
    // As one App delivering each webhook once (test/app/replay.test.ts): merged where the checks pass, c3 left open.
    expect(CONSUMERS.map((c) => sim.repos.get(c)!.pulls[0]!.state)).toEqual(['MERGED', 'MERGED', 'OPEN', 'MERGED']);
    expect(sim.repos.get('acme/data-platform')!.issues).toHaveLength(1);
    // The runs, each carried out by a worker, never overlapped.
    const runs = (await store.runs({ migration: 'play-events-v2' })).reverse();
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.startedAt >= runs[i - 1]!.finishedAt!).toBe(true);
    expect(runs.length).toBeGreaterThanOrEqual(2);
  });
});
