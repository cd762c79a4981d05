/**
 * Type-checks a folder of TypeScript/JavaScript files through ts-morph's compiler diagnostics (the
 * equivalent of `tsc --noEmit` over the folder), to prove that a rewrite left code that compiles.
 */
import { join } from 'node:path';
import { Project, ts } from 'ts-morph';
import { isSourcePath, listRepoFiles } from '../repo-files.js';
import { compilerOptionsFor } from './program.js';
import { scriptKindOf } from './parse.js';

export interface TypeCheckResult {
  files: number;
  /** `path:line:col message`, paths relative to the folder. */
  errors: string[];
}

/**
 * `exclude`: repository-relative paths left out (e.g. a fixture that does not parse on purpose);
 * `files`: texts that replace what is on disk (a rewrite not yet written).
 */
export function typeCheckDir(
  dir: string,
  options: { exclude?: readonly string[]; files?: ReadonlyMap<string, string> } = {},
): TypeCheckResult {
  const exclude = new Set(options.exclude ?? []);
  const listing = listRepoFiles(dir);
  const paths = [...listing.paths, ...listing.generated.map((g) => g.path)].filter((p) => isSourcePath(p) && !exclude.has(p)).sort();
  const project = new Project({
    compilerOptions: compilerOptionsFor(dir),
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
  });
  for (const p of paths) {
    const text = options.files?.get(p) ?? ts.sys.readFile(join(dir, p)) ?? '';
    project.createSourceFile(join(dir, p), text, { overwrite: true, scriptKind: scriptKindOf(p) });
  }
  const program = project.getProgram().compilerObject;
  const errors = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => {
      const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (!d.file || d.start === undefined) return msg;
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return `${d.file.fileName.slice(dir.length + 1)}:${line + 1}:${character + 1} ${msg}`;
    });
  return { files: paths.length, errors };
}
