/**
 * The type checker over a few files: TypeScript language services whose roots are only the given files
 * (with their current, possibly already rewritten text); the compiler loads what they import from disk
 * on demand. Each root is analysed with the options of the project it belongs to (project-config.ts:
 * the nearest tsconfig, solution-style configs through their references, `extends` chains, `paths`),
 * so a repository with several tsconfigs gets one language service per project that has candidates.
 * Built with the compiler API that ts-morph ships (`ts-morph`'s `ts`) rather than through a ts-morph
 * Project: wrapping every node costs about three times the parse, and the typed rules walk compiler
 * nodes anyway. The default library files are parsed once per process and shared by every program
 * (they never change), which is what makes a fleet of repositories cheap.
 */
import { join, relative, resolve, sep } from 'node:path';
import { Project, ts } from 'ts-morph';
import { importGraph, type ImportGraph } from '../import-graph.js';
import { GENERATED_DIRS, isSourcePath, listRepoFiles, readTextFile } from '../repo-files.js';
import { scriptKindOf } from './parse.js';
import { skimBodies, skimmable, verifySkim } from './skim.js';
import { analysisOptions, ProjectConfigs, type ConfigIssue, type ProjectConfig } from './project-config.js';
import { WorkspacePackages } from './workspace-packages.js';

function extensionOf(file: string): ts.Extension {
  for (const e of [
    ts.Extension.Dts,
    ts.Extension.Dmts,
    ts.Extension.Dcts,
    ts.Extension.Tsx,
    ts.Extension.Ts,
    ts.Extension.Mts,
    ts.Extension.Cts,
    ts.Extension.Jsx,
    ts.Extension.Mjs,
    ts.Extension.Cjs,
  ])
    if (file.endsWith(e)) return e;
  return ts.Extension.Js;
}

/**
 * Compiler options of the consumer's root tsconfig.json (when it has one; a solution-style root gives
 * its first referenced project's), adjusted for analysis. `forAnalysis`: when the tsconfig names no
 * `lib`, use the ECMAScript library without the DOM (2 MB of declarations no dataset field lives in);
 * a full type check keeps TypeScript's default.
 */
export function compilerOptionsFor(dir: string, forAnalysis = false): ts.CompilerOptions {
  return analysisOptions(rootProject(new ProjectConfigs(dir), dir)?.options ?? {}, forAnalysis);
}

function rootProject(configs: ProjectConfigs, dir: string): ProjectConfig | undefined {
  const root = configs.load(join(dir, 'tsconfig.json')) ?? configs.load(join(dir, 'jsconfig.json'));
  if (!root?.solution) return root;
  for (const ref of root.references) {
    const child = configs.load(ref);
    if (child && !child.solution) return child;
  }
  return root;
}

/**
 * One program's language service over its roots: one project's, or several projects' whose options and
 * declaration files are the same (a solution whose packages extend one base config) and none of whose
 * files declares globals; then one program answers for all of them, as each project's own would.
 */
export interface TypedProject {
  /** The (first) config (absolute path), or undefined for files no config covers. */
  configPath?: string;
  service: ts.LanguageService;
  program: ts.Program;
  checker: ts.TypeChecker;
  /** Repository-relative paths of the roots analysed in this project. */
  roots: string[];
}

export interface TypedFiles {
  /** The first project's program and checker (the only ones when the repository has one project). */
  program: ts.Program;
  checker: ts.TypeChecker;
  /** Every project that holds roots. */
  projects: TypedProject[];
  dir: string;
  /** Problems with the repository's configs (a missing `extends` base…), for warning findings. */
  configIssues: ConfigIssue[];
  /**
   * Imports left unresolved on purpose (absolute containing file → specifiers): repository files that
   * neither are roots nor import one, transitively, and declare no generics, so no value of a type the
   * roots declare can pass through them (see `buildTypedFiles`).
   */
  cutImports: ReadonlyMap<string, ReadonlySet<string>>;
  sourceFile(path: string): ts.SourceFile | undefined;
  /** The project (program, checker, language service) a root belongs to. */
  projectOf(path: string): TypedProject | undefined;
}

