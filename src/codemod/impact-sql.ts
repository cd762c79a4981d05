/**
 * Impact analysis of SQL files and dbt models: reads of the dataset's columns, each resolved to the
 * table it belongs to by the same scope resolution as the `sql` rule (src/codemod/sql/resolve.ts), on
 * the files as the pull request leaves them. A same-named column of another table is not a read; a
 * column read through a CTE or subquery that passed it on is.
 *
 * - a read of a dropped column (or one the target schema lacks): blocking;
 * - a read of a renamed column under its old name, on the table: blocking (no rule rewrote it);
 * - a cast column compared or joined: warning (the other side's type is not known);
 * - a name two relations share, or a USING column joining the table with another relation: warning;
 * - a file that names the dataset but the grammar cannot read: warning.
 * The dialect is that of the manifest's `sql` rule whose `files` take the file (else its first sql
 * rule's); without any, BigQuery's grammar for a file
 * with backquotes and the ANSI (PostgreSQL) grammar otherwise. Needs `dataset.source.table`.
 */
import picomatch from 'picomatch';
import type { SqlDialect, SqlParams } from '../manifest/change-rules.js';
import type { Manifest } from '../manifest/types.js';
import { tableNameParts } from '../manifest/table-name.js';
import { fieldMapping } from './field-mapping.js';
import { explainFate, type FieldFate } from './impact-fields.js';
import type { Finding } from './port.js';
import {
  analyzeSql,
  castKeepsComparison,
  comparedCastFinding,
  droppedReadFinding,
  lineCol,
  passingModels,
  readsDatasetFilter,
  unreadableFinding,
  type SqlDataset,
} from './sql/analyze.js';
import { dbtProjects } from './sql/dbt.js';
import { DIALECTS } from './sql/dialect.js';

export function sqlImpact(manifest: Manifest, texts: ReadonlyMap<string, string>, fates: ReadonlyMap<string, FieldFate>): Finding[] {
  const sqlPaths = [...texts.keys()].filter((p) => p.endsWith('.sql'));
  if (sqlPaths.length === 0) return [];
  const table = manifest.dataset.source.table;
  if (!table) {
    return [
      {
        severity: 'info',
        message: `${sqlPaths.length} SQL file(s) not checked: dataset.source.table is not set, so no column can be resolved to the dataset's table`,
      },
    ];
  }
  const dataset: SqlDataset = {
    source: tableNameParts(table),
    ...(manifest.dataset.target.table ? { target: tableNameParts(manifest.dataset.target.table) } : {}),
    columns: [...fates.keys()],
    kept: [...fates].filter(([, f]) => f.kind === 'cast').map(([c]) => c),
  };
  const casts = fieldMapping(manifest.dataset.transform).casts;
  const rules = (manifest.changes as Record<string, unknown>[]).flatMap((c) => (c.sql !== undefined ? [c.sql as SqlParams] : []));
  const matchers = rules.map((r) => ({ rule: r, match: picomatch(r.files, { dot: true }) }));
  /** The sql rule whose files take this path (the first), else the first sql rule. */
  const ruleFor = (path: string): SqlParams | undefined => matchers.find((m) => m.match(path))?.rule ?? rules[0];
  const rule = rules[0];
  const paths = [...texts.keys()];
  const projects = dbtProjects(paths, (p) => texts.get(p));
  const models = passingModels(paths, (p) => texts.get(p), rule?.dialect ?? 'bigquery', dataset, projects, rule?.renameOutputs ?? false);
  if (models.size) dataset.models = models;
  const filters = new Map<SqlDialect, (text: string) => boolean>();
  const findings: Finding[] = [];
  for (const path of sqlPaths) {
    const text = texts.get(path)!;
    const own = ruleFor(path);
    const dialect: SqlDialect = own?.dialect ?? (text.includes('`') ? 'bigquery' : 'ansi');
    let reads = filters.get(dialect);
    if (!reads) {
      reads = readsDatasetFilter(DIALECTS[dialect], dataset, projects);
      filters.set(dialect, reads);
    }
    if (!reads(text)) continue;
    const analysis = analyzeSql(text, path, dialect, dataset, projects, own?.renameOutputs ?? false);
    if (!analysis.ok) {
      findings.push(unreadableFinding(path, dialect, analysis));
      continue;
    }
    const r = analysis.resolution;
    for (const use of r.columns) {
      const fate = fates.get(use.column);
      if (!fate || !use.follows || use.output) continue;
      if (fate.kind === 'dropped') findings.push(droppedReadFinding(path, text, use.start, use.column, fate.step));
      else if (fate.kind === 'cast') {
        const type = casts.get(use.column)?.type ?? fate.to;
        if (use.compared && !castKeepsComparison(type, use.against))
          findings.push(comparedCastFinding(path, text, use.start, use.column, fate.step, type));
      } else {
        const { line, col } = lineCol(text, use.start);
        findings.push({
          severity: 'blocking',
          file: path,
          line,
          field: use.column,
          message: `${path}:${line}:${col}: ${explainFate(use.column, fate)} (SQL column)`,
        });
      }
    }
    for (const a of r.ambiguous) {
      const fate = fates.get(a.column);
      if (!fate || fate.kind === 'cast') continue;
      const { line, col } = lineCol(text, a.start);
      findings.push({
        severity: 'warning',
        file: path,
        line,
        field: a.column,
        message: `${path}:${line}:${col}: left unchanged: ${a.why}`,
      });
    }
  }
  return findings;
}
