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
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { LoadedManifest } from '../manifest/types.js';
import { performance } from 'node:perf_hooks';
import { DataError, FleetwaveError, InputError } from '../util/errors.js';
import { AvroFileReader, rowSchemaOf } from './avro/reader.js';
import type { AvroRecord, AvroSchema } from './avro/types.js';
import { ParquetFileWriter, type ParquetCompression } from './parquet/writer.js';
import { compileTransform } from './transform/apply.js';
import type { TransformStep } from './transform/schema.js';

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
  /** Called after each Avro block. */
  onProgress?: (progress: ConvertProgress) => void;
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
  /** Things worth knowing that are not errors (ignored trailing bytes, transform notes). */
  warnings: string[];
}

interface Job {
  target: string;
  sources: string[];
}

async function avroFilesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.avro') && !e.name.startsWith('.'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Which Parquet file each Avro file goes to. */
export async function planConversion(source: string, target: string): Promise<Job[]> {
  let info;
  try {
    info = await stat(source);
  } catch {
    throw new InputError(`${source}: no such file or folder; give an .avro file or a folder of them`);
  }
  const toFile = target.endsWith('.parquet');
  if (info.isFile()) {
    if (!source.endsWith('.avro')) throw new InputError(`${source}: not an .avro file; give an .avro file or a folder of them`);
    return [{ sources: [source], target: toFile ? target : join(target, `${basename(source, '.avro')}.parquet`) }];
  }
  const files = await avroFilesUnder(source);
  if (files.length === 0) throw new InputError(`${source}: no .avro files in this folder`);
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

  const finished: ParquetFileWriter[] = [];
  const converted: ConvertedFile[] = [];
  let rows = 0;
  let sourceBytes = 0;
  let filesDone = 0;
  let writer: ParquetFileWriter | undefined;
  try {
    for (const job of jobs) {
      writer = await ParquetFileWriter.open(job.target, outputSchema, { compression, rowGroupSize });
      for (const file of job.sources) {
        sourceBytes += (await stat(file)).size;
        const reader = await AvroFileReader.open(file, { readerSchema: datasetSchema });
        try {
          let fileRows = 0;
          for await (const batch of reader.batches()) {
            const out = apply ? transformBatch(batch, apply, file, fileRows) : batch;
            await writer.write(out);
            fileRows += batch.length;
            rows += batch.length;
            options.onProgress?.({ file, filesDone, files, rows });
          }
          if (reader.ignoredTrailingBytes) warnings.push(`${file}: ignored ${reader.ignoredTrailingBytes} trailing byte(s) after the last block`);
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
  }
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
    warnings,
  };
}

function buildTransform(datasetSchema: AvroSchema, options: ConvertOptions, warnings: string[]): RecordTransform | undefined {
  if (options.transform) return options.transform(rowSchemaOf(datasetSchema));
  if (!options.steps || options.steps.length === 0) return undefined;
  const compiled = compileTransform(rowSchemaOf(datasetSchema) as never, options.steps);
  warnings.push(...compiled.notes);
  return { targetSchema: compiled.targetSchema as unknown as AvroSchema, transformRecord: compiled.transformRecord as (r: AvroRecord) => AvroRecord, identity: compiled.identity };
}

function transformBatch(batch: AvroRecord[], apply: (r: AvroRecord) => AvroRecord, file: string, before: number): AvroRecord[] {
  const out = new Array<AvroRecord>(batch.length);
  for (let i = 0; i < batch.length; i++) {
    try {
      out[i] = apply(batch[i]!);
    } catch (err) {
      const message = `${file}: row ${before + i + 1}: ${(err as Error).message}`;
      if (err instanceof InputError) throw new InputError(message, { cause: err });
      if (err instanceof FleetwaveError) throw new DataError(message, { cause: err });
      throw new DataError(`${message} (the transform failed on this row)`, { cause: err });
    }
  }
  return out;
}

/**
 * The convert options a manifest gives: its target compression and row-group size, its transform
 * steps, and its source schema (`dataset.schema`, a path relative to the manifest's folder).
 */
export async function convertOptionsFromManifest(loaded: LoadedManifest): Promise<Pick<ConvertOptions, 'compression' | 'rowGroupSize' | 'steps' | 'schema'>> {
  const { dataset } = loaded.manifest;
  const options: Pick<ConvertOptions, 'compression' | 'rowGroupSize' | 'steps' | 'schema'> = {
    compression: dataset.target.compression,
    rowGroupSize: dataset.target.rowGroupSize,
    steps: dataset.transform,
  };
  if (dataset.schema) {
    const path = resolve(dirname(loaded.path), dataset.schema);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      throw new InputError(`${loaded.path}: dataset.schema: cannot read ${path}`);
    }
    try {
      options.schema = JSON.parse(text) as AvroSchema;
    } catch (err) {
      throw new InputError(`${path}: not a JSON Avro schema: ${(err as Error).message}`);
    }
  }
  return options;
}
