/**
 * renameField leaves no silent miss (issue 18, deliver 3): what it cannot resolve is a warning finding
 * at file:line that the PR body and the plan list, never a place quietly left with the old name.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { CodemodEngine } from '../../../src/codemod/engine.js';
import { manifestWith, removeDir, tempDir, writeTree } from '../helpers.js';

const temps: string[] = [];
afterAll(() => temps.forEach(removeDir));

const rename = { renameField: { type: 'PlayEvent', from: 'user_id', to: 'userId' } };

async function run(files: Record<string, string>, params: Record<string, string> = rename.renameField) {
  const dir = tempDir('fw-rename-field-');
  temps.push(dir);
  writeTree(dir, files);
  return new CodemodEngine().compute({ manifest: manifestWith([{ renameField: params }]), repo: 'acme/x', dir });
}

describe('renameField: nothing it cannot resolve goes unsaid', () => {
  it('a destructuring of a value of unknown type is a warning at its line', async () => {
    const set = await run({
      'src/types.ts': 'export interface PlayEvent {\n  user_id: string;\n}\n',
      'src/parse.ts':
        "import type { PlayEvent } from './types';\n\nexport function parse(text: string): PlayEvent {\n  const { user_id } = JSON.parse(text);\n  return { user_id };\n}\n",
    });
    expect(set.edits.map((e) => e.path)).toEqual(['src/parse.ts', 'src/types.ts']);
    expect(set.edits[0]!.after).toContain('return { userId: user_id };');
    expect(set.findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        file: 'src/parse.ts',
        line: 4,
        message: expect.stringContaining('could not be resolved'),
      }),
    ]);
  });

  it('a record type declared nowhere the programs reach (a package that is not installed) is a warning naming the file', async () => {
    const set = await run({
      'src/listen.ts': "import type { PlayEvent } from '@acme/events';\n\nexport const who = (e: PlayEvent): string => e.user_id;\n",
    });
    expect(set.edits).toEqual([]);
    expect(set.findings).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        file: 'src/listen.ts',
        message: expect.stringContaining('no declaration of `PlayEvent`'),
      }),
    );
  });

  it('never edits build output the rename reaches (dist/), which the engine does not list', async () => {
    const set = await run({
      'dist/types.d.ts': 'export interface PlayEvent {\n  user_id: string;\n}\n',
      'src/use.ts': "import type { PlayEvent } from '../dist/types';\n\nexport const who = (e: PlayEvent): string => e.user_id;\n",
    });
    expect(set.edits.map((e) => e.path)).toEqual(['src/use.ts']);
  });

  it('renames a field that only some members of a union type declare', async () => {
    const set = await run(
      {
        'src/verdict.ts':
          "export type Verdict = { ok: true } | { ok: false; reason: string };\n\nexport const no: Verdict = { ok: false, reason: 'late' };\nexport const why = (v: Verdict): string => (v.ok ? '' : v.reason);\n",
      },
      { type: 'Verdict', from: 'reason', to: 'why' },
    );
    expect(set.edits[0]!.after).toBe(
      "export type Verdict = { ok: true } | { ok: false; why: string };\n\nexport const no: Verdict = { ok: false, why: 'late' };\nexport const why = (v: Verdict): string => (v.ok ? '' : v.why);\n",
    );
    expect(set.findings).toEqual([]);
  });

  it('the same run on migrated code changes nothing and says nothing new', async () => {
    const set = await run({
      'src/types.ts': 'export type PlayEvent = Readonly<{ userId: string }>;\n',
      'src/use.ts':
        "import type { PlayEvent } from './types';\n\nexport const who = (e: PlayEvent): string => e.userId;\nexport const user_id = 'a local';\n",
    });
    expect(set.edits).toEqual([]);
    expect(set.findings).toEqual([]);
  });

  it("reaches the record through a package of the repository a project cannot resolve without node_modules (mikro-orm's test entities)", async () => {
    // tests/entities has a tsconfig of its own with no `paths` entry for @acme/core: only a workspace
    // install would link it. Without the link its decorator's options were untyped and the key was left.
    const set = await run(
      {
        'package.json': '{ "name": "acme", "private": true, "workspaces": ["packages/*"] }\n',
        'tsconfig.json':
          '{ "compilerOptions": { "strict": true, "experimentalDecorators": true, "paths": { "@acme/*": ["./packages/*/src"] } } }\n',
        'packages/core/package.json':
          '{ "name": "@acme/core", "exports": { ".": "./dist/index.js", "./options": { "types": "./src/options.ts" } } }\n',
        'packages/core/src/index.ts': "export * from './options';\n",
        'packages/core/src/options.ts': 'export interface PropertyOptions {\n  fieldName?: string;\n}\n',
        'packages/decorators/package.json': '{ "name": "@acme/decorators", "exports": { "./legacy": "./src/legacy/index.ts" } }\n',
        'packages/decorators/src/legacy/index.ts':
          "import type { PropertyOptions } from '@acme/core';\nexport function Property(options: PropertyOptions = {}): PropertyDecorator {\n  return () => void options;\n}\n",
        'tests/entities/tsconfig.json':
          '{ "compilerOptions": { "strict": true, "experimentalDecorators": true, "paths": { "@acme/decorators/legacy": ["../../packages/decorators/src/legacy/index.ts"] } } }\n',
        'tests/entities/Author.ts':
          "import { Property } from '@acme/decorators/legacy';\n\nexport class Author {\n  @Property({ fieldName: 'identitiesArray' })\n  identities?: string[];\n}\n",
      },
      { type: 'PropertyOptions', from: 'fieldName', to: 'columnName' },
    );
    expect(set.edits.map((e) => e.path).sort()).toEqual(['packages/core/src/options.ts', 'tests/entities/Author.ts']);
    expect(set.edits.find((e) => e.path === 'tests/entities/Author.ts')!.after).toContain("@Property({ columnName: 'identitiesArray' })");
  });

  it("renames a key whose contextual type is an intersection with a types-only file no record reaches (typeorm's @Column(type, options))", async () => {
    // length-options.ts imports nothing and no record passes through it: it was left out of the program,
    // `CommonOptions & LengthOptions` became untyped and the key was silently left.
    const set = await run(
      {
        'tsconfig.json': '{ "compilerOptions": { "strict": true, "experimentalDecorators": true } }\n',
        'src/options.ts':
          'export interface CommonOptions {\n  nullable?: boolean;\n}\nexport interface ColumnOptions extends CommonOptions {\n  type?: string;\n  nullable?: boolean;\n}\n',
        'src/types.ts': 'export type SimpleType = "boolean" | "json";\nexport type LengthType = "varchar" | "char";\n',
        'src/length-options.ts': 'export interface LengthOptions {\n  length?: number;\n}\n',
        'src/column.ts': [
          "import type { ColumnOptions, CommonOptions } from './options';",
          "import type { LengthOptions } from './length-options';",
          "import type { LengthType, SimpleType } from './types';",
          '',
          'export function Column(options: ColumnOptions): PropertyDecorator;',
          'export function Column(type: SimpleType, options?: CommonOptions): PropertyDecorator;',
          'export function Column(type: LengthType, options?: CommonOptions & LengthOptions): PropertyDecorator;',
          'export function Column(a: unknown, b?: unknown): PropertyDecorator {',
          '  return () => void [a, b];',
          '}',
          '',
        ].join('\n'),
        'test/post.ts':
          "import { Column } from '../src/column';\n\nexport class Post {\n  @Column('varchar', { nullable: true, length: 3 })\n  title?: string;\n}\n",
      },
      { type: 'ColumnOptions', from: 'nullable', to: 'isNullable' },
    );
    expect(set.edits.map((e) => e.path).sort()).toEqual(['src/options.ts', 'test/post.ts']);
    expect(set.edits.find((e) => e.path === 'test/post.ts')!.after).toContain("@Column('varchar', { isNullable: true, length: 3 })");
  });
});
