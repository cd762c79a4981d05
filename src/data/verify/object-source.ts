/**
 * Reading a dataset's objects through the storage port, for verify: a dataset side (its store, URI and
 * objects), an Avro container object streamed block by block (its header by a small range first), and
 * read-ahead that overlaps the reads of the next objects with the work on the current one.
 *
 * Every error names the object's URI (`s3://b/in/part-3.avro: block 2 at byte 4711: …`).
 */
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { rowSchemaOf, type AvroReadOptions } from '../avro/reader.js';
import { blockDecoderFor, type BlockDecoder } from '../avro/reader.js';
import { inflateBlock, type StoredBlock } from '../avro/container.js';
import { isSupportedCodec, supportedCodecs, type AvroCodecName } from '../avro/codecs.js';
import { avroLimits } from '../avro/limits.js';
import type { AvroRecord, AvroSchema } from '../avro/types.js';
import type { ObjectStorage } from '../storage/port.js';
import { storageFor } from '../storage/uri.js';
import { DataError } from '../../util/errors.js';

/** One object of a side: its key in the side's store, full URI and size (from the listing). */
export interface ObjectRef {
  key: string;
  uri: string;
  size: number;
  /** The store's entity tag, when listed (keys the footer cache: a replaced object has another). */
  etag?: string;
}

/** The store of a side, made once per thread and dataset URI (one SDK client, its connections reused). */
const stores = new Map<string, Promise<ObjectStorage>>();
export function storeOf(datasetUri: string): Promise<ObjectStorage> {
  let store = stores.get(datasetUri);
  if (!store) {
    store = storageFor(datasetUri).then((l) => l.storage);
    stores.set(datasetUri, store);
    store.catch(() => stores.delete(datasetUri));
  }
  return store;
}

const MAGIC = Buffer.from([0x4f, 0x62, 0x6a, 0x01]);
const SYNC_SIZE = 16;

/** Sequential reads from a stream of known total size, tracking the byte offset. */
class StreamBytes {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private base = 0;
  private done = false;
  private readonly chunks: AsyncIterator<Buffer | Uint8Array>;

  constructor(
    stream: AsyncIterable<Buffer | Uint8Array>,
    readonly size: number,
  ) {
    this.chunks = stream[Symbol.asyncIterator]();
  }

  get offset(): number {
    return this.base + this.pos;
  }

  get remaining(): number {
    return this.size - this.offset;
  }

  async ensure(n: number): Promise<boolean> {
    if (this.buf.length - this.pos >= n) return true;
    const parts: Buffer[] = [this.buf.subarray(this.pos)];
    let have = parts[0]!.length;
    while (have < n && !this.done) {
      const next = await this.chunks.next();
      if (next.done) {
        this.done = true;
        break;
      }
      const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
      parts.push(chunk);
      have += chunk.length;
    }
    this.base += this.pos;
    this.buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts, have);
    this.pos = 0;
    return have >= n;
  }

  take(n: number): Buffer {
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  async close(): Promise<void> {
    await this.chunks.return?.();
  }
}

async function readLong(src: StreamBytes, uri: string, onEnd: () => never): Promise<number> {
  const start = src.offset;
  let n = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (!(await src.ensure(1))) onEnd();
    const b = src.take(1)[0]!;
    n += (b & 0x7f) * mul;
    if (!(b & 0x80)) {
      if (!Number.isSafeInteger(n)) throw new DataError(`${uri}: a length at byte ${start} is too large: corrupt file`);
      return n % 2 ? -(n + 1) / 2 : n / 2;
    }
    mul *= 128;
  }
  throw new DataError(`${uri}: a varint at byte ${start} is longer than 10 bytes: corrupt file`);
}

export interface AvroHeader {
  writerSchema: AvroSchema;
  codec: AvroCodecName;
  sync: Buffer;
  /** Byte offset of the first block. */
  dataOffset: number;
}

class HeaderCut extends Error {}

