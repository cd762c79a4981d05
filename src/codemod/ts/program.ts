/**
 * The type checker over a few files: a ts-morph Project holding only the given files (with their
 * current, possibly already rewritten text); the compiler loads what they import from disk on demand.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Project, ts } from 'ts-morph';
import { scriptKindOf } from './parse.js';

/** Compiler options of the consumer's tsconfig.json (when it has one), adjusted for analysis. */
export function compilerOptionsFor(dir: string): ts.CompilerOptions {
  let options: ts.CompilerOptions = {};
  const configPath = join(dir, 'tsconfig.json');
  if (existsSync(configPath)) {
    const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
    if (!read.error) options = ts.parseJsonConfigFileContent(read.config, ts.sys, dir, undefined, configPath).options;
  }
  return {
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
}

export interface TypedFiles {
  program: ts.Program;
  checker: ts.TypeChecker;
  sourceFile(path: string): ts.SourceFile | undefined;
}

/** Builds the program over `files` (repo-relative path → current text) in `dir`. */
export function buildTypedFiles(dir: string, files: ReadonlyMap<string, string>, options: ts.CompilerOptions): TypedFiles {
  const project = new Project({ compilerOptions: options, skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true });
  for (const [path, text] of files) project.createSourceFile(join(dir, path), text, { overwrite: true, scriptKind: scriptKindOf(path) });
  const program = project.getProgram().compilerObject;
  const checker = program.getTypeChecker();
  return { program, checker, sourceFile: (path) => program.getSourceFile(join(dir, path)) };
}
