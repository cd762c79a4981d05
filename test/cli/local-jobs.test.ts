/**
 * Change sets as jobs (src/cli/local-jobs.ts, src/rollout/change-cache.ts): a reconcile run by workers
 * fans its targets' change sets out to `compute-changes` jobs, computed in parallel and kept in the
 * store's change-set cache; the last one enqueues the reconcile again, which reads them and computes
 * none, and ends where `fleetwave run` (in line, no queue) ends on an identical fleet. A worker that
 * dies holding a change job leaves it to another after the lease. On the in-process queue (SQLite
 * store) and on PostgreSQL (pg-boss, the PostgreSQL store); real git fleets, real checks.
 */
import { afterAll, afterEach, describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runLocal } from '../../src/cli/commands/run.js';
import { localJobHandlers } from '../../src/cli/local-jobs.js';
import { createChangeApplier } from '../../src/codemod/engine.js';
import type { ChangeApplier } from '../../src/codemod/port.js';
import { openStore } from '../../src/composition/open-store.js';
import { createLocalRepo, openLocalFleet } from '../../src/forge/local/index.js';
import { loadManifest } from '../../src/manifest/load.js';
import { InProcessQueue } from '../../src/queue/memory/in-process-queue.js';
import type { JobQueue, QueuePolicy } from '../../src/queue/port.js';
import { openPgBossQueue } from '../../src/queue/postgres/pg-boss-queue.js';
import { QueueWorker } from '../../src/queue/worker.js';
import type { MigrationSummary } from '../../src/rollout/model.js';
import type { ChangeSetCache, Store } from '../../src/store/port.js';
import { InputError } from '../../src/util/errors.js';
import { silentLogger } from '../../src/util/log.js';
import { agentMigration, LEGACY_CHECK, LEGACY_SQL } from '../helpers/agent-migration.js';
import { OLD, oneWaveManifest, smallFleet } from '../helpers/local-fleet.js';
import { dropDatabases, freshDatabase, sayWhenSkipped, WITH_POSTGRES } from '../store/postgres-test-db.js';

jest.setTimeout(300_000);
sayWhenSkipped('test/cli/local-jobs.test.ts');
afterAll(dropDatabases);
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const REPOS = ['acme/a', 'acme/b', 'acme/c', 'acme/d', 'acme/e'];