const LIB_DIR = '/node_modules/typescript/lib';
const libCache = new Map<string, ts.SourceFile>();
let libHost: ts.ModuleResolutionHost | undefined;

/**
 * A default library file (ts-morph's bundled libs), parsed on first use and cached per process for each
 * target: only the files a program references are parsed, once.
 */
function libFile(fileName: string, target: ts.ScriptTarget | undefined): ts.SourceFile | undefined {
  if (!fileName.startsWith(`${LIB_DIR}/`)) return undefined;
  const languageVersion = target ?? ts.ScriptTarget.ES2022;
  const key = `${languageVersion}\0${fileName}`;
  let sf = libCache.get(key);
  if (!sf) {
    libHost ??= new Project({ useInMemoryFileSystem: true }).getModuleResolutionHost();
    const text = libHost.readFile(fileName);
    if (text === undefined) return undefined;
    // Their JSDoc (most of their text) gives no types in a declaration file: neither parsed nor
    // scanned (the block comments are cut out; the `/// <reference lib>` lines stay). No parent
    // pointers from the parser: binding sets them, and a program's checker is made (and binds) at once.
    const options = { languageVersion, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '');
    sf = ts.createLanguageServiceSourceFile(fileName, ts.ScriptSnapshot.fromString(code), options, '0', false);
    libCache.set(key, sf);
  }
  return sf;
}

/** The library files of one set of options, looked up by file name. */
function libFiles(options: ts.CompilerOptions): { get(f: string): ts.SourceFile | undefined; has(f: string): boolean } {
  return { get: (f) => libFile(f, options.target), has: (f) => libFile(f, options.target) !== undefined };
}

/**
 * Skimmed repository files (skim.ts) of one build, parsed once and handed to every program of it.
 * `get` is undefined for a file that is not skimmed (the registry then parses it whole).
 */
interface Skims {
  get(
    fileName: string,
    path: ts.Path,
    key: string,
    snapshot: ts.IScriptSnapshot,
    version: string,
    kind: ts.ScriptKind | undefined,
    sfOptions: ts.CreateSourceFileOptions | ts.ScriptTarget | undefined,
  ): ts.SourceFile | undefined;
  has(path: string): boolean;
}

function skims(dir: string, keepBody: (body: string) => boolean): Skims {
  const files = new Map<string, ts.SourceFile | undefined>();
  const paths = new Set<string>();
  return {
    get(fileName, path, key, snapshot, version, kind, sfOptions) {
      if (!skimmable(fileName) || !repoFile(dir, fileName)) return undefined;
      const k = `${key}\0${path}`;
      if (!files.has(k)) {
        const skimmed = skimBodies(snapshot.getText(0, snapshot.getLength()), keepBody);
        let sf: ts.SourceFile | undefined;
        if (skimmed) {
          const options = sfOptions ?? ts.ScriptTarget.ES2022;
          // no parent pointers from the parser: binding sets them, and every program's checker is made (and binds) at once
          sf = ts.createLanguageServiceSourceFile(fileName, ts.ScriptSnapshot.fromString(skimmed.text), options, version, false, kind);
          if (!verifySkim(sf, skimmed.ranges)) sf = undefined;
        }
        files.set(k, sf);
        if (sf) paths.add(path);
      }
      return files.get(k);
    },
    has: (path) => paths.has(path),
  };
}

/**
 * A document registry that hands out the shared library files and the build's skimmed files, and
 * parses every other file with parent pointers (the rules walk up the tree).
 */
