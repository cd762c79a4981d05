/**
 * Verify hashes columns of strings, numbers and booleans (and lists of them) straight from their
 * Parquet pages. These tests hold that path to the general one (hyparquet's values through hashColumn):
 * the same hashes, null counts and min/max for files from three writers (Fleetwave's parquet-wasm, DuckDB
 * and hyparquet-writer: PLAIN and dictionary pages, data pages v1 and v2, every codec), and a clear
 * error on a corrupt page.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata } from 'hyparquet';
import { parquetWriteFile } from 'hyparquet-writer';
import type { AvroRecord, AvroSchemaObject } from '../../../src/data/avro/types.js';
import { writeParquetFile, type ParquetCompression } from '../../../src/data/parquet/writer.js';
import { ParquetColumnsReader } from '../../../src/data/verify/parquet-columns.js';
import { avroFieldSignatures } from '../../../src/data/verify/signature.js';
import { SideSummary, isOrderable, type ColumnSpec } from '../../../src/data/verify/summary.js';
import { duckdbQuery } from '../parquet/duckdb-read-back.js';

const schema: AvroSchemaObject = {
  type: 'record',
  name: 'Strings',
  namespace: 'test',
  fields: [
    { name: 'id', type: 'long' },
    { name: 's', type: 'string' },
    { name: 'ns', type: ['null', 'string'] },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'ntags', type: ['null', { type: 'array', items: 'string' }] },
    { name: 'ntagsn', type: { type: 'array', items: ['null', 'string'] } },
    { name: 'big', type: 'long' },
    { name: 'nbig', type: ['null', 'long'] },
    { name: 'n', type: ['null', 'int'] },
    { name: 'x', type: ['null', 'double'] },
    { name: 'f', type: ['null', 'float'] },
    { name: 'ok', type: ['null', 'boolean'] },
    { name: 'day', type: ['null', { type: 'int', logicalType: 'date' }] },
    { name: 'at', type: ['null', { type: 'long', logicalType: 'timestamp-micros' }] },
    { name: 'longs', type: { type: 'array', items: 'long' } },
    { name: 'nums', type: ['null', { type: 'array', items: ['null', 'double'] }] },
    { name: 'flags', type: { type: 'array', items: 'boolean' } },
  ],
};

// ASCII, accents, CJK, an emoji (a surrogate pair), a private-use character (orders above surrogates in
// UTF-16 but below them in UTF-8), a byte order mark, the empty string, a long string
const words = ['mobile', 'web', 'é', 'naïve', '日本', '😀', '\uE000x', '\uFEFFbom', '', 'a'.repeat(90), 'zz', 'Zz'];

// 64-bit integers across the safe-integer edge and the int64 range; doubles with NaN, ±0 and infinities
const longs = [
  0n,
  -1n,
  2n ** 53n - 1n,
  2n ** 53n,
  -(2n ** 53n) - 7n,
  2n ** 63n - 1n,
  -(2n ** 63n),
  9_007_199_254_740_000n,
  4_294_967_296n,
  -4_294_967_297n,
];
const doubles = [0.5, -0, 0, Number.NaN, 1e300, -1e-300, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53, 3];

function rows(n: number): AvroRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const w = (k: number) => words[(i * 7 + k * 3) % words.length]!;
    return {
      id: BigInt(i),
      s: i % 5 === 0 ? w(1) : `user-${i}-${w(2)}`,
      ns: i % 4 === 0 ? null : w(3),
      tags: Array.from({ length: i % 4 }, (_, k) => w(k)),
      ntags: i % 6 === 0 ? null : Array.from({ length: i % 3 }, (_, k) => w(k + 5)),
      ntagsn: Array.from({ length: i % 3 }, (_, k) => ((i + k) % 4 === 0 ? null : w(k + 2))),
      big: BigInt.asIntN(64, longs[i % longs.length]! + BigInt(i % 3)),
      nbig: i % 7 === 0 ? null : longs[(i * 3) % longs.length]!,
      n: i % 6 === 1 ? null : ((i * 2654435761) | 0) % 100_000,
      x: i % 9 === 0 ? null : i % 128 === 1 ? Number.NaN : doubles[i % doubles.length]! * (i % 2 === 0 ? 1 : -1), // NaN first in each row group
      f: i % 8 === 0 ? null : Math.fround(i / 7),
      ok: i % 5 === 2 ? null : i % 3 === 0,
      day: i % 4 === 3 ? null : 19_000 + (i % 400),
      at: i % 10 === 0 ? null : 1_700_000_000_000_000n + BigInt(i) * 1_000_003n,
      longs: Array.from({ length: i % 3 }, (_, k) => longs[(i + k) % longs.length]!),
      nums: i % 7 === 3 ? null : Array.from({ length: i % 4 }, (_, k) => ((i + k) % 5 === 0 ? null : doubles[(i + k) % doubles.length]!)),
      flags: Array.from({ length: i % 3 }, (_, k) => (i + k) % 2 === 0),
    };
  });
}

const COLUMNS = schema.fields!.map((f) => f.name);
/** The columns the direct path reads: all but the required flat numbers (hyparquet gives those as typed arrays). */
const DIRECT_COLUMNS = COLUMNS.filter((name) => name !== 'id' && name !== 'big');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleetwave-direct-hashes-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Summaries {
  general: SideSummary;
  direct: SideSummary;
  /** Columns the direct path hashed (the rest it left to the general path). */
  directColumns: Set<string>;
}

