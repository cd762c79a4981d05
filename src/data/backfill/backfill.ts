/**
 * The backfill use case: the manifest's `dataset.backfill` window, partition by partition, each
 * converted (convertDataset: published with its commit) and verified (verifyDataset) on its own, done
 * partitions skipped. Dataset URIs are object-store URIs (`s3://`, `az://`, `abfss://`), or folders
 * relative to `root` (by default the manifest's folder).
 */
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../util/errors.js';
import { insideRoot } from '../../util/inside-root.js';
import { manifestRepoDir } from '../../util/repo-dir.js';
import { conversionSpec, convertDataset, convertOptionsFromManifest } from '../convert.js';
import type { DatasetManifest } from '../dataset-spec.js';
import { verifyOptionsFrom } from '../verify/options.js';
import { verifyDataset } from '../verify/verify.js';
import { expandPartitions, selectPartitions, type Partition } from './partitions.js';
import { partitionStatus, runBackfill, type BackfillLayout, type PartitionResult, type PartitionStatus } from './run.js';

/** The manifest's sha256 when it was loaded from a file (manifest/load.ts gives it), else null. */
function manifestHashOf(loaded: DatasetManifest): string | null {
  const hash = (loaded as DatasetManifest & { hash?: unknown }).hash;
  return typeof hash === 'string' ? hash : null;
}

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
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri) && !/^file:/i.test(uri)) return uri;
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
  const spec = conversionSpec(convert);
  return {
    layout: {
      sourceRoot: datasetFolder(root, dataset.source.uri, 'dataset.source.uri'),
      targetRoot: datasetFolder(root, dataset.target.uri, 'dataset.target.uri'),
      spec,
      manifestHash: manifestHashOf(loaded),
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
    async (sourceDir, targetDir) => {
      const converted = await convertDataset(sourceDir, targetDir, {
        ...convertOptions,
        manifestHash: manifestHashOf(loaded) ?? undefined,
        rerun: true,
      });
      const report = await verifyDataset(sourceDir, targetDir, verifyOptions);
      const inside = (uri: string, dir: string) => (uri.startsWith(dir) ? uri.slice(dir.length) : uri);
      return {
        files: converted.files.map((f) => ({
          source: inside(f.sources[0] ?? '', sourceDir),
          target: inside(f.target, targetDir),
          rows: f.rows,
        })),
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
