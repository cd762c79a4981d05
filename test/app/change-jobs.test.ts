/* eslint-disable @typescript-eslint/no-explicit-any -- webhook example payloads are reshaped freely in tests */
/**
 * The App's change sets as jobs (src/app/fleetwave-app.ts computeChangesJob, src/composition/app-jobs.ts):
 * with workers (FLEETWAVE_APP_WORKERS=external), a `reconcile-app` job hands its targets' change sets to
 * `compute-changes-app` jobs, kept in the store's change-set cache; the last one enqueues the reconcile
 * again. Against the GitHub double (test/forge/github/simulator.ts, built from GitHub's OpenAPI
 * description and GraphQL schema), on one PostgreSQL store and pg-boss queue in one process: the same
 * pull requests and target states as the App reconciling in line, each (repository, head) computed
 * once, and a worker without the App's settings (a `fleetwave worker` with no APP_ID) gives the App's
 * change jobs back for one that has them. A consumer whose set cannot be computed fails with the
 * reason while the others go on.
 */
import { Writable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it, jest } from '@jest/globals';
import nock from 'nock';
import pino from 'pino';
import { Probot } from 'probot';
import { FleetwaveApp } from '../../src/app/fleetwave-app.js';
import { budgetedProbotOctokit } from '../../src/app/github.js';
import { registerHandlers } from '../../src/app/index.js';
import { DEFAULT_CONFIG, type AppServices } from '../../src/app/types.js';
import { localJobHandlers } from '../../src/cli/local-jobs.js';
import { createChangeApplier } from '../../src/codemod/engine.js';
import type { ChangeApplier } from '../../src/codemod/port.js';
import { appJobHandlers, fleetwaveAppJobHandlers } from '../../src/composition/app-jobs.js';
import { RequestBudget } from '../../src/forge/github/request-budget.js';
import { parseManifest } from '../../src/manifest/load.js';
import type { JobHandler } from '../../src/queue/worker.js';
import { openPgBossQueue } from '../../src/queue/postgres/pg-boss-queue.js';
import { QueueWorker } from '../../src/queue/worker.js';
import type { MigrationSummary } from '../../src/rollout/model.js';
import { runMigration } from '../../src/rollout/run.js';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import { InputError } from '../../src/util/errors.js';
import { silentLogger } from '../../src/util/log.js';
import { FakeClock } from '../forge/github/fake-clock.js';
import { GitHubSimulator } from '../forge/github/simulator.js';
import { CANARY_THEN_ALL, playEventsManifest } from '../helpers/play-events-manifest.js';
import { openapiViolations, resetGitHubRequests } from '../helpers/openapi.js';
import { dropDatabases, freshDatabase, sayWhenSkipped, WITH_POSTGRES } from '../store/postgres-test-db.js';
import { manifestPush, WORLD_POLICY } from './engine-world.js';
import { example, inRepo } from './fixtures.js';
import { privateKey } from './app-key.js';

jest.setTimeout(240_000);
sayWhenSkipped('test/app/change-jobs.test.ts');
afterAll(dropDatabases);

const CONSUMERS = ['acme/c1', 'acme/c2', 'acme/c3', 'acme/c4'];
const MANIFEST_PATH = '.fleetwave/migrations/play-events-v2.yaml';
const MANIFEST = playEventsManifest(`repos: [${CONSUMERS.join(', ')}]`, [...CANARY_THEN_ALL, 'failureThreshold: 50%']);

/** The checks' webhooks of every consumer's bot branch: each asks for the migration's reconcile. */
function checkSuites(): { name: string; payload: any }[] {
  return CONSUMERS.map((c) => {
    const suite = inRepo(example('check_suite', 'completed'), c);
    suite.check_suite.head_branch = 'fleetwave/play-events-v2';
    suite.check_suite.pull_requests = [];
    return { name: 'check_suite', payload: suite };
  });
}

