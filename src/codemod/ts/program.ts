/**
 * The type checker over a few files: a TypeScript program whose roots are only the given files (with
 * their current, possibly already rewritten text); the compiler loads what they import from disk on
 * demand. Built with the compiler API that ts-morph ships (`ts-morph`'s `ts`) rather than through a
 * ts-morph Project: wrapping every node costs about three times the parse, and the typed rules walk
 * compiler nodes anyway. The default library files are parsed once per process and shared by every
 * program (they never change), which is what makes a fleet of repositories cheap.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Project, ts } from 'ts-morph';
import { scriptKindOf } from './parse.js';

/**
 * Compiler options of the consumer's tsconfig.json (when it has one), adjusted for analysis.
 * `forAnalysis`: when the tsconfig names no `lib`, use the ECMAScript library without the DOM (2 MB of
 * declarations no dataset field lives in); a full type check keeps TypeScript's default.
 */
export function compilerOptionsFor(dir: string, forAnalysis = false): ts.CompilerOptions {
  let options: ts.CompilerOptions = {};
  const configPath = join(dir, 'tsconfig.json');
  if (existsSync(configPath)) {
    const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
    // Options only: a host that lists no files, so that `include` globs are not expanded (extends still works).
    const host: ts.ParseConfigHost = { ...ts.sys, useCaseSensitiveFileNames: ts.sys.useCaseSensitiveFileNames, readDirectory: () => [] };
    if (!read.error) options = ts.parseJsonConfigFileContent(read.config, host, dir, undefined, configPath).options;
  }
  const merged: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    jsx: ts.JsxEmit.Preserve,
    strict: true,
    ...options,
    allowJs: true,
    noEmit: true,
    skipLibCheck: true,
    types: options.types ?? [],
  };
  if (forAnalysis && !options.lib) merged.lib = ['lib.es2022.d.ts'];
  return merged;
}

export interface TypedFiles {
  program: ts.Program;
  checker: ts.TypeChecker;
  sourceFile(path: string): ts.SourceFile | undefined;
}

const LIB_DIR = '/node_modules/typescript/lib';
const libCache = new Map<string, Map<string, ts.SourceFile>>();

/** The parsed default library files for these options (from ts-morph's bundled libs), cached per process. */
function libFiles(options: ts.CompilerOptions): Map<string, ts.SourceFile> {
  const key = JSON.stringify([options.target, options.lib ?? null, options.noLib ?? false]);
  let libs = libCache.get(key);
  if (!libs) {
    const project = new Project({
      useInMemoryFileSystem: true,
      compilerOptions: { target: options.target, lib: options.lib, noLib: options.noLib, types: [], noEmit: true },
    });
    project.createSourceFile('/empty.ts', 'export {};\n');
    const program = project.getProgram().compilerObject;
    libs = new Map(
      program
        .getSourceFiles()
        .filter((sf) => sf.fileName.startsWith(`${LIB_DIR}/`))
        .map((sf) => [sf.fileName, sf]),
    );
    libCache.set(key, libs);
  }
  return libs;
}

/** Builds the program over `files` (repo-relative path → current text) in `dir`. */
export function buildTypedFiles(dir: string, files: ReadonlyMap<string, string>, options: ts.CompilerOptions): TypedFiles {
  const libs = libFiles(options);
  const overlay = new Map([...files].map(([p, t]) => [join(dir, p), t]));
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
  const program = ts.createProgram({ rootNames: [...overlay.keys()], options, host });
  const checker = program.getTypeChecker();
  return { program, checker, sourceFile: (path) => program.getSourceFile(join(dir, path)) };
}
