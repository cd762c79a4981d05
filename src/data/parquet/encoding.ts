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
import { parquetMetadata } from 'hyparquet';
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

  /** Ends the stream. When the encoder has already failed (and cancelled it), its own error comes from the pump, not from here. */
  close(): void {
    try {
      this.controller.close();
    } catch {
      // "Controller is already closed": the encoder stopped reading; awaiting the pump gives the cause
    }
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

/** Footers larger than this are not kept for the row count check (a footer is a few KiB per row group). */
const FOOTER_TAIL_BYTES = 16 << 20;

/**
 * The end of a Parquet file as it is written, kept chunk by chunk (the last FOOTER_TAIL_BYTES at most),
 * so that once the file is complete its footer can be read back (by hyparquet, a reader independent of
 * the Rust writer) and its row count held against the rows read: strict by default, a file that says
 * another number of rows than were read is an error, never a success.
 */
export class FooterTail {
  private chunks: Uint8Array[] = [];
  private bytes = 0;

  add(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    while (this.chunks.length > 1 && this.bytes - this.chunks[0]!.length >= FOOTER_TAIL_BYTES) this.bytes -= this.chunks.shift()!.length;
  }

  /** Throws a DataError naming `uri` when the written footer's row count is not `rowsRead`. */
  checkRows(uri: string, rowsRead: number): void {
    checkFooterRows(uri, Buffer.concat(this.chunks, this.bytes), rowsRead);
  }
}

/** Reads the footer at the end of `tail` (the end of a whole Parquet file) and holds its row count against `rowsRead`. */
export function checkFooterRows(uri: string, tail: Uint8Array, rowsRead: number): void {
  if (tail.length < 8) throw new DataError(`${uri}: the written Parquet file has only ${tail.length} bytes: no footer`);
  const footerLength = Buffer.from(tail.buffer, tail.byteOffset, tail.byteLength).readUInt32LE(tail.length - 8);
  if (footerLength + 8 > tail.length) return; // a footer over FOOTER_TAIL_BYTES: not kept, not checked
  let rows: number;
  try {
    const footer = new Uint8Array(footerLength + 8);
    footer.set(tail.subarray(tail.length - footerLength - 8));
    rows = Number(parquetMetadata(footer.buffer).num_rows);
  } catch (err) {
    throw new DataError(`${uri}: the written Parquet file's footer cannot be read back: ${(err as Error).message}`, { cause: err });
  }
  if (rows !== rowsRead) {
    throw new DataError(
      `${uri}: the written Parquet file holds ${rows} rows but ${rowsRead} rows were read from the source; refused (nothing is published; this is a bug in Fleetwave's writer: please report it with the source file's schema)`,
    );
  }
}
