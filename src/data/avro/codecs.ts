/**
 * Block codecs of Avro container files: null, deflate, snappy (with its CRC32 trailer) and zstandard.
 * Each takes one block's stored bytes and returns its uncompressed bytes, or throws an Error whose
 * message says what is wrong (the container reader adds the file, block and offset). No block
 * decompresses to more than `avroLimits.maxBlockBytes`: deflate stops there (`maxOutputLength`),
 * snappy and zstandard are refused from their headers before anything is allocated.
 */
import { crc32, inflateRawSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { snappyUncompress } from 'hyparquet';
import { avroLimits } from './limits.js';
import { zstdDecompressedBound } from './zstd-bound.js';

const LIMIT = avroLimits.maxBlockBytes;
const overLimit = (what: string) => `${what}, over the limit of ${LIMIT} bytes (64 MiB) for one decompressed block (a decompression bomb?)`;

export type AvroCodecName = 'null' | 'deflate' | 'snappy' | 'zstandard';
export const supportedCodecs: readonly AvroCodecName[] = ['null', 'deflate', 'snappy', 'zstandard'];

type Decoder = (data: Buffer) => Buffer;

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
    if (actual !== expected) {
      throw new Error(
        `snappy CRC32 mismatch: stored ${expected.toString(16).padStart(8, '0')}, computed ${actual.toString(16).padStart(8, '0')}`,
      );
    }
    return out;
  },
  zstandard: (data) => {
    zstdDecompressedBound(data, LIMIT);
    const out = zstdDecompress(data);
    return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  },
};

export function isSupportedCodec(name: string): name is AvroCodecName {
  return (supportedCodecs as readonly string[]).includes(name);
}

export function decodeBlock(codec: AvroCodecName, data: Buffer): Buffer {
  return decoders[codec](data);
}
