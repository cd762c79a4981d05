/**
 * Codemod engine benchmark (issue 3). Generates a 2,000-file TypeScript repository (~100 lines a file;
 * 10% of the files use the dataset's record type `PlayEvent` and its path, the others a same-named
 * field `user_id` on unrelated types), then runs the same two rules (renameField PlayEvent.user_id →
 * userId, replaceString of the dataset path):
 *   - engine:   the codemod engine (text prefilter, a program over the candidate files only, span edits);
 *   - baseline: the whole repository in one ts-morph Project, rules applied node by node with ts-morph's
 *               manipulation API.
 * Each runs in its own process (peak RSS is the process's max RSS). Printed: files/s, wall time, peak RSS,
 * files changed, and `tsc` errors of the whole rewritten repository (0 expected). Nothing is asserted.
 *
 *   npm run bench -- codemod
 * Environment: FILES (repository size, default 2000), MODES (default engine,baseline), BENCH_DIR (keep
 * the generated repository there and reuse it).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Node, Project, ts } from 'ts-morph';
import { CodemodEngine } from '../src/codemod/engine.js';
import type { Edit } from '../src/codemod/port.js';
import { manifestSchema } from '../src/manifest/schema.js';
import type { Manifest } from '../src/manifest/types.js';
import { compareRewrites, recordRun } from './codemod-run.js';
import { printTable } from './measure.js';

const FILES = Number(process.env.FILES ?? 2000);
const FROM_PATH = 'data/play-events/v1';
const TO_PATH = 'data/play-events/v2';

function recordFile(i: number): string {
  const lines = [
    `import type { PlayEvent } from '../types/play-event';`,
    ``,
    `// Reads play events from ${FROM_PATH} (the comment stays).`,
    `export const SOURCE_${i} = '${FROM_PATH}/day-${i}/';`,
    ``,
    `export function listener${i}(e: PlayEvent): string {`,
    `  return e.user_id;`,
    `}`,
    ``,
    `export function summary${i}({ user_id, track_id }: PlayEvent): string {`,
    `  return \`\${user_id}:\${track_id}\`;`,
    `}`,
    ``,
    `export function make${i}(user_id: string): PlayEvent {`,
    `  return { event_id: 'e${i}', user_id, track_id: 't', ms_played: ${i} };`,
    `}`,
    ``,
    `export function key${i}(e?: PlayEvent): string | undefined {`,
    `  return e?.['user_id'];`,
    `}`,
  ];
  return pad(lines, i);
}

function otherFile(i: number): string {
  const lines = [
    `export interface Account${i} {`,
    `  user_id: string;`,
    `  email: string;`,
    `}`,
    ``,
    `export function owner${i}(a: Account${i}): string {`,
    `  return a.user_id;`,
    `}`,
    ``,
    `export function accounts${i}(list: Account${i}[]): string[] {`,
    `  return list.map(({ user_id }) => user_id);`,
    `}`,
    ``,
    `export const label${i} = 'user_id of the account';`,
  ];
  return pad(lines, i);
}

/** Filler to ~100 lines: ordinary code that no rule touches. */
function pad(lines: string[], i: number): string {
  let k = 0;
  while (lines.length < 96) {
    lines.push(
      ``,
      `export function helper${i}_${k}(values: number[]): number {`,
      `  let total = 0;`,
      `  for (const v of values) total += v * ${k + 1};`,
      `  return total / Math.max(1, values.length);`,
      `}`,
    );
    k++;
  }
  return lines.join('\n') + '\n';
}

function generate(dir: string): void {
  mkdirSync(join(dir, 'src/types'), { recursive: true });
  writeFileSync(
    join(dir, 'src/types/play-event.ts'),
    `export interface PlayEvent {\n  event_id: string;\n  user_id: string;\n  track_id: string;\n  ms_played: number;\n}\n`,
  );
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify(
      { compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', noEmit: true, types: [] } },
      null,
      2,
    ),
  );
  for (let i = 0; i < FILES; i++) {
    const sub = join(dir, 'src', `m${String(Math.floor(i / 100)).padStart(2, '0')}`);
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `f${i}.ts`), i % 10 === 0 ? recordFile(i) : otherFile(i));
  }
}

function manifest(): Manifest {
  return manifestSchema.parse({
    apiVersion: 'fleetwave/v1',
    kind: 'DatasetMigration',
    metadata: { name: 'bench', owner: 'bench' },
    dataset: { source: { uri: `${FROM_PATH}/`, format: 'avro' }, target: { uri: `${TO_PATH}/`, format: 'parquet' } },
    consumers: { discover: [{ repos: ['acme/bench'] }] },
    changes: [{ renameField: { type: 'PlayEvent', from: 'user_id', to: 'userId' } }, { replaceString: { from: FROM_PATH, to: TO_PATH } }],
  });
}

async function runEngine(dir: string): Promise<Map<string, string>> {
  const set = await new CodemodEngine().compute({ manifest: manifest(), repo: 'acme/bench', dir });
  return new Map(set.edits.map((e: Edit) => [e.path, e.after ?? '']));
}

