/**
 * Avro's codecs and strict decoding (issue 16), on container files written here byte by byte
 * (./handmade.ts): every codec the specification lists reads, every checksum it carries is checked, and
 * a string that is not UTF-8 is refused with its place, never replaced. Blocks compressed by the
 * reference tools are in ./codec-blocks.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAvroRows } from '../../../src/data/avro/reader.js';
import type { AvroRecord, AvroSchema } from '../../../src/data/avro/types.js';
import { convertDataset } from '../../../src/data/convert.js';
import { verifyDataset } from '../../../src/data/verify/verify.js';
import { DataError } from '../../../src/util/errors.js';
import { BZIP2_BLOCK, CODEC_BLOCK_ROWS, CODEC_BLOCK_SCHEMA, XZ_BLOCK, ZSTANDARD_BLOCK } from './codec-blocks.js';
import { bytes, containerBytes, encodeRecords, long, writeContainer, zstdRawFrame } from './handmade.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetwave-codecs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(path: string, readerSchema?: AvroSchema): Promise<AvroRecord[]> {
  const rows: AvroRecord[] = [];
  for await (const r of readAvroRows(path, readerSchema ? { readerSchema } : {})) rows.push(r);
  return rows;
}

async function refusal(path: string): Promise<string> {
  try {
    await readAll(path);
  } catch (err) {
    expect(err).toBeInstanceOf(DataError);
    return (err as Error).message;
  }
  throw new Error(`${path} was read without an error`);
}

let n = 0;
async function file(codec: string, stored: Buffer, count = 200, schema: AvroSchema = CODEC_BLOCK_SCHEMA): Promise<string> {
  const path = join(dir, `f${++n}-${codec}.avro`);
  await writeContainer(path, schema, codec, [{ count, stored }]);
  return path;
}

/** A copy with one bit flipped at `at` (negative: from the end). */
function flip(b: Buffer, at: number): Buffer {
  const c = Buffer.from(b);
  const i = at < 0 ? c.length + at : at;
  c[i] = c[i]! ^ 0x10;
  return c;
}

