/**
 * Writing a Parquet file as an object in a store (src/data/storage), streamed: the same encoder as
 * ../parquet/writer.ts (row groups built in columnar builders, encoded by parquet-wasm), but the bytes
 * go to `storage.write(key, stream)` (a multipart upload of unknown length on S3 and Azure) instead of
 * a local file. Memory: one row group plus the store's upload parts. The object appears only once the
 * footer is written; `abort()` (or any failure) leaves nothing under the key (the port's guarantee).
 * The encoding both share is ../parquet/encoding.ts; only the byte sink differs.
 */
import { PassThrough } from 'node:stream';
import { transformParquetStream } from 'parquet-wasm/node';
import { DataError, FleetwaveError } from '../../util/errors.js';
import type { AvroRecord, AvroSchema } from '../avro/types.js';
import { ValueError } from '../parquet/column-builders.js';
import { parquetLayoutFor, type ParquetLayout } from '../parquet/mapping.js';
import {
  BatchChannel,
  FooterTail,
  emptyBatch,
  rowGroupBatch,
  rowGroupSizeOf,
  type ParquetWriteOptions,
  writerProperties,
} from '../parquet/encoding.js';
import type { ObjectInfo, ObjectStorage } from '../storage/port.js';

export interface ParquetObjectResult {
  uri: string;
  key: string;
  rows: number;
  rowGroups: number;
  bytes: number;
  etag: string;
}

export class ParquetObjectWriter {
  private rowsWritten = 0;
  private pending = 0;
  private closed = false;
  private failure: unknown;
  private readonly failed: Promise<never>;

  private constructor(
    /** The object's URI, as messages name it. */
    readonly path: string,
    readonly key: string,
    private readonly layout: ParquetLayout,
    private readonly rowGroupSize: number,
    private readonly channel: BatchChannel,
    private readonly body: PassThrough,
    private readonly pump: Promise<void>,
    private readonly upload: Promise<ObjectInfo>,
    private readonly tail: FooterTail,
  ) {
    const both = Promise.all([pump, upload]);
    this.failed = both.then(
      () => new Promise<never>(() => undefined),
      (err: unknown) => {
        this.failure ??= err;
        throw err;
      },
    );
    this.failed.catch(() => undefined);
  }

  static open(storage: ObjectStorage, key: string, schema: AvroSchema, options: ParquetWriteOptions = {}): ParquetObjectWriter {
    const layout = parquetLayoutFor(schema);
    const rowGroupSize = rowGroupSizeOf(options);
    const props = writerProperties(schema, layout, rowGroupSize, options);
    const body = new PassThrough({ highWaterMark: 1 << 20 });
    body.on('error', () => undefined); // the upload sees the failure; no unhandled 'error' event
    const upload = storage.write(key, body);
    upload.catch(() => undefined);
    const channel = new BatchChannel();
    const tail = new FooterTail();
    const pump = (async () => {
      const out = await transformParquetStream(channel.stream, props);
      const reader = (out as ReadableStream<Uint8Array>).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        tail.add(value);
        if (!body.write(value))
          await new Promise<void>((resolve, reject) => {
            const onError = (err: Error) => reject(err);
            body.once('drain', () => {
              body.off('error', onError);
              resolve();
            });
            body.once('error', onError);
          });
      }
    })();
    pump.catch(() => undefined);
    return new ParquetObjectWriter(storage.uri(key), key, layout, rowGroupSize, channel, body, pump, upload, tail);
  }

  get rows(): number {
    return this.rowsWritten;
  }

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

  async writeArrowIpc(ipc: Uint8Array, rows: number): Promise<void> {
    if (this.closed) throw new Error('write after close');
    if (this.failure) throw this.failure;
    if (this.pending > 0) await this.flush();
    await this.channel.pushIpc(ipc, this.failed);
    this.rowsWritten += rows;
  }

  private async flush(): Promise<void> {
    const batch = rowGroupBatch(this.layout);
    this.pending = 0;
    await this.channel.pushBatch(batch, this.failed);
  }

  /** Writes the last row group and the footer and waits until the object is stored. */
  async finish(): Promise<ParquetObjectResult> {
    if (this.closed) throw new Error('finish after close');
    this.closed = true;
    let info: ObjectInfo;
    try {
      if (this.pending > 0) await this.flush();
      else if (this.rowsWritten === 0) await this.channel.pushBatch(emptyBatch(this.layout), this.failed);
      this.channel.close();
      await this.pump;
      this.tail.checkRows(this.path, this.rowsWritten);
      this.body.end();
      info = await this.upload;
    } catch (err) {
      await this.abort();
      throw err instanceof FleetwaveError
        ? err
        : new DataError(`${this.path}: cannot write the Parquet file: ${(err as Error).message}`, { cause: err });
    }
    const rowGroups = Math.ceil(this.rowsWritten / this.rowGroupSize);
    return { uri: info.uri, key: this.key, rows: this.rowsWritten, rowGroups, bytes: info.size, etag: info.etag };
  }

  /** Stops writing; the upload fails, and nothing is left under the key. */
  async abort(): Promise<void> {
    this.closed = true;
    this.channel.error(new DataError(`${this.path}: write aborted`));
    await this.pump.catch(() => undefined);
    if (!this.body.destroyed) this.body.destroy(new DataError(`${this.path}: write aborted`));
    await this.upload.catch(() => undefined);
  }
}
