/**
 * Issue #14: Avro files crafted to exhaust memory or CPU (the Apache Avro CVE-2023-39410 class). Each
 * is refused with a DataError naming the file and the offset, quickly, and without the memory its
 * counts ask for. Before the bounds, the 150-byte files crashed convert out of memory or spun, and a
 * few-KB zstandard or deflate file took over a gigabyte.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { readAvroRows } from '../../src/data/avro/reader.js';
import { avroLimits } from '../../src/data/avro/limits.js';
import { DataError } from '../../src/util/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'fleetwave-avro-bombs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Avro's zig-zag varint of a (safe) integer. */
function long(n: number): Buffer {
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  const out: number[] = [];
  while (z >= 128) {
    out.push((z % 128) | 0x80);
    z = Math.floor(z / 128);
  }
  out.push(z);
  return Buffer.from(out);
}
const str = (s: string | Buffer) => Buffer.concat([long(Buffer.byteLength(s)), Buffer.from(s)]);
const SYNC = Buffer.alloc(16, 0x5a);

/** A container file: the header, then one block of `count` records holding `data` (already compressed). */
function avroFile(name: string, schema: unknown, count: number, data: Buffer, codec = 'null'): string {
  const header = Buffer.concat([
    Buffer.from('Obj\x01', 'latin1'),
    long(2),
    str('avro.schema'),
    str(JSON.stringify(schema)),
    str('avro.codec'),
    str(codec),
    long(0),
    SYNC,
  ]);
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat([header, long(count), long(data.length), data, SYNC]));
  return path;
}

const record = (type: unknown) => ({ type: 'record', name: 'R', fields: [{ name: 'a', type }] });

/** Reads every row; returns the error, the time it took and how much the process grew meanwhile. */
async function attempt(path: string): Promise<{ err: unknown; ms: number; grewMiB: number }> {
  const before = process.memoryUsage();
  const started = process.hrtime.bigint();
  let err: unknown;
  let peak = 0;
  try {
    for await (const row of readAvroRows(path)) {
      void row;
      peak = Math.max(peak, process.memoryUsage().rss);
    }
  } catch (e) {
    err = e;
  }
  const after = process.memoryUsage();
  const grew = Math.max(peak, after.rss) - before.rss;
  return { err, ms: Number(process.hrtime.bigint() - started) / 1e6, grewMiB: grew / 2 ** 20 };
}

async function expectRefused(path: string, message: RegExp): Promise<DataError> {
  const { err, ms, grewMiB } = await attempt(path);
  expect(err).toBeInstanceOf(DataError);
  const text = (err as Error).message;
  expect(text).toContain(path);
  expect(text).toMatch(/block 0 at byte \d+/);
  expect(text).toMatch(message);
  expect(ms).toBeLessThan(3_000);
  expect(grewMiB).toBeLessThan(256);
  return err as DataError;
}

const HUGE = 2 ** 50;

