import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { createChangeApplier } from '../../src/codemod/engine.js';
import { replaceRule } from '../../src/codemod/rules/replace.js';
import { replaceParams } from '../../src/manifest/change-rules.js';
import { buildDemoFleet, DEMO_COMMIT_DATE, demoRepositories, type DemoFleet } from '../../src/demo/build-demo-fleet.js';
import { openLocalFleet } from '../../src/forge/local/index.js';
import { loadManifest } from '../../src/manifest/load.js';
import { manifestSchema } from '../../src/manifest/schema.js';
import type { Manifest } from '../../src/manifest/types.js';
import { discoverConsumers } from '../../src/plan/discover.js';
import { assignWaves, rolloutOrder } from '../../src/plan/waves.js';
import { InputError } from '../../src/util/errors.js';
import { parseFraction } from '../../src/util/duration.js';
import { silentLogger } from '../../src/util/log.js';
import { bareRepos, snapshotFleet, type RepoSnapshot } from './fleet-snapshot.js';

let root: string;
let fleet: DemoFleet;
let manifest: Manifest;
let repos: Map<string, RepoSnapshot>;
const snap = (repo: string): RepoSnapshot => repos.get(repo)!;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'fleetwave-demo-fleet-'));
  fleet = await buildDemoFleet({ dir: join(root, 'demo') });
  repos = await snapshotFleet(fleet.fleetDir, join(root, 'clones'));
  manifest = manifestSchema.parse(parseYaml(snap(fleet.manifestRepo).read(fleet.manifestPath)));
}, 180_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('buildDemoFleet', () => {
  it('builds bare repositories <owner>/<name>.git, each with one commit on main by a human, at a fixed time', () => {
    const all = bareRepos(fleet.fleetDir);
    expect(all).toEqual([fleet.manifestRepo, ...fleet.consumers, ...fleet.optedOut, ...fleet.bystanders].sort());
    expect(all).toEqual(
      demoRepositories()
        .map(([r]) => r)
        .sort(),
    );
    expect(fleet.consumers.length).toBeGreaterThanOrEqual(20);
    for (const repo of all) {
      const { gitDir, log } = snap(repo);
      expect(readFileSync(join(gitDir, 'config'), 'utf8')).toMatch(/bare = true/);
      expect(readFileSync(join(gitDir, 'HEAD'), 'utf8').trim()).toBe('ref: refs/heads/main');
      // a fixed author, committer and time: the same files give the same commit id in every build
      expect(log).toEqual([`Dana Data <dana@acme.example>|Dana Data|${DEMO_COMMIT_DATE.replace('Z', '+00:00')}`]);
    }
  });

  it('holds a valid manifest and the Avro schema in the dataset repository', async () => {
    expect(manifest.metadata.name).toBe('play-events-v2');
    expect(manifest.consumers.discover).toEqual([{ search: 'data/play-events/v1' }]);
    expect(manifest.dataset.target).toMatchObject({ uri: 'data/play-events/v2/', format: 'parquet', compression: 'zstd' });
    expect(manifest.dataset.transform).toEqual([{ rename: { from: 'user_id', to: 'userId' } }, { drop: 'legacy_flag' }]);
    expect(manifest.changes).toEqual([
      { replace: { from: 'data/play-events/v1', to: 'data/play-events/v2', files: ['**/*.{ts,js,json,yaml,yml,sql}'], regex: false } },
      { replace: { from: 'read_avro\\(([^)]*)/\\*\\.avro', to: 'read_parquet($1/*.parquet', files: ['**/*.sql'], regex: true } },
      { replace: { from: 'format: avro', to: 'format: parquet', files: ['config/**/*.{yaml,yml}'], regex: false } },
      { renameField: { type: 'PlayEvent', from: 'user_id', to: 'userId' } },
    ]);
    // what `fleetwave validate` runs: the schema and every relation check, with positions
    const manifestFile = join(snap(fleet.manifestRepo).clone, fleet.manifestPath);
    await expect(loadManifest(manifestFile)).resolves.toMatchObject({ manifest: { metadata: { name: 'play-events-v2' } } });
    const avsc = JSON.parse(snap(fleet.manifestRepo).read('schemas/play-event.avsc')) as { fields: { name: string }[] };
    expect(avsc.fields.map((f) => f.name)).toEqual(['event_id', 'user_id', 'track_id', 'ms_played', 'country', 'legacy_flag', 'ts']);
    expect(manifest.dataset.schema).toBe('schemas/play-event.avsc');
  });

  it('gives every consumer a TypeScript package whose test reads the dataset it points at', () => {
    const kinds = new Set<string>();
    for (const repo of fleet.consumers) {
      const { files, read } = snap(repo);
      expect(files).toEqual(expect.arrayContaining(['package.json', 'tsconfig.json', 'src/config.ts', 'src/events.ts', '.gitignore']));
      expect(files.filter((f) => f.endsWith('.test.ts'))).toHaveLength(1);
      const pkg = JSON.parse(read('package.json')) as { type: string; scripts: { test: string } };
      expect(pkg.type).toBe('module');
      expect(pkg.scripts.test).toBe('tsc -p tsconfig.json && node --test build/');
      const mentions = files.filter((f) => read(f).includes('data/play-events/v1'));
      expect(mentions).toHaveLength(1);
      kinds.add(mentions[0]!.split('.').pop()!);
    }
    expect([...kinds].sort()).toEqual(['json', 'sql', 'ts', 'yaml']);
  });

  it.each([
    ['user_id', 'expectedRewritten'],
    ['legacy_flag', 'expectedBlocked'],
  ] as const)('has exactly one consumer that reads %s: %s', (field, list) => {
    const readers: string[] = [];
    for (const repo of fleet.consumers) {
      const { files, read } = snap(repo);
      for (const f of files) if (f.startsWith('src/') && f !== 'src/events.ts' && read(f).includes(field)) readers.push(repo);
    }
    expect([...new Set(readers)]).toEqual(fleet[list]);
    expect(fleet[list]).toHaveLength(1);
  });

  it('rewrites the user_id reader with renameField and blocks the legacy_flag reader (impact analysis)', async () => {
    const applier = createChangeApplier({ logger: silentLogger });
    const manifestDir = snap(fleet.manifestRepo).clone;
    const compute = (repo: string) => applier.compute({ manifest, repo, dir: snap(repo).clone, manifestDir });

    const [rewritten] = fleet.expectedRewritten;
    const ok = await compute(rewritten!);
    expect(ok.findings.filter((f) => f.severity === 'blocking')).toEqual([]);
    const renames = ok.summaries.find((s) => s.rule === 'renameField')!;
    expect(renames.files.map((f) => f.path).sort()).toEqual(['src/events.ts', 'src/listeners.test.ts', 'src/listeners.ts']);
    for (const edit of ok.edits.filter((e) => e.path === 'src/listeners.ts' || e.path === 'src/listeners.test.ts')) {
      expect(edit.after).not.toMatch(/\buser_id\b/);
      expect(edit.after).toMatch(/\.userId\b/);
    }

    const [blocked] = fleet.expectedBlocked;
    const no = await compute(blocked!);
    const blocking = no.findings.filter((f) => f.severity === 'blocking');
    expect(blocking.length).toBeGreaterThan(0);
    for (const f of blocking) {
      expect(f.field).toBe('legacy_flag');
      expect(f.file).toMatch(/^src\/legacy-share(\.test)?\.ts$/);
      expect(f.line).toBeGreaterThan(0);
      expect(snap(blocked!).read(f.file!).split('\n')[f.line! - 1]).toContain('legacy_flag');
    }
    expect(blocking.map((f) => f.file)).toContain('src/legacy-share.ts');
  });

  it('converts v2 from v1 with Fleetwave (Parquet, zstd) and verifies it before anything else happens', () => {
    expect(fleet.v2Files).toEqual([join(fleet.lakeDir, 'data/play-events/v2/part-0000.parquet')]);
    expect(existsSync(fleet.v2Files[0]!)).toBe(true);
    expect(fleet.verification).toMatchObject({ pass: true, sourceRows: fleet.events, targetRows: fleet.events });
  });

  it('leaves bystanders and the opted-out repository out of discovery', async () => {
    const forge = await openLocalFleet(fleet.fleetDir);
    const sources = { listRepositories: () => forge.listRepositories(), searchCode: (text: string) => forge.searchCode(text) };
    const found = await discoverConsumers(manifest, sources, { manifestRepo: fleet.manifestRepo });
    expect(found.consumers).toEqual(fleet.consumers);
    expect(found.excluded).toEqual(
      expect.arrayContaining([
        { repo: 'acme/finance-ledger', reason: 'opted out (.fleetwave/opt-out)' },
        { repo: fleet.manifestRepo, reason: 'holds the manifest' },
      ]),
    );
    for (const b of fleet.bystanders) expect(found.foundBy.has(b)).toBe(false);
  });

  it('rolls out the consumers that are not blocked: the canary alone, then three waves', () => {
    const actionable = fleet.consumers.filter((c) => !fleet.expectedBlocked.includes(c));
    const { ordered, canaries } = rolloutOrder(actionable, manifest.rollout.canary);
    const { waveOf, sizes } = assignWaves(ordered, canaries, manifest.rollout);
    expect(canaries).toEqual(['acme/recs-sandbox']);
    expect(fleet.expectedRewritten).not.toContain(canaries[0]);
    for (const rewritten of fleet.expectedRewritten) expect(waveOf.get(rewritten)).toBeGreaterThan(0);
    expect(sizes).toEqual([1, 5, 7, 8]);
    // one failed consumer in any wave after the canary would not pause the fleet; a failed canary would
    const threshold = parseFraction(manifest.rollout.failureThreshold)!;
    expect(Math.max(...sizes.slice(1).map((n) => 1 / n))).toBeLessThanOrEqual(threshold);
    expect(1 / sizes[0]!).toBeGreaterThan(threshold);
  });

  it('every consumer points at v2 after the manifest replace rule, and only there', () => {
    const [rule] = manifest.changes as [{ replace: unknown }];
    const params = replaceParams.parse(rule.replace);
    for (const repo of fleet.consumers) {
      let count = 0;
      const { files, read } = snap(repo);
      for (const f of files) {
        if (!replaceRule.appliesTo(params, f)) continue;
        const out = replaceRule.rewrite(params, read(f), f);
        count += out.count;
      }
      expect(count).toBe(1);
    }
  });

  it('after the replace rules, SQL reads Parquet files and YAML configs say parquet', () => {
    const rules = (manifest.changes as { replace?: unknown }[]).filter((c) => c.replace).map((c) => replaceParams.parse(c.replace));
    const after = (path: string, text: string) =>
      rules.reduce((t, p) => (replaceRule.appliesTo(p, path) ? replaceRule.rewrite(p, t, path).text : t), text);
    let sql = 0;
    let yaml = 0;
    for (const repo of fleet.consumers) {
      const { files, read } = snap(repo);
      for (const f of files) {
        const text = after(f, read(f));
        expect(text).not.toContain('data/play-events/v1');
        if (f.endsWith('.sql')) {
          sql++;
          expect(text).toContain("read_parquet('data/play-events/v2/*.parquet')");
        }
        if (f === 'config/dataset.yaml') {
          yaml++;
          expect(text).toContain('format: parquet');
        }
      }
    }
    expect(sql).toBeGreaterThan(0);
    expect(yaml).toBeGreaterThan(0);
  });

  it('refuses a folder that already holds a fleet', async () => {
    await expect(buildDemoFleet({ dir: fleet.dir })).rejects.toThrow(InputError);
    await expect(buildDemoFleet({ dir: fleet.dir })).rejects.toThrow(/already exists and is not empty/);
  });
});