function registryWithLibs(
  libs: ReturnType<typeof libFiles>,
  base: ts.DocumentRegistry = newRegistry(),
  skimmed?: Skims,
): ts.DocumentRegistry {
  return {
    ...base,
    acquireDocument: (fileName, settings, snapshot, version, kind, sfOptions) =>
      libs.get(fileName) ?? base.acquireDocument(fileName, settings, snapshot, version, kind, sfOptions),
    acquireDocumentWithKey: (fileName, path, settings, key, snapshot, version, kind, sfOptions) =>
      libs.get(fileName) ??
      skimmed?.get(fileName, path, key, snapshot, version, kind, sfOptions) ??
      base.acquireDocumentWithKey(fileName, path, settings, key, snapshot, version, kind, sfOptions),
    updateDocumentWithKey: (fileName, path, settings, key, snapshot, version, kind, sfOptions) =>
      libs.get(fileName) ??
      skimmed?.get(fileName, path, key, snapshot, version, kind, sfOptions) ??
      base.updateDocumentWithKey(fileName, path, settings, key, snapshot, version, kind, sfOptions),
    releaseDocumentWithKey: (path: ts.Path, key: ts.DocumentRegistryBucketKey, kind?: ts.ScriptKind, format?: ts.ResolutionMode) => {
      if (!path.startsWith(`${LIB_DIR}/`) && !skimmed?.has(path)) base.releaseDocumentWithKey(path, key, kind!, format);
    },
  };
}

function newRegistry(): ts.DocumentRegistry {
  return ts.createDocumentRegistry(ts.sys.useCaseSensitiveFileNames, undefined, ts.JSDocParsingMode.ParseForTypeInfo);
}

/** Type parameters declared in a file (`<T>`, `<K extends keyof T>`, `<T,>`): its exports may carry any type. */
const DECLARES_GENERICS = /<\s*[A-Z][A-Za-z0-9_]*\s*(?:extends\b|[,=>])/;

/**
 * Does the file declare types only (aliases, interfaces, enums: no function, class or variable)? Such a
 * file is cheap to load, and its types shape the signatures of the files that import it: a parameter
 * typed `CommonOptions & LengthOptions` whose second half is left unresolved is untyped as a whole, so an
 * object literal passed there has no contextual type and its keys are no rename location; an overload
 * whose parameter type is unresolved accepts any argument, so another overload is chosen. Found in
 * typeorm: `@Column("varchar", { nullable: true })` (options `ColumnCommonOptions &
 * ColumnWithLengthOptions`, the latter in a file of its own) was left in 28 places without a warning
 * when renaming `ColumnOptions.nullable`.
 */
function typesOnly(text: string): boolean {
  const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
  return TYPE_DECLARATION.test(code) && !CODE_DECLARATION.test(code);
}
const TYPE_DECLARATION = /\b(?:type|interface|enum)\s+[A-Za-z_$]/;
const CODE_DECLARATION = /\b(?:function|class|const|let|var)\s|=\s*require\s*\(/;

/** Type names a file declares (`interface X`, `type X`, `class X`, `enum X`, JSDoc `@typedef {…} X`). */
const DECLARED = /\b(?:interface|type|class|enum)\s+([A-Z][A-Za-z0-9_$]*)|@typedef\s+(?:\{[^}\n]*\}\s*)?([A-Z][A-Za-z0-9_$]*)/g;

/**
 * The repository files a program over `roots` needs to load: the roots and the files that declare a
 * type the roots name, with every file that imports one of those (transitively: a value of those types
 * can only come to a root through such a file), files that declare generics (a generic helper passes
 * any type through), files of types only (`typesOnly`), and declaration files. Other repository files (utilities, UI code that never
 * touches those types) stay out of the program: imports of them are left unresolved, and reported as
 * `cutImports`. Undefined when the repository cannot be listed (then nothing is cut). `shared`: the
 * engine's import graph of the repository's current sources (the same listing, texts and graph the
 * engine picked the candidates with), instead of listing and reading them again.
 */
interface Needed {
  /** The repository files a program may load. */
  needed: ReadonlySet<string>;
  /** Every listed source file (only these are ever cut). */
  listed: ReadonlySet<string>;
  roots: ReadonlySet<string>;
  graph: ImportGraph;
}

