/**
 * Strict by default (issue 16): a written Parquet file whose footer holds another row count than the
 * rows read is an error, never a success line. The check reads back the footer of the bytes as written.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AvroSchema } from '../../../src/data/avro/types.js';
import { FooterTail, checkFooterRows } from '../../../src/data/parquet/encoding.js';
import { writeParquetFile } from '../../../src/data/parquet/writer.js';
import { DataError } from '../../../src/util/errors.js';

let dir: string;
let file: Buffer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetwave-footer-'));
  const schema: AvroSchema = { type: 'record', name: 'R', fields: [{ name: 'id', type: 'long' }] };
  await writeParquetFile(join(dir, 'three.parquet'), schema, [{ id: 1n }, { id: 2n }, { id: 3n }], { rowGroupSize: 2 });
  file = await readFile(join(dir, 'three.parquet'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the written row count check', () => {
  it('accepts a file whose footer holds the rows read', () => {
    expect(() => checkFooterRows('s3://b/three.parquet', file, 3)).not.toThrow();
  });

  it('refuses a file whose footer holds other rows than were read, naming it', () => {
    expect(() => checkFooterRows('s3://b/three.parquet', file, 4)).toThrow(DataError);
    expect(() => checkFooterRows('s3://b/three.parquet', file, 4)).toThrow(
      /^s3:\/\/b\/three\.parquet: the written Parquet file holds 3 rows but 4 rows were read from the source; refused/,
    );
  });

  it('reads the footer from the written bytes however they were chunked', () => {
    const tail = new FooterTail();
    for (let at = 0; at < file.length; at += 7) tail.add(file.subarray(at, at + 7));
    expect(() => tail.checkRows('x', 3)).not.toThrow();
    expect(() => tail.checkRows('x', 2)).toThrow(/holds 3 rows but 2 rows were read/);
  });

  it('refuses bytes that are not a Parquet footer', () => {
    expect(() => checkFooterRows('x', Buffer.concat([Buffer.alloc(16), Buffer.from([4, 0, 0, 0]), Buffer.from('PAR1')]), 0)).toThrow(
      /footer cannot be read back/,
    );
  });
});
