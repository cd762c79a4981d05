/**
 * Reading an Avro container file that is an object in a store (src/data/storage), as one stream: the
 * header, then the blocks one at a time, with the same checks and the same messages as the local
 * reader (../avro/container.ts), each naming the object's URI (`s3://b/in/part-3.avro: block 2 at
 * byte …`). Memory: about one stream chunk plus the largest block. The container's parsing is repeated
 * here over a stream source because ../avro/container.ts reads only a local file handle; when it takes
 * a byte source, this copy can go.
 */
import type { Readable } from 'node:stream';
import { DataError, FleetwaveError } from '../../util/errors.js';
import { inflateBlock, type ContainerHeader, type RawBlock, type StoredBlock } from '../avro/container.js';
import { isSupportedCodec, supportedCodecs, type AvroCodecName } from '../avro/codecs.js';
import { avroLimits } from '../avro/limits.js';
import { blockDecoderFor, type BlockDecoder } from '../avro/reader.js';
import type { AvroRecord, AvroSchema } from '../avro/types.js';
import type { ObjectInfo, ObjectStorage } from '../storage/port.js';

const MAGIC = Buffer.from([0x4f, 0x62, 0x6a, 0x01]);
const SYNC_SIZE = 16;

/** Sequential reads from a stream of known length, tracking the absolute byte offset. */
export class StreamByteSource {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private base = 0;
  private eof = false;
  private readonly it: AsyncIterator<unknown>;

  constructor(
    private readonly stream: Readable,
    readonly size: number,
    private readonly uri: string,
  ) {
    this.it = stream[Symbol.asyncIterator]();
  }

  get offset(): number {
    return this.base + this.pos;
  }

  get remaining(): number {
    return this.size - this.offset;
  }

  /** Makes `n` bytes available from the current position; false if the stream ends first. */
  async ensure(n: number): Promise<boolean> {
    const have0 = this.buf.length - this.pos;
    if (have0 >= n) return true;
    if (this.eof) return false;
    const parts: Buffer[] = [this.buf.subarray(this.pos)];
    let have = have0;
    while (have < n) {
      let next: IteratorResult<unknown>;
      try {
        next = await this.it.next();
      } catch (err) {
        if (err instanceof FleetwaveError) throw err;
        throw new DataError(`${this.uri}: reading failed at byte ${this.base + this.buf.length}: ${(err as Error).message}`, {
          cause: err,
        });
      }
      if (next.done) {
        this.eof = true;
        break;
      }
      const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value as Uint8Array);
      parts.push(chunk);
      have += chunk.length;
    }
    this.base += this.pos;
    this.buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts, have);
    this.pos = 0;
    return have >= n;
  }

  /** The next `n` bytes (call `ensure(n)` first). The view stays valid after later reads. */
  take(n: number): Buffer {
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  close(): void {
    this.stream.destroy();
  }
}

/** An Avro object read as a stream: header at open, then blocks. */
export class AvroObjectReader {
  private blockIndex = 0;
  /** Bytes after the last block too short to be a block header, ignored (as the local reader does). */
  ignoredTrailingBytes = 0;
  private decoder: BlockDecoder | undefined;

  private constructor(
    /** The object's URI: every message names it. */
    readonly path: string,
    private readonly src: StreamByteSource,
    readonly header: ContainerHeader,
    readonly writerSchema: AvroSchema,
    private readonly readerSchema: AvroSchema | undefined,
  ) {}

  /** Opens `info` (as listed) for reading; `body` is an already started read of it (a prefetch), if any. */
  static async open(
    storage: ObjectStorage,
    info: ObjectInfo,
    options: { readerSchema?: AvroSchema; body?: Promise<Readable> } = {},
  ): Promise<AvroObjectReader> {
    const src = new StreamByteSource(await (options.body ?? storage.read(info.key)), info.size, info.uri);
    try {
      const header = await readHeader(info.uri, src);
      let writerSchema: AvroSchema;
      try {
        writerSchema = JSON.parse(header.schemaText) as AvroSchema;
      } catch (err) {
        throw new DataError(`${info.uri}: the header's avro.schema is not valid JSON: ${(err as Error).message}`, { cause: err });
      }
      const reader = new AvroObjectReader(info.uri, src, header, writerSchema, options.readerSchema);
      reader.decoder = reader.makeDecoder();
      return reader;
    } catch (err) {
      src.close();
      throw err;
    }
  }

  private makeDecoder(): BlockDecoder {
    try {
      return blockDecoderFor(this.path, this.writerSchema, this.readerSchema);
    } catch (err) {
      if (err instanceof FleetwaveError) throw err;
      throw new DataError(`${this.path}: the header's avro.schema is not a valid Avro schema: ${(err as Error).message}`, { cause: err });
    }
  }

  get codec(): AvroCodecName {
    return this.header.codec;
  }

  /** Blocks as stored (still compressed), for a worker thread. */
  async *storedBlocks(): AsyncGenerator<StoredBlock> {
    for (;;) {
      const block = await this.nextStoredBlock();
      if (!block) return;
      yield block;
    }
  }

  /** Rows block by block. */
  async *batches(): AsyncGenerator<AvroRecord[]> {
    for await (const block of this.storedBlocks()) {
      const raw: RawBlock = inflateBlock(this.path, this.header.codec, block);
      yield this.decoder!.decode(raw);
    }
  }

  close(): void {
    this.src.close();
  }

  private async nextStoredBlock(): Promise<StoredBlock | undefined> {
    const src = this.src;
    if (!(await src.ensure(1))) return undefined;
    const index = this.blockIndex++;
    const offset = src.offset;
    const where = `${this.path}: block ${index} at byte ${offset}`;
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
    if (!sync.equals(this.header.sync)) {
      throw new DataError(`${where}: bad sync marker at byte ${syncOffset} (the file is corrupt, or the block size is wrong)`);
    }
    return { index, offset, count, stored };
  }
}

async function readHeader(path: string, src: StreamByteSource): Promise<ContainerHeader> {
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
    if (count * 2 > src.remaining) {
      throw new DataError(
        `${path}: the header says ${count} metadata entries at byte ${src.offset}, more than its ${src.remaining} remaining bytes could hold (corrupt file)`,
      );
    }
    for (let i = 0; i < count; i++) {
      const key = (await readBytes(src, truncated('metadata'), path)).toString('utf8');
      metadata.set(key, Buffer.from(await readBytes(src, truncated('metadata'), path)));
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

async function readLong(src: StreamByteSource, truncatedMessage: () => string, path: string): Promise<number> {
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

async function readLongOrEof(src: StreamByteSource, path: string): Promise<number | undefined> {
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

async function readBytes(src: StreamByteSource, truncatedMessage: () => string, path: string): Promise<Buffer> {
  const len = await readLong(src, truncatedMessage, path);
  if (len < 0 || len > src.remaining) throw new DataError(truncatedMessage());
  await src.ensure(len);
  return src.take(len);
}
