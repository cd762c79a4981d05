/**
 * What the two Parquet writers share — the local file writer (./writer.ts) and the object-store writer
 * (../publish/parquet-object.ts), which differ only in where the bytes go: the writer properties
 * parquet-wasm encodes with, the channel that hands it one record batch per read (backpressure), the
 * hand-over of an Arrow batch, and the empty batch that gives a file with no rows its schema.
 */
import { RecordBatch, RecordBatchStreamWriter, makeData, type Struct } from 'apache-arrow';
import {
  Compression,
  Table as WasmTable,
  WriterPropertiesBuilder,
  type RecordBatch as WasmRecordBatch,
  type WriterProperties,
} from 'parquet-wasm/node';
import { DataError } from '../../util/errors.js';
import type { AvroSchema } from '../avro/types.js';
import type { ParquetLayout } from './mapping.js';

export type ParquetCompression = 'snappy' | 'gzip' | 'zstd' | 'none';

/** The key-value metadata entry holding the Avro schema, as parquet-avro writes it. */
export const AVRO_SCHEMA_KEY = 'parquet.avro.schema';

export interface ParquetWriteOptions {
  compression?: ParquetCompression;
  /** Rows per row group (the manifest's `dataset.target.rowGroupSize`). */
  rowGroupSize?: number;
  /** Extra key-value metadata. */
  metadata?: Record<string, string>;
}

const COMPRESSION: Record<ParquetCompression, Compression> = {
  none: Compression.UNCOMPRESSED,
  snappy: Compression.SNAPPY,
  gzip: Compression.GZIP,
  zstd: Compression.ZSTD,
};

/** The row group size asked for (default 100,000), checked. */
export function rowGroupSizeOf(options: ParquetWriteOptions): number {
  const rowGroupSize = options.rowGroupSize ?? 100_000;
  if (!Number.isInteger(rowGroupSize) || rowGroupSize < 1)
    throw new DataError(`rowGroupSize must be a positive integer, got ${rowGroupSize}`);
  return rowGroupSize;
}

/** parquet-wasm's writer properties for rows of `schema` laid out as `layout`. */
export function writerProperties(
  schema: AvroSchema,
  layout: ParquetLayout,
  rowGroupSize: number,
  options: ParquetWriteOptions,
): WriterProperties {
  const metadata = new Map<string, string>([[AVRO_SCHEMA_KEY, JSON.stringify(schema)], ...Object.entries(options.metadata ?? {})]);
  let builder = new WriterPropertiesBuilder()
    .setCompression(COMPRESSION[options.compression ?? 'zstd'])
    .setMaxRowGroupSize(rowGroupSize)
    .setKeyValueMetadata(metadata)
    .setCreatedBy('fleetwave (parquet-wasm)')
    .setDictionaryEnabled(false);
  for (const column of layout.dictionaryColumns) builder = builder.setColumnDictionaryEnabled(column, true);
  return builder.build();
}

/** A ReadableStream of wasm record batches that hands over one batch per read (backpressure). */
export class BatchChannel {
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

  /** Hands over the batches of an Arrow IPC stream, one at a time. */
  async pushIpc(ipc: Uint8Array, failed: Promise<never>): Promise<void> {
    const table = WasmTable.fromIPCStream(ipc);
    for (const b of table.recordBatches()) await this.push(b, failed);
    table.free();
  }

  /** Hands over one Arrow record batch. */
  pushBatch(batch: RecordBatch, failed: Promise<never>): Promise<void> {
    return this.pushIpc(RecordBatchStreamWriter.writeAll([batch]).toUint8Array(true), failed);
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

/** The row group the layout's builders hold, as one Arrow batch (the builders start over). */
export function rowGroupBatch(layout: ParquetLayout): RecordBatch {
  return new RecordBatch(layout.arrowSchema, layout.root.finish() as never);
}

/** No rows: one empty batch gives the writer the schema, and a valid file with 0 rows. */
export function emptyBatch(layout: ParquetLayout): RecordBatch {
  const empty = makeData({
    type: layout.root.type as Struct,
    length: 0,
    nullCount: 0,
    children: layout.root.children.map((c) => c.builder.finish()),
  });
  return new RecordBatch(layout.arrowSchema, empty as never);
}
