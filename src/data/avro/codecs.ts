/**
 * Block codecs of Avro container files (the specification's "Required Codecs" null and deflate, and
 * its optional bzip2, snappy, xz and zstandard). Each takes one block's stored bytes and returns its
 * uncompressed bytes, or throws an Error whose message says what is wrong (the container reader adds
 * the file, block and offset). Every checksum a codec carries is checked: snappy's CRC32 trailer,
 * zstandard's content checksum (XXH64, when the frame's flag says it is present: RFC 8878 §3.1.1),
 * bzip2's block and stream CRCs (seek-bzip), xz's check (xz-decompress). No block decompresses to more
 * than `avroLimits.maxBlockBytes`: deflate stops there (`maxOutputLength`), bzip2 and xz stop their
 * output there, snappy and zstandard are refused from their headers before anything is allocated.
 * The libraries and their measurements: docs/decisions/0008-avro-codecs.md.
 */
import { crc32, inflateRawSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { createXXHash64 } from 'hash-wasm';
import { snappyUncompress } from 'hyparquet';
import Bunzip from 'seek-bzip';
import xzDecompress from 'xz-decompress';
import { avroLimits } from './limits.js';
import { zstdFrames } from './zstd-bound.js';

const LIMIT = avroLimits.maxBlockBytes;
const overLimit = (what: string) => `${what}, over the limit of ${LIMIT} bytes (64 MiB) for one decompressed block (a decompression bomb?)`;

export type AvroCodecName = 'null' | 'deflate' | 'snappy' | 'zstandard' | 'bzip2' | 'xz';
export const supportedCodecs: readonly AvroCodecName[] = ['null', 'deflate', 'snappy', 'zstandard', 'bzip2', 'xz'];

type Decoder = (data: Buffer) => Buffer | Promise<Buffer>;

/** XXH64 with seed 0 (hash-wasm's WebAssembly build; its instance is reused, one per thread). */
const xxh64 = await createXXHash64();

function snappyLength(data: Uint8Array): number {
  let n = 0;
  let mul = 1;
  for (let i = 0; i < 5 && i < data.length; i++) {
    const b = data[i] as number;
    n += (b & 0x7f) * mul;
    if (!(b & 0x80)) return n;
    mul *= 128;
  }
  throw new Error('snappy block has no valid length header');
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/** The low 32 bits of XXH64(content), as zstandard stores them (RFC 8878 §3.1.1, Content_Checksum). */
function contentChecksum(content: Uint8Array): number {
  xxh64.init();
  xxh64.update(content);
  return parseInt(xxh64.digest('hex').slice(8), 16) >>> 0;
}

function zstandard(data: Buffer): Buffer {
  const frames = zstdFrames(data, LIMIT);
  const outputs: Uint8Array[] = [];
  for (const [i, frame] of frames.entries()) {
    const out = zstdDecompress(data.subarray(frame.start, frame.end));
    if (frame.checksum !== undefined) {
      const actual = contentChecksum(out);
      if (actual !== frame.checksum) {
        throw new Error(
          `zstandard content checksum mismatch in frame ${i + 1} of ${frames.length} (bytes ${frame.start}-${frame.end} of the block): stored ${hex8(frame.checksum)}, computed ${hex8(actual)} (XXH64 of the decompressed content)`,
        );
      }
    }
    outputs.push(out);
  }
  const out = outputs.length === 1 ? outputs[0]! : Buffer.concat(outputs);
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

/** seek-bzip's output stream: grows by doubling, refuses to pass the limit. */
class BoundedOutput {
  private buffer = Buffer.allocUnsafe(1 << 16);
  private pos = 0;
  writeByte(byte: number): void {
    if (this.pos >= this.buffer.length) {
      if (this.buffer.length >= LIMIT) throw new Error(overLimit('the bzip2 block decompresses to more'));
      const next = Buffer.allocUnsafe(Math.min(LIMIT, this.buffer.length * 2));
      this.buffer.copy(next, 0, 0, this.pos);
      this.buffer = next;
    }
    this.buffer[this.pos++] = byte;
  }
  getBuffer(): Buffer {
    return this.buffer.subarray(0, this.pos);
  }
}

/** seek-bzip's input stream: a byte past the end is an error (a truncated block), not undefined. */
class BlockInput {
  private pos = 0;
  constructor(private readonly data: Buffer) {}
  readByte(): number {
    if (this.pos >= this.data.length) throw new Error('the bzip2 data ends before its end-of-stream marker (truncated block)');
    return this.data[this.pos++]!;
  }
  read(buffer: Uint8Array, offset: number, length: number): number {
    const n = Math.min(length, this.data.length - this.pos);
    if (n <= 0) return -1;
    buffer.set(this.data.subarray(this.pos, this.pos + n), offset);
    this.pos += n;
    return n;
  }
  seek(pos: number): void {
    this.pos = pos;
  }
  eof(): boolean {
    return this.pos >= this.data.length;
  }
}

function bzip2(data: Buffer): Buffer {
  try {
    return Bunzip.decode(new BlockInput(data), new BoundedOutput(), true) as Buffer;
  } catch (err) {
    // seek-bzip throws a TypeError with the bzip2 error's name ("Data error: Bad block CRC ...").
    throw new Error(`bzip2: ${(err as Error).message}`, { cause: err });
  }
}

async function xz(data: Buffer): Promise<Buffer> {
  const input = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      c.close();
    },
  });
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = new xzDecompress.XzReadableStream(input).getReader();
  try {
    for (;;) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (err) {
        // xz-embedded's return codes (xz.h): 5 XZ_FORMAT_ERROR, 6 XZ_OPTIONS_ERROR, 7 XZ_DATA_ERROR (corrupt data or check mismatch), 8 XZ_BUF_ERROR (truncated).
        const message = err instanceof Error ? err.message : String(err);
        const code = /error code (\d+)/.exec(message)?.[1];
        const meaning = {
          '5': 'not xz data',
          '6': 'unsupported xz options',
          '7': 'corrupt data or a check (CRC) mismatch',
          '8': 'truncated xz data',
        }[code ?? ''];
        throw new Error(`xz: ${message}${meaning ? ` (${meaning})` : ''}`, { cause: err });
      }
      if (next.done) break;
      total += next.value.length;
      if (total > LIMIT) throw new Error(overLimit('the xz block decompresses to more'));
      chunks.push(next.value);
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks, total);
}