/** The specs of `schema`'s columns, as verify makes them. */
function specsOf(names: readonly string[]): ColumnSpec[] {
  const expected = avroFieldSignatures(schema as Parameters<typeof avroFieldSignatures>[0]);
  return names.map((n) => {
    const signature = expected.find((e) => e.name === n)!.signature;
    return { name: n, signature, orderable: isOrderable(signature) };
  });
}

/** The file summarized twice: every column through hyparquet's values, and string columns from their pages. */
async function summarizeBothWays(path: string, specs = specsOf(COLUMNS)): Promise<Summaries> {
  const reader = await ParquetColumnsReader.open(path);
  try {
    const names = specs.map((s) => s.name);
    const types = new Map(schema.fields!.map((f) => [f.name, f.type]));
    const general = new SideSummary(specs, 0);
    const direct = new SideSummary(specs, 0);
    const directColumns = new Set<string>();
    for (const group of reader.groups(names, types, 'test')) {
      general.beginRows(group.rows);
      direct.beginRows(group.rows);
      for (let c = 0; c < names.length; c++) {
        general.addColumn(c, await group.readParts(c));
        const stats = await group.hashDirect(c, direct.hashesOf(c), specs[c]!.orderable);
        if (stats) {
          direct.addHashedColumn(c, stats);
          directColumns.add(names[c]!);
        } else direct.addColumn(c, await group.readParts(c));
      }
      general.endRows();
      direct.endRows();
    }
    return { general, direct, directColumns };
  } finally {
    await reader.close();
  }
}

