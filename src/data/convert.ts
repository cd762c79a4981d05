/**
 * Converting a dataset from Avro to Parquet: the use case behind `fleetwave convert`, the demo and
 * the GitHub Action's convert mode. Source and target are URIs of any store (src/data/storage: a
 * path, `file://`, `s3://`, `az://`, `abfss://`):
 *
 * - `source` is an `.avro` object or a prefix (folder) of them (every `.avro` object under it, in key
 *   order; only the committed ones when it holds a published output);
 * - `target` ending in `.parquet` is one object (a folder's files are merged into it), written as one
 *   stream: it appears complete or not at all. Otherwise it is a prefix that mirrors the source tree,
 *   one `.parquet` per `.avro` (partition folders `key=value/` kept), published atomically: staged
 *   under `_fleetwave/staging/<attempt>/`, moved into place, then `_fleetwave/commit.json` and
 *   `_SUCCESS` written last (./publish/attempt.ts). A target whose commit is for the same source
 *   objects, conversion spec and manifest is left as it is (a no-op, `published.skipped`).
 *
 * Everything streams: each input object is read as one stream (the next few objects' reads start
 * early and buffer a few MiB each, so the network's latency overlaps the work), decoded one Avro
 * block at a time, transformed record by record, and written in row groups to an upload of unknown
 * length. Memory is bounded by the row group, the read-ahead and the upload parts, not the dataset.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { availableParallelism } from 'node:os';
import { PassThrough, type Readable } from 'node:stream';
import { datasetObjects } from './dataset-files.js';
import type { DatasetManifest, DatasetSpec } from './dataset-spec.js';
import { DataError, InputError } from '../util/errors.js';
import { insideRoot } from '../util/inside-root.js';
import { manifestRepoDir } from '../util/repo-dir.js';
import { rowSchemaOf } from './avro/reader.js';
import type { AvroRecord, AvroSchema } from './avro/types.js';
import type { ParquetCompression } from './parquet/writer.js';
import { EMPTY_RECORD_FIELD, parquetLayoutFor } from './parquet/mapping.js';
import { compileTransform } from './transform/apply.js';
import type { TransformStep } from './transform/schema.js';
import { ConvertPool } from './convert-pool.js';
import { transformRows } from './transform-rows.js';
import { AvroObjectReader } from './publish/avro-object.js';
import { ParquetObjectWriter } from './publish/parquet-object.js';
import { PublishAttempt } from './publish/attempt.js';
import { folderPrefix, readCommit } from './publish/commit.js';
import { specHash } from './backfill/marker.js';
import type { ObjectInfo, ObjectStorage } from './storage/port.js';
import { storageFor } from './storage/uri.js';

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
  /** sha256 of the manifest the conversion runs for (recorded in the commit; part of the no-op check). */
  manifestHash?: string;
  /** Convert and publish again even when the target's commit is for the same source and spec. */
  rerun?: boolean;
  /** Input objects whose reads start ahead of the one being converted (default 3). */
  readAhead?: number;
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
  /** For a folder (prefix) target: the commit (its attempt), or `skipped` when it was already committed. */
  published?: { uri: string; attempt: string; skipped: boolean };
}

interface Job {
  /** The target key relative to the output prefix. */
  relative: string;
  sources: number[];
}

/** Bytes each read-ahead buffers before it waits for the converter. */
const READ_AHEAD_BYTES = 8 << 20;

/** Starts the reads of objects ahead of their use, at most `depth` ahead, each buffering a few MiB. */
class ReadAhead {
  private readonly started = new Map<number, Promise<Readable>>();
  constructor(
    private readonly storage: ObjectStorage,
    private readonly objects: readonly ObjectInfo[],
    private readonly depth: number,
  ) {}

  /** The read of object `i`; starts the next `depth` too. */
  take(i: number): Promise<Readable> {
    for (let j = i; j <= Math.min(i + this.depth, this.objects.length - 1); j++) this.start(j);
    const body = this.started.get(i)!;
    this.started.delete(i);
    return body;
  }

  private start(i: number): void {
    if (this.started.has(i) || i < 0) return;
    const read = this.storage.read(this.objects[i]!.key).then((stream) => {
      const buffer = new PassThrough({ highWaterMark: READ_AHEAD_BYTES });
      stream.on('error', (err) => buffer.destroy(err));
      return stream.pipe(buffer);
    });
    read.catch(() => undefined);
    this.started.set(i, read);
  }

