/**
 * renameField held against TypeScript's own rename on a real repository (issue 18, "How it is checked").
 *
 *   npm run build && node build/bench/rename-recall.js <repo-dir> <Type.field> [<Type.field> ...] [--verbose]
 *
 * For each (type, field) pair:
 *   - the answer: the field's declarations on the type, found with the `typescript` package's own checker
 *     (`getPropertyOfType` on the type's declared type: interfaces, aliases, classes, inherited members),
 *     then `findRenameLocations` from each, with a language service per tsconfig project of the
 *     repository whose files spell the field (what an editor's "Rename Symbol" does, across the
 *     repository's projects); locations outside the repository (dependencies) are dropped;
 *   - the engine: `CodemodEngine.compute` with `renameField { type, from: field, to: field_fw }`, and the
 *     places it renamed read back from its edits (identifier by identifier, shorthand expansions included);
 *   - compared: recall (TypeScript's locations the engine renamed), the ones it left and whether a warning
 *     finding names their file:line, its extra edits split into string-literal keys (what TypeScript leaves
 *     stale in `Pick`/`Omit`/`keyof`/`T['k']`) and anything else (listed: to be read by a person), and the
 *     CPU seconds of each side.
 * Nothing is asserted: the figures are for the closing note and docs/codemods.md. The repository is read,
 * never written.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import typescript from 'typescript';
import { CodemodEngine } from '../src/codemod/engine.js';
import type { ChangeSet, Edit } from '../src/codemod/port.js';
import { manifestSchema } from '../src/manifest/schema.js';

const t = typescript;
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'out', 'coverage', '.next', '.turbo']);

interface Pair {
  type: string;
  field: string;
}

/** `path:offset` of a renamed place, in the repository's original text. */
type Location = string;

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function findConfigs(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name)) continue;
    const path = join(dir, name);
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) findConfigs(path, out);
    else if (name === 'tsconfig.json' || name === 'jsconfig.json') out.push(path);
  }
  return out;
}

interface Project {
  config: string;
  fileNames: string[];
  options: typescript.CompilerOptions;
  service?: typescript.LanguageService;
}

function parseProjects(repo: string): Project[] {
  const projects = new Map<string, Project>();
  const host = { ...t.sys, onUnRecoverableConfigFileDiagnostic: () => {} };
  const queue = findConfigs(repo);
  while (queue.length) {
    const config = resolve(queue.shift()!);
    if (projects.has(config)) continue;
    const parsed = t.getParsedCommandLineOfConfigFile(config, {}, host);
    if (!parsed) continue;
    const fileNames = parsed.fileNames.filter((f) => !f.split(sep).some((p) => SKIP_DIRS.has(p)));
    projects.set(config, { config, fileNames, options: { ...parsed.options, skipLibCheck: true, noEmit: true } });
    for (const ref of parsed.projectReferences ?? []) {
      queue.push(ref.path.endsWith('.json') ? ref.path : join(ref.path, 'tsconfig.json'));
    }
  }
  const list = [...projects.values()].filter((p) => p.fileNames.length > 0);
  // the files no tsconfig takes: an editor opens them in an inferred project, with TypeScript's defaults
  const covered = new Set(list.flatMap((p) => p.fileNames.map((f) => resolve(f))));
  const loose = sourceFiles(repo).filter((f) => !covered.has(f));
  if (loose.length) {
    list.push({
      config: '(inferred project)',
      fileNames: loose,
      options: {
        allowJs: true,
        jsx: t.JsxEmit.Preserve,
        target: t.ScriptTarget.ESNext,
        module: t.ModuleKind.ESNext,
        moduleResolution: t.ModuleResolutionKind.Bundler,
        allowImportingTsExtensions: true,
        skipLibCheck: true,
        noEmit: true,
      },
    });
  }
  return list;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name)) continue;
    const path = join(dir, name);
    const st = statSync(path, { throwIfNoEntry: false });
    if (st?.isDirectory()) sourceFiles(path, out);
    else if (st && /\.(ts|tsx|mts|cts)$/.test(name)) out.push(resolve(path));
  }
  return out;
}

/**
 * What a workspace install (npm, yarn and pnpm workspaces) gives an editor: `node_modules/<name>`
 * linking to each package of the repository, so that TypeScript resolves them by their package.json.
 * Returns the links made (removed by the caller); a name already there is left as it is.
 */
