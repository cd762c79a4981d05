/**
 * Reading an Avro container file that is an object in a store (src/data/storage), as one stream: the
 * header, then the blocks one at a time, with the container reader of ../avro/container.ts over a
 * stream source (../avro/stream-source.ts), so every check and message is the local reader's, each
 * naming the object's URI (`s3://b/in/part-3.avro: block 2 at byte …`). Memory: about one stream chunk
 * plus the largest block.
 */
import type { Readable } from 'node:stream';
import { DataError, FleetwaveError } from '../../util/errors.js';
import {
  BlockFramer,
  inflateBlock,
  parseWriterSchema,
  readContainerHeader,
  type ContainerHeader,
  type StoredBlock,
} from '../avro/container.js';
import type { AvroCodecName } from '../avro/codecs.js';
import { blockDecoderFor, type BlockDecoder } from '../avro/reader.js';
import { StreamByteSource } from '../avro/stream-source.js';
import type { AvroReadOptions } from '../avro/reader.js';
import type { AvroRecord, AvroSchema } from '../avro/types.js';
import type { ObjectInfo, ObjectStorage } from '../storage/port.js';

/** An Avro object read as a stream: header at open, then blocks. */
export class AvroObjectReader {
  private readonly framer: BlockFramer;
  private decoder: BlockDecoder | undefined;

  private constructor(
    /** The object's URI: every message names it. */
    readonly path: string,
    private readonly src: StreamByteSource,
    readonly header: ContainerHeader,
    readonly writerSchema: AvroSchema,
    private readonly options: AvroReadOptions,
  ) {
    this.framer = new BlockFramer(path, src, header.sync);
  }

  /** Opens `info` (as listed) for reading; `body` is an already started read of it (a prefetch), if any. */
  static async open(
    storage: ObjectStorage,
    info: ObjectInfo,
    options: AvroReadOptions & { body?: Promise<Readable> } = {},
  ): Promise<AvroObjectReader> {
    const src = new StreamByteSource(await (options.body ?? storage.read(info.key)), info.size, info.uri);
    try {
      const header = await readContainerHeader(info.uri, src);
      const writerSchema = parseWriterSchema(info.uri, header);
      const { body: _body, ...readOptions } = options;
      const reader = new AvroObjectReader(info.uri, src, header, writerSchema, readOptions);
      reader.decoder = reader.makeDecoder();
      return reader;
    } catch (err) {
      await src.close();
      throw err;
    }
  }

  private makeDecoder(): BlockDecoder {
    try {
      return blockDecoderFor(this.path, this.writerSchema, this.options.readerSchema);
    } catch (err) {
      if (err instanceof FleetwaveError) throw err;
      throw new DataError(`${this.path}: the header's avro.schema is not a valid Avro schema: ${(err as Error).message}`, { cause: err });
    }
  }

  get codec(): AvroCodecName {
    return this.header.codec;
  }

  /** Bytes after the last block too short to be a block header, ignored (as the local reader does). */
  get ignoredTrailingBytes(): number {
    return this.framer.ignoredTrailingBytes;
  }

  /** Blocks as stored (still compressed), for a worker thread. */
  async *storedBlocks(): AsyncGenerator<StoredBlock> {
    for (;;) {
      const block = await this.framer.next();
      if (!block) return;
      yield block;
    }
  }

  /** Rows block by block. */
  async *batches(): AsyncGenerator<AvroRecord[]> {
    for await (const block of this.storedBlocks()) {
      yield this.decoder!.decode(await inflateBlock(this.path, this.header.codec, block));
    }
  }

  close(): void {
    this.src.close().catch(() => undefined);
  }
}