describe('Avro bombs', () => {
  it('an array that says 2^50 longs in a 150-byte file', async () => {
    const path = avroFile('array.avro', record({ type: 'array', items: 'long' }), 1, Buffer.concat([long(HUGE), long(1)]));
    expect(path).toBeDefined();
    await expectRefused(
      path,
      /record 0 of 1: an array block says 1125899906842624 items of at least 1 byte each, but only 1 bytes remain.*at byte 0 of the block/,
    );
  });

  it('an array of 2^50 nulls (items that take no bytes)', async () => {
    const path = avroFile('nulls.avro', record({ type: 'array', items: 'null' }), 1, Buffer.concat([long(HUGE), long(0)]));
    await expectRefused(path, new RegExp(`over the limit of ${avroLimits.maxValuesPerBlock}`));
  });

  it('a map that says 2^40 entries, and one in the negative-count form with a byte size', async () => {
    await expectRefused(
      avroFile('map.avro', record({ type: 'map', values: 'string' }), 1, Buffer.concat([long(2 ** 40), str('k'), str('v'), long(0)])),
      /a map block says 1099511627776 items of at least 2 bytes each/,
    );
    await expectRefused(
      avroFile('map-neg.avro', record({ type: 'map', values: 'int' }), 1, Buffer.concat([long(-(2 ** 40)), long(2 ** 40), long(0)])),
      /a map block of 1099511627776 bytes needs 1099511627776 bytes but only \d+ remain/,
    );
  });

  it('a string and a bytes value longer than the file', async () => {
    await expectRefused(avroFile('string.avro', record('string'), 1, long(2 ** 45)), /a string of length 35184372088832 needs/);
    await expectRefused(avroFile('bytes.avro', record('bytes'), 1, long(2 ** 31)), /a bytes value of length 2147483648 needs/);
  });

  it('a block that says 2^50 records of an empty record type', async () => {
    const empty = { type: 'record', name: 'E', fields: [] };
    await expectRefused(avroFile('records.avro', empty, HUGE, Buffer.alloc(0)), /says 1125899906842624 records, over the limit/);
    await expectRefused(avroFile('records-4m.avro', empty, avroLimits.maxValuesPerBlock + 1, Buffer.alloc(0)), /over the limit/);
  });

  it('a block that says more records than its bytes hold', async () => {
    await expectRefused(
      avroFile('records-bytes.avro', record('int'), 1_000_000, Buffer.from([2, 4])),
      /the block header says 1000000 items of at least 1 byte each, but only 2 bytes remain/,
    );
  });

  it('nested arrays whose sizes multiply', async () => {
    // [[null × 2^20] × 60]: each inner array takes 4 bytes, so 60 of them fit; their nulls do not.
    const inner = Buffer.concat([long(2 ** 20), long(0)]);
    const data = Buffer.concat([long(60), ...Array.from({ length: 60 }, () => inner), long(0)]);
    await expectRefused(
      avroFile('nested.avro', record({ type: 'array', items: { type: 'array', items: 'null' } }), 1, data),
      /over the limit/,
    );
  });

  it('a deflate block that inflates past the block limit', async () => {
    const bomb = deflateRawSync(Buffer.alloc(avroLimits.maxBlockBytes + 1024), { level: 9 });
    expect(bomb.length).toBeLessThan(100_000);
    await expectRefused(
      avroFile('deflate.avro', record('boolean'), 1000, bomb, 'deflate'),
      /deflate block decompresses to more.*limit of 67108864 bytes/,
    );
  });

  it('a zstandard frame of RLE blocks (2.4 KB that would decompress to 75 MiB)', async () => {
    const blocks: Buffer[] = [];
    const n = 600;
    for (let i = 0; i < n; i++) {
      const header = (131_072 << 3) | (1 << 1) | (i === n - 1 ? 1 : 0);
      blocks.push(Buffer.from([header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff, 0]));
    }
    const frame = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38]), ...blocks]);
    await expectRefused(avroFile('zstd.avro', record('boolean'), 1000, frame, 'zstandard'), /zstandard data decompresses to more than/);
  });

  it('a zstandard frame that declares 1.2 GB, and a snappy block that says 1 GB', async () => {
    const fcs = Buffer.alloc(8);
    fcs.writeUInt32LE(1_200_000_000, 0);
    const frame = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0xe0]), fcs, Buffer.from([0x0b, 0, 0, 0])]);
    await expectRefused(avroFile('zstd-fcs.avro', record('boolean'), 1, frame, 'zstandard'), /declares 1200000000 bytes/);
    const snappy = Buffer.concat([Buffer.from([0x80, 0x80, 0x80, 0x80, 0x04]), Buffer.alloc(8)]);
    await expectRefused(avroFile('snappy.avro', record('boolean'), 1, snappy, 'snappy'), /says it decompresses to 1073741824 bytes/);
  });

  it('a stored block over the limit, and a header with more metadata entries than bytes', async () => {
    const path = join(dir, 'header.avro');
    writeFileSync(path, Buffer.concat([Buffer.from('Obj\x01', 'latin1'), long(2 ** 40), str('a')]));
    const { err } = await attempt(path);
    expect((err as Error).message).toMatch(/header says 1099511627776 metadata entries at byte \d+/);
  });
});