function linkPackages(repo: string): string[] {
  const made: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (SKIP_DIRS.has(name) || name.startsWith('.')) continue;
      const path = join(dir, name);
      if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) walk(path);
      else if (name === 'package.json' && dir !== repo) {
        let pkg: string | undefined;
        try {
          pkg = (JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown }).name as string | undefined;
        } catch {
          pkg = undefined;
        }
        const link = typeof pkg === 'string' && pkg ? join(repo, 'node_modules', pkg) : undefined;
        if (!link || existsSync(link)) continue;
        mkdirSync(dirname(link), { recursive: true });
        symlinkSync(dir, link, 'dir');
        made.push(link);
      }
    }
  };
  walk(repo);
  return made;
}

const registry = t.createDocumentRegistry();
const texts = new Map<string, string | undefined>();
function readText(path: string): string | undefined {
  if (!texts.has(path)) texts.set(path, t.sys.readFile(path));
  return texts.get(path);
}

function serviceOf(p: Project, repo: string): typescript.LanguageService {
  p.service ??= t.createLanguageService(
    {
      getScriptFileNames: () => p.fileNames,
      getScriptVersion: () => '0',
      getScriptSnapshot: (f) => {
        const text = readText(f);
        return text === undefined ? undefined : t.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => repo,
      getCompilationSettings: () => p.options,
      getDefaultLibFileName: (o) => t.getDefaultLibFilePath(o),
      fileExists: t.sys.fileExists,
      readFile: readText,
      directoryExists: t.sys.directoryExists,
      getDirectories: t.sys.getDirectories,
      realpath: t.sys.realpath,
    },
    registry,
  );
  return p.service;
}

function inRepo(repo: string, file: string): string | undefined {
  const rel = relative(repo, file);
  if (rel.startsWith('..') || rel.split(sep).some((p) => SKIP_DIRS.has(p))) return undefined;
  return rel.split(sep).join('/');
}

/** The declarations of `field` on `type`, by TypeScript's checker: [file, position of the name]. */
function fieldDeclarations(program: typescript.Program, repo: string, pair: Pair): [string, number][] {
  const checker = program.getTypeChecker();
  const found: [string, number][] = [];
  for (const sf of program.getSourceFiles()) {
    if (!inRepo(repo, sf.fileName) || !sf.text.includes(pair.type)) continue;
    const visit = (node: typescript.Node): void => {
      if (
        (t.isInterfaceDeclaration(node) || t.isTypeAliasDeclaration(node) || t.isClassDeclaration(node)) &&
        node.name?.text === pair.type
      ) {
        const symbol = checker.getSymbolAtLocation(node.name);
        if (symbol) {
          const type = checker.getDeclaredTypeOfSymbol(symbol);
          const prop =
            checker.getPropertyOfType(type, pair.field) ??
            (type.isUnion() ? type.types.map((m) => checker.getPropertyOfType(m, pair.field)).find(Boolean) : undefined);
          for (const d of prop?.declarations ?? []) {
            const name = t.getNameOfDeclaration(d);
            const file = d.getSourceFile().fileName;
            if (name && inRepo(repo, file)) found.push([file, name.getStart()]);
          }
        }
      }
      t.forEachChild(node, visit);
    };
    visit(sf);
  }
  return found;
}

/** TypeScript's rename locations for `pair` over every project whose files spell the field. */
function typescriptLocations(repo: string, projects: Project[], pair: Pair): { locations: Set<Location>; declarations: number } {
  const locations = new Set<Location>();
  const declared = new Set<string>();
  const spells = (f: string) => (readText(f) ?? '').includes(pair.field);
  for (const p of projects) {
    if (!p.fileNames.some(spells)) continue;
    const service = serviceOf(p, repo);
    const program = service.getProgram();
    if (!program) continue;
    for (const [file, pos] of fieldDeclarations(program, repo, pair)) {
      declared.add(`${file}:${pos}`);
      const found = service.findRenameLocations(file, pos, false, false, { providePrefixAndSuffixTextForRename: true }) ?? [];
      for (const l of found) {
        const rel = inRepo(repo, l.fileName);
        if (rel) locations.add(`${rel}:${l.textSpan.start}`);
      }
    }
  }
  return { locations, declarations: declared.size };
}

const IDENT = /[A-Za-z_$][\w$]*/g;
function identifiers(text: string): { name: string; at: number }[] {
  return [...text.matchAll(IDENT)].map((m) => ({ name: m[0], at: m.index }));
}

/**
 * The places one edit renamed, read from its texts: identifiers in step, where `from` became `to`
 * (`{ from }` written `{ to: from }` or `{ from: to }` counts once, at `from`). Unexplained differences
 * are returned for the report.
 */
function renamedPlaces(edit: Edit, from: string, to: string): { places: number[]; unexplained: number[] } {
  const a = identifiers(edit.before ?? '');
  const b = identifiers(edit.after ?? '');
  const places: number[] = [];
  const unexplained: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i]!.name === b[j]!.name) {
      i++;
      j++;
    } else if (b[j]!.name === to && a[i]!.name === from && b[j + 1]?.name === from && a[i + 1]?.name === b[j + 2]?.name) {
      places.push(a[i]!.at); // `{ from }` → `{ to: from }`
      i++;
      j += 2;
    } else if (b[j]!.name === to && a[i]!.name === from) {
      places.push(a[i]!.at);
      i++;
      j++;
    } else if (b[j]!.name === to && i > 0 && a[i - 1]!.name === from) {
      places.push(a[i - 1]!.at); // `{ from }` → `{ from: to }`
      j++;
    } else {
      unexplained.push(a[i]!.at);
      break;
    }
  }
  return { places, unexplained };
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let k = 0; k < offset; k++) if (text.charCodeAt(k) === 10) line++;
  return line;
}

