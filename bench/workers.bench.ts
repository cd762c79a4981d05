/**
 * Workers on the job queue: reconcile throughput and job latency with 1, 2 and 4 workers sharing one
 * PostgreSQL store and queue, against one process on SQLite reconciling the same migrations one after
 * another (the baseline, in the same run). The fleet is simulated (the in-memory forge of `fleetwave
 * simulate`, checks that finish at once, no request limits in the forge), split into 8 migrations over
 * their own consumers; every migration is asked for three times, in a shuffled order. The workers run
 * in this one process (the simulated forge lives in its memory), each with its own queue connection.
 * Printed beside it: the budget-bound floor, the content requests made ÷ 500 an hour (GitHub's limit
 * per installation): on GitHub, no number of workers finishes one installation's work sooner.
 *
 * Needs FLEETWAVE_TEST_POSTGRES_URL (scripts/postgres-for-tests.sh); size: FLEETWAVE_BENCH_TARGETS
 * (default 2,000; the simulated fleet of the simulate benchmark is 10,000).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { MemoryForge, type MemoryRepoSpec } from '../src/forge/memory/memory-forge.js';
import { manifestSchema } from '../src/manifest/schema.js';
import type { LoadedManifest } from '../src/manifest/types.js';
import type { JobQueue } from '../src/queue/port.js';
import { openPgBossQueue } from '../src/queue/postgres/pg-boss-queue.js';
import { QueueWorker } from '../src/queue/worker.js';
import { newSession, reconcileOnce, type ReconcileDeps } from '../src/rollout/reconcile.js';
import { SimulatedClock } from '../src/simulate/clock.js';
import { mulberry32 } from '../src/simulate/prng.js';
import { memoryChangeApplier } from '../src/simulate/simulate.js';
import { openPostgresStore } from '../src/store/postgres/postgres-store.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { silentLogger } from '../src/util/log.js';

const URL_ = process.env.FLEETWAVE_TEST_POSTGRES_URL ?? '';
if (!URL_) {
  console.log('skipped: set FLEETWAVE_TEST_POSTGRES_URL (eval "$(scripts/postgres-for-tests.sh)" starts a server and prints it)');
  process.exit(0);
}
const TARGETS = Number(process.env.FLEETWAVE_BENCH_TARGETS ?? '2000');
const MIGRATIONS = 8;
const PER = Math.floor(TARGETS / MIGRATIONS);
const CONTENT = [
  'pushChanges',
  'openPullRequest',
  'mergePullRequest',
  'rerunChecks',
  'revertPullRequest',
  'comment',
  'updatePullRequest',
  'closePullRequest',
];

function manifestFor(m: number): LoadedManifest {
  const manifest = manifestSchema.parse({
    apiVersion: 'fleetwave/v1',
    kind: 'DatasetMigration',
    metadata: { name: `ds${m}-v2`, owner: 'data-platform' },
    dataset: { source: { uri: `data/ds${m}/v1/`, format: 'avro' }, target: { uri: `data/ds${m}/v2/`, format: 'parquet' }, gate: 'none' },
    consumers: { discover: [{ search: `data/ds${m}/v1` }] },
    changes: [{ replace: { from: `data/ds${m}/v1`, to: `data/ds${m}/v2`, files: ['**/*'] } }],
    rollout: { canary: 1, waves: [1, '5%', '25%', '100%'], soak: '0s', maxOpenPRs: 100, failureThreshold: '20%', automerge: true },
  });
  return { manifest, path: `ds${m}.yaml`, hash: `ds${m}`, text: '' };
}

function newFleet(): { forge: MemoryForge; clock: SimulatedClock } {
  const random = mulberry32(20);
  const clock = new SimulatedClock();
  const specs: MemoryRepoSpec[] = [];
  for (let m = 0; m < MIGRATIONS; m++)
    for (let i = 0; i < PER; i++)
      specs.push({ repo: `acme/m${m}-c${i}`, files: { 'config.yaml': `dataset: data/ds${m}/v1\n` }, failing: random() < 0.03 });
  const forge = new MemoryForge(specs, { clock, random, checkDurationMs: 0, limits: { perMinute: 1e9, perHour: 1e9, minGapMs: 0 } });
  return { forge, clock };
}

/** Each migration's state and merged targets after its last tick. */
const outcome = new Map<string, { state: string; merged: number; reason: string | null }>();

/** One job: reconcile ticks until the migration completes or pauses, or a tick changes nothing. Returns the ticks. */
async function reconcileJob(deps: ReconcileDeps, loaded: LoadedManifest): Promise<number> {
  const session = newSession();
  for (let tick = 1; tick <= 10_000; tick++) {
    const r = await reconcileOnce(deps, loaded, { fleet: 'memory' }, session);
    const merged = r.decision.targets.filter((t) => t.state === 'merged').length;
    outcome.set(loaded.manifest.metadata.name, { state: r.decision.state, merged, reason: r.decision.reason });
    if (r.decision.state === 'completed' || r.decision.state === 'paused') return tick;
    if (r.executed.length === 0 && r.failed.length === 0 && r.deferred.length === 0) return tick;
  }
  throw new Error(`${loaded.manifest.metadata.name}: no end after 10,000 ticks`);
}