/** The baseline: every file in one Project, every node visited through ts-morph's wrappers. */
function runBaseline(dir: string): Map<string, string> {
  const project = new Project({ tsConfigFilePath: join(dir, 'tsconfig.json'), skipAddingFilesFromTsConfig: true });
  project.addSourceFilesAtPaths(join(dir, 'src/**/*.ts'));
  const before = new Map(project.getSourceFiles().map((sf) => [sf.getFilePath(), sf.getFullText()]));
  const isRecordMember = (decl: Node) => {
    const parent = decl.getParent();
    return !!parent && Node.isInterfaceDeclaration(parent) && parent.getName() === 'PlayEvent';
  };
  for (const sf of project.getSourceFiles()) {
    const renames: Node[] = [];
    const shorthand: Node[] = [];
    const strings: Node[] = [];
    sf.forEachDescendant((node) => {
      if (Node.isPropertyAccessExpression(node) || Node.isPropertySignature(node)) {
        const name = node.getNameNode();
        if (name.getText() === 'user_id' && (name.getSymbol()?.getDeclarations() ?? []).some(isRecordMember)) renames.push(name);
      } else if (Node.isElementAccessExpression(node)) {
        const arg = node.getArgumentExpression();
        if (arg && Node.isStringLiteral(arg) && arg.getLiteralValue() === 'user_id') {
          const prop = node.getExpression().getType().getNonNullableType().getProperty('user_id');
          if ((prop?.getDeclarations() ?? []).some(isRecordMember)) strings.push(arg);
        }
      } else if (Node.isBindingElement(node) && !node.getPropertyNameNode() && node.getName() === 'user_id') {
        const prop = node.getParentOrThrow().getType().getProperty('user_id');
        if ((prop?.getDeclarations() ?? []).some(isRecordMember)) shorthand.push(node);
      } else if (Node.isShorthandPropertyAssignment(node) && node.getName() === 'user_id') {
        const prop = node.getParentOrThrow().getContextualType()?.getProperty('user_id');
        if ((prop?.getDeclarations() ?? []).some(isRecordMember)) shorthand.push(node);
      } else if (
        Node.isStringLiteral(node) &&
        node.getLiteralValue().startsWith(FROM_PATH) &&
        !Node.isImportDeclaration(node.getParent())
      ) {
        strings.push(node);
      }
    });
    // Manipulate from the end so that earlier nodes stay valid.
    const all = [
      ...renames.map((n) => ({ n, k: 'rename' })),
      ...shorthand.map((n) => ({ n, k: 'short' })),
      ...strings.map((n) => ({ n, k: 'string' })),
    ].sort((a, b) => b.n.getStart() - a.n.getStart());
    for (const { n, k } of all) {
      if (k === 'rename') n.replaceWithText('userId');
      else if (k === 'short') n.replaceWithText('userId: user_id');
      else if (Node.isStringLiteral(n)) {
        const v = n.getLiteralValue();
        n.setLiteralValue(v === 'user_id' ? 'userId' : TO_PATH + v.slice(FROM_PATH.length));
      }
    }
  }
  const out = new Map<string, string>();
  for (const sf of project.getSourceFiles()) {
    const text = sf.getFullText();
    if (text !== before.get(sf.getFilePath())) out.set(sf.getFilePath().slice(dir.length + 1), text);
  }
  return out;
}

async function child(mode: string, dir: string): Promise<void> {
  // Process start-up, not the work measured (the same for both modes): ts-morph loads the TypeScript
  // compiler and its bundled library files (a large module) on first use.
  ts.createSourceFile('warm-up.ts', 'export {};', ts.ScriptTarget.Latest);
  new Project({ useInMemoryFileSystem: true }).createSourceFile('/warm-up.ts', 'export {};').getPreEmitDiagnostics();
  await recordRun(dir, mode, async () => ({ changed: [...(mode === 'engine' ? await runEngine(dir) : runBaseline(dir))] }));
}

async function parent(): Promise<void> {
  const keep = process.env.BENCH_DIR;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'fw-bench-codemod-'));
  try {
    if (!keep || !existsSync(join(dir, 'src'))) generate(dir);
    console.log(`generated ${FILES} files (${FILES / 10} use PlayEvent) in ${dir}`);
    const modes = (process.env.MODES ?? 'engine,baseline').split(',');
    const { rows } = compareRewrites({ script: fileURLToPath(import.meta.url), dir, files: FILES, modes });
    printTable(rows);
    const [engine, baseline] = rows as [Record<string, number>, Record<string, number> | undefined];
    if (baseline)
      console.log(
        `engine speed-up over baseline: ${(engine['files/s']! / baseline['files/s']!).toFixed(1)}x wall, ${(baseline['CPU s']! / engine['CPU s']!).toFixed(1)}x CPU (goal ≥ 3x, ≥ 1000 files/s, ≤ 400 MiB, 0 tsc errors)`,
      );
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

const [mode, dir] = process.argv.slice(2);
if (mode && dir) await child(mode, dir);
else await parent();