function neededFiles(
  dir: string,
  roots: readonly string[],
  overlay: ReadonlyMap<string, string>,
  shared?: ImportGraph,
): Needed | undefined {
  const graph = shared ?? ownGraph(dir, overlay);
  if (!graph) return undefined;
  const { texts } = graph;
  const declaredIn = new Map<string, string[]>();
  for (const [p, text] of texts)
    for (const m of text.matchAll(DECLARED)) {
      const name = (m[1] ?? m[2])!;
      const list = declaredIn.get(name);
      if (!list) declaredIn.set(name, [p]);
      else if (!list.includes(p)) list.push(p);
    }
  const seeds = new Set(roots);
  for (const r of roots) {
    const text = texts.get(r) ?? overlay.get(join(dir, r)) ?? '';
    for (const word of new Set(text.match(/\b[A-Z][A-Za-z0-9_$]*\b/g) ?? [])) for (const p of declaredIn.get(word) ?? []) seeds.add(p);
  }
  const needed = graph.closure(seeds);
  for (const [p, text] of texts) if (p.endsWith('.d.ts') || DECLARES_GENERICS.test(text) || typesOnly(text)) needed.add(p);
  return { needed, listed: new Set(texts.keys()), roots: new Set(roots), graph };
}

/** The import graph of the repository's sources on disk, with `overlay`'s texts over them. */
function ownGraph(dir: string, overlay: ReadonlyMap<string, string>): ImportGraph | undefined {
  let paths: string[];
  try {
    paths = listRepoFiles(dir).paths.filter(isSourcePath);
  } catch {
    return undefined;
  }
  const texts = new Map<string, string>();
  for (const p of paths) {
    let text = overlay.get(join(dir, p));
    if (text === undefined) {
      try {
        text = readTextFile(dir, p);
      } catch {
        text = undefined;
      }
    }
    if (text !== undefined) texts.set(p, text);
  }
  return importGraph(texts);
}

/**
 * Does this import take only names its target declares with primitive types only (`import { helper }`
 * of `helper(values: number[]): number`)? The import graph already lets no record pass through such a
 * name, so the target need not be loaded for it (it still is when a root, or an import of other names,
 * needs it).
 */
function primitiveImport(lit: ts.StringLiteralLike, target: string, graph: ImportGraph): boolean {
  const decl = lit.parent;
  if (!ts.isImportDeclaration(decl) || decl.moduleSpecifier !== lit) return false;
  const clause = decl.importClause;
  if (!clause || clause.name || !clause.namedBindings || !ts.isNamedImports(clause.namedBindings)) return false;
  const names = clause.namedBindings.elements;
  return names.length > 0 && names.every((e) => graph.primitiveExport(target, (e.propertyName ?? e.name).text));
}

/** The file-system questions module resolution asks, answered once per build (every project asks the same ones). */
interface FsProbes {
  fileExists(f: string): boolean;
  directoryExists(d: string): boolean;
  realpath(p: string): string;
}

function fsProbes(): FsProbes {
  const memo = <T>(ask: (s: string) => T) => {
    const seen = new Map<string, T>();
    return (s: string): T => {
      let v = seen.get(s);
      if (v === undefined && !seen.has(s)) seen.set(s, (v = ask(s)));
      return v as T;
    };
  };
  return {
    fileExists: memo((f) => ts.sys.fileExists(f)),
    directoryExists: memo((d) => ts.sys.directoryExists(d)),
    realpath: memo((p) => ts.sys.realpath?.(p) ?? p),
  };
}

