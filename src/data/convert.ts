/**
 * Converting a dataset from Avro to Parquet: the use case behind `fleetwave convert`, the demo and
 * the GitHub Action's convert mode.
 *
 * - `source` is an `.avro` file or a folder of them (searched recursively, in path order);
 * - `target` ending in `.parquet` is one file (a folder's files are merged into it); otherwise it is
 *   a folder that mirrors the source tree, one `.parquet` per `.avro`.
 *
 * Every file is read streaming (one Avro block at a time), transformed record by record, and
 * written in row groups, so memory is bounded by the row-group size. All outputs are written to
 * temp files and renamed into place only when every one is finished: a failure leaves no output.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { availableParallelism } from 'node:os';
import { datasetFiles } from './dataset-files.js';
import type { DatasetManifest, DatasetSpec } from './dataset-spec.js';
import { InputError } from '../util/errors.js';
import { insideRoot } from '../util/inside-root.js';
import { manifestRepoDir } from '../util/repo-dir.js';
import { AvroFileReader, rowSchemaOf } from './avro/reader.js';
import type { AvroRecord, AvroSchema } from './avro/types.js';
import { ParquetFileWriter, type ParquetCompression } from './parquet/writer.js';
import { compileTransform } from './transform/apply.js';
import type { TransformStep } from './transform/schema.js';
import { ConvertPool } from './convert-pool.js';
import { transformRows } from './transform-rows.js';

/** A record-to-record function with the schema of its output (the same code changes both). */
export interface RecordTransform {
  /** The record schema of the transformed rows. */
  targetSchema: AvroSchema;
  transformRecord(record: AvroRecord): AvroRecord;
  /** True when records come back unchanged (the converter then skips the call). */
  identity?: boolean;
}

export interface ConvertProgress {
  file: string;
  filesDone: number;
  files: number;
  rows: number;
}

export interface ConvertOptions {
  compression?: ParquetCompression;
  rowGroupSize?: number;
  /** The manifest's `dataset.transform` steps, compiled against the source schema. */
  steps?: readonly TransformStep[];
  /** Or any transform, built from the source row schema (used instead of `steps`). */
  transform?: (sourceSchema: AvroSchema) => RecordTransform;
  /**
   * The schema the source must have (the manifest's `dataset.schema`). Files are read as it by Avro's
   * resolution rules; one that cannot be is a schema mismatch. Default: the first file's schema.
   */
  schema?: AvroSchema;
  /** Called after each Avro block (or each chunk of blocks, with workers). */
  onProgress?: (progress: ConvertProgress) => void;
  /**
   * Worker threads that decode, transform and build columns while this thread encodes Parquet.
   * Default 0: everything in this thread (see docs/decisions/0002-parquet-writer.md for why).
   * Not used with a `transform` function (it cannot move to another thread); `steps` can. Also 0
   * when the compiled worker script is missing (sources run by ts-jest without a build).
   */
  workers?: number;
}

export interface ConvertedFile {
  sources: string[];
  target: string;
  rows: number;
  rowGroups: number;
  bytes: number;
}

export interface ConvertResult {
  source: string;
  target: string;
  rows: number;
  /** Bytes of Parquet written. */
  bytes: number;
  /** Bytes of Avro read. */
  sourceBytes: number;
  files: ConvertedFile[];
  compression: ParquetCompression;
  rowGroupSize: number;
  durationMs: number;
  /** Worker threads used (0: all in this thread). */
  workers: number;
  /** Things worth knowing that are not errors (ignored trailing bytes, transform notes). */
  warnings: string[];
}

interface Job {
  target: string;
  sources: string[];
}

/** Which Parquet file each Avro file goes to. */
export async function planConversion(source: string, target: string): Promise<Job[]> {
  const files = await datasetFiles(source, '.avro');
  const toFile = target.endsWith('.parquet');
  if (files.length === 1 && files[0] === source)
    return [{ sources: [source], target: toFile ? target : join(target, `${basename(source, '.avro')}.parquet`) }];
  if (toFile) return [{ sources: files, target }];
  return files.map((f) => ({ sources: [f], target: join(target, relative(source, f).replace(/\.avro$/, '.parquet')) }));
}

