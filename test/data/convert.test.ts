import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from '../../src/data/avro/decimal.js';
import { readAvroRows } from '../../src/data/avro/reader.js';
import type { AvroRecord, AvroSchema } from '../../src/data/avro/types.js';
import { writeAvroFile } from '../../src/data/avro/writer.js';
import { convertDataset } from '../../src/data/convert.js';
import { workerScript } from '../../src/data/convert-pool.js';
import { DataError, InputError } from '../../src/util/errors.js';
import { corpusFile } from './avro/corpus.js';
import { everyTypeRows, everyTypeSchema } from './avro/every-type.js';
import { duckdbQuery, readBackWithDuckDB } from './parquet/duckdb-read-back.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetwave-convert-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readAll(path: string): Promise<AvroRecord[]> {
  const rows: AvroRecord[] = [];
  for await (const r of readAvroRows(path)) rows.push(r);
  return rows;
}

async function filesUnder(path: string): Promise<string[]> {
  return (await readdir(path, { recursive: true }).catch(() => [] as string[])).map(String).sort();
}

describe('convertDataset', () => {
  it.each([
    'weather.avro',
    'weather-deflate.avro',
    'weather-snappy.avro',
    'weather-zstd.avro',
    'weather-sorted.avro',
    'syncInMeta.avro',
    'simple-data.avro',
    'withUnion-data.avro',
    'person-10.avro',
    'person-10.no-codec.avro',
    'avro-1237-good.avro',
    'avro-1238-good.avro',
    'avro-1279-codec.avro',
    'avro-1279-no-codec.avro',
  ])('corpus file %s converts, and DuckDB reads back the same rows', async (name) => {
    const target = join(dir, 'corpus', name.replace('.avro', '.parquet'));
    const result = await convertDataset(corpusFile(name), target, { rowGroupSize: 1000 });
    const source = await readAll(corpusFile(name));
    expect(result.rows).toBe(source.length);
    expect(result.rows).toBeGreaterThan(0);
    const reader = await import('./parquet/reader.js');
    const pq = await reader.ParquetFileReader.open(target);
    expect(await readBackWithDuckDB(target, pq.schema)).toEqual(source);
  });

  it.each([
    ['avro-1237-bad-union-discriminant.avro', /union index/],
    ['avro-1238-truncated.avro', /truncated/],
  ])('corrupt corpus file %s: a DataError and no output file', async (name, message) => {
    const out = join(dir, `bad-${name}`);
    const err = await convertDataset(corpusFile(name), join(out, 'x.parquet')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toContain(name);
    expect(await filesUnder(out)).toEqual([]);
  });

  it('a folder becomes a mirrored folder of Parquet files, every type exact', async () => {
    const src = join(dir, 'folder-src');
    const a = everyTypeRows(120, 1);
    const b = everyTypeRows(80, 2);
    await writeAvroFile(join(src, 'day=1', 'part-0.avro'), everyTypeSchema, a, { blockSize: 4096 });
    await writeAvroFile(join(src, 'day=2', 'part-0.avro'), everyTypeSchema, b);
    const dst = join(dir, 'folder-dst');
    const result = await convertDataset(src, dst, { compression: 'snappy', rowGroupSize: 50 });
    expect(result).toMatchObject({ rows: 200, compression: 'snappy', rowGroupSize: 50 });
    expect(result.files.map((f) => [f.target.slice(dst.length + 1), f.rows, f.rowGroups])).toEqual([
      [join('day=1', 'part-0.parquet'), 120, 3],
      [join('day=2', 'part-0.parquet'), 80, 2],
    ]);
    expect(await readBackWithDuckDB(join(dst, 'day=1', 'part-0.parquet'), everyTypeSchema)).toEqual(a);
    expect(await readBackWithDuckDB(join(dst, 'day=2', 'part-0.parquet'), everyTypeSchema)).toEqual(b);
  });

  // The worker threads run the compiled build (npm run build; CI builds before testing).
  (workerScript() ? it : it.skip)(
    'with worker threads: the same exact rows, in order, and the transform applied in the workers',
    async () => {
      const src = join(dir, 'workers-src.avro');
      const rows = everyTypeRows(3000, 7);
      await writeAvroFile(src, everyTypeSchema, rows, { blockSize: 8192 });
      const target = join(dir, 'workers.parquet');
      const result = await convertDataset(src, target, { workers: 2, rowGroupSize: 1000 });
      expect(result).toMatchObject({ rows: 3000, workers: 2 });
      expect(result.files[0]!.rowGroups).toBe(3);
      expect(await readBackWithDuckDB(target, everyTypeSchema)).toEqual(rows);
      const groups = await duckdbQuery(`SELECT DISTINCT row_group_id, row_group_num_rows FROM parquet_metadata('${target}') ORDER BY 1`);
      expect(groups.map((g) => Number(g.row_group_num_rows))).toEqual([1000, 1000, 1000]);

      const renamed = join(dir, 'workers-renamed.parquet');
      await convertDataset(src, renamed, { workers: 1, steps: [{ rename: { from: 'id', to: 'eventId' } }, { drop: 'nothing' }] });
      const ids = await duckdbQuery(`SELECT eventId FROM read_parquet('${renamed}')`);
      expect(ids.map((r) => r.eventId)).toEqual(rows.map((r) => r.id));
    },
  );

  it('with worker threads, a corrupt block is the same clear DataError and no file', async () => {
    if (!workerScript()) return;
    const out = join(dir, 'workers-bad');
    const err = await convertDataset(corpusFile('avro-1237-bad-union-discriminant.avro'), join(out, 'x.parquet'), { workers: 1 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(
      /avro-1237-bad-union-discriminant\.avro: block 0 at byte \d+, record 1 of 2: cannot decode: invalid union index/,
    );
    expect(await filesUnder(out)).toEqual([]);
  });

  it('dictionary-encodes string columns only', async () => {
    const target = join(dir, 'dict.parquet');
    await convertDataset(corpusFile('syncInMeta.avro'), target);
    const enc = await duckdbQuery(`SELECT DISTINCT path_in_schema AS p, encodings AS e FROM parquet_metadata('${target}')`);
    const of = (p: string) => String(enc.find((r) => r.p === p)?.e);
    expect(of('First')).toContain('RLE_DICTIONARY');
    expect(of('ID')).not.toContain('DICTIONARY');
  });

  it('a folder into one .parquet file merges the rows in path order', async () => {
    const src = join(dir, 'merge-src');
    await mkdir(src, { recursive: true });
    await copyFile(corpusFile('weather.avro'), join(src, 'a.avro'));
    await copyFile(corpusFile('weather-zstd.avro'), join(src, 'b.avro'));
    const target = join(dir, 'merged.parquet');
    const result = await convertDataset(src, target);
    expect(result.rows).toBe(10);
    const n = await duckdbQuery(`SELECT count(*) AS n, count(DISTINCT station) AS s FROM read_parquet('${target}')`);
    expect(n[0]).toEqual({ n: 10n, s: 2n });
  });

  it('applies the manifest transform (rename, cast, drop, default) to schema and records', async () => {
    const schema: AvroSchema = {
      type: 'record',
      name: 'Play',
      fields: [
        { name: 'user_id', type: 'long' },
        { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
        { name: 'legacy_flag', type: 'boolean' },
        { name: 'country', type: ['null', 'string'], default: null },
      ],
    };
    const src = join(dir, 'play.avro');
    await writeAvroFile(src, schema, [
      { user_id: 2n ** 62n, amount: Decimal.parse('12.30'), legacy_flag: true, country: null },
      { user_id: 7n, amount: Decimal.parse('-0.05'), legacy_flag: false, country: 'SE' },
    ]);
    const target = join(dir, 'play.parquet');
    await convertDataset(src, target, {
      steps: [
        { rename: { from: 'user_id', to: 'userId' } },
        { cast: { field: 'amount', to: { type: 'decimal', precision: 12, scale: 4 } } },
        { drop: 'legacy_flag' },
        { default: { field: 'country', value: 'unknown' } },
      ],
    });
    const cols = await duckdbQuery(`SELECT userId, amount::VARCHAR AS amount, country FROM read_parquet('${target}')`);
    expect(cols).toEqual([
      { userId: 2n ** 62n, amount: '12.3000', country: 'unknown' },
      { userId: 7n, amount: '-0.0500', country: 'SE' },
    ]);
    const names = await duckdbQuery(`SELECT name FROM parquet_schema('${target}') WHERE name <> 'schema' AND name <> 'arrow_schema'`);
    expect(names.map((n) => n.name)).not.toContain('legacy_flag');
  });

  it('schema mismatch between files of a folder: a DataError naming the file, no output at all', async () => {
    const src = join(dir, 'mismatch-src');
    await writeAvroFile(join(src, 'a.avro'), everyTypeSchema, everyTypeRows(5));
    await copyFile(corpusFile('weather.avro'), join(src, 'b.avro'));
    const dst = join(dir, 'mismatch-dst');
    const err = await convertDataset(src, dst).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(/b\.avro: schema mismatch/);
    expect(await filesUnder(dst)).toEqual([]);
  });

  it('a corrupt file after good ones leaves no output for any of them', async () => {
    const src = join(dir, 'late-bad-src');
    await writeAvroFile(join(src, 'a.avro'), everyTypeSchema, everyTypeRows(5));
    await writeAvroFile(join(src, 'b.avro'), everyTypeSchema, everyTypeRows(5));
    await writeFile(join(src, 'c.avro'), Buffer.from('Obj\u0001 but not really'));
    const dst = join(dir, 'late-bad-dst');
    await expect(convertDataset(src, dst)).rejects.toBeInstanceOf(DataError);
    expect(await filesUnder(dst)).toEqual([]);
  });

  it('bad arguments are InputErrors', async () => {
    await expect(convertDataset(join(dir, 'missing.avro'), join(dir, 'x.parquet'))).rejects.toBeInstanceOf(InputError);
    await mkdir(join(dir, 'empty'), { recursive: true });
    await expect(convertDataset(join(dir, 'empty'), join(dir, 'y'))).rejects.toThrow(/no \.avro files/);
  });
});