  close(): void {
    for (const read of this.started.values()) void read.then((s) => s.destroy()).catch(() => undefined);
    this.started.clear();
  }
}

/** Identifies the source objects: their keys (relative to the source prefix), sizes and etags. */
export function sourceFingerprint(
  objects: readonly ObjectInfo[],
  prefix: string,
): { fingerprint: string; files: { key: string; size: number; etag: string }[] } {
  const files = objects.map((o) => ({ key: o.key.slice(prefix.length), size: o.size, etag: o.etag }));
  return { fingerprint: `sha256:${createHash('sha256').update(JSON.stringify(files)).digest('hex')}`, files };
}

/** The hash of what a conversion does (its commit's `spec`): compression, row groups, transform, schema. */
export function conversionSpec(options: Pick<ConvertOptions, 'compression' | 'rowGroupSize' | 'steps' | 'schema'>): string {
  return specHash({
    compression: options.compression ?? 'zstd',
    rowGroupSize: options.rowGroupSize ?? 100_000,
    steps: options.steps ?? [],
    schema: options.schema ?? null,
    format: 'parquet',
  });
}

/** Converts `source` (Avro) into `target` (Parquet); see the module comment for the layout. */
export async function convertDataset(source: string, target: string, options: ConvertOptions = {}): Promise<ConvertResult> {
  const started = performance.now();
  const compression = options.compression ?? 'zstd';
  const rowGroupSize = options.rowGroupSize ?? 100_000;
  const input = await datasetObjects(source, '.avro');
  const out = await storageFor(target);
  const toFile = target.endsWith('.parquet');
  const objects = input.objects;
  const jobs: Job[] = toFile
    ? [{ relative: '', sources: objects.map((_, i) => i) }]
    : objects.map((o, i) => ({ relative: o.key.slice(input.prefix.length).replace(/\.avro$/, '') + '.parquet', sources: [i] }));
  const files = objects.length;
  const warnings: string[] = [];
  const sourceBytes = objects.reduce((n, o) => n + o.size, 0);
  const source_ = sourceFingerprint(objects, input.prefix);
  const outPrefix = toFile ? '' : folderPrefix(out.key);
  const spec = conversionSpec(options);

  if (!toFile && !options.transform && !options.rerun) {
    const commit = await readCommit(out.storage, outPrefix);
    if (
      commit &&
      commit.spec === spec &&
      commit.source.fingerprint === source_.fingerprint &&
      commit.manifestHash === (options.manifestHash ?? null)
    ) {
      return {
        source,
        target,
        rows: commit.rows,
        bytes: commit.files.reduce((n, f) => n + f.size, 0),
        sourceBytes,
        files: commit.files.map((f) => ({
          sources: [],
          target: out.storage.uri(outPrefix + f.key),
          rows: f.rows,
          rowGroups: Math.ceil(f.rows / rowGroupSize),
          bytes: f.size,
        })),
        compression,
        rowGroupSize,
        durationMs: Math.round(performance.now() - started),
        workers: 0,
        warnings,
        published: { uri: out.storage.uri(outPrefix), attempt: commit.attempt, skipped: true },
      };
    }
  }

  const readAhead = new ReadAhead(input.storage, objects, Math.max(0, options.readAhead ?? 3));
  const openReader = (i: number, readerSchema: AvroSchema | undefined) =>
    AvroObjectReader.open(input.storage, objects[i]!, { ...(readerSchema ? { readerSchema } : {}), body: readAhead.take(i) });

  let attempt: PublishAttempt | undefined;
  let writer: ParquetObjectWriter | undefined;
  let pool: ConvertPool | undefined;
  let reader: AvroObjectReader | undefined;
  const converted: ConvertedFile[] = [];
  const staged: { key: string; rows: number }[] = [];
  let rows = 0;
  let filesDone = 0;
  let outputSchema: AvroSchema | undefined;
  try {
    // The dataset's schema: the given one, else the first file's.
    reader = await openReader(0, options.schema);
    const datasetSchema = options.schema ?? reader.writerSchema;
    const transform = buildTransform(datasetSchema, options, warnings);
    outputSchema = transform ? transform.targetSchema : datasetSchema;
    const emptyRecords = parquetLayoutFor(outputSchema).emptyRecords;
    if (emptyRecords.length) {
      warnings.push(
        `${emptyRecords.map((p) => (p === '' ? 'the rows themselves' : p)).join(', ')}: a record with no fields, written as a group with one placeholder column ${EMPTY_RECORD_FIELD} that is always null (Parquet has no empty group; docs/data.md, "Records with no fields")`,
      );
    }
    const apply = transform && !transform.identity ? transform.transformRecord.bind(transform) : undefined;
    const workers = options.transform ? 0 : Math.min(options.workers ?? 0, availableParallelism() * 2);
    pool = workers > 0 ? ConvertPool.create(workers, { datasetSchema, outputSchema, steps: options.steps ?? [] }) : undefined;
    if (!toFile) attempt = await PublishAttempt.begin(out.storage, outPrefix);

    for (const job of jobs) {
      const key = attempt ? attempt.stagingKey(job.relative) : out.key;
      writer = ParquetObjectWriter.open(out.storage, key, outputSchema, { compression, rowGroupSize });
      let jobRowsRead = 0;
      for (const i of job.sources) {
        reader ??= await openReader(i, datasetSchema);
        const file = reader.path;
        const progress = (n: number) => {
          rows += n;
          options.onProgress?.({ file, filesDone, files, rows });
        };
        jobRowsRead += pool
          ? await convertFileWithPool(reader, writer, pool, Math.min(rowGroupSize, CHUNK_ROWS), progress)
          : await convertFileInThread(reader, writer, apply, progress);
        if (reader.ignoredTrailingBytes)
          warnings.push(`${file}: ignored ${reader.ignoredTrailingBytes} trailing byte(s) after the last block`);
        reader.close();
        reader = undefined;
        filesDone++;
      }
      const result = await writer.finish();
      writer = undefined;
      // Strict: the file's own footer (checked by the writer) must hold every row read, no more, no fewer.
      if (result.rows !== jobRowsRead) {
        throw new DataError(
          `${result.uri}: ${result.rows} rows written but ${jobRowsRead} rows read from ${job.sources.map((i) => objects[i]!.uri).join(', ')}; refused, nothing is published (a bug in Fleetwave: please report it with the source's schema)`,
        );
      }
      staged.push({ key: job.relative, rows: result.rows });
      converted.push({
        sources: job.sources.map((i) => objects[i]!.uri),
        target: attempt ? out.storage.uri(outPrefix + job.relative) : result.uri,
        rows: result.rows,
        rowGroups: result.rowGroups,
        bytes: result.bytes,
      });
    }
    let published: ConvertResult['published'];
    if (attempt) {
      const record = await attempt.publish(staged, {
        rows,
        schema: outputSchema,
        manifestHash: options.manifestHash ?? null,
        spec,
        source: { uri: input.storage.uri(input.prefix), ...source_ },
      });
      published = { uri: attempt.uri, attempt: record.attempt, skipped: false };
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
      workers: pool?.size ?? 0,
      warnings,
      ...(published ? { published } : {}),
    };
  } catch (err) {
    reader?.close();
    await writer?.abort();
    await attempt?.abandon().catch(() => undefined);
    throw err;
  } finally {
    readAhead.close();
    await pool?.close();
  }
}