function lineText(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', offset);
  return text
    .slice(start, end < 0 ? undefined : end)
    .trim()
    .slice(0, 140);
}

async function engineSet(repo: string, pair: Pair, to: string): Promise<ChangeSet> {
  const manifest = manifestSchema.parse({
    apiVersion: 'fleetwave/v1',
    kind: 'DatasetMigration',
    metadata: { name: 'recall', owner: 'recall' },
    dataset: { source: { uri: 'data/recall/v1/', format: 'avro' }, target: { uri: 'data/recall/v2/', format: 'parquet' } },
    consumers: { discover: [{ repos: ['real/repo'] }] },
    changes: [{ renameField: { type: pair.type, from: pair.field, to } }],
  });
  return new CodemodEngine().compute({ manifest, repo: 'real/repo', dir: repo });
}

interface EngineRun {
  set: ChangeSet;
  cpuMs: number;
}

interface TypeScriptRun {
  locations: Set<Location>;
  declarations: number;
  cpuMs: number;
}

function compare(repo: string, pair: Pair, engine: EngineRun, ts: TypeScriptRun, verbose: boolean) {
  const to = `${pair.field}_fw`;
  const { set } = engine;

  const mine = new Set<Location>();
  const unexplained: string[] = [];
  for (const e of set.edits) {
    const r = renamedPlaces(e, pair.field, to);
    for (const p of r.places) mine.add(`${e.path}:${p}`);
    for (const p of r.unexplained) unexplained.push(`${e.path}:${lineOf(e.before ?? '', p)}`);
  }
  const warnings = set.findings.filter((f) => f.severity !== 'info');
  const named = (path: string, line: number) => warnings.some((f) => f.file === path && (f.line === undefined || f.line === line));
  const missed: string[] = [];
  const leftWarned: string[] = [];
  for (const l of ts.locations) {
    if (mine.has(l)) continue;
    const [path, at] = splitLocation(l);
    const text = readText(join(repo, path)) ?? '';
    const line = lineOf(text, at);
    (named(path, line) ? leftWarned : missed).push(`${path}:${line}  ${lineText(text, at)}`);
  }
  let keyExtras = 0;
  const otherExtras: string[] = [];
  const keyList: string[] = [];
  for (const l of mine) {
    if (ts.locations.has(l)) continue;
    const [path, at] = splitLocation(l);
    const text = readText(join(repo, path)) ?? '';
    const where = `${path}:${lineOf(text, at)}  ${lineText(text, at)}`;
    if (/['"`]/.test(text[at - 1] ?? '')) {
      keyExtras++;
      keyList.push(where);
    } else otherExtras.push(where);
  }
  const warned = leftWarned.length;
  const found = ts.locations.size - missed.length - warned;
  return {
    pair: `${pair.type}.${pair.field}`,
    declarations: ts.declarations,
    typescript: ts.locations.size,
    renamed: found,
    warned,
    silent: missed.length,
    recall: ts.locations.size ? found / ts.locations.size : 1,
    keyExtras,
    otherExtras: otherExtras.length,
    engineCpuS: engine.cpuMs / 1000,
    typescriptCpuS: ts.cpuMs / 1000,
    findings: set.findings.length,
    details: { missed, leftWarned, otherExtras, unexplained, ...(verbose ? { keyList } : {}) },
  };
}

function splitLocation(l: Location): [string, number] {
  const k = l.lastIndexOf(':');
  return [l.slice(0, k), Number(l.slice(k + 1))];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose');
  const linkWorkspaces = args.includes('--link-workspaces');
  const [dir, ...pairArgs] = args.filter((a) => !a.startsWith('--'));
  if (!dir || pairArgs.length === 0) {
    console.error('usage: node build/bench/rename-recall.js <repo-dir> <Type.field> [<Type.field> ...] [--link-workspaces] [--verbose]');
    process.exitCode = 2;
    return;
  }
  const repo = resolve(dir);
  const pairs = pairArgs.map((a) => {
    const k = a.indexOf('.');
    if (k <= 0 || k === a.length - 1) throw new Error(`${a}: write a pair as Type.field`);
    return { type: a.slice(0, k), field: a.slice(k + 1) };
  });
  const c = cpuMs();
  const projects = parseProjects(repo);
  console.log(`${repo}: ${projects.length} projects (${((cpuMs() - c) / 1000).toFixed(1)} CPU s to read their configs)`);
  const totals = { typescript: 0, renamed: 0, warned: 0, silent: 0, keyExtras: 0, otherExtras: 0, engineCpuS: 0 };
  // the engine on the checkout as Fleetwave gets it (no install)…
  const engine: EngineRun[] = [];
  for (const pair of pairs) {
    const c = cpuMs();
    const set = await engineSet(repo, pair, `${pair.field}_fw`);
    engine.push({ set, cpuMs: cpuMs() - c });
  }
  // …and TypeScript as an editor sees it, with the workspace packages linked when asked
  const links = linkWorkspaces ? linkPackages(repo) : [];
  if (linkWorkspaces) console.log(`linked ${links.length} workspace packages under node_modules/ for TypeScript's side`);
  const answers: TypeScriptRun[] = [];
  try {
    for (const pair of pairs) {
      const c = cpuMs();
      const ts = typescriptLocations(repo, projects, pair);
      answers.push({ ...ts, cpuMs: cpuMs() - c });
    }
  } finally {
    for (const link of links.reverse()) {
      rmSync(link, { force: true });
      // the scope folder and node_modules/ itself, when the links were all they held
      for (let d = dirname(link); d.startsWith(join(repo, 'node_modules')); d = dirname(d)) {
        if (readdirSync(d).length > 0) break;
        rmdirSync(d);
      }
    }
  }
  for (const [k, pair] of pairs.entries()) {
    const r = compare(repo, pair, engine[k]!, answers[k]!, verbose);
    for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += r[k];
    const { details, ...figures } = r;
    console.log(JSON.stringify(figures));
    for (const m of details.missed) console.log(`  missed (no warning): ${m}`);
    for (const m of details.leftWarned) console.log(`  left, with a warning at its line: ${m}`);
    for (const m of details.otherExtras) console.log(`  extra (not a key literal): ${m}`);
    for (const m of details.unexplained) console.log(`  edit not read as a rename: ${m}`);
    for (const m of details.keyList ?? []) console.log(`  key literal: ${m}`);
  }
  const recall = totals.typescript ? totals.renamed / totals.typescript : 1;
  console.log(
    `total: ${totals.renamed}/${totals.typescript} of TypeScript's locations renamed (recall ${(recall * 100).toFixed(1)}%), ` +
      `${totals.warned} left with a warning at their line, ${totals.silent} silent; extras: ${totals.keyExtras} key literals, ` +
      `${totals.otherExtras} other; engine ${totals.engineCpuS.toFixed(1)} CPU s`,
  );
}

await main();
