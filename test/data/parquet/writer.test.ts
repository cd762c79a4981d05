import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AvroRecord, AvroSchema } from '../../../src/data/avro/types.js';
import { ParquetFileReader } from './reader.js';
import { ParquetFileWriter, writeParquetFile, type ParquetCompression } from '../../../src/data/parquet/writer.js';
import { DataError } from '../../../src/util/errors.js';
import { corpusFile } from '../avro/corpus.js';
import { everyTypeRows, everyTypeSchema } from '../avro/every-type.js';
import { duckdbQuery, readBackWithDuckDB } from './duckdb-read-back.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetwave-parquet-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readWithHyparquet(path: string): Promise<AvroRecord[]> {
  const reader = await ParquetFileReader.open(path);
  const rows: AvroRecord[] = [];
  for await (const row of reader.records()) rows.push(row);
  return rows;
}

describe('Parquet writer: every type, read back independently', () => {
  const rows = everyTypeRows(250);

  it.each(['zstd', 'snappy', 'gzip', 'none'] as ParquetCompression[])(
    '%s: DuckDB and hyparquet read back every value exactly',
    async (compression) => {
      const path = join(dir, `every-${compression}.parquet`);
      const result = await writeParquetFile(path, everyTypeSchema, rows, { compression, rowGroupSize: 100 });
      expect(result).toMatchObject({ rows: 250, rowGroups: 3 });
      expect(await readBackWithDuckDB(path, everyTypeSchema)).toEqual(rows);
      expect(await readWithHyparquet(path)).toEqual(rows);
      const codecs = await duckdbQuery(`SELECT DISTINCT compression FROM parquet_metadata('${path}')`);
      expect(codecs.map((c) => c.compression)).toEqual([compression === 'none' ? 'UNCOMPRESSED' : compression.toUpperCase()]);
      const groups = await duckdbQuery(
        `SELECT row_group_id, max(row_group_num_rows) AS n FROM parquet_metadata('${path}') GROUP BY ALL ORDER BY 1`,
      );
      expect(groups.map((g) => Number(g.n))).toEqual([100, 100, 50]);
    },
  );

  it('follows the documented type mapping (physical types and logical annotations)', async () => {
    const path = join(dir, 'mapping.parquet');
    await writeParquetFile(path, everyTypeSchema, rows.slice(0, 10), { compression: 'zstd' });
    const schema = await duckdbQuery(`SELECT name, type, repetition_type, logical_type, type_length FROM parquet_schema('${path}')`);
    const col = (name: string) => schema.find((c) => c.name === name)!;
    expect(col('id')).toMatchObject({ type: 'INT64', repetition_type: 'REQUIRED' });
    expect(col('maybeLong')).toMatchObject({ type: 'INT64', repetition_type: 'OPTIONAL' });
    expect(col('text')).toMatchObject({ type: 'BYTE_ARRAY', logical_type: 'StringType()' });
    expect(col('md5')).toMatchObject({ type: 'FIXED_LEN_BYTE_ARRAY', type_length: '16' });
    expect(col('day')).toMatchObject({ type: 'INT32', logical_type: 'DateType()' });
    expect(String(col('tsMillis').logical_type)).toMatch(/TimestampType\(isAdjustedToUTC=1, unit=TimeUnit\(MILLIS=/);
    expect(String(col('tsMicros').logical_type)).toMatch(/TimestampType\(isAdjustedToUTC=1, .*MICROS=MicroSeconds/);
    expect(String(col('localMillis').logical_type)).toMatch(/TimestampType\(isAdjustedToUTC=0/);
    expect(col('tsMillis').type).toBe('INT64');
    expect(col('price')).toMatchObject({ type: 'INT32', logical_type: 'DecimalType(scale=2, precision=9)' });
    expect(col('amount')).toMatchObject({ type: 'INT64', logical_type: 'DecimalType(scale=4, precision=18)' });
    expect(col('huge')).toMatchObject({ type: 'FIXED_LEN_BYTE_ARRAY', logical_type: 'DecimalType(scale=10, precision=30)' });
    // 3-level lists: <name> (LIST) { repeated group list { element } }
    const i = schema.findIndex((c) => c.name === 'tags');
    expect(schema.slice(i, i + 3).map((c) => [c.name, c.repetition_type, c.logical_type])).toEqual([
      ['tags', 'REQUIRED', 'ListType()'],
      ['list', 'REPEATED', null],
      ['element', 'REQUIRED', 'StringType()'],
    ]);
    const m = schema.findIndex((c) => c.name === 'labels');
    expect(schema.slice(m, m + 4).map((c) => [c.name, c.repetition_type])).toEqual([
      ['labels', 'REQUIRED'],
      ['entries', 'REPEATED'],
      ['key', 'REQUIRED'],
      ['value', 'REQUIRED'],
    ]);
    expect(col('labels').logical_type).toBe('MapType()');
    // Multi-type unions: a group of optional members.
    expect(schema.filter((c) => String(c.name).startsWith('member')).length).toBeGreaterThanOrEqual(6);
  });

  it('keeps the Avro schema in the key-value metadata under parquet.avro.schema', async () => {
    const path = join(dir, 'meta.parquet');
    await writeParquetFile(path, everyTypeSchema, rows.slice(0, 3));
    const kv = await duckdbQuery(`SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata('${path}')`);
    const entry = kv.find((k) => k.key === 'parquet.avro.schema');
    expect(JSON.parse(String(entry?.value))).toEqual(everyTypeSchema);
  });

  it('writes a valid file with no rows', async () => {
    const path = join(dir, 'empty.parquet');
    const result = await writeParquetFile(path, everyTypeSchema, []);
    expect(result.rows).toBe(0);
    const n = await duckdbQuery(`SELECT count(*) AS n FROM read_parquet('${path}')`);
    expect(n[0]!.n).toBe(0n);
  });

  it('writes a top-level non-record schema as one column "value"', async () => {
    const path = join(dir, 'top-level.parquet');
    const schema: AvroSchema = ['null', 'int'];
    await writeParquetFile(path, schema, [{ value: null }, { value: 100 }]);
    expect(await readBackWithDuckDB(path, schema)).toEqual([{ value: null }, { value: 100 }]);
  });
});

describe('Parquet writer: failures leave no file', () => {
  async function leftovers(sub: string): Promise<string[]> {
    return readdir(join(dir, sub)).catch(() => []);
  }

  it('a value that does not fit its column: a DataError naming the row and column, no file', async () => {
    const rows = everyTypeRows(300);
    (rows[260] as Record<string, unknown>).i32 = 'not a number';
    const path = join(dir, 'bad-value', 'out.parquet');
    const err = await writeParquetFile(path, everyTypeSchema, rows, { rowGroupSize: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(/row 261: i32: expected a 32-bit integer/);
    expect(await leftovers('bad-value')).toEqual([]);
  });

  it('a failing source stream aborts the write: no file', async () => {
    const path = join(dir, 'bad-source', 'out.parquet');
    async function* rows() {
      yield* everyTypeRows(50);
      throw new Error('source failed');
    }
    await expect(writeParquetFile(path, everyTypeSchema, rows())).rejects.toThrow('source failed');
    expect(await leftovers('bad-source')).toEqual([]);
  });

  it('a recursive schema (interop.avsc) is refused with a clear error, before any file', async () => {
    const interop = JSON.parse(await readFile(corpusFile('interop.avsc'), 'utf8')) as AvroSchema;
    const path = join(dir, 'recursive', 'out.parquet');
    const err = await ParquetFileWriter.open(path, interop).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(/recordField\.children.*org\.apache\.avro\.Node.*recursive/);
    expect(await leftovers('recursive')).toEqual([]);
  });

  it('a decimal wider than 76 digits (Decimal256) is refused with a clear error', async () => {
    const schema: AvroSchema = {
      type: 'record',
      name: 'R',
      fields: [{ name: 'd', type: { type: 'bytes', logicalType: 'decimal', precision: 77, scale: 2 } }],
    };
    await expect(ParquetFileWriter.open(join(dir, 'wide', 'out.parquet'), schema)).rejects.toThrow(
      /d: decimal\(77, 2\) has more than 76 digits/,
    );
  });
});
