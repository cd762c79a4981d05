/**
 * GitHub Actions workflow files are left alone by default: GitHub refuses a push that creates or
 * updates a file under `.github/workflows/` (and the merge of such a branch) unless the App has the
 * `workflows` permission ("Some endpoints that require write access to the repository Contents
 * permission also require write access to the repository Workflows permission if the request will
 * affect workflow files": https://docs.github.com/en/rest/authentication/permissions-required-for-github-apps).
 * Every rule kind goes through the same check; a manifest opts in with `consumers.editWorkflows`.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { CodemodEngine } from '../../src/codemod/engine.js';
import { manifestSchema } from '../../src/manifest/schema.js';
import type { Manifest } from '../../src/manifest/types.js';
import { removeDir, tempDir, writeTree } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d);
});

function repo(files: Record<string, string>): string {
  const dir = tempDir('fw-workflows-');
  dirs.push(dir);
  writeTree(dir, files);
  return dir;
}

function manifest(changes: unknown[], editWorkflows?: boolean): Manifest {
  return manifestSchema.parse({
    apiVersion: 'fleetwave/v1',
    kind: 'DatasetMigration',
    metadata: { name: 'play-events-v2', owner: 'data-platform' },
    dataset: { source: { uri: 'data/play-events/v1/', format: 'avro' }, target: { uri: 'data/play-events/v2/', format: 'parquet' } },
    consumers: { discover: [{ repos: ['acme/recs'] }], ...(editWorkflows === undefined ? {} : { editWorkflows }) },
    changes,
  });
}

// The example manifests' glob: dot files included, so it matches workflow files.
const replaceEverywhere = {
  replace: { from: 'data/play-events/v1', to: 'data/play-events/v2', files: ['**/*.{ts,js,json,yaml,yml,sql}'] },
};

const fleet = {
  'src/load.ts': "export const uri = 'data/play-events/v1/part-0.avro';\n",
  '.github/workflows/nightly.yml': 'jobs:\n  backfill:\n    steps:\n      - run: ./backfill data/play-events/v1\n',
  '.github/workflows/scripts/check.js': "console.log('data/play-events/v1');\n",
  '.github/dependabot.yml': '# data/play-events/v1 is not a workflow file\n',
};

describe('workflow files (.github/workflows/**)', () => {
  it('are left unchanged by default and each is named by a warning finding', async () => {
    const dir = repo(fleet);
    const set = await new CodemodEngine().compute({ manifest: manifest([replaceEverywhere]), repo: 'acme/recs', dir });
    expect(set.edits.map((e) => e.path)).toEqual(['.github/dependabot.yml', 'src/load.ts']);
    const skipped = set.findings.filter((f) => f.file?.startsWith('.github/workflows/'));
    expect(skipped.map((f) => [f.severity, f.file])).toEqual([
      ['warning', '.github/workflows/nightly.yml'],
      ['warning', '.github/workflows/scripts/check.js'],
    ]);
    expect(skipped[0]!.message).toMatch(/workflow file left unchanged \(`replace` would have changed it\).*workflows: write/);
    expect(set.summaries[0]!.files.map((f) => f.path)).toEqual(['.github/dependabot.yml', 'src/load.ts']);
  });

  it('are named once even when several rules would change them, whatever the rule kind', async () => {
    const dir = repo({ '.github/workflows/ci.js': "import { readAvro } from './io';\nreadAvro('data/play-events/v1');\n" });
    const set = await new CodemodEngine().compute({
      manifest: manifest([replaceEverywhere, { renameCall: { from: 'readAvro', to: 'readParquet' } }]),
      repo: 'acme/recs',
      dir,
    });
    expect(set.edits).toEqual([]);
    expect(set.findings.map((f) => f.file)).toEqual(['.github/workflows/ci.js']);
    const sourceRuleAlone = await new CodemodEngine().compute({
      manifest: manifest([{ renameCall: { from: 'readAvro', to: 'readParquet' } }]),
      repo: 'acme/recs',
      dir,
    });
    expect(sourceRuleAlone.edits).toEqual([]);
    expect(sourceRuleAlone.findings.map((f) => f.message)).toEqual([expect.stringMatching(/^workflow file left unchanged \(`renameCall`/)]);
  });

  it('are changed when the manifest sets consumers.editWorkflows', async () => {
    const dir = repo(fleet);
    const set = await new CodemodEngine().compute({ manifest: manifest([replaceEverywhere], true), repo: 'acme/recs', dir });
    expect(set.edits.map((e) => e.path)).toEqual([
      '.github/dependabot.yml',
      '.github/workflows/nightly.yml',
      '.github/workflows/scripts/check.js',
      'src/load.ts',
    ]);
    expect(set.findings).toEqual([]);
  });

  it('default to off in the manifest', () => {
    expect(manifest([]).consumers.editWorkflows).toBe(false);
  });
});
