/**
 * The programs hold only what the rename needs (issue 18, deliver 5): the candidate files, the files
 * declaring the types they name and whatever imports those, generic helpers; a utility that cannot
 * carry those types is not loaded (its import is left unresolved and recorded), and a file that only
 * uses values from it gets no "could not be resolved" warning for them.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { CodemodEngine } from '../../../src/codemod/engine.js';
import { buildTypedFiles, compilerOptionsFor } from '../../../src/codemod/ts/program.js';
import { fieldReferences } from '../../../src/codemod/ts/rename-set.js';
import { manifestWith, removeDir, tempDir, writeTree } from '../helpers.js';

const temps: string[] = [];
afterAll(() => temps.forEach(removeDir));

const tree = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, module: 'ESNext', moduleResolution: 'Bundler', types: [] } }),
  'src/types.ts': 'export interface PlayEvent {\n  user_id: string;\n}\n',
  'src/format.ts': "import { pad } from './pad';\n\nexport function account(id: number) {\n  return { user_id: pad(String(id)) };\n}\n",
  'src/pad.ts': "export const pad = (s: string): string => s.padStart(8, '0');\n",
  'src/generic.ts': 'export function firstOf<T>(values: readonly T[]): T | undefined {\n  return values[0];\n}\n',
  'src/use.ts':
    "import type { PlayEvent } from './types';\nimport { account } from './format';\nimport { firstOf } from './generic';\n\nexport const who = (e: PlayEvent): string => e.user_id;\nexport const first = (es: PlayEvent[]) => firstOf(es)?.user_id;\nexport const other = (): string => account(1).user_id;\n",
};

describe('the program of a typed rule', () => {
  it('loads the candidates, the types they name and generic helpers, not unrelated utilities', () => {
    const dir = tempDir('fw-program-');
    temps.push(dir);
    writeTree(dir, tree);
    const typed = buildTypedFiles(dir, new Map([['src/use.ts', tree['src/use.ts']]]), compilerOptionsFor(dir, true));
    const loaded = typed.program
      .getSourceFiles()
      .map((sf) => sf.fileName)
      .filter((f) => f.startsWith(dir))
      .map((f) => f.slice(dir.length + 1))
      .sort();
    expect(loaded).toEqual(['src/generic.ts', 'src/types.ts', 'src/use.ts']);
    expect([...(typed.cutImports.get(join(dir, 'src/use.ts')) ?? [])]).toEqual(['./format']);
  });

  it('does not load a file that handles the record when a candidate imports only primitive-typed names from it', () => {
    const dir = tempDir('fw-program-');
    temps.push(dir);
    const stats =
      "import type { PlayEvent } from './types';\n\nexport function total(values: number[]): number {\n  return values.length;\n}\n\nexport const users = (es: PlayEvent[]) => es.map((e) => e.user_id);\n";
    const use =
      "import type { PlayEvent } from './types';\nimport { total } from './stats';\n\nexport const who = (e: PlayEvent): string => e.user_id;\nexport const n = total([1]);\n";
    writeTree(dir, { ...tree, 'src/stats.ts': stats, 'src/use.ts': use });
    const typed = buildTypedFiles(dir, new Map([['src/use.ts', use]]), compilerOptionsFor(dir, true));
    const loaded = typed.program
      .getSourceFiles()
      .map((sf) => sf.fileName)
      .filter((f) => f.startsWith(dir))
      .map((f) => f.slice(dir.length + 1))
      .sort();
    expect(loaded).toEqual(['src/types.ts', 'src/use.ts']);
    expect([...(typed.cutImports.get(join(dir, 'src/use.ts')) ?? [])]).toEqual(['./stats']);
    // as a candidate of its own it is loaded and renamed
    const both = buildTypedFiles(
      dir,
      new Map([
        ['src/use.ts', use],
        ['src/stats.ts', stats],
      ]),
      compilerOptionsFor(dir, true),
    );
    expect(both.program.getSourceFile(join(dir, 'src/stats.ts'))).toBeDefined();
  });

  it('renames through the generic helper and says nothing about the value from the utility it left out', async () => {
    const dir = tempDir('fw-program-');
    temps.push(dir);
    writeTree(dir, tree);
    const set = await new CodemodEngine().compute({
      manifest: manifestWith([{ renameField: { type: 'PlayEvent', from: 'user_id', to: 'userId' } }]),
      repo: 'acme/x',
      dir,
    });
    const use = set.edits.find((e) => e.path === 'src/use.ts')!.after!;
    expect(use).toContain('e.userId;');
    expect(use).toContain('firstOf(es)?.userId;');
    expect(use).toContain('account(1).user_id;');
    expect(set.edits.map((e) => e.path)).toEqual(['src/types.ts', 'src/use.ts']);
    expect(set.findings).toEqual([]);
  });

  const solution = (extra: Record<string, string> = {}) => ({
    'tsconfig.base.json': JSON.stringify({
      compilerOptions: { strict: true, module: 'ESNext', moduleResolution: 'Bundler', types: [], paths: { '@models/*': ['./models/*'] } },
    }),
    'tsconfig.json': JSON.stringify({ files: [], references: [{ path: './models' }, { path: './app' }, { path: './web' }] }),
    'models/tsconfig.json': JSON.stringify({ extends: '../tsconfig.base.json', include: ['.'] }),
    'app/tsconfig.json': JSON.stringify({ extends: '../tsconfig.base.json', include: ['.'] }),
    'web/tsconfig.json': JSON.stringify({ extends: '../tsconfig.base.json', include: ['.'] }),
    'models/types.ts': 'export interface PlayEvent {\n  user_id: string;\n}\n',
    'app/use.ts': "import type { PlayEvent } from '@models/types';\n\nexport const who = (e: PlayEvent): string => e.user_id;\n",
    'web/use.ts': "import type { PlayEvent } from '@models/types';\n\nexport const id = ({ user_id }: PlayEvent): string => user_id;\n",
    ...extra,
  });
  const roots = (tree: Record<string, string>) =>
    new Map(['models/types.ts', 'app/use.ts', 'web/use.ts'].map((p) => [p, tree[p]!] as [string, string]));

  it('analyses projects with the same options in one program, and finds the same references as one program each', () => {
    const dir = tempDir('fw-program-');
    temps.push(dir);
    const tree = solution();
    writeTree(dir, tree);
    const typed = buildTypedFiles(dir, roots(tree), compilerOptionsFor(dir, true));
    expect(typed.projects).toHaveLength(1);
    expect(typed.projectOf('web/use.ts')).toBe(typed.projectOf('app/use.ts'));
    const refs = fieldReferences(typed, { typeName: 'PlayEvent', field: 'user_id', candidates: new Set(roots(tree).keys()) });
    expect(refs.locations.map((l) => `${l.path}:${l.start}${l.suffixText}`)).toEqual([
      `app/use.ts:${tree['app/use.ts'].indexOf('user_id')}`,
      `models/types.ts:${tree['models/types.ts'].indexOf('user_id')}`,
      `web/use.ts:${tree['web/use.ts'].indexOf('user_id')}: user_id`,
    ]);
  });

  it('keeps one program per project when a file of one declares globals the others must not see', () => {
    const dir = tempDir('fw-program-');
    temps.push(dir);
    const tree = solution({ 'web/env.ts': 'declare global {\n  interface Window {\n    user_id: string;\n  }\n}\nexport {};\n' });
    tree['web/use.ts'] = `import './env';\n${tree['web/use.ts']}export const seen = (w: Window): string => w.user_id;\n`;
    writeTree(dir, tree);
    const typed = buildTypedFiles(dir, roots(tree), compilerOptionsFor(dir, true));
    expect(typed.projects.map((p) => p.roots)).toEqual([['app/use.ts'], ['models/types.ts'], ['web/use.ts']]);
    expect(typed.projectOf('app/use.ts')!.program.getSourceFile(join(dir, 'web/env.ts'))).toBeUndefined();
  });

  it('skims the bodies that cannot hold the field and finds the same references', () => {
    const dir = tempDir('fw-program-');
    temps.push(dir);
    const tree = solution({
      'app/use.ts':
        "import type { PlayEvent } from '@models/types';\n\nexport function who(e: PlayEvent): string {\n  return e.user_id;\n}\n\nexport function total(values: number[]): number {\n  return values.reduce((a, b) => a + b, 0);\n}\n",
    });
    writeTree(dir, tree);
    const query = { typeName: 'PlayEvent', field: 'user_id', candidates: new Set(roots(tree).keys()) };
    const whole = buildTypedFiles(dir, roots(tree), compilerOptionsFor(dir, true));
    const skimmed = buildTypedFiles(dir, roots(tree), compilerOptionsFor(dir, true), { keepBody: (b) => b.includes('user_id') });
    const text = skimmed.sourceFile('app/use.ts')!.text;
    expect(text).toHaveLength(tree['app/use.ts'].length);
    expect(text).toContain('return e.user_id;');
    expect(text).not.toContain('values.reduce');
    expect(whole.sourceFile('app/use.ts')!.text).toContain('values.reduce');
    const at = (typed: typeof whole) => fieldReferences(typed, query).locations.map((l) => `${l.path}:${l.start}${l.suffixText}`);
    expect(at(skimmed)).toEqual(at(whole));
    expect(at(skimmed)).toHaveLength(3);
  });
});
