/**
 * The Avro object container file format, read block by block: the header (magic, metadata, sync
 * marker) and then blocks of `count, size, data, sync`. Every problem is a DataError naming the file
 * (or object URI) and the byte offset or block where it was found.
 *
 * One implementation serves every reader: the local file reader (ContainerReader, over ./byte-source.ts),
 * the object-store reader of convert (../publish/avro-object.ts) and verify's object reader
 * (../verify/object-source.ts), both over ./stream-source.ts. They differ only in their ByteSource.
 */
import { DataError } from '../../util/errors.js';
import { ByteSource } from './byte-source.js';
import { decodeBlock, isSupportedCodec, supportedCodecs, type AvroCodecName } from './codecs.js';
import { avroLimits } from './limits.js';
import type { AvroSchema } from './types.js';

const MAGIC = Buffer.from([0x4f, 0x62, 0x6a, 0x01]); // "Obj" 1
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const SYNC_SIZE = 16;

/** Sequential bytes with their absolute offset: a local file or a stream of known length. */
export interface SequentialBytes {
  /** Absolute offset of the next byte to be read. */
  readonly offset: number;
  /** Bytes not yet read (per the size known at open). */
  readonly remaining: number;
  /** Makes `n` bytes available from the current position; false if the source ends first. */
  ensure(n: number): Promise<boolean>;
  /** The next `n` bytes (call `ensure(n)` first). The view stays valid after later reads. */
  take(n: number): Buffer;
}

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

/**
 * Decompresses a stored block (in any thread: it needs only the path, for messages, and the codec).
 * Asynchronous because the xz decoder is; the other codecs decode at once.
 */