const until = async (what: string, check: () => Promise<boolean> | boolean, ms = 120_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

/** The engine's change applier, counting its computations and how many ran at once (each held 300 ms). */
function countingApplier(): ChangeApplier & { calls: string[]; most: number } {
  const real = createChangeApplier();
  let running = 0;
  const counter = {
    calls: [] as string[],
    most: 0,
    async compute(ctx: Parameters<ChangeApplier['compute']>[0]) {
      counter.calls.push(`${ctx.repo}@${ctx.headSha}`);
      running++;
      counter.most = Math.max(counter.most, running);
      try {
        await new Promise((r) => setTimeout(r, 300));
        return await real.compute(ctx);
      } finally {
        running--;
      }
    },
  };
  return counter;
}

/** A fleet of REPOS and the one-wave manifest beside it. */
async function fleet() {
  const f = await smallFleet(REPOS);
  cleanups.push(() => f.cleanup());
  const manifestPath = join(f.root, 'events-v2.yaml');
  writeFileSync(manifestPath, oneWaveManifest());
  return { ...f, manifestPath };
}

/** Per repository: its pull requests (branch and state) and the default branch's config.yaml. */
async function forgeFacts(fleetDir: string) {
  const forge = await openLocalFleet(fleetDir);
  const facts: Record<string, unknown> = {};
  for (const repo of REPOS) {
    const prs: string[] = [];
    for (let n = 1; ; n++) {
      const pr = await forge.getPullRequest(repo, n);
      if (!pr) break;
      prs.push(`${pr.branch}:${pr.state}`);
    }
    facts[repo] = { prs, config: await forge.readFile(repo, 'config.yaml') };
  }
  return facts;
}

const targetStates = (s: MigrationSummary) => Object.fromEntries(s.targets.map((t) => [t.repo, t.state]));

// The lease outlives any job here (a loaded machine), and is short enough to wait out once.
const POLICY: QueuePolicy = { maxAttempts: 3, backoffMs: 1_000, leaseMs: 8_000 };
type Setup = (root: string) => Promise<{ state: string; queue: () => Promise<JobQueue> }>;
const setups: [string, Setup][] = [
  [
    'in-process queue, SQLite store',
    async (root) => {
      const q = new InProcessQueue(POLICY);
      // One process: its workers share the queue object.
      return { state: join(root, 'state.sqlite'), queue: async () => q };
    },
  ],
  ...(WITH_POSTGRES
    ? ([
        [
          'PostgreSQL queue and store',
          async () => {
            const state = await freshDatabase();
            return { state, queue: () => openPgBossQueue(state, { policy: POLICY, maintenanceSeconds: 1 }) };
          },
        ],
      ] as [string, Setup][])
    : []),
];

describe.each(setups)('change sets as jobs (%s)', (_name, setup) => {
  it('computes each target’s change set once, in parallel jobs, and ends with the pull requests `fleetwave run` makes in line', async () => {
    // In line, no queue: what `fleetwave run` does.
    const inline = await fleet();
    const inlineApplier = countingApplier();
    const inlineSummary = await runLocal(
      await loadManifest(inline.manifestPath),
      { fleet: inline.fleet, state: inline.state },
      { err: () => undefined, isTTY: false },
      { changes: inlineApplier },
    );
    expect(inlineApplier.calls).toHaveLength(REPOS.length);
    expect(inlineApplier.most).toBe(1);

    const queued = await fleet();
    const { state, store, queue } = await openState(setup, queued.root);
    const applier = countingApplier();
    await reconcileWithWorker({ store, state, queue, changes: applier, concurrency: 4 }, queued);

    // Each target's change set computed once, by the jobs (some at once); the second reconcile computed none.
    const repos = (calls: string[]) => calls.map((c) => c.split('@')[0]).sort();
    expect(repos(applier.calls)).toEqual(repos(inlineApplier.calls));
    expect(applier.most).toBeGreaterThan(1);
    const runs = await store.runs({ migration: 'events-v2' });
    expect(runs.map((r) => r.state)).toEqual([inlineSummary.state, 'waiting-for-changes']);
    expect(runs[1]!.summary).toMatchObject({ pending: REPOS.length });
    expect(targetStates(runs[0]!.summary as MigrationSummary)).toEqual(targetStates(inlineSummary));
    expect(await forgeFacts(queued.fleet)).toEqual(await forgeFacts(inline.fleet));
    expect((await queue.stats()).byKind['compute-changes'] ?? { dead: 0, failedLastHour: 0 }).toMatchObject({ dead: 0, failedLastHour: 0 });
  });

  it('a target whose change set cannot be computed fails with the reason; the batch completes and the others go on', async () => {
    // In line, with the engine as it is: where the others end.
    const inline = await fleet();
    const inlineSummary = await runLocal(
      await loadManifest(inline.manifestPath),
      { fleet: inline.fleet, state: inline.state },
      { err: () => undefined, isTTY: false },
      {},
    );

    const f = await fleet();
    const { state, store, queue } = await openState(setup, f.root);
    // acme/c: the codemod refuses it (an InputError: a retry would repeat it, so its first attempt is its
    // last); acme/d: an error of unknown kind every time (retried until the queue's last attempt).
    const real = countingApplier();
    const attempts: Record<string, number> = {};
    const applier: ChangeApplier = {
      async compute(ctx) {
        attempts[ctx.repo] = (attempts[ctx.repo] ?? 0) + 1;
        if (ctx.repo === 'acme/c') throw new InputError('changes[0]: config.yaml of acme/c is not YAML (line 3)');
        if (ctx.repo === 'acme/d') throw new Error('git checkout exited with 128');
        return real.compute(ctx);
      },
    };
    // Not stuck: the reconcile comes back by itself once every job of the batch has ended, failed ones too.
    await reconcileWithWorker({ store, state, queue, changes: applier, concurrency: 3 }, f);
    expect(attempts['acme/c']).toBe(1);
    expect(attempts['acme/d']).toBe(POLICY.maxAttempts);
    const [run] = await store.runs({ migration: 'events-v2', limit: 1 });
    const targets = new Map((run!.summary as MigrationSummary).targets.map((t) => [t.repo, t]));
    expect(targets.get('acme/c')).toMatchObject({
      state: 'failed',
      pr: null,
      reason: 'its changes could not be computed: changes[0]: config.yaml of acme/c is not YAML (line 3)',
    });
    expect(targets.get('acme/d')).toMatchObject({
      state: 'failed',
      pr: null,
      reason: 'its changes could not be computed: git checkout exited with 128',
    });
    const others = (s: MigrationSummary) =>
      Object.fromEntries(s.targets.filter((t) => t.repo !== 'acme/c' && t.repo !== 'acme/d').map((t) => [t.repo, t.state]));
    expect(others(run!.summary as MigrationSummary)).toEqual(others(inlineSummary));
    expect(Object.values(others(inlineSummary))).toEqual(['merged', 'merged', 'merged']);
    // The failures are results, not poison jobs: nothing dead, and acme/d's two failed attempts were retried.
    const kind = (await queue.stats()).byKind['compute-changes'];
    expect(kind?.dead ?? 0).toBe(0);
    expect(kind?.failedLastHour ?? 0).toBe(POLICY.maxAttempts - 1);
    // A reconcile asked for again reads the kept failures: nothing is computed again for the same heads.
    const before = { ...attempts };
    await queue.enqueue({
      kind: 'reconcile-local',
      key: 'events-v2',
      payload: { manifest: f.manifestPath, fleet: f.fleet },
      reason: 'again',
    });
    await until('the reconcile asked for again', async () => {
      const [latest] = await store.runs({ migration: 'events-v2', limit: 1 });
      const st = await queue.stats();
      return latest!.id !== run!.id && latest!.finishedAt != null && st.waiting === 0 && st.running === 0;
    });
    expect(attempts).toEqual(before);
    const [latest] = await store.runs({ migration: 'events-v2', limit: 1 });
    expect(latest!.state).not.toBe('waiting-for-changes');
  });

  it('a change job whose worker died is carried out by another after the lease, and the migration goes on', async () => {
    const f = await fleet();
    const { state, store, queue, openQueue } = await openState(setup, f.root);
    const applier = countingApplier();
    const handlers = localJobHandlers({ store, state, queue, changes: applier });
    // The reconcile's job, carried out here: it fans out and stops.
    await reconcileHere(queue, handlers, f.manifestPath, f.fleet);
    expect(applier.calls).toEqual([]);
    // A worker (its own connection to the queue) takes one change job and dies without a word.
    const doomed = await openQueue();
    const [taken] = await doomed.take(1);
    expect(taken).toMatchObject({ kind: 'compute-changes', attempt: 1 });
    if (doomed !== queue) await doomed.close();

    const worker = new QueueWorker(queue, handlers, { concurrency: 2, logger: silentLogger, pollMs: 50 });
    await worker.start();
    cleanups.push(async () => void (await worker.stop(0)));
    await until('the migration after the lost job', async () => {
      const [run] = await store.runs({ migration: 'events-v2', limit: 1 });
      const s = await queue.stats();
      return run?.finishedAt != null && run.state !== 'waiting-for-changes' && s.waiting === 0 && s.running === 0;
    });
    expect(applier.calls.map((c) => c.split('@')[0]).sort()).toEqual(REPOS);
    const [last] = await store.runs({ migration: 'events-v2', limit: 1 });
    expect(Object.values(targetStates(last!.summary as MigrationSummary)).every((s) => s !== 'planned')).toBe(true);
    expect((await queue.stats()).dead).toBe(0);
  });

  it('computes a job run twice once, and never uses a set of a head that moved: the new head is computed', async () => {
    const f = await fleet();
    const { state, store, queue } = await openState(setup, f.root);
    const applier = countingApplier();
    const handlers = localJobHandlers({ store, state, queue, changes: applier });
    await reconcileHere(queue, handlers, f.manifestPath, f.fleet);
    for (let n = 0; n < REPOS.length; n++) {
      const job = await takeOne(queue);
      expect(job.kind).toBe('compute-changes');
      await handlers['compute-changes'](job, silentLogger);
      // The same job again (its worker died after keeping the set): nothing is computed twice.
      if (n === 0) await handlers['compute-changes'](job, silentLogger);
      await queue.complete(job);
    }
    expect(applier.calls).toHaveLength(REPOS.length);

    // Before the reconcile comes back, a developer pushes to acme/a's default branch.
    const work = mkdtempSync(join(tmpdir(), 'fleetwave-dev-'));
    cleanups.push(() => rmSync(work, { recursive: true, force: true }));
    execFileSync('git', ['clone', '-q', join(f.fleet, 'acme/a.git'), work]);
    writeFileSync(join(work, 'NOTES.md'), 'a new commit\n');
    execFileSync('git', ['-C', work, 'add', '.']);
    execFileSync('git', ['-C', work, '-c', 'user.name=Ada', '-c', 'user.email=ada@acme.example', 'commit', '-qm', 'notes']);
    execFileSync('git', ['-C', work, 'push', '-q', 'origin', 'HEAD']);
    const newHead = execFileSync('git', ['-C', work, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();

    const again = await takeOne(queue);
    expect(again).toMatchObject({ kind: 'reconcile-local', key: 'events-v2' });
    await handlers['reconcile-local'](again, silentLogger);
    await queue.complete(again);
    // The moved target's set was computed on its new head (one set: in the tick); the others came from the cache.
    expect(applier.calls).toHaveLength(REPOS.length + 1);
    expect(applier.calls.at(-1)).toBe(`acme/a@${newHead}`);
    const [run] = await store.runs({ migration: 'events-v2', limit: 1 });
    expect(run!.state).not.toBe('waiting-for-changes');
    const pr = await (await openLocalFleet(f.fleet)).getPullRequest('acme/a', 1);
    expect(await (await openLocalFleet(f.fleet)).readFile('acme/a', 'NOTES.md', pr!.headSha)).toBe('a new commit\n');
  });
});

/** The next job of `queue`, taken by the test itself (up to 10 s). */
/** The state and queue of `setup` in `root`, opened (both closed at the test's end); `openQueue` opens another connection. */
async function openState(setup: Setup, root: string) {
  const { state, queue: openQueue } = await setup(root);
  const store = await openStore(state);
  cleanups.push(() => store.close());
  const queue = await openQueue();
  cleanups.push(() => queue.close());
  return { state, store, queue, openQueue };
}

/** A reconcile-local job of `manifest`, carried out here by `handlers`: it hands its change sets to jobs and stops. */
async function reconcileHere(queue: JobQueue, handlers: ReturnType<typeof localJobHandlers>, manifest: string, fleetDir: string) {
  await queue.enqueue({ kind: 'reconcile-local', key: 'events-v2', payload: { manifest, fleet: fleetDir }, reason: 'test' });
  const reconcile = await takeOne(queue);
  await handlers['reconcile-local'](reconcile, silentLogger);
  await queue.complete(reconcile);
}

async function takeOne(queue: JobQueue) {
  for (let i = 0; i < 100; i++) {
    const [job] = await queue.take(1);
    if (job) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no job came');
}

/**
 * A worker (its own QueueWorker on `queue`, stopped at the test's end) carries out a `reconcile-local`
 * of `fleet`'s manifest, and whatever jobs it fans out, until the migration's newest run has finished
 * (not merely handed its change sets to jobs) and the queue is empty.
 */
async function reconcileWithWorker(
  w: { store: Store & ChangeSetCache; state: string; queue: JobQueue; changes: ChangeApplier; concurrency: number },
  fleet: { manifestPath: string; fleet: string },
): Promise<void> {
  const { store, state, queue, changes } = w;
  const worker = new QueueWorker(queue, localJobHandlers({ store, state, queue, changes }), {
    concurrency: w.concurrency,
    logger: silentLogger,
    pollMs: 50,
  });
  await worker.start();
  cleanups.push(async () => void (await worker.stop(0)));
  await queue.enqueue({
    kind: 'reconcile-local',
    key: 'events-v2',
    payload: { manifest: fleet.manifestPath, fleet: fleet.fleet },
    reason: 'test',
  });
  await until('the reconcile after the change jobs', async () => {
    const [run] = await store.runs({ migration: 'events-v2', limit: 1 });
    const st = await queue.stats();
    return run?.finishedAt != null && run.state !== 'waiting-for-changes' && st.waiting === 0 && st.running === 0;
  });
}

describe('change sets as jobs, on a monorepo split into workspaces', () => {
  it('fans out each repository’s whole change set; its workspace targets end as they do in line', async () => {
    const workspaceFleet = async () => {
      const f = await smallFleet(['acme/plain']);
      cleanups.push(() => f.cleanup());
      await createLocalRepo(f.fleet, 'acme/mono', {
        'config.yaml': `dataset: ${OLD}\n`,
        '.fleetwave/check': '#!/bin/sh\nexit 0\n',
        'packages/billing/package.json': '{ "name": "billing" }\n',
        'packages/billing/config.yaml': `dataset: ${OLD}\n`,
        'packages/billing/.fleetwave/check': '#!/bin/sh\nexit 0\n',
        'packages/search/package.json': '{ "name": "search" }\n',
        'packages/search/config.yaml': `dataset: ${OLD}\n`,
        'packages/search/.fleetwave/check': '#!/bin/sh\nexit 0\n',
      });
      const manifestPath = join(f.root, 'events-v2.yaml');
      writeFileSync(
        manifestPath,
        oneWaveManifest().replace(
          `consumers:\n  discover: [{ search: ${OLD} }]\n`,
          `consumers:\n  discover: [{ search: ${OLD} }]\n  workspaces: { folders: ["packages/*"] }\n`,
        ),
      );
      return { ...f, manifestPath };
    };
    const inline = await workspaceFleet();
    const inlineApplier = countingApplier();
    const inlineSummary = await runLocal(
      await loadManifest(inline.manifestPath),
      { fleet: inline.fleet, state: inline.state },
      { err: () => undefined, isTTY: false },
      { changes: inlineApplier },
    );
    expect(Object.keys(targetStates(inlineSummary)).sort()).toEqual([
      'acme/mono',
      'acme/mono/packages/billing',
      'acme/mono/packages/search',
      'acme/plain',
    ]);

    const queued = await workspaceFleet();
    const store = await openStore(queued.state);
    cleanups.push(() => store.close());
    const queue = new InProcessQueue(POLICY);
    const applier = countingApplier();
    await reconcileWithWorker({ store, state: queued.state, queue, changes: applier, concurrency: 3 }, queued);
    const repos = (calls: string[]) => calls.map((c) => c.split('@')[0]).sort();
    // Per workspace every consumer's set is needed each tick, so after the merges (new heads) a second
    // fan-out: the same computations as in line, each in a job.
    expect(repos(applier.calls)).toEqual(repos(inlineApplier.calls));
    const runs = await store.runs({ migration: 'events-v2' });
    expect(runs[0]!.state).toBe(inlineSummary.state);
    expect(new Set(runs.slice(1).map((r) => r.state))).toEqual(new Set(['waiting-for-changes']));
    expect(targetStates(runs[0]!.summary as MigrationSummary)).toEqual(targetStates(inlineSummary));
  });
});

describe.each(setups)('an agent rule’s run as a job (%s)', (_name, setup) => {
  it('runs in a compute-changes job even for one target, not in the reconcile, whose next run reuses its outcome', async () => {
    const agentScript = resolve('fixtures/agents/scripted-agent.mjs');
    const root = mkdtempSync(join(tmpdir(), 'fleetwave-agent-job-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const fleetDir = join(root, 'fleet');
    // The sql rule leaves this consumer blocked (it reads a dropped column): the agent's case (docs/rules/agent.md).
    await createLocalRepo(fleetDir, 'acme/jobs-b', {
      'jobs/legacy.sql': LEGACY_SQL,
      '.fleetwave/check': LEGACY_CHECK,
    });
    mkdirSync(join(root, 'prompts'));
    writeFileSync(join(root, 'prompts', 'events-v2.md'), 'legacy_flag is dropped from events_v2: stop reading it.\n');
    const calls = join(root, 'calls.txt');
    const manifestPath = join(root, 'events-v2.yaml');
    writeFileSync(
      manifestPath,
      agentMigration({
        agent: `
      command: node ${agentScript} count ${calls}
      prompt: prompts/events-v2.md
      paths: ["jobs/**"]
      maxTurns: 2
      timeout: 60s`,
        sqlFiles: ['jobs/**/*.sql'],
        rollout: ['canary: 0', 'waves: [100%]', 'soak: 0s', 'automerge: true'],
      }),
    );
    const { state, store, queue } = await openState(setup, root);
    const handlers = localJobHandlers({ store, state, queue });
    await reconcileHere(queue, handlers, manifestPath, fleetDir);
    // One target, yet handed to a job: the reconcile ran no agent.
    expect((await store.runs({ migration: 'events-v2', limit: 1 }))[0]).toMatchObject({
      state: 'waiting-for-changes',
      summary: { pending: 1 },
    });
    expect(existsSync(calls)).toBe(false);
    const compute = await takeOne(queue);
    expect(compute).toMatchObject({ kind: 'compute-changes', payload: { key: { target: 'acme/jobs-b' } } });
    await handlers['compute-changes'](compute, silentLogger);
    await queue.complete(compute);
    expect(readFileSync(calls, 'utf8')).toBe('1\n');
    const again = await takeOne(queue);
    expect(again.kind).toBe('reconcile-local');
    await handlers['reconcile-local'](again, silentLogger);
    await queue.complete(again);
    const [run] = await store.runs({ migration: 'events-v2', limit: 1 });
    expect((run!.summary as MigrationSummary).targets).toEqual([
      expect.objectContaining({ repo: 'acme/jobs-b', state: 'open', agentWritten: true }),
    ]);
    // The agent's outcome came from the change-set cache: not called again.
    expect(readFileSync(calls, 'utf8')).toBe('1\n');
  });
});
