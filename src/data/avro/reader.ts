/**
 * Reading Avro container files into rows, streaming: one block in memory at a time.
 *
 * ```ts
 * const reader = await AvroFileReader.open('events.avro');
 * try {
 *   for await (const rows of reader.batches()) for (const row of rows) use(row);
 * } finally {
 *   await reader.close();
 * }
 * ```
 *
 * Values follow the value model of ./types.ts (long → bigint, decimal → Decimal, …). A file whose
 * top-level schema is not a record is read by one documented rule: each value becomes the row
 * `{ value: <the value> }` of a record with a single field `value` (see `rowSchemaOf`).
 */
import { DataError, InputError } from '../../util/errors.js';
import { ContainerReader, parseWriterSchema, type RawBlock, type StoredBlock } from './container.js';
import { AvroBoundsError, blockChecker } from './bounds.js';
import type { AvroCodecName } from './codecs.js';
import {
  avroType,
  InvalidUtf8Error,
  type AvroRecord,
  type AvroSchema,
  type AvroSchemaObject,
  type AvroType,
  type AvroValue,
} from './types.js';

/** The single column a top-level non-record value is read into. */
export const TOP_LEVEL_VALUE_FIELD = 'value';

export function isRecordSchema(schema: AvroSchema): schema is AvroSchemaObject & { fields: NonNullable<AvroSchemaObject['fields']> } {
  return (
    typeof schema === 'object' &&
    !Array.isArray(schema) &&
    (schema.type === 'record' || schema.type === 'error') &&
    Array.isArray(schema.fields)
  );
}

/** The record schema rows follow: the schema itself when it is a record, else a one-field wrapper. */
export function rowSchemaOf(schema: AvroSchema): AvroSchemaObject & { fields: NonNullable<AvroSchemaObject['fields']> } {
  if (isRecordSchema(schema)) return schema;
  return { type: 'record', name: 'TopLevelValue', namespace: 'fleetwave', fields: [{ name: TOP_LEVEL_VALUE_FIELD, type: schema }] };
}

export interface AvroReadOptions {
  /**
   * Read the data as this schema instead of the writer's, by Avro's schema resolution rules. A
   * writer schema that cannot be resolved to it is a DataError (schema mismatch).
   */
  readerSchema?: AvroSchema;
}

export class AvroFileReader {
  /** The schema the rows follow (the reader schema if one was given, else the writer's). */
  readonly schema: AvroSchema;
  /** True when the top-level schema is not a record and rows are `{ value }` (see rowSchemaOf). */
  readonly wrapped: boolean;
  private blocksRead = 0;
  private rowsRead = 0;

  private constructor(
    private readonly container: ContainerReader,
    /** The schema stored in the file. */
    readonly writerSchema: AvroSchema,
    private readonly type: AvroType,
    private readonly resolver: unknown,
    schema: AvroSchema,
    writerType: AvroType,
  ) {
    this.schema = schema;
    this.wrapped = !isRecordSchema(schema);
    this.decoder = new BlockDecoder(container.path, type, resolver, this.wrapped, writerType);
  }

  private readonly decoder: BlockDecoder;

  static async open(path: string, options: AvroReadOptions = {}): Promise<AvroFileReader> {
    const container = await ContainerReader.open(path);
    try {
      const writerSchema = parseWriterSchema(path, container.header);
      let writerType: AvroType;
      try {
        writerType = avroType(writerSchema);
      } catch (err) {
        throw new DataError(`${path}: the header's avro.schema is not a valid Avro schema: ${(err as Error).message}`, { cause: err });
      }
      if (!options.readerSchema || JSON.stringify(options.readerSchema) === JSON.stringify(writerSchema)) {
        return new AvroFileReader(container, writerSchema, writerType, undefined, writerSchema, writerType);
      }
      let readerType: AvroType;
      try {
        readerType = avroType(options.readerSchema);
      } catch (err) {
        throw new InputError(`the reader schema is not a valid Avro schema: ${(err as Error).message}`, { cause: err });
      }
      let resolver: unknown;
      try {
        resolver = readerType.createResolver(writerType);
      } catch (err) {
        throw new DataError(
          `${path}: schema mismatch: the file's schema cannot be read as the expected schema: ${(err as Error).message}`,
          { cause: err },
        );
      }
      return new AvroFileReader(container, writerSchema, readerType, resolver, options.readerSchema, writerType);
    } catch (err) {
      await container.close();
      throw err;
    }
  }

  get path(): string {
    return this.container.path;
  }

  get codec(): AvroCodecName {
    return this.container.header.codec;
  }

  /** The header's metadata (avro.schema, avro.codec and any user entries). */
  get metadata(): ReadonlyMap<string, Buffer> {
    return this.container.header.metadata;
  }

  /** Bytes after the last block too short to hold a block header, ignored (see ContainerReader). */
  get ignoredTrailingBytes(): number {
    return this.container.ignoredTrailingBytes;
  }

  /** Blocks read so far. */
  get blocks(): number {
    return this.blocksRead;
  }

  /** Rows read so far. */
  get rows(): number {
    return this.rowsRead;
  }

  /** Rows block by block (one array per Avro block). */
  async *batches(): AsyncGenerator<AvroRecord[]> {
    for (;;) {
      const block = await this.container.nextBlock();
      if (!block) return;
      const rows = this.decodeBlock(block);
      this.blocksRead++;
      this.rowsRead += rows.length;
      yield rows;
    }
  }

