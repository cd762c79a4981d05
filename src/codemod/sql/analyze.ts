/**
 * One SQL file (or dbt model) read for the dataset: Jinja masked (jinja.ts), parsed with the
 * dialect's grammar (dialect.ts), and its table and column references resolved (resolve.ts), with
 * `source()`/`ref()` resolved through the dbt project's sources (dbt.ts). The `sql` rule and SQL
 * impact analysis both read files through this, so they agree on what a reference belongs to.
 */
import { parse } from 'sql-parser-cst';
import type { SqlDialect } from '../../manifest/change-rules.js';
import type { TableNamePart } from '../../manifest/table-name.js';
import { DIALECTS, type DialectInfo } from './dialect.js';
import { projectOf, type DbtProject } from './dbt.js';
import { dbtRelationCall, maskJinja } from './jinja.js';
import { resolveProgram, type Node, type Resolution, type WrittenPart } from './resolve.js';

export interface SqlDataset {
  /** `dataset.source.table`'s parts. */
  source: TableNamePart[];
  /** `dataset.target.table`'s parts, when the table moves. */
  target?: TableNamePart[];
  /** The columns the field mapping names (old names). */
  columns: readonly string[];
}

export type Analysis = { ok: true; resolution: Resolution } | { ok: false; line: number; col: number; message: string };

/** Do `written` parts name `table` (the same parts, or a tail of them: `play_events_v1`, `events.play_events_v1`)? */
export function namesTable(
  d: DialectInfo,
  written: readonly { name: string; quoted: boolean }[],
  table: readonly TableNamePart[],
): boolean {
  if (written.length === 0 || written.length > table.length) return false;
  const tail = table.slice(table.length - written.length);
  return written.every((w, i) => {
    const t = tail[i]!;
    return w.quoted && t.quoted && d.quotedCaseSensitive ? w.name === t.name : w.name.toLowerCase() === t.name.toLowerCase();
  });
}

export function analyzeSql(
  text: string,
  path: string,
  dialect: SqlDialect,
  dataset: SqlDataset,
  projects: readonly DbtProject[],
): Analysis {
  const d = DIALECTS[dialect];
  const masked = maskJinja(text);
  let program: Node;
  try {
    program = parse(masked.text, { dialect: d.grammar, includeRange: true, filename: path }) as unknown as Node;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const at = /:(\d+):(\d+)/.exec(message);
    const first = message.split('\n').find((l) => l.trim() !== '') ?? message;
    return { ok: false, line: at ? Number(at[1]) : 1, col: at ? Number(at[2]) : 1, message: first.replace(/^Syntax Error: /, '') };
  }
  const project = masked.hasJinja ? projectOf(projects, path) : undefined;
  const tableOf = (parts: WrittenPart[], placeholder?: number): 'source' | 'target' | undefined => {
    let names: { name: string; quoted: boolean }[] = parts;
    if (placeholder !== undefined) {
      const call = dbtRelationCall(masked.exprs.get(placeholder)?.code ?? '');
      if (!call) return undefined;
      if (call.kind === 'source') {
        const t = project?.tables.find((x) => x.source === call.source && x.table === call.table);
        if (!t) return undefined;
        names = t.parts.map((name) => ({ name, quoted: false }));
      } else names = [{ name: call.model, quoted: false }];
    }
    if (namesTable(d, names, dataset.source)) return 'source';
    if (dataset.target && namesTable(d, names, dataset.target)) return 'target';
    return undefined;
  };
  const resolution = resolveProgram(program, {
    dialect: d,
    columns: dataset.columns,
    tableOf,
    isPlaceholder: (start) => masked.exprs.has(start),
  });
  return { ok: true, resolution };
}

/** 1-based line and column of an offset. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { line, col: offset - last };
}