async function freshDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: URL_ });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(URL_);
  url.pathname = `/${name}`;
  return url.toString();
}

function content(forge: MemoryForge): number {
  return CONTENT.reduce((n, m) => n + (forge.requests.get(m) ?? 0), 0);
}

function merged(): { merged: number; completed: number } {
  const all = [...outcome.values()];
  if (process.env.FLEETWAVE_BENCH_DEBUG) console.log(JSON.stringify([...outcome]));
  outcome.clear();
  return { merged: all.reduce((n, o) => n + o.merged, 0), completed: all.filter((o) => o.state === 'completed').length };
}

const rows: Record<string, string | number>[] = [];
const manifests = Array.from({ length: MIGRATIONS }, (_, m) => manifestFor(m));

// The baseline: one process, SQLite, the migrations one after another.
{
  const dir = mkdtempSync(join(tmpdir(), 'fleetwave-bench-workers-'));
  const { forge, clock } = newFleet();
  const store = openSqliteStore(join(dir, 'fleetwave.sqlite'));
  const deps: ReconcileDeps = { forge, store, changes: memoryChangeApplier(forge), logger: silentLogger, now: () => clock.now() };
  const start = performance.now();
  let ticks = 0;
  for (const loaded of manifests) ticks += await reconcileJob(deps, loaded);
  const wall = (performance.now() - start) / 1000;
  const done = merged();
  rows.push({
    setup: 'SQLite, 1 process',
    'wall (s)': wall.toFixed(1),
    completed: `${done.completed}/${MIGRATIONS}`,
    'merged targets': done.merged,
    'targets/s': (done.merged / wall).toFixed(1),
    ticks,
    'job wait p50 (ms)': '-',
    'job wait max (ms)': '-',
    'content requests': content(forge),
    'budget floor (h)': (content(forge) / 500).toFixed(1),
  });
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

for (const workers of [1, 2, 4]) {
  const url = await freshDatabase(`fleetwave_bench_workers_${workers}`);
  const { forge, clock } = newFleet();
  const store = await openPostgresStore(url, { poolSize: 4 + workers });
  const deps: ReconcileDeps = { forge, store, changes: memoryChangeApplier(forge), logger: silentLogger, now: () => clock.now() };
  const queues: JobQueue[] = [];
  for (let i = 0; i < workers; i++) queues.push(await openPgBossQueue(url, { maintenanceSeconds: 5 }));
  let ticks = 0;
  const pool = queues.map(
    (q) =>
      new QueueWorker(
        q,
        {
          'reconcile-local': async (job) => {
            const n = await reconcileJob(
              deps,
              manifests.find((m) => m.manifest.metadata.name === job.key)!,
            );
            ticks += n;
          },
        },
        { concurrency: 1, logger: silentLogger, pollMs: 100 },
      ),
  );
  // Three requests for each migration, shuffled (a waiting job takes the repeats in).
  const random = mulberry32(7);
  const asks = manifests.flatMap((m) => [m, m, m]).sort(() => random() - 0.5);
  const start = performance.now();
  for (const m of asks)
    await queues[0]!.enqueue({
      kind: 'reconcile-local',
      key: m.manifest.metadata.name,
      payload: { manifest: m.path, fleet: 'memory' },
      reason: 'bench',
    });
  for (const w of pool) await w.start();
  for (;;) {
    const s = await queues[0]!.stats();
    if (s.waiting === 0 && s.running === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const wall = (performance.now() - start) / 1000;
  const stats = await queues[0]!.stats();
  for (const w of pool) await w.stop(0);
  const done = merged();
  rows.push({
    setup: `PostgreSQL, ${workers} worker${workers > 1 ? 's' : ''}`,
    'wall (s)': wall.toFixed(1),
    completed: `${done.completed}/${MIGRATIONS}`,
    'merged targets': done.merged,
    'targets/s': (done.merged / wall).toFixed(1),
    ticks,
    'job wait p50 (ms)': stats.latencyMsP50 ?? '-',
    'job wait max (ms)': stats.latencyMsMax ?? '-',
    'content requests': content(forge),
    'budget floor (h)': (content(forge) / 500).toFixed(1),
  });
  for (const q of queues) await q.close();
  await store.close();
}

console.log(`${TARGETS} simulated targets in ${MIGRATIONS} migrations; workers in one process, concurrency 1 each`);
console.table(rows);
console.log(
  'baseline: the first row (SQLite, one process, no queue). "budget floor" = content requests ÷ 500 an hour: on GitHub, the hours one installation needs for them whatever the number of workers',
);
