/**
 * Streaming Parquet writing: rows in the value model go into columnar builders (./column-builders.ts);
 * every `rowGroupSize` rows become one Arrow record batch, handed to parquet-wasm (the Rust `parquet`
 * crate compiled to WebAssembly), which encodes and compresses it as one row group and streams the
 * bytes out. Memory is bounded by one row group. The file is written to a temp path beside the
 * target and renamed into place on `close()`: a failed or aborted write leaves no file.
 * The decision and its measurements: docs/decisions/0002-parquet-writer.md.
 */
import { mkdir, open, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { transformParquetStream } from 'parquet-wasm/node';
import { atomicTarget } from '../../util/atomic-write.js';
import { DataError } from '../../util/errors.js';
import type { AvroRecord, AvroSchema } from '../avro/types.js';
import { ValueError } from './column-builders.js';
import {
  BatchChannel,
  FooterTail,
  emptyBatch,
  rowGroupBatch,
  rowGroupSizeOf,
  type ParquetWriteOptions,
  writerProperties,
} from './encoding.js';
import { parquetLayoutFor, type ParquetLayout } from './mapping.js';

export { AVRO_SCHEMA_KEY, type ParquetCompression, type ParquetWriteOptions } from './encoding.js';

export interface ParquetWriteResult {
  path: string;
  rows: number;
  rowGroups: number;
  bytes: number;
}

export class ParquetFileWriter {
  private rowsWritten = 0;
  private pending = 0;
  private closed = false;
  private failure: unknown;
  private readonly failed: Promise<never>;

  private constructor(
    readonly path: string,
    private readonly layout: ParquetLayout,
    private readonly rowGroupSize: number,
    private readonly target: ReturnType<typeof atomicTarget>,
    private readonly handle: FileHandle,
    private readonly channel: BatchChannel,
    private readonly pump: Promise<void>,
    private readonly tail: FooterTail,
  ) {
    this.failed = pump.then(
      () => new Promise<never>(() => undefined),
      (err: unknown) => {
        this.failure ??= err;
        throw err;
      },
    );
    this.failed.catch(() => undefined);
  }

  /**
   * Opens a writer for rows of `schema` (the Avro schema of the rows: a record, or any type, whose
   * rows are `{ value }`). Throws a DataError when the schema has no Parquet layout.
   */
  static async open(path: string, schema: AvroSchema, options: ParquetWriteOptions = {}): Promise<ParquetFileWriter> {
    const layout = parquetLayoutFor(schema);
    const rowGroupSize = rowGroupSizeOf(options);
    const props = writerProperties(schema, layout, rowGroupSize, options);
    await mkdir(dirname(path), { recursive: true });
    const target = atomicTarget(path);
    const handle = await open(target.tmp, 'w');
    const channel = new BatchChannel();
    const tail = new FooterTail();
    const pump = (async () => {
      const out = await transformParquetStream(channel.stream, props);
      const reader = (out as ReadableStream<Uint8Array>).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        tail.add(value);
        await handle.write(value);
      }
    })();
    return new ParquetFileWriter(path, layout, rowGroupSize, target, handle, channel, pump, tail);
  }

  /** Rows written so far (including those buffered for the current row group). */
  get rows(): number {
    return this.rowsWritten;
  }

  /** Appends rows; a full row group is encoded and written before this returns. */
  async write(rows: readonly AvroRecord[]): Promise<void> {
    if (this.closed) throw new Error('write after close');
    if (this.failure) throw this.failure;
    const root = this.layout.root;
    for (let i = 0; i < rows.length; i++) {
      try {
        root.append(rows[i]!);
      } catch (err) {
        if (err instanceof ValueError) {
          throw new DataError(`${this.path}: row ${this.rowsWritten + 1}: ${err.message}; the row does not match the target schema`, {
            cause: err,
          });
        }
        throw err;
      }
      this.rowsWritten++;
      if (++this.pending >= this.rowGroupSize) await this.flush();
    }
  }

  /**
   * Appends rows already built into an Arrow IPC stream (by `encodeRowsToIpc` in another thread),
   * for rows of the same schema as this writer's. Rows given to `write()` before are flushed first.
   */
  async writeArrowIpc(ipc: Uint8Array, rows: number): Promise<void> {
    if (this.closed) throw new Error('write after close');
    if (this.failure) throw this.failure;
    if (this.pending > 0) await this.flush();
    await this.channel.pushIpc(ipc, this.failed);
    this.rowsWritten += rows;
    this.ipcRows += rows;
  }

  private ipcRows = 0;

  private async flush(): Promise<void> {
    const batch = rowGroupBatch(this.layout);
    this.pending = 0;
    await this.channel.pushBatch(batch, this.failed);
  }

  /** Writes the last row group and the footer, then renames the file into place. */
  async close(): Promise<ParquetWriteResult> {
    const result = await this.finish();
    try {
      await this.commit();
    } catch (err) {
      await this.target.abort();
      throw new DataError(`${this.path}: cannot move the finished file into place: ${(err as Error).message}`, { cause: err });
    }
    return result;
  }

  /**
   * Writes the last row group and the footer to the temp file, without renaming it: for writing
   * several files all or nothing (call `commit()` on each when all are finished, or `abort()`).
   */
  async finish(): Promise<ParquetWriteResult> {
    if (this.closed) throw new Error('finish after close');
    this.closed = true;
    try {
      if (this.pending > 0) await this.flush();
      else if (this.rowsWritten === 0) await this.channel.pushBatch(emptyBatch(this.layout), this.failed);
      this.channel.close();
      await this.pump;
      this.tail.checkRows(this.path, this.rowsWritten);
      await this.handle.close();
    } catch (err) {
      await this.abort();
      throw err instanceof DataError
        ? err
        : new DataError(`${this.path}: cannot write the Parquet file: ${(err as Error).message}`, { cause: err });
    }
    // The Parquet writer packs the batches it gets into row groups of rowGroupSize rows.
    const rowGroups = Math.ceil(this.rowsWritten / this.rowGroupSize);
    return { path: this.path, rows: this.rowsWritten, rowGroups, bytes: (await stat(this.target.tmp)).size };
  }

  /** Renames a finished file into place. */
  async commit(): Promise<void> {
    await this.target.commit();
  }

  /** Stops writing and removes the temp file; nothing is left at the target path. */
  async abort(): Promise<void> {
    this.closed = true;
    this.channel.error(new DataError(`${this.path}: write aborted`));
    await this.pump.catch(() => undefined);
    await this.handle.close().catch(() => undefined);
    await this.target.abort();
  }
}

/** Writes all rows to one Parquet file (streaming; see ParquetFileWriter). */
export async function writeParquetFile(
  path: string,
  schema: AvroSchema,
  rows: Iterable<AvroRecord> | AsyncIterable<AvroRecord>,
  options: ParquetWriteOptions = {},
): Promise<ParquetWriteResult> {
  const writer = await ParquetFileWriter.open(path, schema, options);
  try {
    let batch: AvroRecord[] = [];
    for await (const row of rows) {
      batch.push(row);
      if (batch.length >= 4096) {
        await writer.write(batch);
        batch = [];
      }
    }
    await writer.write(batch);
  } catch (err) {
    await writer.abort();
    throw err;
  }
  return writer.close();
}
