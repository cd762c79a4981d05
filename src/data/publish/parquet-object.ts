/**
 * Writing a Parquet file as an object in a store (src/data/storage), streamed: the same encoder as
 * ../parquet/writer.ts (row groups built in columnar builders, encoded by parquet-wasm), but the bytes
 * go to `storage.write(key, stream)` (a multipart upload of unknown length on S3 and Azure) instead of
 * a local file. Memory: one row group plus the store's upload parts. The object appears only once the
 * footer is written; `abort()` (or any failure) leaves nothing under the key (the port's guarantee).
 * The local writer's pieces are repeated here because it writes only to a file handle.
 */
import { PassThrough } from 'node:stream';
import { RecordBatch, RecordBatchStreamWriter, makeData, type Struct } from 'apache-arrow';
import {
  Compression,
  Table as WasmTable,
  WriterPropertiesBuilder,
  transformParquetStream,
  type RecordBatch as WasmRecordBatch,
} from 'parquet-wasm/node';
import { DataError, FleetwaveError } from '../../util/errors.js';
import type { AvroRecord, AvroSchema } from '../avro/types.js';
import { ValueError } from '../parquet/column-builders.js';
import { parquetLayoutFor, type ParquetLayout } from '../parquet/mapping.js';
import { AVRO_SCHEMA_KEY, type ParquetCompression, type ParquetWriteOptions } from '../parquet/writer.js';
import type { ObjectInfo, ObjectStorage } from '../storage/port.js';

const COMPRESSION: Record<ParquetCompression, Compression> = {
  none: Compression.UNCOMPRESSED,
  snappy: Compression.SNAPPY,
  gzip: Compression.GZIP,
  zstd: Compression.ZSTD,
};

/** A ReadableStream of wasm record batches that hands over one batch per read (backpressure). */
class BatchChannel {
  readonly stream: ReadableStream<WasmRecordBatch>;
  private controller!: ReadableStreamDefaultController<WasmRecordBatch>;
  private demand: (() => void) | undefined;
  private demandWaiter: (() => void) | undefined;

  constructor() {
    this.stream = new ReadableStream<WasmRecordBatch>(
      {
        start: (c) => {
          this.controller = c;
        },
        pull: () =>
          new Promise<void>((resolve) => {
            this.demand = resolve;
            this.demandWaiter?.();
          }),
      },
      { highWaterMark: 0 },
    );
  }

  async push(batch: WasmRecordBatch, failed: Promise<never>): Promise<void> {
    if (!this.demand) await Promise.race([new Promise<void>((r) => (this.demandWaiter = r)), failed]);
    this.demandWaiter = undefined;
    const demand = this.demand!;
    this.demand = undefined;
    this.controller.enqueue(batch);
    demand();
  }

  close(): void {
    this.controller.close();
  }

  error(err: unknown): void {
    try {
      this.controller.error(err);
    } catch {
      // already closed
    }
  }
}

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
    const rowGroupSize = options.rowGroupSize ?? 100_000;
    if (!Number.isInteger(rowGroupSize) || rowGroupSize < 1)
      throw new DataError(`rowGroupSize must be a positive integer, got ${rowGroupSize}`);
    const metadata = new Map<string, string>([[AVRO_SCHEMA_KEY, JSON.stringify(schema)], ...Object.entries(options.metadata ?? {})]);
    let builder = new WriterPropertiesBuilder()
      .setCompression(COMPRESSION[options.compression ?? 'zstd'])
      .setMaxRowGroupSize(rowGroupSize)
      .setKeyValueMetadata(metadata)
      .setCreatedBy('fleetwave (parquet-wasm)')
      .setDictionaryEnabled(false);
    for (const column of layout.dictionaryColumns) builder = builder.setColumnDictionaryEnabled(column, true);
    const props = builder.build();
    const body = new PassThrough({ highWaterMark: 1 << 20 });
    body.on('error', () => undefined); // the upload sees the failure; no unhandled 'error' event
    const upload = storage.write(key, body);
    upload.catch(() => undefined);
    const channel = new BatchChannel();
    const pump = (async () => {
      const out = await transformParquetStream(channel.stream, props);
      const reader = (out as ReadableStream<Uint8Array>).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
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
    return new ParquetObjectWriter(storage.uri(key), key, layout, rowGroupSize, channel, body, pump, upload);
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
    const table = WasmTable.fromIPCStream(ipc);
    for (const b of table.recordBatches()) await this.channel.push(b, this.failed);
    table.free();
    this.rowsWritten += rows;
  }

  private async flush(): Promise<void> {
    const data = this.layout.root.finish();
    this.pending = 0;
    await this.send(new RecordBatch(this.layout.arrowSchema, data as never));
  }

  private async send(batch: RecordBatch): Promise<void> {
    const ipc = RecordBatchStreamWriter.writeAll([batch]).toUint8Array(true);
    const table = WasmTable.fromIPCStream(ipc);
    for (const b of table.recordBatches()) await this.channel.push(b, this.failed);
    table.free();
  }

  /** Writes the last row group and the footer and waits until the object is stored. */
  async finish(): Promise<ParquetObjectResult> {
    if (this.closed) throw new Error('finish after close');
    this.closed = true;
    let info: ObjectInfo;
    try {
      if (this.pending > 0) await this.flush();
      else if (this.rowsWritten === 0) {
        const empty = makeData({
          type: this.layout.root.type as Struct,
          length: 0,
          nullCount: 0,
          children: this.layout.root.children.map((c) => c.builder.finish()),
        });
        await this.send(new RecordBatch(this.layout.arrowSchema, empty as never));
      }
      this.channel.close();
      await this.pump;
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
