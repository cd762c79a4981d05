/**
 * Impact analysis of Python files (pandas, PySpark, polars): the `python` rule's analysis
 * (src/codemod/python/analyze.ts) on the files as the pull request leaves them. Frames are followed
 * from reads of the dataset at either location (the old one, or the new one a rule moved the read to),
 * and on them:
 * - a reference to a dropped column (or one the target schema lacks): blocking;
 * - a reference to a renamed column under its old name: blocking (no rule rewrote it);
 * - a read of the new location with an Avro reader (`format("avro")`, `read_avro`): blocking;
 * - a cast column, a join key or written column the migration changes, a string it cannot read: warning.
 * A same-named column of another frame is not a read.
 */
import type { Manifest } from '../manifest/types.js';
import type { FieldFate } from './impact-fields.js';
import type { Finding } from './port.js';
import { analyzePython } from './python/analyze.js';
import { mayReadDataset, pythonDatasetOf } from './rules/python.js';

export async function pythonImpact(
  manifest: Manifest,
  texts: ReadonlyMap<string, string>,
  fates: ReadonlyMap<string, FieldFate>,
): Promise<Finding[]> {
  const dataset = pythonDatasetOf({ ...manifest.dataset, transform: manifest.dataset.transform });
  const findings: Finding[] = [];
  for (const [path, text] of texts) {
    if (!path.endsWith('.py') || !mayReadDataset(dataset, text)) continue;
    findings.push(...(await analyzePython(path, text, dataset, fates, 'impact')).findings);
  }
  return findings;
}
