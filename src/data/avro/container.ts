/**
 * The Avro object container file format, read block by block: the header (magic, metadata, sync
 * marker) and then blocks of `count, size, data, sync`. Every problem is a DataError naming the file
 * and the byte offset or block where it was found.
 */
import { DataError } from '../../util/errors.js';
import { ByteSource } from './byte-source.js';
import { decodeBlock, isSupportedCodec, supportedCodecs, type AvroCodecName } from './codecs.js';
import { avroLimits } from './limits.js';

const MAGIC = Buffer.from([0x4f, 0x62, 0x6a, 0x01]); // "Obj" 1
const SYNC_SIZE = 16;

export interface ContainerHeader {
  /** The writer's schema, as the JSON text stored under `avro.schema`. */
  schemaText: string;
  codec: AvroCodecName;
  /** Every metadata entry, `avro.*` included. */
  metadata: Map<string, Buffer>;
  sync: Buffer;
  /** Byte offset of the first block. */
  dataOffset: number;
}

export interface RawBlock {
  /** 0-based block number. */
  index: number;
  /** Byte offset of the block's start (its record count) in the file. */
  offset: number;
  count: number;
  /** The uncompressed bytes of the block's records. */
  data: Buffer;
}

/** A block as stored in the file: its bytes are still compressed by the file's codec. */
export interface StoredBlock {
  index: number;
  offset: number;
  count: number;
  stored: Buffer;
}

