import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { parse as parseYaml } from 'yaml';
import { buildDemoFleet, type DemoFleet } from '../../src/demo/build-demo-fleet.js';
import { DEMO_CONSUMERS } from '../../src/demo/consumers.js';
import { manifestSchema } from '../../src/manifest/schema.js';
import type { Manifest } from '../../src/manifest/types.js';
import { applyReplaceRules, checkoutConsumer, runNpmTest, type CheckOutcome } from './consumer-check.js';

/**
 * The demo's promise, checked for real: each consumer's own `npm test` (tsc, then node --test reading
 * the lake) passes on v1, and after the manifest's change (the path switch to v2) exactly the expected
 * consumer fails. tsc costs seconds per consumer, so by default a sample covering every kind of
 * configuration (ts, json, yaml, sql) and the broken consumer runs; FLEETWAVE_DEMO_CHECK=all runs
 * every consumer.
 */
const SAMPLE = ['acme/listener-stats', 'acme/legacy-audit', 'acme/royalties', 'acme/skip-detector'];
const chosen = process.env.FLEETWAVE_DEMO_CHECK === 'all' ? DEMO_CONSUMERS.map((c) => c.repo) : SAMPLE;

let root: string;
let fleet: DemoFleet;
let manifest: Manifest;
const results = new Map<string, { v1: CheckOutcome; edits: number; v2: CheckOutcome }>();

/** Check one consumer on v1, switch it to v2 with the manifest's changes, check again. */
async function checkBothVersions(repo: string): Promise<void> {
  const dir = await checkoutConsumer(fleet.fleetDir, repo, join(root, 'checks', repo));
  const v1 = await runNpmTest(dir, fleet.lakeDir);
  const edits = applyReplaceRules(dir, manifest.changes);
  const v2 = await runNpmTest(dir, fleet.lakeDir);
  results.set(repo, { v1, edits, v2 });
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'fleetwave-demo-checks-'));
  fleet = await buildDemoFleet({ dir: join(root, 'demo') });
  const work = join(root, 'dataset');
  await simpleGit().clone(join(fleet.fleetDir, `${fleet.manifestRepo}.git`), work, ['--quiet']);
  manifest = manifestSchema.parse(parseYaml(readFileSync(join(work, fleet.manifestPath), 'utf8')));
  // two consumers at a time: each check is a tsc run plus a node --test run
  const queue = [...chosen];
  await Promise.all([0, 1].map(async () => {
    for (let repo = queue.shift(); repo; repo = queue.shift()) await checkBothVersions(repo);
  }));
}, 600_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('demo consumers, checked for real', () => {
  it('the sample covers every configuration kind and the broken consumer', () => {
    const kinds = new Set(DEMO_CONSUMERS.filter((c) => chosen.includes(c.repo)).map((c) => c.config));
    expect([...kinds].sort()).toEqual(['json', 'sql', 'ts', 'yaml']);
    expect(chosen).toEqual(expect.arrayContaining(fleet.expectedBroken));
  });

  it.each(chosen)('%s passes on v1, and on v2 fails only when expected', (repo) => {
    const { v1, edits, v2 } = results.get(repo)!;
    expect({ repo, passed: v1.passed, output: v1.passed ? '' : v1.output }).toEqual({ repo, passed: true, output: '' });
    expect(v1.output).toMatch(/# pass [1-9]/);
    expect(edits).toBe(1);
    const broken = fleet.expectedBroken.includes(repo);
    expect({ repo, passed: v2.passed }).toEqual({ repo, passed: !broken });
    if (broken) {
      // it fails in its test, on the renamed field: not in tsc, not for a missing file
      expect(v2.output).toMatch(/# fail [1-9]/);
      expect(v2.output).toMatch(/has a user id/);
    } else {
      expect(v2.output).toMatch(/# pass [1-9]/);
    }
  });
});