const decoders: Record<AvroCodecName, Decoder> = {
  null: (data) => data,
  deflate: (data) => {
    try {
      return inflateRawSync(data, { maxOutputLength: LIMIT });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
        throw new Error(overLimit('the deflate block decompresses to more'));
      throw err;
    }
  },
  snappy: (data) => {
    if (data.length < 4) throw new Error('snappy block is shorter than its 4-byte CRC32');
    const body = data.subarray(0, data.length - 4);
    const length = snappyLength(body);
    if (length > LIMIT) throw new Error(overLimit(`the snappy block says it decompresses to ${length} bytes`));
    const out = Buffer.allocUnsafe(length);
    snappyUncompress(body, out);
    const expected = data.readUInt32BE(data.length - 4);
    const actual = crc32(out) >>> 0;
    if (actual !== expected) throw new Error(`snappy CRC32 mismatch: stored ${hex8(expected)}, computed ${hex8(actual)}`);
    return out;
  },
  zstandard,
  bzip2,
  xz,
};

export function isSupportedCodec(name: string): name is AvroCodecName {
  return (supportedCodecs as readonly string[]).includes(name);
}

/** A block's uncompressed bytes; a Promise only for xz (its decoder is asynchronous). */
export function decodeBlock(codec: AvroCodecName, data: Buffer): Buffer | Promise<Buffer> {
  return decoders[codec](data);
}