  /**
   * Blocks as stored (still compressed), for decoding elsewhere (a worker thread): decompress with
   * `inflateBlock(path, codec, block)` and decode with a BlockDecoder built by `blockDecoderFor`.
   */
  async *storedBlocks(): AsyncGenerator<StoredBlock> {
    for (;;) {
      const block = await this.container.nextStoredBlock();
      if (!block) return;
      this.blocksRead++;
      this.rowsRead += block.count;
      yield block;
    }
  }

  /** Rows one by one. */
  async *records(): AsyncGenerator<AvroRecord> {
    for await (const rows of this.batches()) yield* rows;
  }

  async close(): Promise<void> {
    await this.container.close();
  }

  private decodeBlock(block: RawBlock): AvroRecord[] {
    return this.decoder.decode(block);
  }
}

/** All rows of a file, streaming. */
export async function* readAvroRows(path: string, options: AvroReadOptions = {}): AsyncGenerator<AvroRecord> {
  const reader = await AvroFileReader.open(path, options);
  try {
    yield* reader.records();
  } finally {
    await reader.close();
  }
}

/** The writer's schema of a file (reads only the header). */
export async function readAvroSchema(path: string): Promise<AvroSchema> {
  const reader = await AvroFileReader.open(path);
  await reader.close();
  return reader.writerSchema;
}

/**
 * Decodes the records of decompressed blocks into rows (see AvroFileReader). The block's bytes are
 * first checked against the writer's type (bounds.ts): no count or length past the bytes present.
 */
export class BlockDecoder {
  private readonly check: (data: Uint8Array, count: number) => void;

  constructor(
    private readonly path: string,
    private readonly type: AvroType,
    private readonly resolver: unknown,
    private readonly wrapped: boolean,
    /** The type the data was written with (the same as `type` when there is no resolver). */
    writerType: AvroType = type,
  ) {
    this.check = blockChecker(writerType);
  }

  decode(block: RawBlock): AvroRecord[] {
    const { data, count } = block;
    try {
      this.check(data, count);
    } catch (err) {
      if (err instanceof AvroBoundsError) {
        throw new DataError(
          `${this.path}: block ${block.index} at byte ${block.offset}${err.record === undefined ? '' : `, record ${err.record} of ${count}`}: ${err.message}, at byte ${err.offset} of the block's ${data.length} decompressed bytes (a corrupt or hostile file; refused before decoding)`,
          { cause: err },
        );
      }
      if (err instanceof RangeError) {
        throw new DataError(`${this.path}: block ${block.index} at byte ${block.offset}: values nested too deep to read (${err.message})`, {
          cause: err,
        });
      }
      throw err;
    }
    const rows: AvroRecord[] = new Array<AvroRecord>(count);
    const type = this.type as unknown as { decode(buf: Buffer, pos: number, resolver?: unknown): { value: AvroValue; offset: number } };
    const resolver = this.resolver;
    const wrapped = this.wrapped;
    let pos = 0;
    const where = () => `${this.path}: block ${block.index} at byte ${block.offset}`;
    for (let i = 0; i < count; i++) {
      let r: { value: AvroValue; offset: number };
      try {
        r = resolver === undefined ? type.decode(data, pos) : type.decode(data, pos, resolver);
      } catch (err) {
        if (err instanceof InvalidUtf8Error) {
          throw new DataError(
            `${where()}, record ${i} of ${count}: ${err.message}; Avro strings are UTF-8 and Fleetwave does not replace bytes it cannot read: fix the writer, or declare the field as bytes in the manifest's dataset.schema (a string is read as bytes by Avro's schema resolution) to keep the bytes as they are`,
            { cause: err },
          );
        }
        throw new DataError(
          `${where()}, record ${i} of ${count}: cannot decode: ${(err as Error).message} (the data does not match the writer schema, or the file is corrupt)`,
          { cause: err },
        );
      }
      if (r.offset < 0) {
        throw new DataError(
          `${where()}: record ${i} of ${count} runs past the end of the block's ${data.length} bytes (the data does not match the writer schema, or the file is corrupt)`,
        );
      }
      pos = r.offset;
      rows[i] = wrapped ? { [TOP_LEVEL_VALUE_FIELD]: r.value } : (r.value as AvroRecord);
    }
    if (pos !== data.length) {
      throw new DataError(
        `${where()}: ${data.length - pos} bytes remain after its ${count} records (the data does not match the writer schema, or the file is corrupt)`,
      );
    }
    return rows;
  }
}

/**
 * A BlockDecoder for data written with `writerSchema`, read as `readerSchema` (default: the same);
 * a DataError when the writer schema cannot be resolved to the reader's.
 */
export function blockDecoderFor(path: string, writerSchema: AvroSchema, readerSchema?: AvroSchema): BlockDecoder {
  const writerType = avroType(writerSchema);
  if (!readerSchema || JSON.stringify(readerSchema) === JSON.stringify(writerSchema)) {
    return new BlockDecoder(path, writerType, undefined, !isRecordSchema(writerSchema), writerType);
  }
  const readerType = avroType(readerSchema);
  let resolver: unknown;
  try {
    resolver = readerType.createResolver(writerType);
  } catch (err) {
    throw new DataError(`${path}: schema mismatch: the file's schema cannot be read as the expected schema: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return new BlockDecoder(path, readerType, resolver, !isRecordSchema(readerSchema), writerType);
}