export async function inflateBlock(path: string, codec: AvroCodecName, block: StoredBlock): Promise<RawBlock> {
  try {
    return { index: block.index, offset: block.offset, count: block.count, data: await decodeBlock(codec, block.stored) };
  } catch (err) {
    throw new DataError(
      `${path}: block ${block.index} at byte ${block.offset}: cannot decompress the ${codec} block: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/** Thrown by readContainerHeader on a source that holds only the start of the file (`partial`) when the header runs past it. */
export class HeaderCut extends Error {}

/**
 * Reads the header. With `partial` (the source is a range from the start of a larger object), a header
 * that runs past the bytes present throws HeaderCut, for the caller to read a longer range.
 */
export async function readContainerHeader(path: string, src: SequentialBytes, partial = false): Promise<ContainerHeader> {
  const truncated = (what: string) => (): never => {
    if (partial) throw new HeaderCut();
    throw new DataError(`${path}: the file ends inside the header's ${what} at byte ${src.offset} (truncated file)`);
  };
  if (!(await src.ensure(MAGIC.length))) truncated('magic')();
  if (!src.take(MAGIC.length).equals(MAGIC)) {
    throw new DataError(`${path}: not an Avro container file: bad magic at byte 0 (expected "Obj" followed by byte 1)`);
  }
  const metadata = new Map<string, Buffer>();
  const bytes = async (): Promise<Buffer> => {
    const len = await readLong(src, path, truncated('metadata'));
    if (len < 0 || len > src.remaining) truncated('metadata')();
    if (!(await src.ensure(len))) truncated('metadata')();
    return src.take(len);
  };
  for (;;) {
    let count = await readLong(src, path, truncated('metadata'));
    if (count === 0) break;
    if (count < 0) {
      count = -count;
      await readLong(src, path, truncated('metadata'));
    }
    // Each entry takes at least two bytes (the lengths of its key and value).
    if (count * 2 > src.remaining) {
      throw new DataError(
        `${path}: the header says ${count} metadata entries at byte ${src.offset}, more than its ${src.remaining} remaining bytes could hold (corrupt file)`,
      );
    }
    for (let i = 0; i < count; i++) {
      const key = (await bytes()).toString('utf8');
      metadata.set(key, Buffer.from(await bytes()));
    }
  }
  if (!(await src.ensure(SYNC_SIZE))) truncated('sync marker')();
  const sync = Buffer.from(src.take(SYNC_SIZE));
  const schemaBytes = metadata.get('avro.schema');
  if (!schemaBytes) throw new DataError(`${path}: the header has no avro.schema entry: not a valid Avro container file`);
  const codec = metadata.get('avro.codec')?.toString('utf8') || 'null';
  if (!isSupportedCodec(codec)) {
    throw new DataError(
      `${path}: codec "${codec}" is not supported (supported: ${supportedCodecs.join(', ')}); re-encode the file with one of them`,
    );
  }
  let schemaText: string;
  try {
    schemaText = strictUtf8.decode(schemaBytes);
  } catch {
    throw new DataError(
      `${path}: the header's avro.schema is not valid UTF-8 (the specification's schemas are JSON text in UTF-8): a corrupt file`,
    );
  }
  return { schemaText, codec, metadata, sync, dataOffset: src.offset };
}

/** The blocks after a header, as stored (still compressed), one at a time, each checked against the limits and the sync marker. */
export class BlockFramer {
  private blockIndex = 0;
  /** Bytes at the end of the file too short to be a block header, skipped (0 for a well-formed file). */
  ignoredTrailingBytes = 0;

  constructor(
    private readonly path: string,
    private readonly src: SequentialBytes,
    private readonly sync: Buffer,
  ) {}

  /** The next block as stored (still compressed), or undefined at the end of the file. */
  async next(): Promise<StoredBlock | undefined> {
    const src = this.src;
    if (!(await src.ensure(1))) return undefined;
    const index = this.blockIndex++;
    const offset = src.offset;
    const where = `${this.path}: block ${index} at byte ${offset}`;
    // Bytes after the last block that end before a whole block header (record count and size) are
    // ignored, as Apache Avro's Java reader does (e.g. a newline appended to the file); they are
    // reported in `ignoredTrailingBytes`.
    const trailing = src.remaining;
    const count = await readLongOrEnd(src, this.path);
    const size = count === undefined ? undefined : await readLongOrEnd(src, this.path);
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
    if (!(await src.ensure(size))) {
      throw new DataError(
        `${where}: the object ends inside the block at byte ${src.offset + src.remaining} (truncated or changed while read)`,
      );
    }
    const stored = src.take(size);
    if (!(await src.ensure(SYNC_SIZE))) {
      throw new DataError(`${where}: the file ends inside the sync marker after the block, at byte ${src.offset} (truncated file)`);
    }
    const syncOffset = src.offset;
    const sync = src.take(SYNC_SIZE);
    if (!sync.equals(this.sync)) {
      throw new DataError(`${where}: bad sync marker at byte ${syncOffset} (the file is corrupt, or the block size is wrong)`);
    }
    return { index, offset, count, stored };
  }
}

/** A local Avro container file: its header at open, then its blocks. */
export class ContainerReader {
  private readonly framer: BlockFramer;
  private constructor(
    readonly path: string,
    private readonly src: ByteSource,
    readonly header: ContainerHeader,
  ) {
    this.framer = new BlockFramer(path, src, header.sync);
  }

  static async open(path: string): Promise<ContainerReader> {
    let src: ByteSource;
    try {
      src = await ByteSource.open(path);
    } catch (err) {
      throw new DataError(`${path}: cannot open the Avro file: ${(err as Error).message}`, { cause: err });
    }
    try {
      const header = await readContainerHeader(path, src);
      return new ContainerReader(path, src, header);
    } catch (err) {
      await src.close();
      throw err;
    }
  }

  /** Bytes at the end of the file too short to be a block header, skipped (0 for a well-formed file). */
  get ignoredTrailingBytes(): number {
    return this.framer.ignoredTrailingBytes;
  }

  /** The next block as stored (still compressed), or undefined at the end of the file. */
  nextStoredBlock(): Promise<StoredBlock | undefined> {
    return this.framer.next();
  }

  /** The next block, decompressed, or undefined at the end of the file. */
  async nextBlock(): Promise<RawBlock | undefined> {
    const block = await this.framer.next();
    return block && inflateBlock(this.path, this.header.codec, block);
  }

  async close(): Promise<void> {
    await this.src.close();
  }
}

/** The writer schema a header holds, parsed; a DataError naming `path` when it is not JSON. */
export function parseWriterSchema(path: string, header: ContainerHeader): AvroSchema {
  try {
    return JSON.parse(header.schemaText) as AvroSchema;
  } catch (err) {
    throw new DataError(`${path}: the header's avro.schema is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

/** A zig-zag varint long; block counts, sizes and lengths must fit a safe integer. `onEnd` is called when the source ends inside it. */
async function readLong(src: SequentialBytes, path: string, onEnd: () => never): Promise<number> {
  const start = src.offset;
  let n = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (!(await src.ensure(1))) onEnd();
    const b = src.take(1)[0]!;
    n += (b & 0x7f) * mul;
    if (!(b & 0x80)) {
      if (!Number.isSafeInteger(n)) throw new DataError(`${path}: a length at byte ${start} is too large: corrupt file`);
      return n % 2 ? -(n + 1) / 2 : n / 2;
    }
    mul *= 128;
  }
  throw new DataError(`${path}: a varint at byte ${start} is longer than 10 bytes: corrupt file`);
}

const END = Symbol('end');

async function readLongOrEnd(src: SequentialBytes, path: string): Promise<number | undefined> {
  try {
    return await readLong(src, path, () => {
      throw END;
    });
  } catch (err) {
    if (err === END) return undefined;
    throw err;
  }
}