describe('columns hashed from their pages', () => {
  it.each(['none', 'snappy', 'zstd', 'gzip'] as const)(
    "equal the general path on Fleetwave's own files (parquet-wasm: dictionary pages, %s)",
    async (compression: ParquetCompression) => {
      const path = join(dir, `own-${compression}.parquet`);
      await writeParquetFile(path, schema, rows(500), { compression, rowGroupSize: 128 });
      const { general, direct, directColumns } = await summarizeBothWays(path);
      expect([...directColumns].sort()).toEqual([...DIRECT_COLUMNS].sort());
      expect(direct.toState()).toEqual(general.toState());
      expect(direct.rows).toBe(500);
      const bigs = rows(500).map((r) => r.big as bigint);
      expect(direct.columns.find((c) => c.name === 'big')).toMatchObject({
        min: bigs.reduce((a, b) => (b < a ? b : a)),
        max: bigs.reduce((a, b) => (b > a ? b : a)),
      });
      const xs = rows(500)
        .map((r) => r.x as number | null)
        .filter((x): x is number => x !== null && !Number.isNaN(x));
      expect(direct.columns.find((c) => c.name === 'x')).toMatchObject({ min: Math.min(...xs), max: Math.max(...xs), nulls: 56 });
    },
  );

  it.each([
    ['dictionary pages, v1', "COMPRESSION 'snappy'"],
    ['dictionary pages, v2', "COMPRESSION 'zstd', PARQUET_VERSION 'V2'"],
    ['no dictionary', "COMPRESSION 'uncompressed', DICTIONARY_SIZE_LIMIT 1"],
  ])(
    "equal the general path on DuckDB's files (%s), whether or not DuckDB's encodings are ones the direct path reads",
    async (_label, options) => {
      const own = join(dir, `for-duckdb-${_label.replace(/\W+/g, '-')}.parquet`);
      const path = join(dir, `duckdb-${_label.replace(/\W+/g, '-')}.parquet`);
      await writeParquetFile(own, schema, rows(3000), { rowGroupSize: 3000 });
      await duckdbQuery(
        `COPY (SELECT * FROM read_parquet('${own}') ORDER BY id) TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE 1000, ${options})`,
      );
      const { general, direct, directColumns } = await summarizeBothWays(path);
      expect(direct.toState()).toEqual(general.toState());
      expect(direct.rows).toBe(3000);
      // the columns whose every chunk has only encodings the direct path reads (DuckDB's v2 pages write
      // some columns with DELTA encodings, which it leaves to the general path)
      const metadata = parquetMetadata(readFileSync(path).buffer as ArrayBuffer);
      // DuckDB writes every column OPTIONAL, so the direct path reads its numbers too
      const readable = COLUMNS.filter((name) =>
        metadata.row_groups.every((g) =>
          g.columns
            .filter((c) => c.meta_data!.path_in_schema[0] === name)
            .every((c) => c.meta_data!.encodings.every((e) => ['PLAIN', 'PLAIN_DICTIONARY', 'RLE_DICTIONARY', 'RLE'].includes(e))),
        ),
      );
      expect(readable.length).toBeGreaterThanOrEqual(8);
      expect([...directColumns].sort()).toEqual(readable.sort());
    },
  );

  it("equal the general path on hyparquet-writer's files", async () => {
    const data = rows(700);
    const path = join(dir, 'hyparquet-writer.parquet');
    parquetWriteFile({
      filename: path,
      columnData: [
        { name: 'id', data: data.map((r) => r.id), type: 'INT64' },
        { name: 's', data: data.map((r) => r.s), type: 'STRING', nullable: false },
        { name: 'ns', data: data.map((r) => r.ns), type: 'STRING' },
      ],
      rowGroupSize: 300,
    } as never);
    const { general, direct, directColumns } = await summarizeBothWays(path, specsOf(['id', 's', 'ns']));
    expect([...directColumns].sort()).toEqual(['id', 'ns', 's']); // id is OPTIONAL: hyparquet-writer's default
    expect(direct.toState()).toEqual(general.toState());
    // JS orders strings by UTF-16 code unit: the byte order mark (U+FEFF) above the emoji's surrogates
    expect(direct.columns[1]).toMatchObject({ min: '', max: '\uFEFFbom' });
  });

  it('names the file, row group and column of a corrupt page', async () => {
    const path = join(dir, 'corrupt.parquet');
    const twoColumns: AvroSchemaObject = { ...schema, fields: schema.fields!.slice(0, 2) };
    await writeParquetFile(
      path,
      twoColumns,
      rows(50).map((r) => ({ id: r.id!, s: r.s! })),
      { compression: 'none' },
    );
    const bytes = readFileSync(path);
    const meta = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer);
    const chunk = meta.row_groups[0]!.columns[1]!.meta_data!;
    // the length prefix of the first dictionary entry (the first row's string), made to run past the page
    const first = Buffer.from(rows(1)[0]!.s as string);
    const at = bytes.indexOf(first, Number(chunk.dictionary_page_offset ?? chunk.data_page_offset));
    expect(at).toBeGreaterThan(0);
    expect(bytes.readUInt32LE(at - 4)).toBe(first.length);
    bytes.writeUInt32LE(0x7fffffff, at - 4);
    writeFileSync(path, bytes);
    const reader = await ParquetColumnsReader.open(path);
    try {
      const specs: ColumnSpec[] = [{ name: 's', signature: 'string', orderable: true }];
      const summary = new SideSummary(specs, 0);
      const group = reader.groups(['s'], new Map(), undefined).next().value!;
      summary.beginRows(group.rows);
      await expect(group.hashDirect(0, summary.hashesOf(0), true)).rejects.toThrow(
        new RegExp(
          `^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: row group 0 \\(rows 0–49\\): cannot read column "s": value 0 of \\d+: 2147483647 bytes at byte \\d+ run past the page's end`,
        ),
      );
    } finally {
      await reader.close();
    }
  });
});
