/**
 * `sql`: carries the migration into SQL files and dbt models (docs/rules/sql.md).
 * - References to `dataset.source.table` move to `dataset.target.table` (qualified or not, quoted or
 *   not, as many name parts as were written); a dbt source that names the table gets the new
 *   `identifier:` instead (the models' `source()` calls stay as written).
 * - Column references that resolve to the table (src/codemod/sql/resolve.ts) follow
 *   `dataset.transform`'s renames; a select item the statement exposes keeps its output name
 *   (`userId AS user_id`) unless `renameOutputs`. The dbt source's column entries are renamed (their
 *   tests and descriptions go with them) and those of dropped columns removed.
 * - Findings: a read of a dropped column (blocking), a cast column that is compared or joined
 *   (warning), `SELECT *` over the table whose output changes (warning), a reference that cannot be
 *   told apart (warning), a file the dialect's grammar cannot read (warning) — each at file:line:col.
 * Span edits only: comments, formatting and Jinja stay as written; a second run changes nothing.
 */
import picomatch from 'picomatch';
import { sqlParams, type SqlParams } from '../../manifest/change-rules.js';
import { tableNameParts, type TableNamePart } from '../../manifest/table-name.js';
import { fieldMapping, type FieldMapping } from '../field-mapping.js';
import type { Finding } from '../port.js';
import {
  analyzeSql,
  castKeepsComparison,
  comparedCastFinding,
  droppedReadFinding,
  lineCol,
  namesTable,
  passingModels,
  readsDatasetFilter,
  unreadableFinding,
  type SqlDataset,
} from '../sql/analyze.js';
import { dbtProjects, type DbtProject } from '../sql/dbt.js';
import { DIALECTS, identifierQuote, inWrittenCase, renderIdentifier, type DialectInfo } from '../sql/dialect.js';
import type { Resolution, TableUse } from '../sql/resolve.js';
import { applySpanEdits } from '../span-edits.js';
import type { RepoRule, RepoRuleContext, RepoRuleOutput, SpanEdit } from './rule.js';

/** The dataset as SQL sees it, from the manifest (undefined without `dataset.source.table`). */
export function sqlDatasetOf(dataset: RepoRuleContext['dataset'], mapping: FieldMapping): SqlDataset | undefined {
  if (!dataset.source.table) return undefined;
  const source = tableNameParts(dataset.source.table);
  const target = dataset.target.table ? tableNameParts(dataset.target.table) : undefined;
  const columns = [...mapping.columns.values()];
  return {
    source,
    target,
    columns: columns.map((c) => c.from),
    kept: columns.filter((c) => !c.dropped && c.to === undefined).map((c) => c.from),
  };
}

export const sqlRule: RepoRule<SqlParams> = {
  kind: 'repo',
  name: 'sql',
  params: sqlParams,
  describe: (p) => `sql (${p.dialect}): table and column references in ${p.files.join(', ')}${p.renameOutputs ? ', output names too' : ''}`,
  run: (params, ctx) => Promise.resolve(runSql(params, ctx)),
};

