/**
 * What the data use cases read of a migration: the manifest's `dataset:` section (src/manifest/schema.ts)
 * is a `DatasetSpec` and a loaded manifest a `DatasetManifest`, so callers pass them as they are while
 * data/ imports nothing from manifest/ (the manifest's schema imports data/transform/schema.ts).
 */
import type { BackfillWindow } from './backfill/partitions.js';
import type { ParquetCompression } from './parquet/writer.js';
import type { TransformStep } from './transform/schema.js';
import type { VerifyOptions } from './verify/verify.js';

export interface DatasetSpec {
  source: { uri: string; format: string };
  target: { uri: string; format: string; compression: ParquetCompression; rowGroupSize: number };
  /** Path of the source Avro schema (.avsc), relative to the manifest repository's root. */
  schema?: string;
  transform: TransformStep[];
  backfill?: BackfillWindow;
  verify: Pick<VerifyOptions, 'key' | 'rowCount' | 'checksums' | 'sample' | 'maxMismatchRatio'>;
}

/** A manifest as the data use cases take it: the file it was read from, and its dataset. */
export interface DatasetManifest {
  path: string;
  manifest: { dataset: DatasetSpec };
}
