import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { createChangeApplier } from '../../src/codemod/engine.js';
import type { ChangeSet } from '../../src/codemod/port.js';
import { buildDemoFleet, type DemoFleet } from '../../src/demo/build-demo-fleet.js';
import { DEMO_CONSUMERS } from '../../src/demo/consumers.js';
import { DATA_CONSUMERS } from '../../src/demo/data-consumers.js';
import { loadManifest } from '../../src/manifest/load.js';
import type { Manifest } from '../../src/manifest/types.js';
import { silentLogger } from '../../src/util/log.js';
import { applyChangeSet, cloneConsumer, linkToolchain, runCheck, type CheckOutcome } from './consumer-check.js';

/**
 * The demo's promise, checked for real: each consumer's own check passes on v1 (Avro); after the
 * migration's changes (the path or table switch to v2, which Fleetwave converted to Parquet, and the
 * user_id → userId rename) it passes on v2, except the consumers that read the dropped legacy_flag:
 * impact analysis blocks them, and forcing the changes on them really breaks their checks.
 * TypeScript consumers: `npm test` (tsc, then node --test reading the lake); tsc costs seconds per
 * consumer, so by default a sample covering every kind of configuration (ts, json, yaml, sql), the
 * rewritten and the blocked one runs (FLEETWAVE_DEMO_CHECK=all runs all 22). Data consumers, all of
 * them: `npm test` runs their SQL in DuckDB over the lake; the Python ones' `.fleetwave/check` compiles
 * them and runs their tests only where python3 imports pandas/duckdb or pyspark (here it says skipped).
 */
const SAMPLE = ['acme/listener-stats', 'acme/legacy-audit', 'acme/royalties', 'acme/skip-detector'];
const DATA = DATA_CONSUMERS.map((c) => c.repo);
const chosen = [...(process.env.FLEETWAVE_DEMO_CHECK === 'all' ? DEMO_CONSUMERS.map((c) => c.repo) : SAMPLE), ...DATA];

let root: string;
let fleet: DemoFleet;
let manifest: Manifest;
let manifestDir: string;
const results = new Map<string, { v1: CheckOutcome; changes: ChangeSet; v2: CheckOutcome }>();

/** Compute the migration's changes for one consumer, check it on v1, apply them, check again. */
async function checkBothVersions(repo: string): Promise<void> {
  const dir = await cloneConsumer(fleet.fleetDir, repo, join(root, 'checks', repo));
  const changes = await createChangeApplier({ logger: silentLogger }).compute({ manifest, repo, dir, manifestDir });
  linkToolchain(dir);
  const v1 = await runCheck(dir, fleet.lakeDir);
  applyChangeSet(dir, changes);
  const v2 = await runCheck(dir, fleet.lakeDir);
  results.set(repo, { v1, changes, v2 });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'fleetwave-demo-checks-'));
  fleet = await buildDemoFleet({ dir: join(root, 'demo') });
  manifestDir = join(root, 'dataset');
  await simpleGit().clone(join(fleet.fleetDir, `${fleet.manifestRepo}.git`), manifestDir, ['--quiet']);
  manifest = (await loadManifest(join(manifestDir, fleet.manifestPath))).manifest;
  // two consumers at a time: each check is a tsc run plus a node --test run
  const queue = [...chosen];
  await Promise.all(
    [0, 1].map(async () => {
      for (let repo = queue.shift(); repo; repo = queue.shift()) await checkBothVersions(repo);
    }),
  );
}, 900_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('demo consumers, checked for real', () => {
  it('the sample covers every configuration kind, the rewritten and the blocked consumer', () => {
    const kinds = new Set(DEMO_CONSUMERS.filter((c) => chosen.includes(c.repo)).map((c) => c.config));
    expect([...kinds].sort()).toEqual(['json', 'sql', 'ts', 'yaml']);
    expect(chosen).toEqual(expect.arrayContaining([...fleet.expectedRewritten, ...fleet.expectedBlocked]));
  });

  it.each(chosen)('%s passes on v1, and on v2 after the changes unless impact analysis blocks it', (repo) => {
    const { v1, changes, v2 } = results.get(repo)!;
    const python = ['acme/churn-pandas', 'acme/sessions-pyspark'].includes(repo);
    const sql = DATA.includes(repo) && !python;
    // what shows that the check really ran: node --test's or the SQL check's pass count; for Python,
    // the compile step, and then either unittest's result or the line saying the tests were skipped
    const ran = python ? /ok - \d+ Python files compile[\s\S]*(SKIPPED: the tests were not run|\nOK)/ : /# pass [1-9]/;
    expect({ repo, passed: v1.passed, output: v1.passed ? '' : v1.output }).toEqual({ repo, passed: true, output: '' });
    expect(v1.output).toMatch(ran);
    const rule = python ? 'python' : sql ? 'sql' : 'replace';
    expect(changes.summaries.find((s) => s.rule === rule)?.files.length).toBeGreaterThan(0);
    const blocking = changes.findings.filter((f) => f.severity === 'blocking');
    if (fleet.expectedBlocked.includes(repo)) {
      // blocked for a reason: with the changes forced on it, its check fails on the dropped field
      expect(blocking.map((f) => f.field)).toContain('legacy_flag');
      expect(v2.passed).toBe(false);
      expect(v2.output).toMatch(sql ? /column "legacy_flag" not found/ : /has legacy_flag/);
    } else {
      expect(blocking).toEqual([]);
      expect({ repo, passed: v2.passed, output: v2.passed ? '' : v2.output }).toEqual({ repo, passed: true, output: '' });
      expect(v2.output).toMatch(ran);
    }
    if (fleet.expectedRewritten.includes(repo))
      expect(changes.summaries.map((s) => s.rule)).toContain(python ? 'python' : sql ? 'sql' : 'renameField');
  });

  it('runs the SQL against the table the code names: v1 is read from Avro, v2 from Parquet, and a wrong column fails', async () => {
    const { v1, v2 } = results.get('acme/bq-reports')!;
    expect(v1.output).toMatch(/ok \d+ - job jobs\/daily_listeners\.sql \(\d+ rows\)/);
    expect(v2.output).toMatch(/# fail 0/);
    // the v1 SQL over v2 (where user_id is userId) is what the rename saves it from
    const dir = await cloneConsumer(fleet.fleetDir, 'acme/bq-reports', join(root, 'checks', 'bq-reports-unmigrated'));
    linkToolchain(dir);
    const top = join(dir, 'jobs/top_listeners.sql');
    writeFileSync(top, readFileSync(top, 'utf8').replace('play_events_v1', 'play_events_v2'));
    const broken = await runCheck(dir, fleet.lakeDir);
    expect(broken.passed).toBe(false);
    expect(broken.output).toMatch(/not ok \d+ - job jobs\/top_listeners\.sql[\s\S]*"user_id" not found/);
  });

  it('says when the Python tests were skipped: only the syntax was checked', () => {
    for (const repo of ['acme/churn-pandas', 'acme/sessions-pyspark']) {
      const { v2 } = results.get(repo)!;
      if (/SKIPPED/.test(v2.output))
        expect(v2.output).toMatch(/SKIPPED: the tests were not run: python3 cannot import .+; only the syntax was checked, not the logic/);
    }
  });
});
