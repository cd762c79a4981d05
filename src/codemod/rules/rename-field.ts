import type { Finding } from '../port.js';
import { GENERATED_DIRS, hasGeneratedMarker, isReadableInside, SKIPPED_DIRS } from '../repo-files.js';
import { firstParseError, lineOfNode } from '../ts/parse.js';
import { typedFilesOf } from '../ts/program.js';
import { fieldReferences } from '../ts/rename-set.js';
import type { SourceRule, SpanEdit } from './rule.js';
import { renameFieldParams, type RenameFieldParams } from '../../manifest/change-rules.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const wordRe = new Map<string, RegExp>();
function word(name: string): RegExp {
  let re = wordRe.get(name);
  if (!re) wordRe.set(name, (re = new RegExp(`(?<![A-Za-z0-9_$])${name.replace(/\$/g, '\\$')}(?![A-Za-z0-9_$])`)));
  return re;
}

/**
 * A file outside the candidates that a rename location falls in: generated (skipped, said), build output
 * or a dependency the engine never lists (`dist/`, `build/`…: skipped), or not readable here.
 */
function leftAlone(dir: string, path: string): 'generated' | 'unreadable' | undefined {
  if (path.split('/').some((s) => SKIPPED_DIRS.has(s))) return 'unreadable';
  try {
    if (!isReadableInside(dir, path)) return 'unreadable';
    if (path.endsWith('.d.ts') && path.split('/').some((s) => GENERATED_DIRS.has(s))) return 'generated';
    return hasGeneratedMarker(readFileSync(join(dir, path), 'utf8').slice(0, 4000)) ? 'generated' : undefined;
  } catch {
    return 'unreadable';
  }
}

/**
 * `renameField`: renames a field of one record type as TypeScript's own rename does (ts/rename-set.ts):
 * the declaration(s) on the type, the whole family of redeclarations and implementations, every use,
 * shorthand and destructuring with the local name kept, plus the `Pick`/`Omit`/`keyof`/`T['k']` keys
 * that name it. The same name on another type, in comments or in unrelated strings stays. Where the
 * checker cannot resolve the value's type (any) or the value is a union with another type that has
 * the field, the rule changes nothing there and leaves a warning finding for the PR body.
 */
export const renameFieldRule: SourceRule<RenameFieldParams> = {
  kind: 'source',
  name: 'renameField',
  params: renameFieldParams,
  typed: true,
  describe: (p) => `rename field \`${p.type}.${p.from}\` → \`${p.type}.${p.to}\``,
  prefilter: (p, text) => text.includes(p.from) && word(p.from).test(text),
  relevant: (p, text) => text.includes(p.type) && word(p.type).test(text),
  // a body that names neither the field nor the type holds no location and no place to report
  bodyMayMatch: (p, body) => renameFieldRule.prefilter(p, body) || renameFieldRule.relevant!(p, body),
  run(p, { files, program }) {
    const typed = typedFilesOf(program);
    if (!typed) throw new Error('renameField needs the type checker');
    const edits = new Map<string, SpanEdit[]>();
    const findings: Finding[] = [];
    const candidates = new Set(files.map((f) => f.path));
    for (const issue of typed.configIssues)
      findings.push({
        severity: 'warning',
        file: issue.file,
        ...(issue.line ? { line: issue.line } : {}),
        message: `renameField ${p.type}.${p.from}: ${issue.message}; check the renames by hand`,
      });
    const refs = fieldReferences(typed, { typeName: p.type, field: p.from, candidates, reportUnresolvedIn: candidates });
    if (refs.types === 0) {
      // The type is not declared in any file the programs reach (a package that is not installed, a
      // project the configs do not cover): nothing can be renamed through it, so say where it is named.
      const named = files.find((f) => f.sourceFile.text.includes(p.type));
      findings.push({
        severity: 'warning',
        ...(named ? { file: named.path } : {}),
        field: p.from,
        message: `renameField ${p.type}.${p.from}: no declaration of \`${p.type}\` was found (declared in a package that is not installed, or outside every project?); nothing renamed through it; check by hand`,
      });
    }
    const skipped = new Map<string, 'generated' | 'unreadable' | undefined>();
    for (const loc of refs.locations) {
      if (!candidates.has(loc.path)) {
        if (!skipped.has(loc.path)) {
          // a file that does not parse was reported by the engine; a generated one gets an info finding
          const why = firstParseError(loc.node.getSourceFile()) ? 'unreadable' : leftAlone(typed.dir, loc.path);
          skipped.set(loc.path, why);
          if (why === 'generated')
            findings.push({ severity: 'info', file: loc.path, message: 'generated file left unchanged (it matched `renameField`)' });
        }
        if (skipped.get(loc.path)) continue;
      }
      const list = edits.get(loc.path) ?? [];
      list.push({ start: loc.start, end: loc.end, text: `${loc.prefixText}${p.to}${loc.suffixText}` });
      edits.set(loc.path, list);
    }
    for (const u of refs.unresolved)
      findings.push({
        severity: 'warning',
        file: u.path,
        line: lineOfNode(u.node),
        field: p.from,
        message: `renameField ${p.type}.${p.from}: ${u.why}; check by hand`,
      });
    return { edits, findings };
  },
};
