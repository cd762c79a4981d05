/**
 * The demo's wall time and how it splits: git (the local forge's git calls), checks (each consumer's
 * own test command), codemods, and the rest (decisions, journal, process overhead).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { toolchainNodeModules } from '../src/cli/local-context.js';
import { createChangeApplier } from '../src/codemod/engine.js';
import type { ChangeApplier } from '../src/codemod/port.js';
import { buildDemoFleet } from '../src/demo/build-demo-fleet.js';
import { openLocalFleet } from '../src/forge/local/index.js';
import { loadManifest } from '../src/manifest/load.js';
import { decide } from '../src/rollout/decide.js';
import { runMigration } from '../src/rollout/run.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { silentLogger } from '../src/util/log.js';

const dir = mkdtempSync(join(tmpdir(), 'fleetwave-bench-demo-'));
try {
  const t0 = performance.now();
  const demo = await buildDemoFleet({ dir });
  const built = performance.now();
  const work = join(dir, 'work', 'manifest-repo');
  execFileSync('git', ['clone', '--quiet', join(demo.fleetDir, `${demo.manifestRepo}.git`), work]);
  const loaded = await loadManifest(join(work, demo.manifestPath));
  const forge = await openLocalFleet(demo.fleetDir, {
    logger: silentLogger,
    toolchainNodeModules: toolchainNodeModules(),
    checkEnv: { FLEETWAVE_LAKE: demo.lakeDir },
  });
  const engine = createChangeApplier({ logger: silentLogger });
  let codemodMs = 0;
  const changes: ChangeApplier = {
    async compute(ctx) {
      const s = performance.now();
      try {
        return await engine.compute(ctx);
      } finally {
        codemodMs += performance.now() - s;
      }
    },
  };
  const store = openSqliteStore(join(dir, 'fleetwave.sqlite'));
  let ticks = 0;
  let decideMs = 0;
  const runStart = performance.now();
  const summary = await runMigration(
    { forge, store, changes, logger: silentLogger, now: () => new Date() },
    loaded,
    { fleet: demo.fleetDir, manifestRepo: demo.manifestRepo, manifestDir: work },
    {
      onTick: (_tick, decision) => {
        ticks++;
        // Time the pure decision again on the same inputs' size: decide is cheap, so re-deriving it here is fair.
        const s = performance.now();
        decide({
          migration: 'x',
          targets: decision.targets.map((t) => ({
            repo: t.repo,
            wave: t.wave,
            blocking: [],
            hasChanges: true,
            pr: null,
            branch: null,
            error: null,
          })),
          waveCount: decision.waves.length,
          policy: { automerge: true, failureThreshold: 0.2, soakMs: 0, maxOpenPRs: 25 },
          control: { pausedBy: null, pausedReason: null, acceptedWaves: [] },
          now: new Date(),
        });
        decideMs += performance.now() - s;
      },
    },
  );
  const runMs = performance.now() - runStart;
  await store.close();
  const stats = forge.stats();
  const total = performance.now() - t0;
  console.table([
    { part: 'build the demo fleet', ms: Math.round(built - t0) },
    { part: 'run: total', ms: Math.round(runMs) },
    { part: 'run: checks (consumer tests)', ms: Math.round(stats.checks.ms) },
    { part: 'run: git (forge calls)', ms: Math.round(stats.git.ms) },
    { part: 'run: codemods', ms: Math.round(codemodMs) },
    { part: 'run: decisions (decide)', ms: Math.round(decideMs * 100) / 100 },
    { part: 'whole demo', ms: Math.round(total) },
  ]);
  console.log(
    `${summary.state}: ${summary.targets.length} targets, ${ticks} ticks, ${stats.checks.runs} checks run (${stats.checks.cached} cached), ${stats.git.calls} git calls`,
  );
  console.log('note: checks run 2 at a time, so checks + git can exceed the run total');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
