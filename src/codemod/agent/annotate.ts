/**
 * `fallback: annotate`: when the agent does not pass, a change that migrates nothing but puts a comment
 * above each blocking read, in the file's comment syntax — `-- fleetwave: legacy_flag is dropped on
 * 2027-03-01, see <guide>` — so the owners see what is coming where it bites. Idempotent (a line
 * already preceded by the same comment is left alone); a file whose comment syntax is unknown gets
 * none (it is named in the result). Pure: texts in, edits out.
 */
import type { Manifest } from '../../manifest/types.js';
import { fieldMapping } from '../field-mapping.js';
import type { Edit, Finding } from '../port.js';

const LINE_COMMENT: [RegExp, string][] = [
  [/\.(sql|hql)$/i, '--'],
  [/\.(py|pyi|ya?ml|toml|sh|bash|rb|r|pl|conf|cfg|ini|tf)$|(^|\/)(Dockerfile|Makefile)$/i, '#'],
  [/\.([cm]?[jt]sx?|java|kt|kts|scala|go|rs|swift|c|cc|cpp|h|hpp|cs|dart|php|groovy|proto)$/i, '//'],
];

export function commentSyntax(path: string): string | undefined {
  return LINE_COMMENT.find(([re]) => re.test(path))?.[1];
}

/** What the migration does to `field`, as the comment says it. */
function fate(manifest: Manifest, field: string): string {
  const c = fieldMapping(manifest.dataset.transform).columns.get(field);
  const sunset = manifest.metadata.sunset ? ` on ${manifest.metadata.sunset}` : ` in ${manifest.dataset.target.uri}`;
  if (!c) return `changes${sunset}`;
  if (c.dropped) return `is dropped${sunset}`;
  if (c.to) return `is renamed to ${c.to}${sunset}`;
  if (c.cast) return `changes type to ${c.cast.type}${sunset}`;
  return `changes${sunset}`;
}

export interface Annotation {
  edits: Edit[];
  /** Comments added. */
  count: number;
  /** Files with blocking reads that got no comment: their comment syntax is unknown. */
  skipped: string[];
}

export function annotateBlockingReads(
  manifest: Manifest,
  findings: readonly Finding[],
  read: (path: string) => string | undefined,
  guide?: string,
): Annotation {
  const byFile = new Map<string, Map<number, Set<string>>>();
  for (const f of findings) {
    if (f.severity !== 'blocking' || !f.file || !f.line) continue;
    const lines = byFile.get(f.file) ?? new Map<number, Set<string>>();
    const fields = lines.get(f.line) ?? new Set<string>();
    fields.add(f.field ?? '');
    lines.set(f.line, fields);
    byFile.set(f.file, lines);
  }
  const edits: Edit[] = [];
  const skipped: string[] = [];
  let count = 0;
  for (const [path, lines] of [...byFile].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const marker = commentSyntax(path);
    const before = read(path);
    if (!marker || before === undefined) {
      skipped.push(path);
      continue;
    }
    const text = before.split('\n');
    // Bottom up, so the line numbers above stay right.
    for (const [line, fields] of [...lines].sort(([a], [b]) => b - a)) {
      const target = text[line - 1];
      if (target === undefined) continue;
      const indent = /^\s*/.exec(target)![0];
      const what = [...fields]
        .sort()
        .map((field) => (field ? `${field} ${fate(manifest, field)}` : `this read breaks with ${manifest.dataset.target.uri}`))
        .join('; ');
      const comment = `${indent}${marker} fleetwave: ${what}${guide ? `, see ${guide}` : ''}`;
      if (text[line - 2] === comment) continue;
      text.splice(line - 1, 0, comment);
      count++;
    }
    const after = text.join('\n');
    if (after !== before) edits.push({ path, before, after });
  }
  return { edits, count, skipped };
}
