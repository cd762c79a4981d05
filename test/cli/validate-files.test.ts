/**
 * `fleetwave validate` checks the files a manifest names where `run` will read them: in the manifest
 * repository (the git work tree holding the manifest, else its folder), relative to its root.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { bufferIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'fleetwave-validate-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const manifest = (prompt: string) =>
  [
    'apiVersion: fleetwave/v1',
    'kind: DatasetMigration',
    'metadata: { name: m, owner: me }',
    'dataset:',
    '  source: { uri: a/, format: avro }',
    '  target: { uri: b/, format: parquet }',
    'consumers:',
    '  discover: [{ repos: [acme/x] }]',
    'changes:',
    '  - agent:',
    '      command: my-agent',
    `      prompt: ${prompt}`,
    '      paths: [src/**]',
    '',
  ].join('\n');

describe('fleetwave validate: the files a manifest names', () => {
  it('refuses an agent prompt that is not in the manifest repository, at its line, and passes once it is', async () => {
    const repo = join(dir, 'owners');
    mkdirSync(join(repo, 'migrations'), { recursive: true });
    await simpleGit(repo).init();
    const file = join(repo, 'migrations/m.yaml');
    writeFileSync(file, manifest('prompts/v2.md'));

    const io = bufferIO();
    expect(await main(['validate', file], io)).toBe(2);
    expect(io.stdout).toEqual([
      `${file}:12:15: changes[0].agent.prompt: prompts/v2.md is not in the manifest repository (${repo}); add the agent's prompt there, or fix the path (it is relative to the repository's root, not to the manifest's folder)`,
    ]);

    // Next to the manifest is not where `run` looks: the repository's root is.
    mkdirSync(join(repo, 'migrations/prompts'));
    writeFileSync(join(repo, 'migrations/prompts/v2.md'), 'Migrate.\n');
    expect(await main(['validate', file], bufferIO())).toBe(2);

    mkdirSync(join(repo, 'prompts'));
    writeFileSync(join(repo, 'prompts/v2.md'), 'Migrate.\n');
    const ok = bufferIO();
    expect(await main(['validate', file], ok)).toBe(0);
    expect(ok.stdout).toEqual([`ok ${file}`]);
  });

  it('outside a git work tree, the manifest’s folder is the repository', async () => {
    const folder = join(dir, 'loose');
    mkdirSync(join(folder, 'prompts'), { recursive: true });
    writeFileSync(join(folder, 'm.yaml'), manifest('prompts/v2.md'));
    const io = bufferIO();
    expect(await main(['validate', '--json', join(folder, 'm.yaml')], io)).toBe(2);
    const out = JSON.parse(io.stdout.join('')) as { files: { ok: boolean; migration?: string; problems: { path: string }[] }[] };
    expect(out.files[0]).toMatchObject({ ok: false, migration: 'm', problems: [{ path: 'changes[0].agent.prompt' }] });
    writeFileSync(join(folder, 'prompts/v2.md'), 'Migrate.\n');
    expect(await main(['validate', join(folder, 'm.yaml')], bufferIO())).toBe(0);
  });
});
