/**
 * Block codecs of Avro container files: null, deflate, snappy (with its CRC32 trailer) and zstandard.
 * Each takes one block's stored bytes and returns its uncompressed bytes, or throws an Error whose
 * message says what is wrong (the container reader adds the file, block and offset).
 */
import { crc32, inflateRawSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { snappyUncompress } from 'hyparquet';

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
  deflate: (data) => inflateRawSync(data),
  snappy: (data) => {
    if (data.length < 4) throw new Error('snappy block is shorter than its 4-byte CRC32');
    const body = data.subarray(0, data.length - 4);
    const out = Buffer.allocUnsafe(snappyLength(body));
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
