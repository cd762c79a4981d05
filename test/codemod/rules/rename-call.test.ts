/** renameCall in a repository of several projects: each file is resolved by its own project's checker. */
import { afterAll, describe, expect, it } from '@jest/globals';
import { CodemodEngine } from '../../../src/codemod/engine.js';
import { manifestWith, removeDir, tempDir, writeTree } from '../helpers.js';

const temps: string[] = [];
afterAll(() => temps.forEach(removeDir));

const base = { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', types: [] };

describe('renameCall across projects', () => {
  it('renames the calls, imports and declaration in every project of a solution-style repository', async () => {
    const dir = tempDir('fw-rename-call-');
    temps.push(dir);
    writeTree(dir, {
      'tsconfig.json': JSON.stringify({ files: [], references: [{ path: './packages/lib' }, { path: './packages/app' }] }),
      'packages/lib/tsconfig.json': JSON.stringify({ compilerOptions: base, include: ['src'] }),
      'packages/lib/src/format.ts': 'export function formatDay(d: Date): string {\n  return d.toISOString().slice(0, 10);\n}\n',
      'packages/app/tsconfig.json': JSON.stringify({
        compilerOptions: { ...base, paths: { '@lib/*': ['../lib/src/*'] } },
        include: ['src'],
      }),
      'packages/app/src/app.ts': "import { formatDay } from '@lib/format';\n\nexport const today = formatDay(new Date());\n",
    });
    const set = await new CodemodEngine().compute({
      manifest: manifestWith([{ renameCall: { from: 'formatDay', to: 'formatDate' } }]),
      repo: 'acme/x',
      dir,
    });
    expect(Object.fromEntries(set.edits.map((e) => [e.path, e.after]))).toEqual({
      'packages/app/src/app.ts': "import { formatDate } from '@lib/format';\n\nexport const today = formatDate(new Date());\n",
      'packages/lib/src/format.ts': 'export function formatDate(d: Date): string {\n  return d.toISOString().slice(0, 10);\n}\n',
    });
  });
});
