/**
 * `fleetwave simulate`: the real rollout engine (observe → decide → execute) against an in-memory
 * forge with scripted failures and a simulated clock. Crashes are real interruptions: a crash point
 * throws out of the engine in the middle of an action, the run's in-memory state is dropped, and the
 * next tick starts from what the forge and the store hold — as a restarted process would.
 */
import type { ChangeApplier, ChangeSet, Edit } from '../codemod/port.js';
import { textRules } from '../codemod/rules/registry.js';
import { withCrashInjection } from '../forge/crash-injection.js';
import { MemoryForge, type MemoryRepoSpec } from '../forge/memory/memory-forge.js';
import { manifestSchema } from '../manifest/schema.js';
import type { LoadedManifest, Manifest } from '../manifest/types.js';
import { branchName } from '../rollout/marker.js';
import { newSession, reconcileOnce, type ReconcileDeps, type ReconcileSession } from '../rollout/reconcile.js';
import { backoffDelay } from '../rollout/retry.js';
import { MemoryStore } from '../store/memory/memory-store.js';
import { silentLogger } from '../util/log.js';
import { SimulatedClock } from './clock.js';
import { mulberry32 } from './prng.js';

export interface SimulationOptions {
  targets: number;
  failRate: number;
  flakyRate: number;
  apiFaultRate: number;
  /** Probability that the process crashes around any one change it makes to the forge. */
  crashRate: number;
  seed: number;
  /** Rollout overrides (defaults: canary 1, waves [1, 5%, 25%, 100%], threshold 20%, maxOpenPRs 100). */
  rollout?: Partial<Manifest['rollout']>;
  /** Content-creation limits (GitHub's: 80 a minute, 500 an hour, 1 s apart). */
  limits?: { perMinute: number; perHour: number; minGapMs: number };
  checkDurationMs?: number;
  /** When the simulated clock starts (ISO; default Monday 2026-01-05 09:00 UTC). */
  start?: string;
}

export interface SimulationResult {
  targets: number;
  merged: number;
  failed: number;
  reverted: number;
  blocked: number;
  skipped: number;
  open: number;
  planned: number;
  paused: boolean;
  state: string;
  reason: string | null;
  duplicatePRs: number;
  lostTargets: number;
  /** API requests, counted as GitHub would (see MemoryForge.requests). */
  requests: number;
  requestsPerTarget: number;
  /** API requests by port method. */
  requestsByMethod: Record<string, number>;
  /** Working copies fetched with git (not API requests). */
  gitFetches: number;
  /** Consumers scripted to fail under the change, and with flaky checks. */
  scripted: { failing: number; flaky: number };
  crashes: number;
  ticks: number;
  simulatedHours: number;
  rateLimitWaitHours: number;
  /** When the forge opened and merged each pull request (ISO, from the forge's own records). */
  pullRequests: { repo: string; openedAt: string; mergedAt: string | null }[];
}

const OLD = 'data/events/v1';
const NEW = 'data/events/v2';

class SimulatedCrash extends Error {}

/** Text rules over the memory forge's files (the simulation has no working copies on disk). */
export function memoryChangeApplier(forge: MemoryForge): ChangeApplier {
  return {
    async compute(ctx): Promise<ChangeSet> {
      const m = /^memory:\/\/(.+)@([0-9a-f]+)$/.exec(ctx.dir);
      if (!m) throw new Error(`not a memory checkout: ${ctx.dir}`);
      const files = forge.filesAt(m[1]!, m[2]!);
      const edits: Edit[] = [];
      const summaries: ChangeSet['summaries'] = [];
      for (const change of ctx.manifest.changes) {
        const [name, params] = Object.entries(change)[0]!;
        const rule = textRules.find((r) => r.name === name);
        if (!rule) continue;
        const touched: { path: string; count: number }[] = [];
        for (const [path, text] of files) {
          if (!rule.appliesTo(params, path) || !rule.prefilter(params, text)) continue;
          const out = rule.rewrite(params, text, path);
          if (out.count > 0 && out.text !== text) {
            edits.push({ path, before: text, after: out.text });
            touched.push({ path, count: out.count });
          }
        }
        if (touched.length) summaries.push({ rule: name, description: rule.describe(params), files: touched });
      }
      return { edits, summaries, findings: [] };
    },
  };
}

export function simulationManifest(rollout: Partial<Manifest['rollout']> = {}): LoadedManifest {
  const manifest = manifestSchema.parse({
    apiVersion: 'fleetwave/v1',
    kind: 'DatasetMigration',
    metadata: { name: 'simulated-migration', owner: 'data-platform' },
    // A simulated fleet has no data: the dataset gate is not what a simulation measures.
    dataset: { source: { uri: `${OLD}/`, format: 'avro' }, target: { uri: `${NEW}/`, format: 'parquet' }, gate: 'none' },
    consumers: { discover: [{ search: OLD }] },
    changes: [{ replace: { from: OLD, to: NEW, files: ['**/*'] } }],
    rollout: {
      canary: 1,
      waves: [1, '5%', '25%', '100%'],
      soak: '0s',
      maxOpenPRs: 100,
      failureThreshold: '20%',
      automerge: true,
      ...rollout,
    },
  });
  return { manifest, path: 'simulation.yaml', hash: 'simulation', text: '' };
}

