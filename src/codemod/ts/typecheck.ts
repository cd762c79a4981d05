/**
 * Type-checks a folder of TypeScript/JavaScript files (the equivalent of `tsc --noEmit` over each of
 * its projects), to prove that a rewrite left code that compiles. Each file is checked with the options
 * of the project it belongs to (project-config.ts: nearest tsconfig, solution-style references,
 * `extends`, `paths`), one program per project.
 */
import { join, resolve } from 'node:path';
import { ts } from 'ts-morph';
import { isSourcePath, listRepoFiles } from '../repo-files.js';
import { compilerHostFor, compilerOptionsFor } from './program.js';
import { analysisOptions, ProjectConfigs } from './project-config.js';

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
  checkout: string,
  options: { exclude?: readonly string[]; files?: ReadonlyMap<string, string> } = {},
): TypeCheckResult {
  const dir = resolve(checkout);
  const exclude = new Set(options.exclude ?? []);
  const listing = listRepoFiles(dir);
  const paths = [...listing.paths, ...listing.generated.map((g) => g.path)].filter((p) => isSourcePath(p) && !exclude.has(p)).sort();
  const overlay = new Map<string, string>();
  for (const p of paths) overlay.set(join(dir, p), options.files?.get(p) ?? ts.sys.readFile(join(dir, p)) ?? '');
  const configs = new ProjectConfigs(dir);
  const groups = new Map<string, { options: ts.CompilerOptions; paths: string[] }>();
  for (const p of paths) {
    const cfg = configs.projectFor(p);
    const key = cfg?.configPath ?? '';
    const g = groups.get(key) ?? { options: cfg ? analysisOptions(cfg.options, false) : compilerOptionsFor(dir), paths: [] };
    g.paths.push(p);
    groups.set(key, g);
  }
  const errors: string[] = [];
  for (const [, g] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const roots = g.paths.map((p) => join(dir, p));
    const program = ts.createProgram({ rootNames: roots, options: g.options, host: compilerHostFor(overlay, g.options) });
    const mine = new Set(roots);
    const diagnostics = [
      ...program.getOptionsDiagnostics(),
      ...program.getGlobalDiagnostics(),
      ...program
        .getSourceFiles()
        .flatMap((sf) => (mine.has(sf.fileName) ? [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)] : [])),
    ];
    for (const d of diagnostics) {
      if (d.category !== ts.DiagnosticCategory.Error) continue;
      const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (!d.file || d.start === undefined) errors.push(msg);
      else {
        const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
        errors.push(`${d.file.fileName.slice(dir.length + 1)}:${line + 1}:${character + 1} ${msg}`);
      }
    }
  }
  return { files: paths.length, errors };
}