/** The engine's change applier, recording each computation as `repo@head`. */
function countingApplier(): ChangeApplier & { calls: string[] } {
  const real = createChangeApplier();
  const calls: string[] = [];
  return {
    calls,
    compute(ctx) {
      calls.push(`${ctx.repo}@${ctx.headSha}`);
      return real.compute(ctx);
    },
  };
}

/** The simulated GitHub with the manifest repository and the consumers (c3's CI fails). */
async function github(): Promise<GitHubSimulator> {
  const sim = new GitHubSimulator('fleetwave[bot]');
  await sim.addRepo('acme/.github', { 'fleetwave.yml': WORLD_POLICY });
  await sim.addRepo('acme/data-platform', { [MANIFEST_PATH]: MANIFEST });
  for (const c of CONSUMERS)
    await sim.addRepo(c, { 'src/read.ts': "export const uri = 'data/play-events/v1';\n" }, c === 'acme/c3' ? 'FAILURE' : 'SUCCESS');
  sim.install();
  return sim;
}

/** What a user sees on GitHub: per consumer, its pull requests (branch and state). */
const pullRequests = (sim: GitHubSimulator) =>
  Object.fromEntries(CONSUMERS.map((c) => [c, sim.repos.get(c)!.pulls.map((p) => `${p.branch}:${p.state}`)]));
const targetStates = (s: MigrationSummary) => Object.fromEntries(s.targets.map((t) => [t.repo, t.state]));
const repos = (calls: string[]) => [...new Set(calls.map((c) => c.split('@')[0]))].sort();

async function newApp(
  services: Omit<AppServices, 'budget' | 'now' | 'parseManifest' | 'reconcileMigration' | 'config'>,
  gitBaseUrl: string,
) {
  const budget = new RequestBudget({}, new FakeClock());
  const probot = new Probot({ appId: 1, privateKey, secret: 's', Octokit: budgetedProbotOctokit(budget), logLevel: 'fatal' });
  let fw: FleetwaveApp | undefined;
  await probot.load((p: Probot) => {
    fw = new FleetwaveApp(p, {
      reconcileMigration: (deps, loaded, options) => runMigration(deps, loaded, options),
      parseManifest,
      now: () => new Date(),
      config: { ...DEFAULT_CONFIG, gitBaseUrl, queueDelayMs: 3_600_000 },
      budget,
      ...services,
    });
    registerHandlers(p, fw);
  });
  return { probot, fw: fw! };
}