/** Rows per unit of work sent to a worker thread. */
const CHUNK_ROWS = 16_384;

/** Converts one file in this thread; returns the rows read from it. */
async function convertFileInThread(
  reader: AvroObjectReader,
  writer: ParquetObjectWriter,
  apply: ((r: AvroRecord) => AvroRecord) | undefined,
  progress: (rows: number) => void,
): Promise<number> {
  let fileRows = 0;
  for await (const batch of reader.batches()) {
    await writer.write(apply ? transformRows(batch, apply, reader.path, fileRows) : batch);
    fileRows += batch.length;
    progress(batch.length);
  }
  return fileRows;
}

/**
 * Frames blocks here and sends chunks of them to the workers; writes their Arrow batches in file
 * order. At most two chunks per worker are in flight, so memory stays bounded. Returns the rows read
 * (the blocks' record counts).
 */
async function convertFileWithPool(
  reader: AvroObjectReader,
  writer: ParquetObjectWriter,
  pool: ConvertPool,
  chunkRows: number,
  progress: (rows: number) => void,
): Promise<number> {
  const inFlight: Promise<{ rows: number; ipc: Uint8Array }>[] = [];
  const writerSchemaText = JSON.stringify(reader.writerSchema);
  let seq = 0;
  let fileRows = 0;
  let blocks: ChunkBlock[] = [];
  let chunkCount = 0;
  let rowsRead = 0;
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
    rowsRead += block.count;
    if (chunkCount >= chunkRows) await submit();
  }
  if (blocks.length) await submit();
  while (inFlight.length) await drainOne();
  return rowsRead;
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
