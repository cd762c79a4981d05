/**
 * The Action's codemod mode, run as a runner runs it, on a real git checkout: the manifest's changes
 * are written into the working tree (or, with dry-run, only shown), with outputs and a job summary.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { bundleDir, runAction } from './run-action.js';
import { CANARY_THEN_ALL, playEventsManifest } from '../helpers/play-events-manifest.js';

const MANIFEST = playEventsManifest('repos: [acme/recs]', CANARY_THEN_ALL);

const READ_TS = "export const uri = 'data/play-events/v1';\nexport const other = 'data/clicks/v1';\n";
let ws: string;
let consumer: string;

beforeAll(async () => {
  ws = mkdtempSync(join(tmpdir(), 'fleetwave-action-codemod-'));
  mkdirSync(join(ws, 'dataset'));
  writeFileSync(join(ws, 'dataset', 'play-events-v2.yaml'), MANIFEST);
  consumer = join(ws, 'recs');
  mkdirSync(join(consumer, 'src'), { recursive: true });
  writeFileSync(join(consumer, 'src', 'read.ts'), READ_TS);
  writeFileSync(join(consumer, 'README.md'), 'reads play events\n');
  const git = simpleGit(consumer);
  await git.init(['--initial-branch=main']);
  await git.addConfig('user.name', 'Dev').addConfig('user.email', 'dev@example.com');
  await git.add('.').commit('initial');
});

afterAll(() => {
  rmSync(ws, { recursive: true, force: true });
});

describe('mode codemod', () => {
  it('with dry-run writes nothing and shows the diff in the job summary', async () => {
    const run = await runAction(
      { mode: 'codemod', manifest: '../dataset/play-events-v2.yaml', 'working-directory': 'recs', 'dry-run': 'true' },
      { workspace: ws, env: { GITHUB_REPOSITORY: 'acme/recs' } },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(readFileSync(join(consumer, 'src', 'read.ts'), 'utf8')).toBe(READ_TS);
    expect(run.outputs).toMatchObject({
      migration: 'play-events-v2',
      'files-changed': '1',
      'changed-files': '["src/read.ts"]',
      blocking: '0',
    });
    expect(run.summary).toContain('would change **1 file(s)** (dry run: nothing written)');
    expect(run.summary).toContain("-export const uri = 'data/play-events/v1';");
    expect(run.summary).toContain("+export const uri = 'data/play-events/v2';");
  });

  it('writes the changes into the checkout: git sees exactly the edited file', async () => {
    const run = await runAction(
      { mode: 'codemod', manifest: '../dataset/play-events-v2.yaml', 'working-directory': 'recs' },
      { workspace: ws, env: { GITHUB_REPOSITORY: 'acme/recs' } },
    );
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ 'files-changed': '1', 'changed-files': '["src/read.ts"]' });
    expect(readFileSync(join(consumer, 'src', 'read.ts'), 'utf8')).toBe(
      "export const uri = 'data/play-events/v2';\nexport const other = 'data/clicks/v1';\n",
    );
    const status = await simpleGit(consumer).status();
    expect(status.modified).toEqual(['src/read.ts']);
    expect(status.not_added).toEqual([]);
    expect(run.summary).toContain('changed **1 file(s)**');
    expect(run.summary).toMatch(/\| replace \| .* \| 1 \| 1 \|/);

    // A second run finds nothing left to change.
    const again = await runAction(
      { mode: 'codemod', manifest: '../dataset/play-events-v2.yaml', 'working-directory': 'recs' },
      { workspace: ws },
    );
    expect(again.code).toBe(0);
    expect(again.outputs['files-changed']).toBe('0');
  });

  it('runs a custom codemod from the manifest repository with the bundled ts-morph (no node_modules beside dist/)', async () => {
    const custom = MANIFEST.replace(
      '  - replace: { from: data/play-events/v1, to: data/play-events/v2 }\n',
      '  - codemod: ./codemods/rename-other.ts\n',
    );
    writeFileSync(join(ws, 'dataset', 'custom.yaml'), custom);
    mkdirSync(join(ws, 'dataset', 'codemods'), { recursive: true });
    writeFileSync(
      join(ws, 'dataset', 'codemods', 'rename-other.ts'),
      `import { SyntaxKind, type SourceFile } from 'ts-morph';
export const prefilter = 'other';
export default function (file: SourceFile) {
  for (const v of file.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) if (v.getName() === 'other') v.rename('clicks');
}
`,
    );
    // dist/ alone, away from this checkout's node_modules, as the runner has it
    const action = join(ws, 'action');
    cpSync(bundleDir, join(action, 'dist'), { recursive: true });
    const run = await runAction(
      { mode: 'codemod', manifest: '../dataset/custom.yaml', 'working-directory': 'recs', 'dry-run': 'true' },
      { workspace: ws, bundle: join(action, 'dist', 'index.js') },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ 'files-changed': '1', 'changed-files': '["src/read.ts"]' });
    expect(run.summary).toContain("+export const clicks = 'data/clicks/v1';");
  });

  it('runs the python rule from dist/ alone: the tree-sitter runtime and grammar load from beside the bundle', async () => {
    writeFileSync(join(consumer, 'job.py'), 'df = spark.read.format("avro").load("data/play-events/v1")\ndf.select("user_id")\n');
    writeFileSync(
      join(ws, 'dataset', 'python.yaml'),
      MANIFEST.replace('  - replace: { from: data/play-events/v1, to: data/play-events/v2 }', '  - python: {}').replace(
        '  gate: none',
        '  transform: [{ rename: { from: user_id, to: userId } }]\n  gate: none',
      ),
    );
    const action = join(ws, 'action-python');
    cpSync(bundleDir, join(action, 'dist'), { recursive: true });
    const run = await runAction(
      { mode: 'codemod', manifest: '../dataset/python.yaml', 'working-directory': 'recs', 'dry-run': 'true' },
      { workspace: ws, bundle: join(action, 'dist', 'index.js') },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ 'files-changed': '1', 'changed-files': '["job.py"]' });
    expect(run.summary).toContain('+df = spark.read.format("parquet").load("data/play-events/v2")');
    expect(run.summary).toContain('+df.select("userId")');
  });

  it('fails the step when the manifest is missing, naming it', async () => {
    const run = await runAction({ mode: 'codemod', manifest: '../dataset/missing.yaml', 'working-directory': 'recs' }, { workspace: ws });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error::.*missing\.yaml/m);
  });
});
