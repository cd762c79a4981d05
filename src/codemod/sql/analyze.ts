/**
 * One SQL file (or dbt model) read for the dataset: Jinja masked (jinja.ts), parsed with the
 * dialect's grammar (dialect.ts), and its table and column references resolved (resolve.ts), with
 * `source()`/`ref()` resolved through the dbt project's sources (dbt.ts). The `sql` rule and SQL
 * impact analysis both read files through this, so they agree on what a reference belongs to.
 */
import type { SqlDialect } from '../../manifest/change-rules.js';
import type { Finding } from '../port.js';
import type { TableNamePart } from '../../manifest/table-name.js';
import { DIALECTS, type DialectInfo } from './dialect.js';
import { projectOf, type DbtProject } from './dbt.js';
import { dbtRelationCall, maskJinja } from './jinja.js';
import { parseSql } from './parse.js';
import { resolveProgram, type Literal, type Node, type Resolution, type WrittenPart } from './resolve.js';

export interface SqlDataset {
  /** `dataset.source.table`'s parts. */
  source: TableNamePart[];
  /** `dataset.target.table`'s parts, when the table moves. */
  target?: TableNamePart[];
  /** The columns the field mapping names (old names). */
  columns: readonly string[];
  /** Those the target table still has under the same name (cast only). */
  kept: readonly string[];
  /**
   * dbt models whose output is a `SELECT *` that passes the dataset's columns on (found by
   * `passingModels`): `ref('m')` reads the dataset's columns as the table does.
   */
  models?: ReadonlySet<string>;
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
  renameOutputs = false,
): Analysis {
  const d = DIALECTS[dialect];
  const masked = maskJinja(text);
  let program: Node;
  try {
    program = parseSql(masked.text, d.grammar, path);
  } catch (err) {
    const second = d.fallback && !/["`\\]/.test(masked.text) ? tryParse(masked.text, d.fallback, path) : undefined;
    if (second) return safely(() => resolveIn(second, masked, path, d, dataset, projects, renameOutputs));
    const message = err instanceof Error ? err.message : String(err);
    const at = /:(\d+):(\d+)/.exec(message);
    const first = message.split('\n').find((l) => l.trim() !== '') ?? message;
    return { ok: false, line: at ? Number(at[1]) : 1, col: at ? Number(at[2]) : 1, message: first.replace(/^Syntax Error: /, '') };
  }
  return safely(() => resolveIn(program, masked, path, d, dataset, projects, renameOutputs));
}

/** A syntax tree the resolver does not know how to walk is a warning for that file, never a crash of the run. */
function safely(run: () => Analysis): Analysis {
  try {
    return run();
  } catch (err) {
    return {
      ok: false,
      line: 1,
      col: 1,
      message: `its structure could not be resolved: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}

function tryParse(text: string, grammar: DialectInfo['grammar'], path: string): Node | undefined {
  try {
    return parseSql(text, grammar, path);
  } catch {
    return undefined;
  }
}

function resolveIn(
  program: Node,
  masked: ReturnType<typeof maskJinja>,
  path: string,
  d: DialectInfo,
  dataset: SqlDataset,
  projects: readonly DbtProject[],
  renameOutputs: boolean,
): Analysis {
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
      } else {
        if (dataset.models?.has(call.model)) return 'source';
        names = [{ name: call.model, quoted: false }];
      }
    }
    if (namesTable(d, names, dataset.source)) return 'source';
    if (dataset.target && namesTable(d, names, dataset.target)) return 'target';
    return undefined;
  };
  const resolution = resolveProgram(program, {
    dialect: d,
    columns: dataset.columns,
    kept: dataset.kept,
    tableOf,
    isPlaceholder: (start) => masked.exprs.has(start),
    renameOutputs,
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

/**
 * Which files can read the dataset: those naming its table or target table (a reference, a `ref()`),
 * or calling a dbt `source()` that resolves to it. Every other file is left unparsed.
 */
export function readsDatasetFilter(d: DialectInfo, dataset: SqlDataset, projects: readonly DbtProject[]): (text: string) => boolean {
  const needles = [dataset.source, dataset.target ?? []]
    .map((parts) => parts[parts.length - 1]?.name.toLowerCase())
    .filter((n) => n !== undefined);
  const sourceCalls = new Set(
    projects.flatMap((p) =>
      p.tables
        .filter((t) => {
          const written = t.parts.map((name) => ({ name, quoted: false }));
          return namesTable(d, written, dataset.source) || (dataset.target !== undefined && namesTable(d, written, dataset.target));
        })
        .map((t) => `${t.source}.${t.table}`),
    ),
  );
  const models = [...(dataset.models ?? [])];
  return (text) => {
    const lower = text.toLowerCase();
    if (needles.some((n) => lower.includes(n))) return true;
    if (models.length && text.includes('ref(') && models.some((m) => refCall(m).test(text))) return true;
    if (sourceCalls.size === 0 || !text.includes('source(')) return false;
    for (const m of text.matchAll(/source\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)/g))
      if (sourceCalls.has(`${m[1]}.${m[2]}`)) return true;
    return false;
  };
}

/** The warning for a file the grammar cannot read (the rule and impact analysis say it the same way). */
export function unreadableFinding(path: string, dialect: SqlDialect, a: Extract<Analysis, { ok: false }>): Finding {
  return {
    severity: 'warning',
    file: path,
    line: a.line,
    message: `skipped at ${path}:${a.line}:${a.col}: the ${dialect} grammar (${DIALECTS[dialect].grammar}) cannot read it (${a.message}); change it by hand if it reads the dataset`,
  };
}

/** The blocking finding for a read of a dropped column. */
export function droppedReadFinding(path: string, text: string, offset: number, column: string, step: string): Finding {
  const { line, col } = lineCol(text, offset);
  return {
    severity: 'blocking',
    file: path,
    line,
    field: column,
    message: `${path}:${line}:${col}: reads \`${column}\`, which ${step} drops from the dataset (SQL column)`,
  };
}

/** The warning for a cast column that is compared or joined. */
export function comparedCastFinding(path: string, text: string, offset: number, column: string, steps: string, type: string): Finding {
  const { line, col } = lineCol(text, offset);
  return {
    severity: 'warning',
    file: path,
    line,
    field: column,
    message: `${path}:${line}:${col}: \`${column}\` is compared or joined here and ${steps} casts it to ${type}; check the other side's type`,
  };
}

/** A select list with a star (`select *`, `select e.*`, `, *`), not `count(*)`: only such a model can pass columns on. */
const STAR = /(?:\bselect\s+(?:distinct\s+)?|,\s*)(?:[\w`"]+\.)?\*/i;

function refCall(model: string): RegExp {
  return new RegExp(`ref\\(\\s*(?:['"][^'"]*['"]\\s*,\\s*)?['"]${model.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]\\s*\\)`);
}

/**
 * dbt lineage through `SELECT *`: the models (by name, the file's base name) whose statement output is
 * a star passing the dataset's columns on — directly (`select * from {{ source(…) }}`) or over another
 * such model's `ref()`. Downstream models read those columns through `ref()` as they would the table.
 * Only model files under a dbt project are looked at; a fixpoint over the chain of refs.
 */
export function passingModels(
  paths: readonly string[],
  read: (path: string) => string | undefined,
  dialect: SqlDialect,
  dataset: SqlDataset,
  projects: readonly DbtProject[],
  renameOutputs: boolean,
): Set<string> {
  const models = new Set<string>();
  if (projects.length === 0) return models;
  const files = paths.filter((p) => p.endsWith('.sql') && projects.some((pr) => pr.dir === '' || p.startsWith(`${pr.dir}/`)));
  const done = new Set<string>();
  for (;;) {
    // Each round reads the models with the set the round started with: a model found in this round
    // makes the next round look again at what refs it.
    const known = new Set(models);
    const current: SqlDataset = { ...dataset, models: known };
    const reads = readsDatasetFilter(DIALECTS[dialect], current, projects);
    let grew = false;
    for (const path of files) {
      const name = path.slice(path.lastIndexOf('/') + 1, -'.sql'.length);
      const key = `${path}:${known.size}`;
      if (models.has(name) || done.has(key)) continue;
      done.add(key);
      const text = read(path);
      if (text === undefined || !STAR.test(text) || !reads(text)) continue;
      const a = analyzeSql(text, path, dialect, current, projects, renameOutputs);
      if (a.ok && a.resolution.stars.length > 0) {
        models.add(name);
        grew = true;
      }
    }
    if (!grew) return models;
  }
}

/**
 * A column cast to `type` compared with a literal of this kind still compares as before (a number with
 * a numeric type, a string with a string, enum, date or timestamp — SQL coerces such literals —, a
 * boolean with a boolean, NULL with anything); compared with another column or expression it may not.
 */
export function castKeepsComparison(type: string, against: Literal | undefined): boolean {
  if (against === undefined) return false;
  if (against === 'null') return true;
  if (against === 'number') return ['int', 'long', 'float', 'double', 'decimal'].includes(type);
  if (against === 'string') return ['string', 'enum', 'date', 'timestamp-millis', 'timestamp-micros'].includes(type);
  return type === 'boolean';
}
