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
/** The TypeScript consumers (the data consumers are SQL and Python). */
const tsConsumers = (): string[] => fleet.consumers.filter((c) => !fleet.dataConsumers.includes(c));

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
    expect(manifest.consumers.discover).toEqual([{ search: 'data/play-events/v1' }, { search: 'play_events_v1' }]);
    expect(manifest.dataset.source).toMatchObject({
      uri: 'data/play-events/v1/',
      format: 'avro',
      table: 'analytics.events.play_events_v1',
    });
    expect(manifest.dataset.target).toMatchObject({
      uri: 'data/play-events/v2/',
      format: 'parquet',
      compression: 'zstd',
      table: 'analytics.events.play_events_v2',
    });
    expect(manifest.dataset.transform).toEqual([{ rename: { from: 'user_id', to: 'userId' } }, { drop: 'legacy_flag' }]);
    expect(manifest.changes).toEqual([
      { replace: { from: 'data/play-events/v1', to: 'data/play-events/v2', files: ['**/*.{ts,js,json,yaml,yml,sql}'], regex: false } },
      { replace: { from: 'read_avro\\(([^)]*)/\\*\\.avro', to: 'read_parquet($1/*.parquet', files: ['**/*.sql'], regex: true } },
      { replace: { from: 'format: avro', to: 'format: parquet', files: ['config/**/*.{yaml,yml}'], regex: false } },
      { renameField: { type: 'PlayEvent', from: 'user_id', to: 'userId' } },
      { sql: { dialect: 'bigquery', files: ['models/**/*.sql', 'tests/**/*.sql', 'jobs/**/*.sql'], renameOutputs: false } },
      { python: { files: ['jobs/**/*.py', 'tests/**/*.py'] } },
    ]);
    // what `fleetwave validate` runs: the schema and every relation check, with positions
    const manifestFile = join(snap(fleet.manifestRepo).clone, fleet.manifestPath);
    await expect(loadManifest(manifestFile)).resolves.toMatchObject({ manifest: { metadata: { name: 'play-events-v2' } } });
    const avsc = JSON.parse(snap(fleet.manifestRepo).read('schemas/play-event.avsc')) as { fields: { name: string }[] };
    expect(avsc.fields.map((f) => f.name)).toEqual(['event_id', 'user_id', 'track_id', 'ms_played', 'country', 'legacy_flag', 'ts']);
    expect(manifest.dataset.schema).toBe('schemas/play-event.avsc');
  });

  it('gives every TypeScript consumer a package whose test reads the dataset it points at', () => {
    const kinds = new Set<string>();
    for (const repo of tsConsumers()) {
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

  it('gives every data consumer a check that runs without a warehouse: npm test (DuckDB) for SQL, .fleetwave/check for Python', () => {
    expect(fleet.dataConsumers).toEqual([
      'acme/bq-reports',
      'acme/churn-pandas',
      'acme/legacy-clients',
      'acme/listening-dbt',
      'acme/sessions-pyspark',
    ]);
    for (const repo of fleet.dataConsumers) {
      const { files, read } = snap(repo);
      if (files.some((f) => f.endsWith('.sql'))) {
        expect((JSON.parse(read('package.json')) as { scripts: { test: string } }).scripts.test).toBe('node ci/check.mjs');
        expect(files).toContain('ci/check.mjs');
      } else {
        expect(read('.fleetwave/check')).toMatch(/^#!\/bin\/sh\n/);
        expect(files).toContain('ci/check.py');
      }
      // found by code search: the warehouse table, or the lake path
      expect(files.some((f) => /play_events_v1|data\/play-events\/v1/.test(read(f)))).toBe(true);
    }
    expect(snap('acme/listening-dbt').files).toEqual(expect.arrayContaining(['dbt_project.yml', 'models/sources.yml']));
    expect(existsSync(join(fleet.lakeDir, 'warehouse/catalog.json'))).toBe(true);
  });

  it.each([
    ['user_id', 'expectedRewritten'],
    ['legacy_flag', 'expectedBlocked'],
  ] as const)('lists the consumers whose code reads %s as %s: one TypeScript, and data consumers', (field, list) => {
    const readers: string[] = [];
    const isCode = (f: string) =>
      (f.startsWith('src/') && f !== 'src/events.ts') || /^(models|tests|jobs)\/.+\.(sql|py)$/.test(f) || f === 'models/sources.yml';
    for (const repo of fleet.consumers) {
      const { files, read } = snap(repo);
      for (const f of files) if (isCode(f) && new RegExp(`\\b${field}\\b`).test(read(f))) readers.push(repo);
    }
    expect([...new Set(readers)].sort()).toEqual(fleet[list]);
    expect(fleet[list].filter((r) => !fleet.dataConsumers.includes(r))).toHaveLength(1);
  });

  it('has exactly one data consumer that reads legacy_flag, and four that read user_id', () => {
    expect(fleet.expectedBlocked).toEqual(['acme/legacy-audit', 'acme/legacy-clients']);
    expect(fleet.expectedRewritten).toEqual([
      'acme/bq-reports',
      'acme/churn-pandas',
      'acme/listener-stats',
      'acme/listening-dbt',
      'acme/sessions-pyspark',
    ]);
  });

  it('rewrites the user_id reader with renameField and blocks the legacy_flag reader (impact analysis)', async () => {
    const applier = createChangeApplier({ logger: silentLogger });
    const manifestDir = snap(fleet.manifestRepo).clone;
    const compute = (repo: string) => applier.compute({ manifest, repo, dir: snap(repo).clone, manifestDir });

    const ok = await compute('acme/listener-stats');
    expect(ok.findings.filter((f) => f.severity === 'blocking')).toEqual([]);
    const renames = ok.summaries.find((s) => s.rule === 'renameField')!;
    expect(renames.files.map((f) => f.path).sort()).toEqual(['src/events.ts', 'src/listeners.test.ts', 'src/listeners.ts']);
    for (const edit of ok.edits.filter((e) => e.path === 'src/listeners.ts' || e.path === 'src/listeners.test.ts')) {
      expect(edit.after).not.toMatch(/\buser_id\b/);
      expect(edit.after).toMatch(/\.userId\b/);
    }

    const blocked = 'acme/legacy-audit';
    const no = await compute(blocked);
    const blocking = no.findings.filter((f) => f.severity === 'blocking');
    expect(blocking.length).toBeGreaterThan(0);
    for (const f of blocking) {
      expect(f.field).toBe('legacy_flag');
      expect(f.file).toMatch(/^src\/legacy-share(\.test)?\.ts$/);
      expect(f.line).toBeGreaterThan(0);
      expect(snap(blocked).read(f.file!).split('\n')[f.line! - 1]).toContain('legacy_flag');
    }
    expect(blocking.map((f) => f.file)).toContain('src/legacy-share.ts');
  });

  it('moves the SQL and Python consumers with the sql and python rules, and blocks the one reading legacy_flag', async () => {
    const applier = createChangeApplier({ logger: silentLogger });
    const manifestDir = snap(fleet.manifestRepo).clone;
    const after = async (repo: string) => {
      const set = await applier.compute({ manifest, repo, dir: snap(repo).clone, manifestDir });
      return { set, text: new Map(set.edits.map((e) => [e.path, e.after ?? ''])) };
    };
    const dbt = await after('acme/listening-dbt');
    expect(dbt.set.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(dbt.text.get('models/sources.yml')).toContain('identifier: play_events_v2');
    expect(dbt.text.get('models/sources.yml')).toContain('- name: userId');
    expect(dbt.text.get('models/staging/stg_plays.sql')).toContain('userId as user_id,');
    expect([...dbt.text.keys()].sort()).toEqual([
      'models/sources.yml',
      'models/staging/stg_plays.sql',
      'tests/assert_source_plays_have_a_listener.sql',
    ]);

    const bq = await after('acme/bq-reports');
    expect(bq.set.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(bq.text.get('jobs/top_listeners.sql')).toContain('SELECT userId AS user_id,');
    expect(bq.text.get('jobs/vip_plays.sql')).toContain('ON e.userId = vip.user_id');
    for (const text of bq.text.values()) expect(text).not.toContain('play_events_v1');

    const pandas = await after('acme/churn-pandas');
    expect(pandas.set.findings.filter((f) => f.severity === 'blocking')).toEqual([]);
    expect(pandas.text.get('jobs/churn.py')).toContain('.select("userId", "ms_played", "ts")');
    expect(pandas.text.get('jobs/churn.py')).toContain('"analytics.events.play_events_v2"');

    const spark = await after('acme/sessions-pyspark');
    expect(spark.set.findings.filter((f) => f.severity === 'blocking')).toEqual([]);
    expect(spark.text.get('jobs/sessions.py')).toContain('spark.read.format("parquet").load(EVENTS)');
    expect(spark.text.get('jobs/sessions.py')).not.toMatch(/user_id|v1/);

    const legacy = await after('acme/legacy-clients');
    const blocking = legacy.set.findings.filter((f) => f.severity === 'blocking');
    expect(blocking.length).toBeGreaterThan(0);
    for (const f of blocking) {
      expect(f.field).toBe('legacy_flag');
      expect(f.file).toBe('jobs/legacy_share.sql');
      expect(snap('acme/legacy-clients').read(f.file!).split('\n')[f.line! - 1]).toContain('legacy_flag');
    }
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
    expect(sizes).toEqual([1, 6, 8, 10]);
    // one failed consumer in any wave after the canary would not pause the fleet; a failed canary would
    const threshold = parseFraction(manifest.rollout.failureThreshold)!;
    expect(Math.max(...sizes.slice(1).map((n) => 1 / n))).toBeLessThanOrEqual(threshold);
    expect(1 / sizes[0]!).toBeGreaterThan(threshold);
  });

  it('every consumer points at v2 after the manifest replace rule, and only there', () => {
    const [rule] = manifest.changes as [{ replace: unknown }];
    const params = replaceParams.parse(rule.replace);
    for (const repo of tsConsumers()) {
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
    for (const repo of tsConsumers()) {
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