async function parseHeader(src: StreamBytes, uri: string, complete: boolean): Promise<AvroHeader> {
  const truncated = (what: string) => (): never => {
    if (!complete) throw new HeaderCut();
    throw new DataError(`${uri}: the file ends inside the header's ${what} at byte ${src.offset} (truncated file)`);
  };
  if (!(await src.ensure(MAGIC.length))) truncated('magic')();
  if (!src.take(MAGIC.length).equals(MAGIC)) {
    throw new DataError(`${uri}: not an Avro container file: bad magic at byte 0 (expected "Obj" followed by byte 1)`);
  }
  const metadata = new Map<string, Buffer>();
  const bytes = async (): Promise<Buffer> => {
    const len = await readLong(src, uri, truncated('metadata'));
    if (len < 0 || len > src.remaining) truncated('metadata')();
    if (!(await src.ensure(len))) truncated('metadata')();
    return src.take(len);
  };
  for (;;) {
    let count = await readLong(src, uri, truncated('metadata'));
    if (count === 0) break;
    if (count < 0) {
      count = -count;
      await readLong(src, uri, truncated('metadata'));
    }
    if (count * 2 > src.remaining) {
      throw new DataError(
        `${uri}: the header says ${count} metadata entries at byte ${src.offset}, more than its ${src.remaining} remaining bytes could hold (corrupt file)`,
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
  if (!schemaBytes) throw new DataError(`${uri}: the header has no avro.schema entry: not a valid Avro container file`);
  const codec = metadata.get('avro.codec')?.toString('utf8') || 'null';
  if (!isSupportedCodec(codec)) {
    throw new DataError(
      `${uri}: codec "${codec}" is not supported (supported: ${supportedCodecs.join(', ')}); re-encode the file with one of them`,
    );
  }
  let writerSchema: AvroSchema;
  try {
    writerSchema = JSON.parse(schemaBytes.toString('utf8')) as AvroSchema;
  } catch (err) {
    throw new DataError(`${uri}: the header's avro.schema is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  return { writerSchema, codec, sync, dataOffset: src.offset };
}

/** The header of an Avro object, read by ranges (64 KiB, then larger) rather than the whole object. */
export async function readAvroHeader(storage: ObjectStorage, object: ObjectRef): Promise<AvroHeader> {
  for (let length = 64 * 1024; ; length *= 8) {
    const complete = length >= object.size;
    const src = new StreamBytes(await storage.read(object.key, complete ? undefined : { offset: 0, length }), object.size);
    try {
      return await parseHeader(src, object.uri, complete);
    } catch (err) {
      if (!(err instanceof HeaderCut)) throw err;
    } finally {
      await src.close();
    }
  }
}

/** The row schema an object's rows follow when read with `options` (the reader schema's, or the writer's). */
export function rowSchemaFor(header: AvroHeader, options: AvroReadOptions): AvroSchema {
  return rowSchemaOf(options.readerSchema ?? header.writerSchema) as AvroSchema;
}

/**
 * The rows of an Avro object, block by block, from `stream` (the whole object). Limits and checks are
 * those of the local reader (src/data/avro/container.ts), each error naming the object's URI.
 */
export async function* avroObjectBatches(
  stream: Readable,
  object: ObjectRef,
  options: AvroReadOptions,
  onHeader?: (header: AvroHeader) => void,
): AsyncGenerator<AvroRecord[]> {
  const src = new StreamBytes(stream, object.size);
  try {
    const header = await parseHeader(src, object.uri, true);
    onHeader?.(header);
    const decoder: BlockDecoder = blockDecoderFor(object.uri, header.writerSchema, options.readerSchema);
    for (let index = 0; ; index++) {
      if (!(await src.ensure(1))) return;
      const offset = src.offset;
      const where = `${object.uri}: block ${index} at byte ${offset}`;
      const eof = Symbol('eof');
      const endOrNumber = async (): Promise<number | undefined> => {
        try {
          return await readLong(src, object.uri, () => {
            throw eof;
          });
        } catch (err) {
          if (err === eof) return undefined;
          throw err;
        }
      };
      const count = await endOrNumber();
      const size = count === undefined ? undefined : await endOrNumber();
      if (count === undefined || size === undefined) return; // trailing bytes shorter than a block header
      if (count < 0 || size < 0) throw new DataError(`${where}: negative record count or size (${count}, ${size}): corrupt block header`);
      if (size > avroLimits.maxBlockBytes)
        throw new DataError(
          `${where}: the block says ${size} bytes, over the limit of ${avroLimits.maxBlockBytes} bytes (64 MiB) for one block; refused before reading it`,
        );
      if (count > avroLimits.maxValuesPerBlock)
        throw new DataError(
          `${where}: the block says ${count} records, over the limit of ${avroLimits.maxValuesPerBlock} values for one block; refused before reading it`,
        );
      if (size > src.remaining || !(await src.ensure(size)))
        throw new DataError(`${where}: the block says ${size} bytes but only ${src.remaining} remain (truncated file)`);
      const stored = src.take(size);
      if (!(await src.ensure(SYNC_SIZE)))
        throw new DataError(`${where}: the file ends inside the sync marker after the block, at byte ${src.offset} (truncated file)`);
      const syncOffset = src.offset;
      if (!src.take(SYNC_SIZE).equals(header.sync))
        throw new DataError(`${where}: bad sync marker at byte ${syncOffset} (the file is corrupt, or the block size is wrong)`);
      const block: StoredBlock = { index, offset, count, stored };
      yield decoder.decode(inflateBlock(object.uri, header.codec, block));
    }
  } finally {
    await src.close();
  }
}

/** Bytes read ahead per object while an earlier one is being decoded. */
const READ_AHEAD_BYTES = 8 * 1024 * 1024;
/** Objects being read at once (the current one and those after it). */
export const READ_CONCURRENCY = 4;

/**
 * The objects' streams in order, each opened up to `concurrency - 1` objects ahead of the one being
 * consumed and buffered up to READ_AHEAD_BYTES, so that a slow store's latency overlaps the work.
 * Memory: at most `concurrency` × READ_AHEAD_BYTES (twice that in a PassThrough's two buffers).
 */
export async function* readAhead(
  storage: ObjectStorage,
  objects: readonly ObjectRef[],
  concurrency = READ_CONCURRENCY,
): AsyncGenerator<{ object: ObjectRef; stream: Readable }> {
  const opened: Promise<Readable>[] = [];
  const open = (i: number): void => {
    if (i >= objects.length || opened[i]) return;
    const object = objects[i]!;
    const p = (async () => {
      const source = await storage.read(object.key);
      const buffer = new PassThrough({ highWaterMark: READ_AHEAD_BYTES });
      pipeline(source, buffer).catch(() => undefined); // the error reaches the reader through `buffer`
      return buffer;
    })();
    p.catch(() => undefined); // surfaced when this object's turn comes
    opened[i] = p;
  };
  try {
    for (let i = 0; i < objects.length; i++) {
      for (let j = i; j < i + concurrency; j++) open(j);
      const stream = await opened[i]!;
      yield { object: objects[i]!, stream };
      stream.destroy();
    }
  } finally {
    for (const p of opened)
      if (p)
        void p.then(
          (s) => s.destroy(),
          () => undefined,
        );
  }
}

/** Runs `work` over `items` with at most `limit` at once; results in the items' order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!, i);
    }
  });
  await Promise.all(lanes);
  return out;
}
