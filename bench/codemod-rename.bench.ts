/**
 * renameField on a repository shaped like the real ones (issue 18, deliver 5). Generates a monorepo of
 * FILES TypeScript files (default 1,200): a solution-style root tsconfig.json (`files: []` +
 * `references`), a base config with `paths` aliases every package imports through, a models package
 * that declares its data model as `Base & Readonly<{ … }>` type literals, and two packages whose files
 * are densely imported through aliases (each imports three to seven others). A third of the files are
 * utilities that import only other utilities; 15% name `PlayEvent` and use `user_id`, 5% reach it only
 * through a function of the models package (never naming it), 25% use a `user_id` field of other
 * models, the rest none. Then renames `PlayEvent.user_id → userId`:
 *   - engine:   the codemod engine (text prefilter and import graph, one language service per set of
 *               projects with the same options over the candidate files, skimmed, TypeScript's rename
 *               locations plus the stale key literals);
 *   - baseline: a plain `findRenameLocations` from the field's declaration, with the `typescript`
 *               package's language service over every file of every project of the solution (what an
 *               editor's "Rename Symbol" does), edits applied as spans.
 * Each in its own process after the same warm-up (loading the compilers). Printed: files/s, files per
 * CPU-second, CPU s, peak RSS, files changed, locations, the code cache's state, V8's tier-up setting,
 * the child's start-up CPU (not in CPU s), the baseline's locations the engine also changed (recall),
 * and `tsc` errors of the rewritten repository. Nothing is asserted.
 *
 *   npm run bench -- codemod-rename
 * The engine's modes load the compiler as the CLI does (bin/fleetwave.js:
 * src/composition/compiler-code-cache.ts, compiler-tiering.ts), each with its own XDG_CACHE_HOME:
 *   - engine-plain: neither the code cache nor the tier-up budget (FLEETWAVE_COMPILE_CACHE=0,
 *                   FLEETWAVE_COMPILER_TIERING=0): the engine as it ran before both;
 *   - engine:       the first run on a machine: no code cache yet (cold);
 *   - engine-warm:  with the code cache a previous process left (the `prime` child, which renamed in
 *                   another, 120-file repository);
 *   - engine-fleet: the engine on the same repository after it renamed in another, small repository in
 *                   the same process (what each later repository of a fleet run costs: the library files
 *                   parsed, the compiler's code compiled), cold.
 * The goal is judged on the first repository of a process: engine (cold) and engine-warm.
 * Environment: FILES (repository size, default 1200), MODES (default
 * engine-plain,engine,engine-warm,baseline,engine-fleet), BENCH_DIR (keep the generated repository there
 * and reuse it).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import typescript from 'typescript';
import type { Edit } from '../src/codemod/port.js';
import type { Manifest } from '../src/manifest/types.js';
import { loadCompilerWithCodeCache, type CompilerCodeCache } from '../src/composition/compiler-code-cache.js';
import type { RewriteRun } from './codemod-run.js';
import { printTable } from './measure.js';

// ts-morph, and every module that imports it (the engine, codemod-run's type check), is imported only
// after the child loaded the compiler through its code cache (`child`): see `engineModules`.
type EngineModules = Awaited<ReturnType<typeof engineModules>>;
async function engineModules() {
  const [{ ts }, { CodemodEngine }, { manifestSchema }, run] = await Promise.all([
    import('ts-morph'),
    import('../src/codemod/engine.js'),
    import('../src/manifest/schema.js'),
    import('./codemod-run.js'),
  ]);
  return { ts, CodemodEngine, manifestSchema, recordRun: run.recordRun, compareRewrites: run.compareRewrites };
}

const FILES = Number(process.env.FILES ?? 1200);
const PACKAGES = ['core', 'web'] as const;
const PER_MODULE = 40;

/** A deterministic pseudo-random sequence (the same repository every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function modelsFiles(): Record<string, string> {
  return {
    'packages/models/src/base.ts': `export type Base = Readonly<{ id: string; created_at: number }>;\n`,
    'packages/models/src/play-event.ts': [
      `import type { Base } from './base';`,
      ``,
      `/** A play event as the dataset stores it. */`,
      `export type PlayEvent = Base &`,
      `  Readonly<{`,
      `    user_id: string;`,
      `    track_id: string;`,
      `    ms_played: number;`,
      `  }>;`,
      ``,
      `export type PlayEventKey = keyof PlayEvent;`,
      `export type Listener = Pick<PlayEvent, 'user_id' | 'track_id'>;`,
      ``,
    ].join('\n'),
    'packages/models/src/account.ts': `import type { Base } from './base';\n\nexport type Account = Base & Readonly<{ user_id: string; email: string }>;\n`,
    'packages/models/src/session.ts': `export interface Session {\n  readonly user_id: number;\n  readonly started: number;\n}\n`,
    'packages/models/src/store.ts': [
      `import type { PlayEvent } from './play-event';`,
      ``,
      `const events: PlayEvent[] = [];`,
      ``,
      `export function latest(): PlayEvent | undefined {`,
      `  return events[events.length - 1];`,
      `}`,
      ``,
      `export function all(): readonly PlayEvent[] {`,
      `  return events;`,
      `}`,
      ``,
    ].join('\n'),
    'packages/models/src/index.ts': `export * from './base';\nexport * from './play-event';\nexport * from './account';\nexport * from './session';\nexport * from './store';\n`,
  };
}

function filePath(pkg: string, i: number): string {
  return `packages/${pkg}/src/m${String(Math.floor(i / PER_MODULE)).padStart(2, '0')}/f${i}.ts`;
}
function alias(pkg: string, i: number): string {
  return `@${pkg}/m${String(Math.floor(i / PER_MODULE)).padStart(2, '0')}/f${i}`;
}

type Kind = 'util' | 'record' | 'reach' | 'other' | 'plain';

/** What each file of a package is (deterministic): utilities, users of the record, of other models, other code. */
function kinds(n: number, next: () => number): Kind[] {
  return Array.from({ length: n }, (_, i) => {
    if (i < 5) return 'util';
    const r = next();
    return r < 0.35 ? 'util' : r < 0.5 ? 'record' : r < 0.55 ? 'reach' : r < 0.8 ? 'other' : 'plain';
  });
}

function pick<T>(list: readonly T[], count: number, next: () => number): T[] {
  if (list.length === 0) return [];
  return [...new Set(Array.from({ length: count }, () => list[Math.floor(next() * list.length)]!))];
}

/**
 * One package file. Utilities import three to five earlier utilities (a few declare generics); the
 * others import three to five utilities and one or two earlier files of any kind, and use the record
 * (`record`: naming it; `reach`: only through a function of the models package), another model's
 * `user_id` (`other`) or no such field (`plain`); then filler to ~90 lines.
 */
function packageFile(pkg: string, i: number, kind: Kind, utils: number[], earlier: number[], next: () => number): string {
  const lines: string[] = [];
  const imports =
    kind === 'util'
      ? pick(utils, 3 + Math.floor(next() * 3), next)
      : [...pick(utils, 3 + Math.floor(next() * 3), next), ...pick(earlier, 1 + Math.floor(next() * 2), next)];
  if (kind === 'record') lines.push(`import type { PlayEvent } from '@models/play-event';`);
  if (kind === 'reach') lines.push(`import { latest } from '@models/store';`);
  if (kind === 'other') lines.push(`import type { Account, Session } from '@models/index';`);
  for (const j of [...new Set(imports)]) lines.push(`import { helper${j}_0 } from '${alias(pkg, j)}';`);
  lines.push(``);
  if (kind === 'record') {
    lines.push(
      `export function listener${i}(e: PlayEvent): string {`,
      `  return e.user_id;`,
      `}`,
      ``,
      `export function summary${i}({ user_id, track_id }: PlayEvent): string {`,
      `  return \`\${user_id}:\${track_id}\`;`,
      `}`,
      ``,
      `export function make${i}(user_id: string): PlayEvent {`,
      `  return { id: 'e${i}', created_at: ${i}, user_id, track_id: 't', ms_played: ${i} };`,
      `}`,
      ``,
      `export const column${i}: keyof PlayEvent = 'user_id';`,
      `export type Who${i} = Pick<PlayEvent, 'user_id'>;`,
    );
  } else if (kind === 'reach') {
    lines.push(`export function lastListener${i}(): string | undefined {`, `  return latest()?.user_id;`, `}`);
  } else if (kind === 'other') {
    lines.push(
      `export function owner${i}(a: Account): string {`,
      `  return a.user_id;`,
      `}`,
      ``,
      `export function sessionUser${i}({ user_id }: Session): number {`,
      `  return user_id;`,
      `}`,
      ``,
      `export const label${i} = 'user_id of the account';`,
    );
  } else if (kind === 'util' && next() < 0.1) {
    lines.push(`export function firstOf${i}<T>(values: readonly T[]): T | undefined {`, `  return values[0];`, `}`);
  }
  lines.push(``, `export function total${i}(values: number[]): number {`);
  lines.push(`  return ${imports.length ? [...new Set(imports)].map((j) => `helper${j}_0(values)`).join(' + ') : '0'};`, `}`);
  let k = 0;
  while (lines.length < 90) {
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

function generate(dir: string, size = FILES): void {
  const files: Record<string, string> = { ...modelsFiles() };
  const compilerOptions = {
    strict: true,
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'Bundler',
    types: [],
    noEmit: true,
    paths: {
      '@models/*': ['./packages/models/src/*'],
      '@core/*': ['./packages/core/src/*'],
      '@web/*': ['./packages/web/src/*'],
    },
  };
  files['tsconfig.base.json'] = JSON.stringify({ compilerOptions }, null, 2);
  files['tsconfig.json'] = JSON.stringify(
    { files: [], references: ['models', ...PACKAGES].map((p) => ({ path: `./packages/${p}` })) },
    null,
    2,
  );
  for (const p of ['models', ...PACKAGES])
    files[`packages/${p}/tsconfig.json`] = JSON.stringify({ extends: '../../tsconfig.base.json', include: ['src'] }, null, 2);
  const next = rng(18);
  const perPackage = Math.ceil((size - Object.keys(modelsFiles()).length) / PACKAGES.length);
  for (const pkg of PACKAGES) {
    const kindOf = kinds(perPackage, next);
    const utils: number[] = [];
    for (let i = 0; i < perPackage; i++) {
      const earlier = Array.from({ length: i }, (_, j) => j).filter((j) => kindOf[j] !== 'util');
      files[filePath(pkg, i)] = packageFile(pkg, i, kindOf[i]!, utils, earlier, next);
      if (kindOf[i] === 'util') utils.push(i);
    }
  }
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
}

function sourceCount(dir: string): number {
  let n = 0;
  const walk = (d: string) => {
    for (const e of typescript.sys.readDirectory(d, ['.ts'], ['**/node_modules'], ['**/*'])) if (e.endsWith('.ts')) n++;
  };
  walk(dir);
  return n;
}

function manifest(m: EngineModules): Manifest {
  return m.manifestSchema.parse({
    apiVersion: 'fleetwave/v1',
    kind: 'DatasetMigration',
    metadata: { name: 'bench', owner: 'bench' },
    dataset: { source: { uri: 'data/play-events/v1/', format: 'avro' }, target: { uri: 'data/play-events/v2/', format: 'parquet' } },
    consumers: { discover: [{ repos: ['acme/bench'] }] },
    changes: [{ renameField: { type: 'PlayEvent', from: 'user_id', to: 'userId' } }],
  });
}

interface Run {
  changed: Map<string, string>;
  /** `path:offset` of every renamed place (in the original text). */
  locations: string[];
  warnings: number;
}

async function runEngine(m: EngineModules, dir: string): Promise<Run> {
  const set = await new m.CodemodEngine().compute({ manifest: manifest(m), repo: 'acme/bench', dir });
  const locations: string[] = [];
  for (const e of set.edits) {
    const before = e.before ?? '';
    const after = e.after ?? '';
    // offsets of the renamed places, found by walking both texts (each edit replaces `user_id`)
    let a = 0;
    for (let b = 0; b < before.length;) {
      if (before.startsWith('user_id', b) && !after.startsWith('user_id', a) && after.startsWith('userId', a)) {
        locations.push(`${e.path}:${b}`);
        const shorthand = after.startsWith('userId: user_id', a) ? 'userId: user_id'.length : 'userId'.length;
        a += shorthand;
        b += 'user_id'.length;
      } else {
        a++;
        b++;
      }
    }
  }
  return {
    changed: new Map(set.edits.map((e: Edit) => [e.path, e.after ?? ''])),
    locations,
    warnings: set.findings.filter((f) => f.severity === 'warning').length,
  };
}

/** The baseline: a language service over every file of every project, findRenameLocations from the declaration. */
function runBaseline(dir: string): Run {
  const t = typescript;
  const registry = t.createDocumentRegistry();
  const root = t.getParsedCommandLineOfConfigFile(
    join(dir, 'tsconfig.json'),
    {},
    { ...t.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  const found = new Map<string, { fileName: string; start: number; length: number; prefix: string; suffix: string }>();
  const declFile = join(dir, 'packages/models/src/play-event.ts');
  const declPos = readFileSync(declFile, 'utf8').indexOf('user_id: string');
  for (const ref of root?.projectReferences ?? []) {
    const cfg = t.getParsedCommandLineOfConfigFile(
      join(ref.path, 'tsconfig.json'),
      {},
      { ...t.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
    );
    if (!cfg) continue;
    const host: typescript.LanguageServiceHost = {
      getScriptFileNames: () => [...new Set([...cfg.fileNames, declFile])],
      getScriptVersion: () => '0',
      getScriptSnapshot: (f) => {
        const text = t.sys.readFile(f);
        return text === undefined ? undefined : t.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => dir,
      getCompilationSettings: () => ({ ...cfg.options, skipLibCheck: true }),
      getDefaultLibFileName: (o) => t.getDefaultLibFilePath(o),
      fileExists: t.sys.fileExists,
      readFile: t.sys.readFile,
      directoryExists: t.sys.directoryExists,
      getDirectories: t.sys.getDirectories,
    };
    const service = t.createLanguageService(host, registry);
    for (const l of service.findRenameLocations(declFile, declPos, false, false, { providePrefixAndSuffixTextForRename: true }) ?? [])
      found.set(`${l.fileName}:${l.textSpan.start}`, {
        fileName: l.fileName,
        start: l.textSpan.start,
        length: l.textSpan.length,
        prefix: l.prefixText ?? '',
        suffix: l.suffixText ?? '',
      });
    service.dispose();
  }
  const byFile = new Map<string, { start: number; length: number; text: string }[]>();
  for (const l of found.values()) {
    const list = byFile.get(l.fileName) ?? [];
    list.push({ start: l.start, length: l.length, text: `${l.prefix}userId${l.suffix}` });
    byFile.set(l.fileName, list);
  }
  const changed = new Map<string, string>();
  for (const [fileName, edits] of byFile) {
    let text = readFileSync(fileName, 'utf8');
    for (const e of edits.sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.text + text.slice(e.start + e.length);
    changed.set(relative(dir, fileName), text);
  }
  return { changed, locations: [...found.values()].map((l) => `${relative(dir, l.fileName)}:${l.start}`), warnings: 0 };
}

function cpuMsNow(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}

async function child(mode: string, dir: string): Promise<void> {
  // Process start-up, not the work measured (the same for every mode): loading the compilers — for the
  // engine's modes, ts-morph's through the code cache in XDG_CACHE_HOME as the CLI does (bin/fleetwave.js),
  // empty for `engine` and `engine-fleet` (cold), left by the `prime` child for `engine-warm`.
  const startCpu = cpuMsNow();
  const cache: CompilerCodeCache | undefined = mode === 'baseline' ? undefined : loadCompilerWithCodeCache();
  const m = await engineModules();
  m.ts.createSourceFile('warm-up.ts', 'export {};', m.ts.ScriptTarget.Latest);
  typescript.createSourceFile('warm-up.ts', 'export {};', typescript.ScriptTarget.Latest);
  const startUpCpuMs = cpuMsNow() - startCpu;
  if (mode === 'engine-fleet' || mode === 'prime') {
    // A fleet run's later repository: the engine has renamed in another (small) repository in this
    // process already, so the library files are parsed and the compiler's code is compiled. `prime`
    // stops there and leaves the code cache for `engine-warm` (a previous run, on another repository).
    const other = mkdtempSync(join(tmpdir(), 'fw-bench-rename-other-'));
    try {
      generate(other, 120);
      await runEngine(m, other);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
    if (mode === 'prime') {
      // (nothing to leave with FLEETWAVE_COMPILE_CACHE=0 in the environment: every row then runs without it)
      if (cache?.state !== 'disabled' && !cache?.save())
        throw new Error(`prime: the code cache was not written (${cache?.state ?? 'none'})`);
      return;
    }
  }
  await m.recordRun(dir, mode, async () => {
    const r = mode.startsWith('engine') ? await runEngine(m, dir) : runBaseline(dir);
    return {
      changed: [...r.changed],
      locations: r.locations,
      warnings: r.warnings,
      codeCache: cache?.state ?? '-',
      tiering: cache?.tiering ?? '-',
      startUpCpuMs,
    };
  });
  cache?.save();
}

async function parent(): Promise<void> {
  const keep = process.env.BENCH_DIR;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'fw-bench-rename-'));
  // The code caches of this run: `cold` emptied before each child that uses it, `warm` written by `prime`.
  const caches = mkdtempSync(join(tmpdir(), 'fw-bench-rename-cache-'));
  const script = fileURLToPath(import.meta.url);
  try {
    if (!keep || !existsSync(join(dir, 'packages'))) generate(dir);
    const files = sourceCount(dir);
    console.log(`generated ${files} files (solution-style tsconfig, paths aliases, Readonly<{…}> models) in ${dir}`);
    const modes = (process.env.MODES ?? 'engine-plain,engine,engine-warm,baseline,engine-fleet').split(',');
    const cacheHome = (mode: string): string => {
      const home = join(caches, mode === 'engine-warm' ? 'warm' : 'cold');
      if (mode !== 'engine-warm') rmSync(home, { recursive: true, force: true });
      return home;
    };
    const { compareRewrites } = await import('./codemod-run.js');
    const { rows, results } = compareRewrites<
      RewriteRun & { locations: string[]; warnings: number; codeCache: string; tiering: string; startUpCpuMs: number }
    >(
      {
        script,
        dir,
        files,
        modes,
        env: (mode) => ({
          ...process.env,
          XDG_CACHE_HOME: cacheHome(mode),
          ...(mode === 'engine-plain' ? { FLEETWAVE_COMPILE_CACHE: '0', FLEETWAVE_COMPILER_TIERING: '0' } : {}),
        }),
        before: (mode) => {
          if (mode !== 'engine-warm') return;
          rmSync(join(caches, 'warm'), { recursive: true, force: true });
          execFileSync(process.execPath, [script, 'prime', dir], {
            stdio: 'inherit',
            env: { ...process.env, XDG_CACHE_HOME: join(caches, 'warm') },
          });
        },
      },
      (r) => ({
        locations: r.locations.length,
        warnings: r.warnings,
        'code cache': r.codeCache,
        'V8 tier-up': r.tiering === '-' ? 'default' : r.tiering.replace(/^--/, ''),
        'start-up CPU s': Number((r.startUpCpuMs / 1000).toFixed(2)),
      }),
    );
    printTable(rows);
    const engine = results.get('engine');
    const baseline = results.get('baseline');
    if (engine && baseline) {
      const mine = new Set(engine.locations);
      const missed = baseline.locations.filter((l) => !mine.has(l));
      console.log(
        `recall against findRenameLocations: ${baseline.locations.length - missed.length}/${baseline.locations.length}` +
          `${missed.length ? ` (missed e.g. ${missed.slice(0, 3).join(', ')})` : ''}; engine extras (key literals TypeScript leaves stale): ${engine.locations.length - (baseline.locations.length - missed.length)}` +
          ` (goal ≥ 1000 files/CPU-s, ≤ 400 MiB, 0 tsc errors)`,
      );
    }
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
    rmSync(caches, { recursive: true, force: true });
  }
}

const [mode, dir] = process.argv.slice(2);
if (mode && dir) await child(mode, dir);
else await parent();
