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
import { BlockFramer, HeaderCut, inflateBlock, parseWriterSchema, readContainerHeader } from '../avro/container.js';
import type { AvroCodecName } from '../avro/codecs.js';
import { StreamByteSource } from '../avro/stream-source.js';
import type { AvroRecord, AvroSchema } from '../avro/types.js';
import type { ObjectStorage } from '../storage/port.js';
import { storageFor } from '../storage/uri.js';

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

export interface AvroHeader {
  writerSchema: AvroSchema;
  codec: AvroCodecName;
  sync: Buffer;
  /** Byte offset of the first block. */
  dataOffset: number;
}

async function parseHeader(src: StreamByteSource, uri: string, complete: boolean): Promise<AvroHeader> {
  const header = await readContainerHeader(uri, src, !complete);
  return { writerSchema: parseWriterSchema(uri, header), codec: header.codec, sync: header.sync, dataOffset: header.dataOffset };
}

/** The header of an Avro object, read by ranges (64 KiB, then larger) rather than the whole object. */
export async function readAvroHeader(storage: ObjectStorage, object: ObjectRef): Promise<AvroHeader> {
  for (let length = 64 * 1024; ; length *= 8) {
    const complete = length >= object.size;
    const src = new StreamByteSource(await storage.read(object.key, complete ? undefined : { offset: 0, length }), object.size, object.uri);
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
  const src = new StreamByteSource(stream, object.size, object.uri);
  try {
    const header = await parseHeader(src, object.uri, true);
    onHeader?.(header);
    const decoder: BlockDecoder = blockDecoderFor(object.uri, header.writerSchema, options.readerSchema);
    const framer = new BlockFramer(object.uri, src, header.sync);
    for (let block = await framer.next(); block; block = await framer.next()) {
      yield decoder.decode(await inflateBlock(object.uri, header.codec, block));
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