function languageService(
  dir: string,
  roots: readonly string[],
  overlay: ReadonlyMap<string, string>,
  options: ts.CompilerOptions,
  needed?: Needed,
  cut?: Map<string, Set<string>>,
  fs: FsProbes = fsProbes(),
  registry?: ts.DocumentRegistry,
  skimmed?: Skims,
  workspaces?: WorkspacePackages,
): ts.LanguageService {
  const libs = libFiles(options);
  const snapshots = new Map<string, ts.IScriptSnapshot | undefined>();
  const kinds = new Map<string, ts.ScriptKind>();
  const text = (f: string) => overlay.get(f) ?? libs.get(f)?.text ?? ts.sys.readFile(f);
  const host: ts.LanguageServiceHost = {
    getScriptFileNames: () => [...roots],
    getScriptVersion: () => '0',
    getScriptKind: (f) => {
      // asked again and again for the same files (every lookup of a file the program holds)
      let kind = kinds.get(f);
      if (kind === undefined) kinds.set(f, (kind = scriptKindOf(f)));
      return kind;
    },
    getScriptSnapshot: (f) => {
      if (!snapshots.has(f)) {
        const t = text(f);
        snapshots.set(f, t === undefined ? undefined : ts.ScriptSnapshot.fromString(t));
      }
      return snapshots.get(f);
    },
    getCurrentDirectory: () => dir,
    getCompilationSettings: () => options,
    getDefaultLibFileName: (o) => `${LIB_DIR}/${ts.getDefaultLibFileName(o)}`,
    fileExists: (f) => overlay.has(f) || libs.has(f) || fs.fileExists(f),
    readFile: (f) => text(f),
    directoryExists: (d) => d === LIB_DIR || fs.directoryExists(d),
    getDirectories: (d) => ts.sys.getDirectories(d),
    realpath: (p) => (libs.has(p) || overlay.has(p) ? p : fs.realpath(p)),
    useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
    // JSDoc is parsed where it gives types (JavaScript files); a TypeScript file's comments are skipped.
    jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeInfo,
  };
  if (needed || workspaces) {
    const cache = ts.createModuleResolutionCache(dir, (f) => f, options);
    // A non-relative name that `paths` (or `baseUrl`) maps to a repository file is mapped so from every
    // file (the mapping comes first and does not depend on where the import is): resolved once.
    const mapped = new Map<string, ts.ResolvedModuleWithFailedLookupLocations>();
    host.resolveModuleNameLiterals = (literals, containingFile, redirected, opts, containingSourceFile) =>
      literals.map((lit) => {
        const mode = ts.getModeForUsageLocation(containingSourceFile, lit, opts);
        const key = `${mode}\0${lit.text}`;
        let r = redirected ? undefined : mapped.get(key);
        if (!r) {
          r = ts.resolveModuleName(lit.text, containingFile, opts, host as ts.ModuleResolutionHost, cache, redirected, mode);
          // a package of this repository, not installed in the checkout: as a workspace install links it
          const linked = !r.resolvedModule && !ts.isExternalModuleNameRelative(lit.text) ? workspaces?.resolve(lit.text) : undefined;
          if (linked) r = { resolvedModule: { resolvedFileName: linked, extension: extensionOf(linked), isExternalLibraryImport: false } };
          const m = r.resolvedModule;
          if (
            !redirected &&
            m &&
            // a workspace package linked under node_modules resolves from the nearest node_modules: not kept
            !(m as { originalPath?: string }).originalPath &&
            !m.isExternalLibraryImport &&
            !ts.isExternalModuleNameRelative(lit.text) &&
            repoFile(dir, m.resolvedFileName)
          )
            mapped.set(key, r);
        }
        if (!needed) return r;
        const target = r.resolvedModule?.resolvedFileName;
        const rel = target && relative(dir, target).split(sep).join('/');
        // only listed repository files are left out (build output, dependencies and the like resolve as usual)
        if (!rel || !needed.listed.has(rel) || needed.roots.has(rel)) return r;
        if (needed.needed.has(rel) && !primitiveImport(lit, rel, needed.graph)) return r;
        const set = cut?.get(containingFile) ?? new Set<string>();
        set.add(lit.text);
        cut?.set(containingFile, set);
        return { resolvedModule: undefined };
      });
  }
  return ts.createLanguageService(host, registryWithLibs(libs, registry, skimmed));
}

