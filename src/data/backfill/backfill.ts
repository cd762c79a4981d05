/**
 * The backfill use case: the manifest's `dataset.backfill` window, partition by partition, each
 * converted (convertDataset) and verified (verifyDataset) on its own, done partitions skipped.
 * Dataset URIs are folders relative to `root` (by default the manifest's folder).
 */
import { rm } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../util/errors.js';
import { insideRoot } from '../../util/inside-root.js';
import { manifestRepoDir } from '../../util/repo-dir.js';
import { convertDataset, convertOptionsFromManifest } from '../convert.js';
import type { DatasetManifest } from '../dataset-spec.js';
import { verifyOptionsFrom } from '../verify/options.js';
import { verifyDataset } from '../verify/verify.js';
import { specHash } from './marker.js';
import { expandPartitions, selectPartitions, type Partition } from './partitions.js';
import { partitionStatus, runBackfill, type BackfillLayout, type PartitionResult, type PartitionStatus } from './run.js';

export interface BackfillPlan {
  layout: BackfillLayout;
  partitions: Partition[];
  /** The manifest repository's checkout, which `dataset.schema` is relative to. */
  manifestDir: string;
}

/**
 * A dataset URI as a local folder inside the backfill root (`--root`, default the manifest's folder):
 * a relative path, or a `file:` URI under the root. One that leaves the root (`..`, an absolute path,
 * a symbolic link out of it) is an InputError naming the field.
 */
function datasetFolder(root: string, uri: string, field: string): string {
  let path = uri;
  if (/^file:/i.test(uri)) {
    try {
      path = fileURLToPath(uri);
    } catch (err) {
      throw new InputError(`${field}: ${uri} is not a file: URI this host can read: ${(err as Error).message}`);
    }
    if (isAbsolute(path)) path = relative(root, path) || '.';
  }
  return insideRoot(root, path, field, 'the backfill root (--root, default the folder of the manifest)');
}

/**
 * The partitions to work on (all, or those `--partition` names) and where they live. `manifestDir`:
 * the manifest repository's checkout (default: the git work tree holding the manifest, see util/repo-dir.ts).
 */
export async function planBackfill(
  loaded: DatasetManifest,
  options: { root?: string; partition?: string; manifestDir?: string } = {},
): Promise<BackfillPlan> {
  const { dataset } = loaded.manifest;
  if (!dataset.backfill) throw new InputError(`${loaded.path}: the manifest has no dataset.backfill window (from, to, partition)`);
  if (dataset.source.format !== 'avro' || dataset.target.format !== 'parquet') {
    throw new InputError(
      `${loaded.path}: backfill converts Avro to Parquet; the manifest says ${dataset.source.format} → ${dataset.target.format}`,
    );
  }
  const all = expandPartitions(dataset.backfill);
  const partitions = options.partition ? selectPartitions(all, options.partition) : all;
  const root = resolve(options.root ?? dirname(loaded.path));
  const manifestDir = resolve(options.manifestDir ?? manifestRepoDir(loaded.path));
  const convert = await convertOptionsFromManifest(loaded, manifestDir);
  const spec = specHash({
    transform: dataset.transform,
    target: { format: dataset.target.format, compression: dataset.target.compression, rowGroupSize: dataset.target.rowGroupSize },
    schema: convert.schema ?? null,
  });
  return {
    layout: {
      sourceRoot: datasetFolder(root, dataset.source.uri, 'dataset.source.uri'),
      targetRoot: datasetFolder(root, dataset.target.uri, 'dataset.target.uri'),
      spec,
    },
    partitions,
    manifestDir,
  };
}

export async function backfillStatus(plan: BackfillPlan): Promise<PartitionStatus[]> {
  return partitionStatus(plan.layout, plan.partitions);
}

/** Converts and verifies every partition of the plan that is not done. A partition that fails verification keeps no output. */
export async function backfill(
  loaded: DatasetManifest,
  plan: BackfillPlan,
  onProgress?: (r: PartitionResult) => void,
): Promise<PartitionResult[]> {
  const convertOptions = await convertOptionsFromManifest(loaded, plan.manifestDir);
  const verifyOptions = verifyOptionsFrom(loaded.manifest, convertOptions.schema !== undefined ? { schema: convertOptions.schema } : {});
  return runBackfill(
    plan.layout,
    plan.partitions,
    async (sourcePath, targetPath) => {
      const converted = await convertDataset(sourcePath, targetPath, convertOptions);
      const report = await verifyDataset(sourcePath, targetPath, verifyOptions);
      if (!report.pass) await rm(targetPath, { force: true });
      return {
        rows: converted.rows,
        verification: {
          pass: report.pass,
          sourceRows: report.sourceRows,
          targetRows: report.targetRows,
          mismatchRatio: report.mismatchRatio,
        },
      };
    },
    onProgress,
  );
}
