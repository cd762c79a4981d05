/**
 * Avro container files written byte by byte for tests (the Avro 1.11 specification, "Object Container
 * Files"): a header with any metadata and codec name, then blocks whose stored bytes the test gives,
 * so a test can make what no writer would: a zstandard frame with a wrong content checksum, a string
 * that is not UTF-8, a block compressed by another tool. Record bytes come from `encodeRecords`
 * (avsc through Fleetwave's value model) or are written by hand.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createXXHash64 } from 'hash-wasm';
import { avroType, type AvroSchema, type AvroValue } from '../../../src/data/avro/types.js';

/** A zig-zag varint long (the specification's "long" encoding). */
export function long(n: number | bigint): Buffer {
  let z = BigInt.asUintN(64, (BigInt(n) << 1n) ^ (BigInt(n) >> 63n));
  const out: number[] = [];
  while (z >= 0x80n) {
    out.push(Number(z & 0x7fn) | 0x80);
    z >>= 7n;
  }
  out.push(Number(z));
  return Buffer.from(out);
}

/** Avro "bytes"/"string": the length, then the bytes. */
export function bytes(b: Uint8Array | string): Buffer {
  const buf = typeof b === 'string' ? Buffer.from(b, 'utf8') : Buffer.from(b);
  return Buffer.concat([long(buf.length), buf]);
}

/** The records' binary encoding, one after the other (a block's uncompressed bytes). */
export function encodeRecords(schema: AvroSchema, values: readonly AvroValue[]): Buffer {
  const type = avroType(schema);
  return Buffer.concat(values.map((v) => type.toBuffer(v)));
}

export const SYNC = Buffer.from('0123456789abcdef', 'latin1');

export interface HandmadeBlock {
  count: number;
  /** The block's bytes as stored (already compressed by the file's codec). */
  stored: Buffer;
}

/** A whole container file: header (avro.schema as given, avro.codec, extra metadata), blocks. */
export function containerBytes(schema: AvroSchema | string, codec: string, blocks: readonly HandmadeBlock[]): Buffer {
  const schemaText = typeof schema === 'string' ? schema : JSON.stringify(schema);
  const entries: [string, string][] = [
    ['avro.schema', schemaText],
    ['avro.codec', codec],
  ];
  const parts: Buffer[] = [Buffer.from([0x4f, 0x62, 0x6a, 0x01]), long(entries.length)];
  for (const [k, v] of entries) parts.push(bytes(k), bytes(v));
  parts.push(long(0), SYNC);
  for (const b of blocks) parts.push(long(b.count), long(b.stored.length), b.stored, SYNC);
  return Buffer.concat(parts);
}

export async function writeContainer(
  path: string,
  schema: AvroSchema | string,
  codec: string,
  blocks: readonly HandmadeBlock[],
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, containerBytes(schema, codec, blocks));
}

const xxh64 = await createXXHash64();

/**
 * A zstandard frame (RFC 8878 §3.1.1) holding `content` in Raw blocks (no compression needed to make
 * one): Single_Segment with a 4-byte Frame_Content_Size, and with the Content_Checksum (the low 4
 * bytes of XXH64(content), little-endian) unless `checksum` is false. `corrupt` flips a bit of the
 * stored checksum.
 */
export function zstdRawFrame(content: Buffer, options: { checksum?: boolean; corrupt?: boolean } = {}): Buffer {
  const withChecksum = options.checksum ?? true;
  // Frame_Header_Descriptor: FCS_Flag 2 (4 bytes), Single_Segment 1, Content_Checksum_flag, no dictionary.
  const descriptor = (2 << 6) | (1 << 5) | (withChecksum ? 1 << 2 : 0);
  const header = Buffer.alloc(9);
  header.writeUInt32LE(0xfd2fb528, 0);
  header[4] = descriptor;
  header.writeUInt32LE(content.length, 5);
  const parts: Buffer[] = [header];
  const MAX = 128 * 1024;
  for (let at = 0; at < content.length || at === 0; at += MAX) {
    const chunk = content.subarray(at, at + MAX);
    const last = at + MAX >= content.length ? 1 : 0;
    const blockHeader = (chunk.length << 3) | (0 << 1) | last; // Block_Type 0: Raw
    parts.push(Buffer.from([blockHeader & 0xff, (blockHeader >> 8) & 0xff, (blockHeader >> 16) & 0xff]), chunk);
    if (content.length === 0) break;
  }
  if (withChecksum) {
    xxh64.init();
    xxh64.update(content);
    const low = parseInt(xxh64.digest('hex').slice(8), 16) >>> 0;
    const sum = Buffer.alloc(4);
    sum.writeUInt32LE((options.corrupt ? low ^ 1 : low) >>> 0, 0);
    parts.push(sum);
  }
  return Buffer.concat(parts);
}
