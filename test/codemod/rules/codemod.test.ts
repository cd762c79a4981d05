/**
 * Custom codemods: loaded from the manifest repository and run in a child process. A module that
 * throws, loops or exceeds its memory fails the target with the cause, and nothing partial is kept.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { CodemodEngine } from '../../../src/codemod/engine.js';
import { CodemodError } from '../../../src/codemod/errors.js';
import { manifestSchema } from '../../../src/manifest/schema.js';
import { manifestWith, removeDir, tempDir, writeTree } from '../helpers.js';

const temps: string[] = [];
afterAll(() => temps.forEach(removeDir));

function setup(moduleText: string, options: Record<string, unknown> = {}) {
  const repo = tempDir();
  const manifestDir = tempDir('fw-manifest-');
  temps.push(repo, manifestDir);
  writeTree(repo, { 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 2;\n' });
  writeTree(manifestDir, { 'codemods/t.ts': moduleText });
  const change = Object.keys(options).length ? { codemod: { module: './codemods/t.ts', ...options } } : { codemod: './codemods/t.ts' };
  return { ctx: { manifest: manifestWith([change]), repo: 'acme/recs', dir: repo, manifestDir } };
}

async function failure(p: Promise<unknown>): Promise<CodemodError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CodemodError);
  return err as CodemodError;
}

describe('codemod rule (custom transform in a child process)', () => {
  it('applies the module to every TS file and reports per-file counts', async () => {
    const { ctx } = setup(`export default function (file) { file.getVariableStatements().forEach((s) => s.setIsExported(false)); }`);
    const set = await new CodemodEngine().compute(ctx);
    expect(set.edits.map((e) => [e.path, e.after])).toEqual([
      ['src/a.ts', 'const a = 1;\n'],
      ['src/b.ts', 'const b = 2;\n'],
    ]);
    expect(set.summaries[0]).toMatchObject({
      rule: 'codemod',
      files: [
        { path: 'src/a.ts', count: 1 },
        { path: 'src/b.ts', count: 1 },
      ],
    });
  });

  it('a module that throws fails the target with its error, and no edit of the run is returned', async () => {
    // The first file is changed before the throw on the second: nothing partial may come back.
    const { ctx } = setup(
      `export default function (file, api) { if (api.path.endsWith('b.ts')) throw new Error('cannot handle b'); file.insertText(0, '// x\\n'); }`,
    );
    const err = await failure(new CodemodEngine().compute(ctx));
    expect(err.message).toContain('threw: Error: cannot handle b');
    expect(err.message).toContain('acme/recs');
  });

  it('a module that loops is stopped at its timeout', async () => {
    const { ctx } = setup(`export default function () { for (;;) {} }`, { timeout: '2s' });
    const err = await failure(new CodemodEngine().compute(ctx));
    expect(err.message).toContain('timed out after 2s');
  });

  it('a module that exceeds its memory limit is stopped', async () => {
    const { ctx } = setup(
      `export default function () { const keep = []; for (;;) keep.push(new Array(100000).fill({ x: keep.length })); }`,
      { memoryMiB: 64, timeout: '60s' },
    );
    const err = await failure(new CodemodEngine().compute(ctx));
    expect(err.message).toContain('exceeded its memory limit of 64 MiB');
  });

  it('a module that exports no function, or cannot be found, fails with a clear message', async () => {
    const { ctx } = setup(`export const notAFunction = 1;`);
    expect((await failure(new CodemodEngine().compute(ctx))).message).toContain('exports no function');
    const missing = { ...ctx, manifest: manifestWith([{ codemod: './codemods/missing.ts' }]) };
    expect((await failure(new CodemodEngine().compute(missing))).message).toContain('no such file in the manifest repository');
    const none = { ...ctx, manifestDir: undefined };
    expect((await failure(new CodemodEngine().compute(none))).message).toContain('no manifest repository');
  });

  it('a module may not load files from outside the manifest repository', async () => {
    const { ctx } = setup(`import { x } from '../../outside'; export default function () { return x; }`);
    expect((await failure(new CodemodEngine().compute(ctx))).message).toContain('only files of the manifest repository');
  });

  it('parameters are checked by the manifest schema: no path outside the repository, sane limits', () => {
    const base = manifestWith([]);
    const bad = (codemod: unknown) => manifestSchema.safeParse({ ...base, changes: [{ codemod }] }).success;
    expect(bad('../elsewhere/t.ts')).toBe(false);
    expect(bad('/abs/t.ts')).toBe(false);
    expect(bad({ module: './t.ts', memoryMiB: 1 })).toBe(false);
    expect(bad({ module: './t.ts', timeout: 'soon' })).toBe(false);
    expect(bad('./codemods/t.ts')).toBe(true);
  });
});
