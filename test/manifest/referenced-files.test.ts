/**
 * The files a manifest names in its repository (dataset.schema, codemod modules, agent prompts): a
 * missing one, a folder, or one that leaves the repository is a problem at the field's line and column.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseManifest } from '../../src/manifest/load.js';
import { checkReferencedFiles, referencedFiles } from '../../src/manifest/referenced-files.js';

const root = mkdtempSync(join(tmpdir(), 'fleetwave-refs-'));
const outside = mkdtempSync(join(tmpdir(), 'fleetwave-refs-outside-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const text = [
  'apiVersion: fleetwave/v1',
  'kind: DatasetMigration',
  'metadata: { name: m, owner: me }',
  'dataset:',
  '  source: { uri: a/, format: avro }',
  '  target: { uri: b/, format: parquet }',
  '  schema: schemas/event.avsc',
  'consumers:',
  '  discover: [{ repos: [acme/x] }]',
  'changes:',
  '  - codemod: codemods/fix.ts',
  '  - codemod: { module: codemods/missing.ts }',
  '  - agent:',
  '      command: my-agent',
  '      prompt: prompts/v2.md',
  '      paths: [src/**]',
  '',
].join('\n');
const loaded = parseManifest(text, 'migrations/m.yaml');

describe('files a manifest names', () => {
  it('lists each with its field, in order', () => {
    expect(referencedFiles(loaded.manifest).map((r) => [r.path.join('.'), r.file])).toEqual([
      ['dataset.schema', 'schemas/event.avsc'],
      ['changes.0.codemod', 'codemods/fix.ts'],
      ['changes.1.codemod.module', 'codemods/missing.ts'],
      ['changes.2.agent.prompt', 'prompts/v2.md'],
    ]);
  });

  it('reports the missing ones, a folder and a link out of the repository at their positions', () => {
    mkdirSync(join(root, 'codemods'));
    writeFileSync(join(root, 'codemods/fix.ts'), 'export default () => {};\n');
    mkdirSync(join(root, 'prompts/v2.md'), { recursive: true });
    mkdirSync(join(root, 'schemas'));
    writeFileSync(join(outside, 'event.avsc'), '{}');
    symlinkSync(join(outside, 'event.avsc'), join(root, 'schemas/event.avsc'));
    const problems = checkReferencedFiles(loaded, () => root);
    expect(problems.map((p) => [p.file, p.line, p.col, p.path])).toEqual([
      ['migrations/m.yaml', 7, 11, 'dataset.schema'],
      ['migrations/m.yaml', 12, 24, 'changes[1].codemod.module'],
      ['migrations/m.yaml', 15, 15, 'changes[2].agent.prompt'],
    ]);
    expect(problems[0]!.message).toMatch(/leads outside the manifest repository through a symbolic link/);
    expect(problems[1]!.message).toBe(
      `changes[1].codemod.module: codemods/missing.ts is not in the manifest repository (${root}); add the codemod module there, or fix the path (it is relative to the repository's root, not to the manifest's folder)`,
    );
    expect(problems[2]!.message).toBe(
      `changes[2].agent.prompt: prompts/v2.md in the manifest repository (${root}) is not a file; name the agent's prompt there`,
    );
  });

  it('asks for the root only when the manifest names a file', () => {
    const plain = parseManifest(text.split('changes:')[0]!.replace('  schema: schemas/event.avsc\n', ''), 'plain.yaml');
    expect(
      checkReferencedFiles(plain, () => {
        throw new Error('not asked');
      }),
    ).toEqual([]);
  });
});