export async function simulate(options: SimulationOptions): Promise<SimulationResult> {
  const random = mulberry32(options.seed);
  const clock = new SimulatedClock(options.start ? Date.parse(options.start) : undefined);
  const width = String(options.targets).length;
  const specs: MemoryRepoSpec[] = [];
  for (let i = 0; i < options.targets; i++) {
    const r = random();
    specs.push({
      repo: `acme/consumer-${String(i).padStart(width, '0')}`,
      files: { 'config.yaml': `dataset: ${OLD}\n`, 'src/read.ts': `export const path = '${OLD}/part-0.avro';\n` },
      failing: r < options.failRate,
      flaky: r >= options.failRate && r < options.failRate + options.flakyRate,
    });
  }
  specs.push({ repo: 'acme/unrelated', files: { 'README.md': 'no dataset here\n' } });
  const forge = new MemoryForge(specs, {
    clock,
    random,
    apiFaultRate: options.apiFaultRate,
    checkDurationMs: options.checkDurationMs ?? 10 * 60_000,
    limits: options.limits ?? { perMinute: 80, perHour: 500, minGapMs: 1000 },
  });
  const store = new MemoryStore();
  const loaded = simulationManifest(options.rollout);
  let crashes = 0;
  // Crash points: each change made to the forge may be preceded or followed by a crash.
  const forgeWithCrashes = withCrashInjection(
    forge,
    () => random() < options.crashRate / 2,
    () => {
      throw new SimulatedCrash('simulated crash');
    },
  );
  const deps: ReconcileDeps = {
    forge: forgeWithCrashes,
    store,
    changes: memoryChangeApplier(forge),
    logger: silentLogger,
    now: () => clock.now(),
  };
  const start = clock.ms();
  let session: ReconcileSession = newSession();
  let last: Awaited<ReturnType<typeof reconcileOnce>> | undefined;
  let ticks = 0;
  let retries = 0;
  const limitMs = 90 * 24 * 3_600_000;
  while (clock.ms() - start < limitMs && ticks < 100_000) {
    ticks++;
    try {
      last = await reconcileOnce(deps, loaded, { fleet: 'memory' }, session);
    } catch (err) {
      if (!(err instanceof SimulatedCrash)) throw err;
      crashes++;
      session = newSession(); // the restarted process remembers nothing but the forge and the store
      clock.advance(30_000);
      continue;
    }
    const { decision, executed, deferred, failed } = last;
    // A pause that names when it ends (the circuit breaker's half-open time) is waited out; any
    // other pause needs a human, and the simulation ends there.
    if (decision.state === 'paused' && decision.waitingUntil && Date.parse(decision.waitingUntil) > clock.ms()) {
      clock.advanceTo(Date.parse(decision.waitingUntil));
      continue;
    }
    if (decision.state === 'paused' || decision.state === 'completed') break;
    if (executed.length > 0 || failed.length > 0) {
      retries = 0;
      continue;
    }
    if (deferred.length > 0) {
      clock.advance(backoffDelay(retries++, random) + 1000);
      continue;
    }
    const next = [forge.nextCheckAt(), decision.waitingUntil ? Date.parse(decision.waitingUntil) : null].filter(
      (x): x is number => x !== null,
    );
    if (next.length > 0) clock.advanceTo(Math.min(...next));
    // Checks seen pending may have finished while this tick's requests took their (simulated) time.
    else if (!decision.targets.some((t) => t.state === 'open' && t.reason === 'waiting for checks')) break;
  }
  const decision = last!.decision;
  const count = (s: string) => decision.targets.filter((t) => t.state === s).length;
  const branch = branchName(loaded.manifest.metadata.name);
  let duplicatePRs = 0;
  for (const s of specs) duplicatePRs += Math.max(0, forge.pullsOf(s.repo).filter((p) => p.branch === branch).length - 1);
  const known = new Set(decision.targets.map((t) => t.repo));
  const consumers = specs.filter((s) => s.repo !== 'acme/unrelated');
  const terminalOrExpected = new Set(['merged', 'failed', 'skipped', 'blocked', 'reverted']);
  const lostTargets = consumers.filter(
    (s) =>
      !known.has(s.repo) ||
      (decision.state === 'completed' && !terminalOrExpected.has(decision.targets.find((t) => t.repo === s.repo)!.state)),
  ).length;
  return {
    targets: options.targets,
    merged: count('merged'),
    failed: count('failed'),
    reverted: count('reverted'),
    blocked: count('blocked'),
    skipped: count('skipped'),
    open: count('open'),
    planned: count('planned'),
    paused: decision.state === 'paused',
    state: decision.state,
    reason: decision.reason,
    duplicatePRs,
    lostTargets,
    requests: forge.totalRequests,
    requestsPerTarget: Math.round((forge.totalRequests / options.targets) * 100) / 100,
    requestsByMethod: Object.fromEntries([...forge.requests].sort(([a], [b]) => (a < b ? -1 : 1))),
    gitFetches: forge.gitFetches,
    scripted: { failing: specs.filter((s) => s.failing).length, flaky: specs.filter((s) => s.flaky).length },
    crashes,
    ticks,
    simulatedHours: Math.round(((clock.ms() - start) / 3_600_000) * 100) / 100,
    rateLimitWaitHours: Math.round((forge.rateLimitWaitMs / 3_600_000) * 100) / 100,
    pullRequests: specs.flatMap((s) =>
      forge
        .pullsOf(s.repo)
        .filter((p) => p.branch === branch)
        .map((p) => ({ repo: s.repo, openedAt: p.createdAt, mergedAt: p.mergedAt ?? null })),
    ),
  };
}
