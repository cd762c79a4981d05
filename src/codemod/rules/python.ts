/**
 * `python`: carries the migration into pandas, PySpark and polars code (docs/rules/python.md): reads
 * of the dataset move to the target location or table (and to a Parquet reader when the format
 * changes), and column references on the frames read from it follow `dataset.transform` — renamed in
 * place, a read of a dropped column a blocking finding, a cast column a warning, what cannot be read
 * as a column reference a warning (src/codemod/python/analyze.ts). Span edits only; a second run
 * changes nothing.
 */
import picomatch from 'picomatch';
import { pythonParams, type PythonParams } from '../../manifest/change-rules.js';
import { fieldFates } from '../impact-fields.js';
import type { Finding } from '../port.js';
import { analyzePython, type PythonDataset } from '../python/analyze.js';
import { applySpanEdits } from '../span-edits.js';
import type { RepoRule, RepoRuleContext, RepoRuleOutput } from './rule.js';

/** The dataset as Python code names it: its URIs and its tables, from the manifest. */
export function pythonDatasetOf(dataset: RepoRuleContext['dataset']): PythonDataset {
  const unquote = (table: string | undefined) => table?.replace(/[`"[\]]/g, '');
  return {
    sourceUri: dataset.source.uri,
    targetUri: dataset.target.uri,
    ...(dataset.source.table ? { sourceTable: unquote(dataset.source.table) } : {}),
    ...(dataset.target.table ? { targetTable: unquote(dataset.target.table) } : {}),
    switchFormat: dataset.source.format !== dataset.target.format && dataset.target.format === 'parquet',
  };
}

/** Could this text read the dataset at all (its URI or table appears)? */
export function mayReadDataset(dataset: PythonDataset, text: string): boolean {
  const marks = [dataset.sourceUri, dataset.targetUri, dataset.sourceTable, dataset.targetTable]
    .filter((m): m is string => Boolean(m))
    .map((m) => m.replace(/\/+$/, ''));
  return marks.some((m) => text.includes(m));
}

export const pythonRule: RepoRule<PythonParams> = {
  kind: 'repo',
  name: 'python',
  params: pythonParams,
  describe: (p) => `python: dataset reads and their columns in ${p.files.join(', ')}`,
  run: runPython,
};

export async function runPython(params: PythonParams, ctx: RepoRuleContext): Promise<RepoRuleOutput> {
  const files = new Map<string, string>();
  const counts = new Map<string, number>();
  const findings: Finding[] = [];
  const dataset = pythonDatasetOf(ctx.dataset);
  const fates = fieldFates(ctx.dataset.transform);
  const match = picomatch(params.files, { dot: true });
  for (const path of ctx.paths) {
    if (!match(path)) continue;
    const text = ctx.read(path);
    if (text === undefined || !mayReadDataset(dataset, text)) continue;
    const analysis = await analyzePython(path, text, dataset, fates, 'rewrite');
    findings.push(...analysis.findings);
    if (analysis.edits.length === 0) continue;
    const after = applySpanEdits(text, analysis.edits);
    if (after !== text) {
      files.set(path, after);
      counts.set(path, analysis.edits.length);
    }
  }
  return { files, counts, findings };
}