/** Converts `source` (Avro) into `target` (Parquet); see the module comment for the layout. */
export async function convertDataset(source: string, target: string, options: ConvertOptions = {}): Promise<ConvertResult> {
  const started = performance.now();
  const compression = options.compression ?? 'zstd';
  const rowGroupSize = options.rowGroupSize ?? 100_000;
  const jobs = await planConversion(source, target);
  const files = jobs.reduce((n, j) => n + j.sources.length, 0);
  const warnings: string[] = [];

  // The dataset's schema: the given one, else the first file's.
  let datasetSchema = options.schema;
  if (!datasetSchema) {
    const first = await AvroFileReader.open(jobs[0]!.sources[0]!);
    datasetSchema = first.writerSchema;
    await first.close();
  }
  const transform = buildTransform(datasetSchema, options, warnings);
  const outputSchema = transform ? transform.targetSchema : datasetSchema;
  const apply = transform && !transform.identity ? transform.transformRecord.bind(transform) : undefined;

  let totalBytes = 0;
  for (const job of jobs) for (const f of job.sources) totalBytes += (await stat(f)).size;
  const workers = options.transform ? 0 : Math.min(options.workers ?? 0, availableParallelism() * 2);
  const pool = workers > 0 ? ConvertPool.create(workers, { datasetSchema, outputSchema, steps: options.steps ?? [] }) : undefined;

  const finished: ParquetFileWriter[] = [];
  const converted: ConvertedFile[] = [];
  let rows = 0;
  let filesDone = 0;
  let writer: ParquetFileWriter | undefined;
  try {
    for (const job of jobs) {
      writer = await ParquetFileWriter.open(job.target, outputSchema, { compression, rowGroupSize });
      for (const file of job.sources) {
        const reader = await AvroFileReader.open(file, { readerSchema: datasetSchema });
        try {
          const progress = (n: number) => {
            rows += n;
            options.onProgress?.({ file, filesDone, files, rows });
          };
          if (pool) await convertFileWithPool(reader, writer, pool, Math.min(rowGroupSize, CHUNK_ROWS), progress);
          else await convertFileInThread(reader, writer, apply, progress);
          if (reader.ignoredTrailingBytes)
            warnings.push(`${file}: ignored ${reader.ignoredTrailingBytes} trailing byte(s) after the last block`);
        } finally {
          await reader.close();
        }
        filesDone++;
      }
      const result = await writer.finish();
      finished.push(writer);
      writer = undefined;
      converted.push({ sources: job.sources, target: job.target, rows: result.rows, rowGroups: result.rowGroups, bytes: result.bytes });
    }
    for (const w of finished) await w.commit();
  } catch (err) {
    await writer?.abort();
    for (const w of finished) await w.abort();
    throw err;
  } finally {
    await pool?.close();
  }
  const sourceBytes = totalBytes;
  return {
    source,
    target,
    rows,
    bytes: converted.reduce((n, f) => n + f.bytes, 0),
    sourceBytes,
    files: converted,
    compression,
    rowGroupSize,
    durationMs: Math.round(performance.now() - started),
    workers: pool?.size ?? 0,
    warnings,
  };
}

/** Rows per unit of work sent to a worker thread. */
const CHUNK_ROWS = 16_384;

async function convertFileInThread(
  reader: AvroFileReader,
  writer: ParquetFileWriter,
  apply: ((r: AvroRecord) => AvroRecord) | undefined,
  progress: (rows: number) => void,
): Promise<void> {
  let fileRows = 0;
  for await (const batch of reader.batches()) {
    await writer.write(apply ? transformRows(batch, apply, reader.path, fileRows) : batch);
    fileRows += batch.length;
    progress(batch.length);
  }
}

/**
 * Frames blocks here and sends chunks of them to the workers; writes their Arrow batches in file
 * order. At most two chunks per worker are in flight, so memory stays bounded.
 */