/** Decompresses a stored block (in any thread: it needs only the path, for messages, and the codec). */
export function inflateBlock(path: string, codec: AvroCodecName, block: StoredBlock): RawBlock {
  try {
    return { index: block.index, offset: block.offset, count: block.count, data: decodeBlock(codec, block.stored) };
  } catch (err) {
    throw new DataError(
      `${path}: block ${block.index} at byte ${block.offset}: cannot decompress the ${codec} block: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

export class ContainerReader {
  private blockIndex = 0;
  /** Bytes at the end of the file too short to be a block header, skipped (0 for a well-formed file). */
  ignoredTrailingBytes = 0;
  private constructor(
    readonly path: string,
    private readonly src: ByteSource,
    readonly header: ContainerHeader,
  ) {}

  static async open(path: string): Promise<ContainerReader> {
    let src: ByteSource;
    try {
      src = await ByteSource.open(path);
    } catch (err) {
      throw new DataError(`${path}: cannot open the Avro file: ${(err as Error).message}`, { cause: err });
    }
    try {
      const header = await readHeader(path, src);
      return new ContainerReader(path, src, header);
    } catch (err) {
      await src.close();
      throw err;
    }
  }

  /** The next block as stored (still compressed), or undefined at the end of the file. */
  async nextStoredBlock(): Promise<StoredBlock | undefined> {
    const src = this.src;
    if (!(await src.ensure(1))) return undefined;
    const index = this.blockIndex++;
    const offset = src.offset;
    const where = `${this.path}: block ${index} at byte ${offset}`;
    // Bytes after the last block that end before a whole block header (record count and size) are
    // ignored, as Apache Avro's Java reader does (e.g. a newline appended to the file); they are
    // reported in `ignoredTrailingBytes`.
    const trailing = src.remaining;
    const count = await readLongOrEof(src, this.path);
    const size = count === undefined ? undefined : await readLongOrEof(src, this.path);
    if (count === undefined || size === undefined) {
      this.ignoredTrailingBytes = trailing;
      return undefined;
    }
    if (count < 0 || size < 0) throw new DataError(`${where}: negative record count or size (${count}, ${size}): corrupt block header`);
    if (size > avroLimits.maxBlockBytes) {
      throw new DataError(
        `${where}: the block says ${size} bytes, over the limit of ${avroLimits.maxBlockBytes} bytes (64 MiB) for one block; refused before reading it`,
      );
    }
    if (count > avroLimits.maxValuesPerBlock) {
      throw new DataError(
        `${where}: the block says ${count} records, over the limit of ${avroLimits.maxValuesPerBlock} values for one block; refused before reading it`,
      );
    }
    if (size > src.remaining) {
      throw new DataError(`${where}: the block says ${size} bytes but only ${src.remaining} remain (truncated file)`);
    }
    await src.ensure(size);
    const stored = src.take(size);
    if (!(await src.ensure(SYNC_SIZE))) {
      throw new DataError(`${where}: the file ends inside the sync marker after the block, at byte ${src.offset} (truncated file)`);
    }
    const syncOffset = src.offset;
    const sync = src.take(SYNC_SIZE);
    if (!sync.equals(this.header.sync)) {
      throw new DataError(`${where}: bad sync marker at byte ${syncOffset} (the file is corrupt, or the block size is wrong)`);
    }
    return { index, offset, count, stored };
  }

  /** The next block, decompressed, or undefined at the end of the file. */
  async nextBlock(): Promise<RawBlock | undefined> {
    const block = await this.nextStoredBlock();
    return block && inflateBlock(this.path, this.header.codec, block);
  }

  async close(): Promise<void> {
    await this.src.close();
  }
}

async function readHeader(path: string, src: ByteSource): Promise<ContainerHeader> {
  if (!(await src.ensure(MAGIC.length)) || !src.take(MAGIC.length).equals(MAGIC)) {
    throw new DataError(`${path}: not an Avro container file: bad magic at byte 0 (expected "Obj" followed by byte 1)`);
  }
  const truncated = (what: string) => () => `${path}: the file ends inside the header's ${what} at byte ${src.offset} (truncated file)`;
  const metadata = new Map<string, Buffer>();
  for (;;) {
    let count = await readLong(src, truncated('metadata'), path);
    if (count === 0) break;
    if (count < 0) {
      count = -count;
      await readLong(src, truncated('metadata'), path);
    }
    // Each entry takes at least two bytes (the lengths of its key and value).
    if (count * 2 > src.remaining) {
      throw new DataError(
        `${path}: the header says ${count} metadata entries at byte ${src.offset}, more than its ${src.remaining} remaining bytes could hold (corrupt file)`,
      );
    }
    for (let i = 0; i < count; i++) {
      const key = (await readBytes(src, truncated('metadata'), path)).toString('utf8');
      metadata.set(key, await readBytes(src, truncated('metadata'), path));
    }
  }
  if (!(await src.ensure(SYNC_SIZE))) throw new DataError(truncated('sync marker')());
  const sync = Buffer.from(src.take(SYNC_SIZE));
  const schemaBytes = metadata.get('avro.schema');
  if (!schemaBytes) throw new DataError(`${path}: the header has no avro.schema entry: not a valid Avro container file`);
  const codec = metadata.get('avro.codec')?.toString('utf8') || 'null';
  if (!isSupportedCodec(codec)) {
    throw new DataError(
      `${path}: codec "${codec}" is not supported (supported: ${supportedCodecs.join(', ')}); re-encode the file with one of them`,
    );
  }
  return { schemaText: schemaBytes.toString('utf8'), codec, metadata, sync, dataOffset: src.offset };
}

/** A zig-zag varint long; block counts, sizes and lengths must fit a safe integer. */
async function readLong(src: ByteSource, truncatedMessage: () => string, path: string): Promise<number> {
  const start = src.offset;
  let n = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (!(await src.ensure(1))) throw new DataError(truncatedMessage());
    const b = src.take(1)[0] as number;
    n += (b & 0x7f) * mul;
    if (!(b & 0x80)) {
      if (!Number.isSafeInteger(n)) throw new DataError(`${path}: a length at byte ${start} is too large: corrupt file`);
      return n % 2 ? -(n + 1) / 2 : n / 2;
    }
    mul *= 128;
  }
  throw new DataError(`${path}: a varint at byte ${start} is longer than 10 bytes: corrupt file`);
}

async function readLongOrEof(src: ByteSource, path: string): Promise<number | undefined> {
  const eof = Symbol('eof');
  try {
    return await readLong(
      src,
      () => {
        throw eof;
      },
      path,
    );
  } catch (err) {
    if (err === eof) return undefined;
    throw err;
  }
}

async function readBytes(src: ByteSource, truncatedMessage: () => string, path: string): Promise<Buffer> {
  const len = await readLong(src, truncatedMessage, path);
  if (len < 0 || len > src.remaining) throw new DataError(truncatedMessage());
  await src.ensure(len);
  return src.take(len);
}