interface Group {
  config?: ProjectConfig;
  roots: string[];
  options: ts.CompilerOptions;
  /** The project's own declaration files (ambient modules, global augmentations): roots too. */
  ambient: string[];
}

function ambientFiles(dir: string, config: ProjectConfig | undefined): string[] {
  return [...(config?.fileNames ?? [])]
    .filter(
      (f) =>
        f.endsWith('.d.ts') &&
        !relative(dir, f)
          .split(sep)
          .some((s) => GENERATED_DIRS.has(s) || s === 'node_modules'),
    )
    .sort();
}

/** Options as a stable string without the config's own path: projects that extend one base compare equal. */
function optionsKey(options: ts.CompilerOptions): string {
  return JSON.stringify(options, (k, v: unknown) =>
    k === 'configFilePath'
      ? undefined
      : v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v,
  );
}

const GLOBAL_DECLARATION = /\bdeclare\s+(?:global\b|module\s*['"])/;

/** Does a repository file of the program (other than the shared declaration files) declare globals? */
function declaresGlobals(program: ts.Program, dir: string, ambient: ReadonlySet<string>): boolean {
  return program
    .getSourceFiles()
    .some(
      (sf) => !ambient.has(sf.fileName) && repoFile(dir, sf.fileName) && (!ts.isExternalModule(sf) || GLOBAL_DECLARATION.test(sf.text)),
    );
}

function repoFile(dir: string, fileName: string): boolean {
  const rel = relative(dir, fileName);
  return !!rel && !rel.startsWith('..') && !rel.split(sep).includes('node_modules');
}

/**
 * Builds the programs over `files` (repo-relative path → current text) in `dir`: one language service
 * per project that owns some of them. `fallback`: the options for files no config covers. `graph`: the
 * import graph of the repository's current sources when the caller has one (every source file, with
 * `files`' texts), so that the repository is not listed and read again. `keepBody`: when given, the
 * repository's TypeScript files are skimmed (skim.ts): the bodies of annotated functions for which it
 * is false are not parsed (the program's texts then differ from the files' there, by spaces only).
 */
export function buildTypedFiles(
  checkout: string,
  files: ReadonlyMap<string, string>,
  fallback: ts.CompilerOptions,
  options: { cut?: boolean; graph?: ImportGraph; keepBody?: (body: string) => boolean } = {},
): TypedFiles {
  const dir = resolve(checkout);
  const configs = new ProjectConfigs(dir);
  const forAnalysis = fallback.lib?.length === 1 && fallback.lib[0] === 'lib.es2022.d.ts';
  const overlay = new Map([...files].map(([p, t]) => [join(dir, p), t]));
  const groups = new Map<string, { config?: ProjectConfig; roots: string[] }>();
  for (const path of files.keys()) {
    const config = configs.projectFor(path);
    const key = config?.configPath ?? '';
    const g = groups.get(key) ?? { config, roots: [] };
    g.roots.push(path);
    groups.set(key, g);
  }
  const projects: TypedProject[] = [];
  const byPath = new Map<string, TypedProject>();
  const needed = options.cut === false ? undefined : neededFiles(dir, [...files.keys()], overlay, options.graph);
  const cutImports = new Map<string, Set<string>>();
  const fs = fsProbes();
  // one document registry for the build: a file two programs load is parsed once
  const registry = newRegistry();
  const skimmed = options.keepBody && skims(dir, options.keepBody);
  const workspaces = new WorkspacePackages(dir, fs.fileExists);
  const build = (gs: Group[]): TypedProject => {
    const g = gs[0]!;
    const roots = gs.flatMap((x) => x.roots);
    const service = languageService(
      dir,
      [...new Set([...roots.map((p) => join(dir, p)), ...g.ambient])],
      overlay,
      g.options,
      needed,
      cutImports,
      fs,
      registry,
      skimmed,
      workspaces,
    );
    const program = service.getProgram();
    if (!program) throw new Error('the language service built no program');
    return { configPath: g.config?.configPath, service, program, checker: program.getTypeChecker(), roots };
  };
  const sorted = [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
  const same = new Map<string, Group[]>();
  for (const { config, roots } of sorted) {
    const compilerOptions = config ? analysisOptions(config.options, forAnalysis) : fallback;
    const g: Group = { config, roots, options: compilerOptions, ambient: ambientFiles(dir, config) };
    const k = `${optionsKey(compilerOptions)}\0${g.ambient.join('\0')}`;
    same.set(k, [...(same.get(k) ?? []), g]);
  }
  for (const gs of same.values()) {
    const merged = build(gs);
    // Projects with the same options and declaration files are one program, unless a file of it
    // declares globals (a script, `declare global`, `declare module`): those would reach the other
    // projects' files, which their own programs do not let them see.
    if (gs.length > 1 && declaresGlobals(merged.program, dir, new Set(gs[0]!.ambient))) {
      merged.service.dispose();
      for (const g of gs) {
        const project = build([g]);
        projects.push(project);
        for (const p of g.roots) byPath.set(p, project);
      }
      continue;
    }
    projects.push(merged);
    for (const p of merged.roots) byPath.set(p, merged);
  }
  if (projects.length === 0) {
    const service = languageService(dir, [], overlay, fallback);
    const program = service.getProgram()!;
    projects.push({ service, program, checker: program.getTypeChecker(), roots: [] });
  }
  const first = projects[0]!;
  const typed: TypedFiles = {
    program: first.program,
    checker: first.checker,
    projects,
    dir,
    configIssues: configs.takeIssues(),
    cutImports,
    sourceFile: (path) => byPath.get(path)?.program.getSourceFile(join(dir, path)),
    projectOf: (path) => byPath.get(path),
  };
  for (const p of projects) {
    sessions.set(p.program, typed);
    sessionsByChecker.set(p.checker, typed);
  }
  return typed;
}

/**
 * A compiler host over the repository (`overlay`: absolute path → text that replaces the file on disk)
 * with the shared library files, for whole-program checks (typecheck.ts).
 */
export function compilerHostFor(overlay: ReadonlyMap<string, string>, options: ts.CompilerOptions): ts.CompilerHost {
  const libs = libFiles(options);
  const host = ts.createCompilerHost(options, true);
  host.getDefaultLibLocation = () => LIB_DIR;
  host.getDefaultLibFileName = (o) => `${LIB_DIR}/${ts.getDefaultLibFileName(o)}`;
  host.fileExists = (f) => overlay.has(f) || libs.has(f) || ts.sys.fileExists(f);
  host.readFile = (f) => overlay.get(f) ?? libs.get(f)?.text ?? ts.sys.readFile(f);
  host.getSourceFile = (f, languageVersion) => {
    const lib = libs.get(f);
    if (lib) return lib;
    const text = overlay.get(f) ?? ts.sys.readFile(f);
    return text === undefined ? undefined : ts.createSourceFile(f, text, languageVersion, true, scriptKindOf(f));
  };
  return host;
}

const sessions = new WeakMap<ts.Program, TypedFiles>();
const sessionsByChecker = new WeakMap<ts.TypeChecker, TypedFiles>();

/**
 * The typed files a program was built with (a typed rule gets the program from the engine and finds
 * the language services and the other projects through it).
 */
export function typedFilesOf(program: ts.Program | undefined): TypedFiles | undefined {
  return program ? sessions.get(program) : undefined;
}

/** The typed files a checker belongs to (impact analysis hands field-refs.ts a checker). */
export function typedFilesOfChecker(checker: ts.TypeChecker): TypedFiles | undefined {
  return sessionsByChecker.get(checker);
}