(WITH_POSTGRES ? describe : describe.skip)('the App’s change sets as compute-changes-app jobs (PostgreSQL)', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
    nock.cleanAll();
    expect(openapiViolations()).toEqual([]);
  });

  it('computes each set once in jobs, and ends with the pull requests the App makes in line', async () => {
    nock.disableNetConnect();
    resetGitHubRequests();
    const ROUNDS = 3;
    let id = 0;

    // In line: the App with no job queue reconciles itself; each round of webhooks, then its queue drained.
    const inlineSim = await github();
    const inlineStore = await openPostgresStore(await freshDatabase());
    const inlineApplier = countingApplier();
    const inline = await newApp({ store: inlineStore, changes: inlineApplier }, inlineSim.gitBaseUrl);
    await inline.probot.receive({ id: String(++id), ...manifestPush('acme/data-platform', MANIFEST_PATH) } as never);
    await inline.fw.drain();
    for (let r = 0; r < ROUNDS; r++) {
      for (const e of checkSuites()) await inline.probot.receive({ id: String(++id), name: e.name, payload: e.payload } as never);
      await inline.fw.drain();
    }
    const inlinePulls = pullRequests(inlineSim);
    const [inlineRun] = await inlineStore.runs({ migration: 'play-events-v2', limit: 1 });
    inline.fw.stop();
    await inlineStore.close();
    await inlineSim.dispose();
    nock.cleanAll();
    // Canary merged first, then the rest; c3's checks fail and its PR stays open (test/app/replay.test.ts).
    expect(Object.values(inlinePulls)).toEqual([
      ['fleetwave/play-events-v2:MERGED'],
      ['fleetwave/play-events-v2:MERGED'],
      ['fleetwave/play-events-v2:OPEN'],
      ['fleetwave/play-events-v2:MERGED'],
    ]);

    // With workers: a replica records jobs; the App's worker carries them out; a plain worker shares the queue.
    const sim = await github();
    closers.push(() => sim.dispose());
    const url = await freshDatabase();
    const store = await openPostgresStore(url);
    closers.push(() => store.close());
    const queue = async () => {
      const q = await openPgBossQueue(url, { maintenanceSeconds: 5, policy: { backoffMs: 1_000 } });
      closers.push(() => q.close());
      return q;
    };
    const replicaJobs = await queue();
    const replica = await newApp({ store, changes: createChangeApplier(), jobs: replicaJobs, changeSets: store }, sim.gitBaseUrl);
    const appJobs = await queue();
    const applier = countingApplier();
    const appWorker = await newApp({ store, changes: applier, jobs: appJobs, changeSets: store }, sim.gitBaseUrl);
    // What ran where: the App's handlers, counted.
    const ran: string[] = [];
    const counted =
      (kind: string, h: JobHandler): JobHandler =>
      async (job, log) => {
        ran.push(kind);
        await h(job, log);
      };
    const appHandlers = fleetwaveAppJobHandlers(appWorker.fw, store);
    const workerA = new QueueWorker(
      appJobs,
      {
        'reconcile-app': counted('reconcile-app', appHandlers['reconcile-app']),
        'compute-changes-app': counted('compute-changes-app', appHandlers['compute-changes-app']),
        'deliver-alert-app': appHandlers['deliver-alert-app'],
      },
      { concurrency: 3, logger: silentLogger, pollMs: 100 },
    );
    // A `fleetwave worker` without APP_ID: its handlers (no App kind among them), and what it logs.
    const plainJobs = await queue();
    const plainLog: { msg: string; kind?: string }[] = [];
    const plainLogger = pino(
      { level: 'warn' },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          plainLog.push(JSON.parse(chunk.toString()) as { msg: string; kind?: string });
          done();
        },
      }),
    );
    const noApp = appJobHandlers(store, plainJobs, plainLogger, {});
    expect(noApp).toEqual({});
    const plain = new QueueWorker(
      plainJobs,
      { ...localJobHandlers({ store, state: url, queue: plainJobs }), ...noApp },
      {
        concurrency: 2,
        logger: plainLogger,
        pollMs: 50,
      },
    );
    closers.push(async () => void (await Promise.all([plain.stop(0), workerA.stop(0)])));
    const drained = async () => {
      for (let i = 0; i < 1200; i++) {
        const s = await replicaJobs.stats();
        if (s.waiting === 0 && s.running === 0) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the jobs did not drain');
    };
    await replica.probot.receive({ id: String(++id), ...manifestPush('acme/data-platform', MANIFEST_PATH) } as never);
    // The plain worker alone first: it takes the reconcile and gives it back, unrun.
    await plain.start();
    for (let i = 0; i < 300 && !plainLog.some((l) => l.kind === 'reconcile-app'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(plainLog.find((l) => l.kind === 'reconcile-app')?.msg).toBe(
      'this worker cannot carry out reconcile-app jobs; given back (docs/operations.md)',
    );
    expect(ran).toEqual([]);
    // Then the App's worker; the plain one keeps taking (and giving back) what it cannot do.
    await workerA.start();
    await drained();
    for (let r = 0; r < ROUNDS; r++) {
      for (const e of checkSuites()) await replica.probot.receive({ id: String(++id), name: e.name, payload: e.payload } as never);
      await drained();
    }

    // The same pull requests and target states as in line; nothing dead, no attempt failed.
    expect(pullRequests(sim)).toEqual(inlinePulls);
    const runs = await store.runs({ migration: 'play-events-v2' });
    expect(targetStates(runs[0]!.summary as MigrationSummary)).toEqual(targetStates(inlineRun!.summary as MigrationSummary));
    expect(await replicaJobs.stats()).toMatchObject({ waiting: 0, running: 0, dead: 0, failedLastHour: 0 });
    // The first reconcile handed the four consumers' sets to jobs and stopped before deciding.
    expect(runs.at(-1)).toMatchObject({ state: 'waiting-for-changes', summary: { pending: CONSUMERS.length } });
    expect(ran.filter((k) => k === 'compute-changes-app').length).toBeGreaterThanOrEqual(CONSUMERS.length);
    // Each consumer's set computed once (in its job; the reconcile enqueued again read them all from the
    // cache), as many computations as in line.
    expect(applier.calls.map((c) => c.split('@')[0]).sort()).toEqual(CONSUMERS);
    expect(repos(inlineApplier.calls)).toEqual(CONSUMERS);
    expect(applier.calls).toHaveLength(inlineApplier.calls.length);
    // The plain worker gave back only App jobs, and failed none (no failed attempt above).
    const givenBack = new Set(plainLog.filter((l) => l.msg.includes('cannot carry out')).map((l) => l.kind));
    expect([...givenBack].every((k) => k === 'reconcile-app' || k === 'compute-changes-app' || k === 'deliver-alert-app')).toBe(true);
  });

  it('a consumer whose change set cannot be computed fails with the reason; the others get their pull requests', async () => {
    nock.disableNetConnect();
    resetGitHubRequests();
    const sim = await github();
    closers.push(() => sim.dispose());
    const url = await freshDatabase();
    const store = await openPostgresStore(url);
    closers.push(() => store.close());
    const jobs = await openPgBossQueue(url, { maintenanceSeconds: 5, policy: { backoffMs: 1_000 } });
    closers.push(() => jobs.close());
    // The codemod refuses acme/c2 (an InputError: a retry would repeat it).
    const real = createChangeApplier();
    const applier: ChangeApplier = {
      compute(ctx) {
        if (ctx.repo === 'acme/c2') return Promise.reject(new InputError('changes[0]: src/read.ts of acme/c2 does not parse (line 1)'));
        return real.compute(ctx);
      },
    };
    const app = await newApp({ store, changes: applier, jobs, changeSets: store }, sim.gitBaseUrl);
    const worker = new QueueWorker(jobs, fleetwaveAppJobHandlers(app.fw, store), { concurrency: 3, logger: silentLogger, pollMs: 100 });
    await worker.start();
    closers.push(async () => void (await worker.stop(0)));
    const drained = async () => {
      for (let i = 0; i < 1200; i++) {
        const s = await jobs.stats();
        if (s.waiting === 0 && s.running === 0) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the jobs did not drain');
    };
    let id = 0;
    await app.probot.receive({ id: String(++id), ...manifestPush('acme/data-platform', MANIFEST_PATH) } as never);
    await drained();
    for (let r = 0; r < 3; r++) {
      for (const e of checkSuites()) await app.probot.receive({ id: String(++id), name: e.name, payload: e.payload } as never);
      await drained();
    }
    // Not stuck waiting for the failed set: the reconcile came back by itself and decided.
    const [last] = await store.runs({ migration: 'play-events-v2', limit: 1 });
    expect(last!.state).not.toBe('waiting-for-changes');
    const c2 = (last!.summary as MigrationSummary).targets.find((t) => t.repo === 'acme/c2');
    expect(c2).toMatchObject({
      state: 'failed',
      pr: null,
      reason: 'its changes could not be computed: changes[0]: src/read.ts of acme/c2 does not parse (line 1)',
    });
    expect(sim.repos.get('acme/c2')!.pulls).toHaveLength(0);
    for (const c of CONSUMERS.filter((c) => c !== 'acme/c2'))
      expect({ repo: c, prs: sim.repos.get(c)!.pulls.length }).toEqual({ repo: c, prs: 1 });
    // A failure is a result: the job completed, nothing dead, no attempt failed.
    expect(await jobs.stats()).toMatchObject({ waiting: 0, running: 0, dead: 0, failedLastHour: 0 });
  });
});
