import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { replaceParams, replaceRule } from '../../src/codemod/rules/replace.js';
import { buildDemoFleet, DEMO_COMMIT_DATE, demoRepositories, type DemoFleet } from '../../src/demo/build-demo-fleet.js';
import { openLocalFleet } from '../../src/forge/local/index.js';
import { manifestSchema } from '../../src/manifest/schema.js';
import type { Manifest } from '../../src/manifest/types.js';
import { discoverConsumers } from '../../src/plan/discover.js';
import { assignWaves, rolloutOrder } from '../../src/plan/waves.js';
import { InputError } from '../../src/util/errors.js';
import { parseFraction } from '../../src/util/duration.js';
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
    expect(all).toEqual(demoRepositories().map(([r]) => r).sort());
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
    expect(manifest.changes).toEqual([{ replace: { from: 'data/play-events/v1', to: 'data/play-events/v2', files: ['**/*.{ts,js,json,yaml,yml,sql}'], regex: false } }]);
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

  it('has exactly one consumer that reads user_id, and it is the expected broken one', () => {
    const readers: string[] = [];
    for (const repo of fleet.consumers) {
      const { files, read } = snap(repo);
      for (const f of files) if (f.startsWith('src/') && f !== 'src/events.ts' && read(f).includes('user_id')) readers.push(repo);
    }
    expect([...new Set(readers)]).toEqual(fleet.expectedBroken);
    expect(fleet.expectedBroken).toHaveLength(1);
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

  it('places the broken consumer after the canary in a wave whose failed share stays under the threshold', () => {
    const { ordered, canaries } = rolloutOrder(fleet.consumers, manifest.rollout.canary);
    const { waveOf, sizes } = assignWaves(ordered, canaries, manifest.rollout);
    const threshold = parseFraction(manifest.rollout.failureThreshold)!;
    expect(canaries).toEqual(['acme/recs-sandbox']);
    expect(fleet.expectedBroken).not.toContain(canaries[0]);
    for (const broken of fleet.expectedBroken) {
      const wave = waveOf.get(broken)!;
      expect(wave).toBeGreaterThan(0);
      const failedInWave = fleet.expectedBroken.filter((b) => waveOf.get(b) === wave).length;
      expect(failedInWave / sizes[wave]!).toBeLessThanOrEqual(threshold);
    }
    expect(sizes).toEqual([1, 5, 8, 8]);
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

  it('refuses a folder that already holds a fleet', async () => {
    await expect(buildDemoFleet({ dir: fleet.dir })).rejects.toThrow(InputError);
    await expect(buildDemoFleet({ dir: fleet.dir })).rejects.toThrow(/already exists and is not empty/);
  });
});