export function runSql(params: SqlParams, ctx: RepoRuleContext): RepoRuleOutput {
  const files = new Map<string, string>();
  const counts = new Map<string, number>();
  const findings: Finding[] = [];
  const mapping = fieldMapping(ctx.dataset.transform);
  let dataset = sqlDatasetOf(ctx.dataset, mapping);
  if (!dataset) {
    findings.push({
      severity: 'warning',
      message: 'sql: dataset.source.table is not set, so no SQL reference can be resolved; nothing was changed',
    });
    return { files, counts, findings };
  }
  const d = DIALECTS[params.dialect];
  const match = picomatch(params.files, { dot: true });
  const projects = dbtProjects(ctx.paths, ctx.read);
  const moves = dataset.target !== undefined && !sameParts(dataset.source, dataset.target);
  const models = passingModels(ctx.paths, ctx.read, params.dialect, dataset, projects, params.renameOutputs);
  if (models.size) dataset = { ...dataset, models };
  const mayRead = readsDatasetFilter(d, dataset, projects);

  for (const path of ctx.paths) {
    if (!match(path)) continue;
    const text = ctx.read(path);
    if (text === undefined) continue;
    if (!mayRead(text)) continue;
    const analysis = analyzeSql(text, path, params.dialect, dataset, projects, params.renameOutputs);
    if (!analysis.ok) {
      findings.push(unreadableFinding(path, params.dialect, analysis));
      continue;
    }
    const edits = fileEdits(text, path, analysis.resolution, d, dataset, mapping, params, moves, findings);
    if (edits.length === 0) continue;
    const after = applySpanEdits(text, edits);
    if (after !== text) {
      files.set(path, after);
      counts.set(path, edits.length);
    }
  }
  // A project's sources YAML is this rule's only when its files take the project's models that call
  // source(): with several sql rules (one per dialect, say), the one that rewrites them moves the source.
  const inScope = (project: DbtProject) =>
    ctx.paths.some(
      (path) =>
        match(path) &&
        path.endsWith('.sql') &&
        (project.dir === '' || path.startsWith(`${project.dir}/`)) &&
        /\bsource\s*\(/.test(ctx.read(path) ?? ''),
    );
  for (const project of projects) if (inScope(project)) yamlEdits(project, ctx, dataset, mapping, moves, files, counts, findings);
  return { files, counts, findings };
}

function sameParts(a: readonly TableNamePart[], b: readonly TableNamePart[]): boolean {
  return a.length === b.length && a.every((p, i) => p.name === b[i]!.name);
}

function fileEdits(
  text: string,
  path: string,
  r: Resolution,
  d: DialectInfo,
  dataset: SqlDataset,
  mapping: FieldMapping,
  params: SqlParams,
  moves: boolean,
  findings: Finding[],
): SpanEdit[] {
  const edits = new Map<number, SpanEdit>();
  // The file's own keyword case for an added alias: `as` in a lower-case file.
  const lowerCase = /\bselect\b/.test(text) && !/\bSELECT\b/.test(text);
  const asKw = lowerCase ? 'as' : 'AS';
  const onKw = lowerCase ? 'on' : 'ON';
  const at = (offset: number) => {
    const { line, col } = lineCol(text, offset);
    return { line, where: `${path}:${line}:${col}` };
  };
  if (moves) for (const t of r.tables) edits.set(t.start, { start: t.start, end: t.end, text: renderTable(t, dataset.target!, d) });
  for (const use of r.columns) {
    const c = mapping.columns.get(use.column);
    if (!c) continue;
    if (c.dropped) {
      if (use.follows && !use.output) findings.push(droppedReadFinding(path, text, use.start, c.from, c.steps[c.steps.length - 1]!));
      continue;
    }
    if (c.cast && use.compared && !castKeepsComparison(c.cast.type, use.against))
      findings.push(comparedCastFinding(path, text, use.start, c.from, c.steps.join(', '), c.cast.type));
    if (c.to === undefined || !use.follows) continue;
    if (use.output && use.output.top && !params.renameOutputs) continue;
    const quote = identifierQuote(use.text);
    const renamed = renderIdentifier(d, inWrittenCase(d, { name: use.text, quoted: quote !== undefined }, c.to), quote);
    if (use.using) {
      const u = use.using;
      const mine = `${u.dataset}.${renamed}`;
      const theirs = `${u.other}.${use.text}`;
      edits.set(u.start, { start: u.start, end: u.end, text: `${onKw} ${u.datasetLeft ? `${mine} = ${theirs}` : `${theirs} = ${mine}`}` });
      continue;
    }
    const keep = use.item?.top && !params.renameOutputs ? ` ${asKw} ${use.text}` : '';
    edits.set(use.start, { start: use.start, end: use.end, text: `${use.qualify ? `${use.qualify}.` : ''}${renamed}${keep}` });
  }
  for (const star of r.stars) {
    const changed = star.columns.map((name) => mapping.columns.get(name)).filter((c) => c !== undefined);
    if (changed.length === 0) continue;
    const { line, where } = at(star.start);
    const what = changed.map((c) =>
      c.dropped ? `\`${c.from}\` is gone` : c.to ? `\`${c.from}\` is now \`${c.to}\`` : `\`${c.from}\` becomes ${c.cast!.type}`,
    );
    findings.push({
      severity: 'warning',
      file: path,
      line,
      message: `${where}: SELECT * over ${dataset.source.map((p) => p.name).join('.')} left as is, and its output changes: ${what.join(', ')}; list the columns if its readers need the old names`,
    });
  }
  for (const a of r.ambiguous) {
    const c = mapping.columns.get(a.column);
    if (!c || (!c.dropped && c.to === undefined)) continue;
    const { line, where } = at(a.start);
    findings.push({ severity: 'warning', file: path, line, field: c.from, message: `${where}: left unchanged: ${a.why}` });
  }
  return [...edits.values()];
}

/** The target table written as the reference was: as many parts, the same quoting. */
function renderTable(use: TableUse, target: readonly TableNamePart[], d: DialectInfo): string {
  const n = Math.min(use.parts.length, target.length);
  const parts = target.slice(target.length - n);
  if (use.path) return `\`${parts.map((p) => p.name).join('.')}\``;
  const written = use.parts.slice(use.parts.length - n);
  return parts
    .map((p, i) => {
      const w = written[i];
      if (w?.quote) return renderIdentifier(d, p.name, w.quote);
      if (p.quoted || !/^[A-Za-z_][A-Za-z0-9_$-]*$/.test(p.name)) return renderIdentifier(d, p.name, d.quote);
      return w ? inWrittenCase(d, w, p.name, true) : p.name;
    })
    .join('.');
}

/** dbt sources that name the table: the new identifier, renamed column entries, dropped ones removed. */
function yamlEdits(
  project: DbtProject,
  ctx: RepoRuleContext,
  dataset: SqlDataset,
  mapping: FieldMapping,
  moves: boolean,
  files: Map<string, string>,
  counts: Map<string, number>,
  findings: Finding[],
): void {
  const byFile = new Map<string, SpanEdit[]>();
  const ansi = DIALECTS.ansi;
  for (const t of project.tables) {
    const written = t.parts.map((name) => ({ name, quoted: false }));
    const isSource = namesTable(ansi, written, dataset.source);
    const isTarget = dataset.target !== undefined && namesTable(ansi, written, dataset.target);
    if (!isSource && !isTarget) continue;
    const text = ctx.read(t.file)!;
    const edits = byFile.get(t.file) ?? [];
    byFile.set(t.file, edits);
    if (isSource && moves) {
      const target = dataset.target!;
      const name = target[target.length - 1]!.name;
      if (t.identifier) {
        if (t.identifier.value !== name) edits.push({ start: t.identifier.range[0], end: t.identifier.range[1], text: name });
      } else if (t.table !== name) {
        const lineEnd = text.indexOf('\n', t.nameEnd);
        const lineText = text.slice(text.lastIndexOf('\n', t.nameEnd) + 1, t.nameEnd);
        if (lineEnd === -1 || lineText.includes('{'))
          findings.push({
            severity: 'warning',
            file: t.file,
            line: lineCol(text, t.nameEnd).line,
            message: `dbt source ${t.source}.${t.table}: add \`identifier: ${name}\` by hand (the entry is not in block style)`,
          });
        else edits.push({ start: lineEnd + 1, end: lineEnd + 1, text: `${' '.repeat(t.indent)}identifier: ${name}\n` });
      }
      const schema = target.length >= 2 ? target[target.length - 2]!.name : undefined;
      const had = t.parts.length >= 2 ? t.parts[t.parts.length - 2] : undefined;
      if (schema && had && schema.toLowerCase() !== had.toLowerCase())
        findings.push({
          severity: 'warning',
          file: t.file,
          line: lineCol(text, t.nameEnd).line,
          message: `dbt source ${t.source}: the table moves to schema ${schema} (from ${had}); a source's schema is shared by its tables, so move ${t.table} to a source of that schema by hand`,
        });
    }
    for (const col of t.columns) {
      const c = mapping.columns.get(col.name);
      if (!c) continue;
      if (c.dropped) {
        edits.push({ start: col.itemRange[0], end: col.itemRange[1], text: '' });
        findings.push({
          severity: 'info',
          file: t.file,
          line: lineCol(text, col.nameRange[0]).line,
          field: c.from,
          message: `dbt source ${t.source}.${t.table}: removed column \`${c.from}\` with its tests and description (${c.steps[c.steps.length - 1]} drops it)`,
        });
      } else if (c.to !== undefined) {
        const q = col.quoted ? text[col.nameRange[0]] : '';
        edits.push({ start: col.nameRange[0], end: col.nameRange[1], text: `${q}${c.to}${q}` });
      }
    }
    for (const s of t.testColumns) {
      const c = mapping.columns.get(s.value);
      if (c?.to !== undefined && !c.dropped) {
        const q = /^['"]/.test(text[s.range[0]]!) ? text[s.range[0]] : '';
        edits.push({ start: s.range[0], end: s.range[1], text: `${q}${c.to}${q}` });
      }
    }
  }
  for (const [file, edits] of byFile) {
    if (edits.length === 0) continue;
    const before = files.get(file) ?? ctx.read(file)!;
    const after = applySpanEdits(before, dedupe(edits));
    if (after !== before) {
      files.set(file, after);
      counts.set(file, (counts.get(file) ?? 0) + edits.length);
    }
  }
}

function dedupe(edits: SpanEdit[]): SpanEdit[] {
  const seen = new Set<string>();
  return edits.filter((e) => {
    const k = `${e.start}:${e.end}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