describe('codecs', () => {
  it.each([
    ['zstandard', ZSTANDARD_BLOCK],
    ['bzip2', BZIP2_BLOCK],
    ['xz', XZ_BLOCK],
  ])('a %s block made by the reference tool reads to its 200 rows', async (codec, block) => {
    expect(await readAll(await file(codec, block))).toEqual(CODEC_BLOCK_ROWS);
  });

  it('zstandard: a wrong content checksum is refused, naming the file, block and byte and both checksums', async () => {
    // The reference frame's last 4 bytes are its checksum (zstd -lv: XXH64 2100687e).
    expect(ZSTANDARD_BLOCK.subarray(-4).readUInt32LE(0).toString(16)).toBe('2100687e');
    const path = await file('zstandard', flip(ZSTANDARD_BLOCK, -1));
    expect(await refusal(path)).toMatch(
      new RegExp(
        `^${path}: block 0 at byte \\d+: cannot decompress the zstandard block: zstandard content checksum mismatch in frame 1 of 1 \\(bytes 0-${ZSTANDARD_BLOCK.length} of the block\\): stored 3100687e, computed 2100687e`,
      ),
    );
  });

  it('zstandard: frames written by hand (raw blocks) with a right, a wrong or no checksum', async () => {
    const content = encodeRecords(CODEC_BLOCK_SCHEMA, CODEC_BLOCK_ROWS);
    expect(await readAll(await file('zstandard', zstdRawFrame(content)))).toEqual(CODEC_BLOCK_ROWS);
    expect(await readAll(await file('zstandard', zstdRawFrame(content, { checksum: false })))).toEqual(CODEC_BLOCK_ROWS);
    expect(await refusal(await file('zstandard', zstdRawFrame(content, { corrupt: true })))).toMatch(/content checksum mismatch/);
    // Two frames in one block, the second one corrupt: each frame's checksum is its own content's.
    const half = content.length >> 1;
    const two = Buffer.concat([zstdRawFrame(content.subarray(0, half)), zstdRawFrame(content.subarray(half), { corrupt: true })]);
    expect(await refusal(await file('zstandard', two))).toMatch(/content checksum mismatch in frame 2 of 2/);
    const good = Buffer.concat([zstdRawFrame(content.subarray(0, half)), zstdRawFrame(content.subarray(half))]);
    expect(await readAll(await file('zstandard', good))).toEqual(CODEC_BLOCK_ROWS);
  });

  it('bzip2: a changed byte is refused by its CRC or its structure, and a cut block as truncated', async () => {
    expect(await refusal(await file('bzip2', flip(BZIP2_BLOCK, 200)))).toMatch(
      /block 0 at byte \d+: cannot decompress the bzip2 block: bzip2: /,
    );
    expect(await refusal(await file('bzip2', BZIP2_BLOCK.subarray(0, BZIP2_BLOCK.length - 20)))).toMatch(
      /cannot decompress the bzip2 block/,
    );
  });

  it('xz: a changed byte and a cut block are refused', async () => {
    expect(await refusal(await file('xz', flip(XZ_BLOCK, 300)))).toMatch(
      /cannot decompress the xz block: xz: .*\(corrupt data or a check \(CRC\) mismatch\)/,
    );
    expect(await refusal(await file('xz', XZ_BLOCK.subarray(0, XZ_BLOCK.length - 30)))).toMatch(/cannot decompress the xz block: xz: /);
  });

  it('an unknown codec is refused naming the supported ones', async () => {
    expect(await refusal(await file('lz4', ZSTANDARD_BLOCK))).toMatch(
      /codec "lz4" is not supported \(supported: null, deflate, snappy, zstandard, bzip2, xz\)/,
    );
  });

  it('convert reads every codec from a folder and verify checks the result', async () => {
    const folder = join(dir, 'codecs-folder');
    await writeContainer(join(folder, 'a.avro'), CODEC_BLOCK_SCHEMA, 'bzip2', [{ count: 200, stored: BZIP2_BLOCK }]);
    await writeContainer(join(folder, 'b.avro'), CODEC_BLOCK_SCHEMA, 'xz', [{ count: 200, stored: XZ_BLOCK }]);
    await writeContainer(join(folder, 'c.avro'), CODEC_BLOCK_SCHEMA, 'zstandard', [{ count: 200, stored: ZSTANDARD_BLOCK }]);
    const out = join(dir, 'codecs-out');
    const result = await convertDataset(folder, out);
    expect(result.rows).toBe(600);
    const report = await verifyDataset(folder, out);
    expect(report.reasons).toEqual([]);
    expect(report.sourceRows).toBe(600);
  });
});