async function convertFileWithPool(
  reader: AvroFileReader,
  writer: ParquetFileWriter,
  pool: ConvertPool,
  chunkRows: number,
  progress: (rows: number) => void,
): Promise<void> {
  const inFlight: Promise<{ rows: number; ipc: Uint8Array }>[] = [];
  const writerSchemaText = JSON.stringify(reader.writerSchema);
  let seq = 0;
  let fileRows = 0;
  let blocks: ChunkBlock[] = [];
  let chunkCount = 0;
  const drainOne = async () => {
    const reply = await inFlight.shift()!;
    await writer.writeArrowIpc(reply.ipc, reply.rows);
    progress(reply.rows);
  };
  const submit = async () => {
    const p = pool.submit({ seq: seq++, path: reader.path, codec: reader.codec, writerSchemaText, firstRow: fileRows, blocks });
    p.catch(() => undefined); // awaited in order by drainOne
    inFlight.push(p);
    fileRows += chunkCount;
    blocks = [];
    chunkCount = 0;
    while (inFlight.length >= pool.size * 2) await drainOne();
  };
  for await (const block of reader.storedBlocks()) {
    // Copy out of the read buffer: the copy's memory moves to the worker.
    blocks.push({ index: block.index, offset: block.offset, count: block.count, stored: new Uint8Array(block.stored) });
    chunkCount += block.count;
    if (chunkCount >= chunkRows) await submit();
  }
  if (blocks.length) await submit();
  while (inFlight.length) await drainOne();
}

type ChunkBlock = { index: number; offset: number; count: number; stored: Uint8Array };

function buildTransform(datasetSchema: AvroSchema, options: ConvertOptions, warnings: string[]): RecordTransform | undefined {
  if (options.transform) return options.transform(rowSchemaOf(datasetSchema));
  if (!options.steps || options.steps.length === 0) return undefined;
  const compiled = compileTransform(rowSchemaOf(datasetSchema) as never, options.steps);
  warnings.push(...compiled.notes);
  return {
    targetSchema: compiled.targetSchema as unknown as AvroSchema,
    transformRecord: compiled.transformRecord as (r: AvroRecord) => AvroRecord,
    identity: compiled.identity,
  };
}

/**
 * The convert options a manifest gives: its target compression and row-group size, its transform
 * steps, and its source schema (`dataset.schema`, a path relative to the root of the repository that
 * holds the manifest: `repoRoot`, by default the git work tree holding the manifest, else its folder,
 * as the CLI, impact analysis and the codemods find it: util/repo-dir.ts).
 */
export async function convertOptionsFromManifest(
  loaded: DatasetManifest,
  repoRoot: string = manifestRepoDir(loaded.path),
): Promise<ManifestConvertOptions> {
  return convertOptionsFrom(loaded.manifest, repoRoot, loaded.path);
}

export type ManifestConvertOptions = Pick<ConvertOptions, 'compression' | 'rowGroupSize' | 'steps' | 'schema'>;

/** convertOptionsFromManifest for a manifest already parsed; `label` names it in errors. */
export async function convertOptionsFrom(
  manifest: { dataset: DatasetSpec },
  repoRoot: string,
  label = 'the manifest',
): Promise<ManifestConvertOptions> {
  const { dataset } = manifest;
  const options: ManifestConvertOptions = {
    compression: dataset.target.compression,
    rowGroupSize: dataset.target.rowGroupSize,
    steps: dataset.transform,
  };
  if (dataset.schema) {
    // Inside the manifest repository once links are resolved (issue 14): a link to an outside file is
    // refused at the field, never read, so its text cannot reach an error message or a conversion.
    const path = insideRoot(repoRoot, dataset.schema, `${label}: dataset.schema`, 'the manifest repository');
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      throw new InputError(
        `${label}: dataset.schema: cannot read ${path} (the path is relative to the manifest repository's root, ${repoRoot})`,
      );
    }
    try {
      options.schema = JSON.parse(text) as AvroSchema;
    } catch (err) {
      throw new InputError(`${path}: not a JSON Avro schema: ${(err as Error).message}`);
    }
  }
  return options;
}