describe('strings that are not UTF-8', () => {
  const schema: AvroSchema = {
    type: 'record',
    name: 'S',
    fields: [
      { name: 's', type: 'string' },
      { name: 'm', type: { type: 'map', values: 'string' } },
    ],
  };
  /** Three records written by hand; record `bad` gets the string `bytes` in field s (or as a map key). */
  function block(badString: Buffer | undefined, badKey: Buffer | undefined): Buffer {
    const rec = (s: Buffer, key: Buffer) => Buffer.concat([bytes(s), long(1), bytes(key), bytes('v'), long(0)]);
    return Buffer.concat([
      rec(Buffer.from('fine'), Buffer.from('k')),
      rec(badString ?? Buffer.from('ok'), badKey ?? Buffer.from('k')),
      rec(Buffer.from('end'), Buffer.from('k')),
    ]);
  }

  it('an invalid byte in a string is refused with the file, block, record and byte, never replaced by U+FFFD', async () => {
    const path = await file('null', block(Buffer.from([0x61, 0xff, 0x62]), undefined), 3, schema);
    // Record 0 takes 11 bytes ("fine": 5, one map entry: 1 + 2 + 2, end of map: 1): record 1's string
    // has its length at byte 11 and its bytes from byte 12. The block starts after the header.
    const header = containerBytes(schema, 'null', []).length;
    expect(await refusal(path)).toBe(
      `${path}: block 0 at byte ${header}, record 1 of 3: invalid UTF-8 in a string of 3 bytes at byte 12 of the block's decompressed bytes (its byte 1: 0xff 0x62); Avro strings are UTF-8 and Fleetwave does not replace bytes it cannot read: fix the writer, or declare the field as bytes in the manifest's dataset.schema (a string is read as bytes by Avro's schema resolution) to keep the bytes as they are`,
    );
  });

  it.each([
    ['a lone continuation byte', [0x80]],
    ['an overlong encoding', [0xc0, 0xaf]],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a cut sequence', [0x61, 0xe2, 0x82]],
  ])('%s is refused', async (_what, b) => {
    expect(await refusal(await file('null', block(Buffer.from(b), undefined), 3, schema))).toMatch(/invalid UTF-8 in a string/);
  });

  it('a header schema that is not UTF-8 is refused', async () => {
    const path = join(dir, 'bad-header.avro');
    const text = Buffer.from(JSON.stringify(schema).replace('"S"', '"S\u00ff"'), 'latin1');
    // The schema's name holds the byte 0xff (latin-1), which is not UTF-8: put it in place of a placeholder of its length.
    const bytes = containerBytes('X'.repeat(text.length), 'null', []);
    bytes.set(text, bytes.indexOf(Buffer.from('X'.repeat(text.length))));
    await writeFile(path, bytes);
    expect(await refusal(path)).toBe(
      `${path}: the header's avro.schema is not valid UTF-8 (the specification's schemas are JSON text in UTF-8): a corrupt file`,
    );
  });

  it('an invalid map key is refused too', async () => {
    expect(await refusal(await file('null', block(undefined, Buffer.from([0xfe])), 3, schema))).toMatch(
      /record 1 of 3: invalid UTF-8 in a string of 1 bytes/,
    );
  });

  it('a real U+FFFD and every plane are read as they are', async () => {
    const text = 'a\uFFFDb é 中 😀';
    const rows = await readAll(await file('null', block(Buffer.from(text, 'utf8'), Buffer.from('\uFFFD')), 3, schema));
    expect(rows[1]).toEqual({ s: text, m: { '\uFFFD': 'v' } });
  });

  it('read as bytes (a dataset.schema with bytes in place of string), the invalid bytes are kept, converted and verified', async () => {
    const bad = Buffer.from([0x61, 0xff, 0x62]);
    const folder = join(dir, 'keep-bytes');
    await writeContainer(join(folder, 'part.avro'), schema, 'null', [{ count: 3, stored: block(bad, undefined) }]);
    const asBytes: AvroSchema = {
      type: 'record',
      name: 'S',
      fields: [
        { name: 's', type: 'bytes' },
        { name: 'm', type: { type: 'map', values: 'string' } },
      ],
    };
    const rows = await readAll(join(folder, 'part.avro'), asBytes);
    expect(rows.map((r) => Buffer.from(r.s as Uint8Array))).toEqual([Buffer.from('fine'), bad, Buffer.from('end')]);
    await expect(convertDataset(folder, join(dir, 'keep-bytes-refused'))).rejects.toThrow(/invalid UTF-8/);
    const left = (await readdir(join(dir, 'keep-bytes-refused'), { recursive: true }).catch(() => [])).map(String);
    expect(left.filter((f) => f.endsWith('.parquet') || f.endsWith('_SUCCESS') || f.endsWith('commit.json'))).toEqual([]);
    const out = join(dir, 'keep-bytes-out');
    expect((await convertDataset(folder, out, { schema: asBytes })).rows).toBe(3);
    const report = await verifyDataset(folder, out, { schema: asBytes });
    expect(report.reasons).toEqual([]);
    expect(report.columns.find((c) => c.name === 's')?.type).toBe('bytes');
  });
});
