/**
 * Issue 16: Avro files that other readers accept convert exactly, broken ones are refused. Every
 * input is made here (Fleetwave's Avro writer, or bytes by hand: test/data/avro/handmade.ts); every
 * output is read back by DuckDB (an independent Parquet reader) or hyparquet, and verified.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata, parquetSchema } from 'hyparquet';
import { Decimal } from '../../src/data/avro/decimal.js';
import { readAvroRows } from '../../src/data/avro/reader.js';
import type { AvroRecord, AvroSchema, AvroValue } from '../../src/data/avro/types.js';
import { writeAvroFile } from '../../src/data/avro/writer.js';
import { convertDataset } from '../../src/data/convert.js';
import { writeParquetFile } from '../../src/data/parquet/writer.js';
import { verifyDataset } from '../../src/data/verify/verify.js';
import { DataError } from '../../src/util/errors.js';
import { duckdbQuery, readBackWithDuckDB } from './parquet/duckdb-read-back.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetwave-avro-conformance-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
/** Writes `rows` as an Avro file, converts it, and returns the paths. */
async function roundTrip(schema: AvroSchema, rows: AvroValue[]): Promise<{ avro: string; parquet: string; rows: number }> {
  const base = join(dir, `case-${++n}`);
  const avro = `${base}.avro`;
  const parquet = `${base}.parquet`;
  await writeAvroFile(avro, schema, rows);
  const result = await convertDataset(avro, parquet);
  return { avro, parquet, rows: result.rows };
}

async function readAll(path: string): Promise<AvroRecord[]> {
  const out: AvroRecord[] = [];
  for await (const r of readAvroRows(path)) out.push(r);
  return out;
}

async function footer(path: string) {
  const buf = await readFile(path);
  return parquetMetadata(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

describe('records with no fields', () => {
  const schema: AvroSchema = {
    type: 'record',
    name: 'manifest_entry',
    fields: [
      { name: 'status', type: 'int' },
      { name: 'partition', type: { type: 'record', name: 'r102', fields: [] } },
      { name: 'maybe', type: ['null', { type: 'record', name: 'r103', fields: [] }] },
    ],
  };
  const rows: AvroRecord[] = [
    { status: 1, partition: {}, maybe: null },
    { status: 2, partition: {}, maybe: {} },
  ];

  it('a nested one converts with a placeholder column DuckDB reads; the rows come back exact and verify passes', async () => {
    const { avro, parquet, rows: written } = await roundTrip(schema, rows);
    expect(written).toBe(2);
    expect(await readBackWithDuckDB(parquet, schema)).toEqual(rows);
    const duck = await duckdbQuery(
      `SELECT status, partition IS NULL AS p, maybe IS NULL AS m FROM read_parquet('${parquet}') ORDER BY status`,
    );
    expect(duck).toEqual([
      { status: 1, p: false, m: true },
      { status: 2, p: false, m: false },
    ]);
    const report = await verifyDataset(avro, parquet);
    expect(report.reasons).toEqual([]);
    expect(report.pass).toBe(true);
  });

  it('convert says where it wrote the placeholder', async () => {
    const avro = join(dir, 'empty-warning.avro');
    await writeAvroFile(avro, schema, rows);
    const result = await convertDataset(avro, join(dir, 'empty-warning.parquet'));
    expect(result.warnings).toEqual([
      'partition, maybe: a record with no fields, written as a group with one placeholder column _empty that is always null (Parquet has no empty group; docs/data.md, "Records with no fields")',
    ]);
  });

  it('verify tells a null record from an empty one', async () => {
    const { avro } = await roundTrip(schema, rows);
    const swapped = join(dir, 'empty-swapped.parquet');
    await writeParquetFile(swapped, schema, [rows[0]!, { ...rows[1]!, maybe: null }]);
    const report = await verifyDataset(avro, swapped);
    expect(report.pass).toBe(false);
    expect(report.columns.find((c) => c.name === 'maybe')).toMatchObject({ equal: false, nulls: { source: 1, target: 2 } });
  });

  it('a top-level one converts to a file with one placeholder column and every row', async () => {
    const empty: AvroSchema = { type: 'record', name: 'Nothing', fields: [] };
    const { avro, parquet, rows: written } = await roundTrip(empty, [{}, {}, {}]);
    expect(written).toBe(3);
    expect(Number((await footer(parquet)).num_rows)).toBe(3);
    expect(await duckdbQuery(`SELECT count(*)::INTEGER AS n FROM read_parquet('${parquet}')`)).toEqual([{ n: 3 }]);
    const report = await verifyDataset(avro, parquet);
    expect(report.pass).toBe(true);
    expect(report.targetRows).toBe(3);
  });
});

describe('map keys that are names of Object.prototype', () => {
  const schema: AvroSchema = {
    type: 'record',
    name: 'Labels',
    fields: [
      { name: 'id', type: 'long' },
      { name: 'labels', type: { type: 'map', values: 'string' } },
    ],
  };
  const keys = ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'plain'];

  /** A map value as the reader gives it: an object with no prototype, every key its own entry. */
  function labels(entries: [string, string][]): { [k: string]: AvroValue } {
    const out = Object.create(null) as { [k: string]: AvroValue };
    for (const [k, v] of entries) out[k] = v;
    return out;
  }

  it('are read, converted, read back by DuckDB and verified, every one kept', async () => {
    const rows: AvroRecord[] = [
      { id: 1n, labels: labels(keys.map((k) => [k, `v-${k}`])) },
      { id: 2n, labels: labels([['__proto__', 'only']]) },
    ];
    const { avro, parquet } = await roundTrip(schema, rows);
    const read = await readAll(avro);
    expect(read.map((r) => Object.keys(r.labels as object))).toEqual([keys, ['__proto__']]);
    expect((read[1]!.labels as Record<string, AvroValue>)['__proto__']).toBe('only');
    const duck = await duckdbQuery(`SELECT id, map_keys(labels) AS k FROM read_parquet('${parquet}') ORDER BY id`);
    expect(duck.map((r) => (r.k as { items: string[] }).items)).toEqual([keys, ['__proto__']]);
    expect(await readBackWithDuckDB(parquet, schema)).toEqual(rows);
    const report = await verifyDataset(avro, parquet);
    expect(report.reasons).toEqual([]);
  });

  it.each<[string, AvroSchema, AvroRecord[]]>([
    [
      'in a list',
      { type: 'record', name: 'L', fields: [{ name: 'a', type: { type: 'array', items: { type: 'map', values: 'string' } } }] },
      [
        {
          a: [
            labels([
              ['__proto__', 'x'],
              ['b', 'y'],
            ]),
            labels([]),
          ],
        },
        { a: [] },
      ],
    ],
    [
      'in a map',
      { type: 'record', name: 'M', fields: [{ name: 'm', type: ['null', { type: 'map', values: { type: 'map', values: 'long' } }] }] },
      [{ m: Object.fromEntries([['__proto__', Object.fromEntries([['constructor', 1n]])]]) }, { m: null }],
    ],
    [
      'in a record in a list',
      {
        type: 'record',
        name: 'N',
        fields: [
          {
            name: 'a',
            type: {
              type: 'array',
              items: { type: 'record', name: 'I', fields: [{ name: 'mm', type: ['null', { type: 'map', values: 'int' }] }] },
            },
          },
        ],
      },
      [{ a: [{ mm: Object.fromEntries([['hasOwnProperty', 1]]) }, { mm: null }] }],
    ],
  ])('nested %s, are kept through DuckDB and verify', async (_where, nestedSchema, rows) => {
    const { avro, parquet } = await roundTrip(nestedSchema, rows);
    expect(await readAll(avro)).toEqual(rows);
    expect(await readBackWithDuckDB(parquet, nestedSchema)).toEqual(rows);
    expect((await verifyDataset(avro, parquet)).reasons).toEqual([]);
  });

  it('a target that lost the __proto__ entry fails verification', async () => {
    const rows: AvroRecord[] = [
      {
        id: 1n,
        labels: labels([
          ['__proto__', 'x'],
          ['a', 'y'],
        ]),
      },
    ];
    const { avro } = await roundTrip(schema, rows);
    const lost = join(dir, 'lost-proto.parquet');
    await writeParquetFile(lost, schema, [{ id: 1n, labels: labels([['a', 'y']]) }]);
    const report = await verifyDataset(avro, lost);
    expect(report.pass).toBe(false);
    expect(report.reasons.join('\n')).toMatch(/1 of 1 rows differ/);
  });
});

describe('names with $ (Java reflect)', () => {
  const ns = 'org.apache.avro.mapred.TestReflectJob$';
  const schema: AvroSchema = {
    type: 'record',
    name: 'Numbers',
    namespace: ns,
    fields: [
      { name: 'n', type: 'int' },
      {
        name: 'inner',
        type: [
          'null',
          { type: 'record', name: 'Outer$Inner', fields: [{ name: 'x', type: 'long' }] },
          { type: 'enum', name: 'Kind$', symbols: ['A', 'B'] },
        ],
      },
      { name: 'again', type: ['null', 'Outer$Inner'] },
    ],
  };

  it('are accepted: the file reads, converts, reads back in DuckDB and verifies', async () => {
    const rows: AvroRecord[] = [
      { n: 1, inner: { [`org.apache.avro.mapred.TestReflectJob_x24_.Outer_x24_Inner`]: { x: 5n } }, again: { x: 6n } },
      { n: 2, inner: { [`org.apache.avro.mapred.TestReflectJob_x24_.Kind_x24_`]: 'B' }, again: null },
      { n: 3, inner: null, again: null },
    ];
    const { avro, parquet } = await roundTrip(schema, rows);
    expect(await readAll(avro)).toEqual(rows);
    expect(await readBackWithDuckDB(parquet, schema)).toEqual(rows);
    const kv = (await footer(parquet)).key_value_metadata?.find((e) => e.key === 'parquet.avro.schema')?.value ?? '';
    expect(JSON.parse(kv).namespace).toBe(ns);
    expect((await verifyDataset(avro, parquet)).reasons).toEqual([]);
  });
});

describe('timestamp-nanos and local-timestamp-nanos', () => {
  const schema: AvroSchema = {
    type: 'record',
    name: 'Events',
    fields: [
      { name: 'at', type: { type: 'long', logicalType: 'timestamp-nanos' } },
      { name: 'local', type: ['null', { type: 'long', logicalType: 'local-timestamp-nanos' }] },
    ],
  };
  const rows: AvroRecord[] = [
    { at: 1_700_000_000_123_456_789n, local: 1_700_000_000_000_000_001n },
    { at: -1n, local: null },
  ];

  it('are written as TIMESTAMP(NANOS) with isAdjustedToUTC true and false, read by DuckDB and verified exactly', async () => {
    const { avro, parquet } = await roundTrip(schema, rows);
    const tree = parquetSchema(await footer(parquet));
    const logical = Object.fromEntries(tree.children.map((c) => [c.element.name, [c.element.type, c.element.logical_type]]));
    expect(logical).toEqual({
      at: ['INT64', { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'NANOS' }],
      local: ['INT64', { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'NANOS' }],
    });
    // DuckDB reads the UTC-adjusted one as TIMESTAMP WITH TIME ZONE, whose unit is the microsecond (its
    // own limit), and the local one as TIMESTAMP_NS, exact; verify (hyparquet) compares every nanosecond.
    const duck = await duckdbQuery(
      `SELECT typeof("at") AS t, epoch_us("at") AS us, typeof("local") AS lt, epoch_ns("local") AS ns FROM read_parquet('${parquet}')`,
    );
    expect(duck).toEqual([
      { t: 'TIMESTAMP WITH TIME ZONE', us: 1_700_000_000_123_456n, lt: 'TIMESTAMP_NS', ns: 1_700_000_000_000_000_001n },
      { t: 'TIMESTAMP WITH TIME ZONE', us: 0n, lt: 'TIMESTAMP_NS', ns: null }, // -1 ns, truncated toward zero by DuckDB
    ]);
    const report = await verifyDataset(avro, parquet);
    expect(report.reasons).toEqual([]);
    expect(report.columns.find((c) => c.name === 'at')?.max.target).toBe('1700000000123456789');
  });

  it('a target that holds the same values as a bare INT64 fails verification: the logical type is checked', async () => {
    const { avro } = await roundTrip(schema, rows);
    const bare = join(dir, 'bare-int64.parquet');
    await writeParquetFile(
      bare,
      {
        type: 'record',
        name: 'Events',
        fields: [
          { name: 'at', type: 'long' },
          { name: 'local', type: ['null', 'long'] },
        ],
      },
      rows,
    );
    const report = await verifyDataset(avro, bare);
    expect(report.pass).toBe(false);
    expect(report.schema.mismatches).toEqual([
      { column: 'at', expected: 'timestamp-nanos', actual: 'long' },
      { column: 'local', expected: 'local-timestamp-nanos', actual: 'long' },
    ]);
  });
});

describe('decimals wider than 38 digits', () => {
  const schema: AvroSchema = {
    type: 'record',
    name: 'Amounts',
    fields: [
      { name: 'wide', type: { type: 'bytes', logicalType: 'decimal', precision: 76, scale: 10 } },
      {
        name: 'fixed',
        type: ['null', { type: 'fixed', name: 'F32', size: 32, logicalType: 'decimal', precision: 60, scale: 0 }],
      },
    ],
  };
  const max76 = Decimal.parse(`${'9'.repeat(66)}.${'9'.repeat(10)}`);
  const rows: AvroRecord[] = [
    { wide: max76, fixed: Decimal.parse(`-${'9'.repeat(60)}`) },
    { wide: Decimal.parse('-0.0000000001'), fixed: null },
    { wide: Decimal.parse(`-${'9'.repeat(66)}.${'9'.repeat(10)}`), fixed: Decimal.parse('12345678901234567890123456789012345678901') },
  ];

  it('up to 76 digits are written as FIXED_LEN_BYTE_ARRAY DECIMAL(p, s) and read back exactly (hyparquet, verify)', async () => {
    const { avro, parquet } = await roundTrip(schema, rows);
    const tree = parquetSchema(await footer(parquet));
    const shape = tree.children.map((c) => [c.element.name, c.element.type, c.element.logical_type]);
    expect(shape).toEqual([
      ['wide', 'FIXED_LEN_BYTE_ARRAY', { type: 'DECIMAL', precision: 76, scale: 10 }],
      ['fixed', 'FIXED_LEN_BYTE_ARRAY', { type: 'DECIMAL', precision: 60, scale: 0 }],
    ]);
    const report = await verifyDataset(avro, parquet);
    expect(report.reasons).toEqual([]);
    expect(report.columns.find((c) => c.name === 'wide')?.max.target).toBe(max76.toString());
    // DuckDB holds at most DECIMAL(38): it reads these columns as DOUBLE, so only their order of magnitude is checked there.
    const duck = await duckdbQuery(`SELECT typeof(wide) AS t, wide > 1e65 AS big FROM read_parquet('${parquet}') LIMIT 1`);
    expect(duck).toEqual([{ t: 'DOUBLE', big: true }]);
  });
});

describe('a folder whose files list their fields in different orders', () => {
  it('is converted and verified alike: every file read as the first one (or dataset.schema) by Avro resolution', async () => {
    const folder = join(dir, 'orders');
    await mkdir(folder, { recursive: true });
    const ab: AvroSchema = {
      type: 'record',
      name: 'R',
      fields: [
        { name: 'a', type: 'long' },
        { name: 'b', type: 'string' },
      ],
    };
    const ba: AvroSchema = {
      type: 'record',
      name: 'R',
      fields: [
        { name: 'b', type: 'string' },
        { name: 'a', type: 'long' },
      ],
    };
    await writeAvroFile(join(folder, 'part-1.avro'), ab, [{ a: 1n, b: 'one' }]);
    await writeAvroFile(join(folder, 'part-2.avro'), ba, [{ b: 'two', a: 2n }]);
    const out = join(dir, 'orders.parquet');
    expect((await convertDataset(folder, out)).rows).toBe(2);
    expect(await readBackWithDuckDB(out, ab)).toEqual([
      { a: 1n, b: 'one' },
      { a: 2n, b: 'two' },
    ]);
    const report = await verifyDataset(folder, out);
    expect(report.reasons).toEqual([]);
    expect(report.sourceRows).toBe(2);
  });
});

describe('recursive types', () => {
  const schema: AvroSchema = {
    type: 'record',
    name: 'Node',
    fields: [
      { name: 'id', type: 'long' },
      {
        name: 'meta',
        type: {
          type: 'record',
          name: 'Meta',
          fields: [
            { name: 'label', type: 'string' },
            { name: 'next', type: ['null', 'Node'] },
          ],
        },
      },
    ],
  };
  const rows: AvroRecord[] = [
    { id: 1n, meta: { label: 'a', next: { id: 2n, meta: { label: 'b', next: null } } } },
    { id: 3n, meta: { label: 'c', next: null } },
  ];

  it('are refused with what to do: a transform that drops the field holding the recursion', async () => {
    const avro = join(dir, 'recursive.avro');
    await writeAvroFile(avro, schema, rows);
    const err = await convertDataset(avro, join(dir, 'recursive.parquet')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toBe(
      'meta.next: the Avro type "Node" contains itself (a recursive type), which has no Parquet layout (a Parquet schema is a fixed tree of columns); add a dataset.transform step that drops the field holding it (`- drop: meta.next`), or copy the levels you need into fields of their own before converting (docs/transforms.md)',
    );
    // The advice works: with the step, the rest converts and verifies.
    const result = await convertDataset(avro, join(dir, 'recursive.parquet'), { steps: [{ drop: 'meta.next' }] });
    expect(result.rows).toBe(2);
    expect((await verifyDataset(avro, join(dir, 'recursive.parquet'), { transform: [{ drop: 'meta.next' }] })).reasons).toEqual([]);
  });
});

describe('schema resolution (the specification, "Schema Resolution")', () => {
  const writer: AvroSchema = {
    type: 'record',
    name: 'Old',
    namespace: 'v1',
    fields: [
      { name: 'name', type: 'string' },
      { name: 'count', type: 'int' },
      { name: 'ratio', type: 'float' },
      { name: 'small', type: 'int' },
      { name: 'text', type: 'string' },
      { name: 'blob', type: 'bytes' },
      { name: 'gone', type: 'long' },
      { name: 'color', type: { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN', 'PURPLE'] } },
      { name: 'plain', type: 'long' },
    ],
  };
  const reader: AvroSchema = {
    type: 'record',
    name: 'New',
    namespace: 'v2',
    aliases: ['v1.Old'],
    fields: [
      { name: 'user', type: 'string', aliases: ['name'] },
      { name: 'count', type: 'long' },
      { name: 'ratio', type: 'double' },
      { name: 'small', type: 'double' },
      { name: 'text', type: 'bytes' },
      { name: 'blob', type: 'string' },
      { name: 'color', type: { type: 'enum', name: 'Color', aliases: ['v1.Color'], symbols: ['RED', 'GREEN', 'OTHER'], default: 'OTHER' } },
      { name: 'plain', type: ['null', 'long'] },
      { name: 'added', type: 'string', default: 'none' },
    ],
  };

  it('reads a writer schema as a reader schema: aliases, promotions, enum default, added and removed fields, a value into a union', async () => {
    const path = join(dir, 'resolution.avro');
    await writeAvroFile(path, writer, [
      { name: 'ada', count: 7, ratio: 0.5, small: 3, text: 'héllo', blob: Buffer.from('wörld'), gone: 1n, color: 'PURPLE', plain: 9n },
    ]);
    const rows: AvroRecord[] = [];
    for await (const r of readAvroRows(path, { readerSchema: reader })) rows.push(r);
    expect(rows).toEqual([
      {
        user: 'ada',
        count: 7n,
        ratio: 0.5,
        small: 3,
        text: Buffer.from('héllo'),
        blob: 'wörld',
        color: 'OTHER',
        plain: 9n,
        added: 'none',
      },
    ]);
  });
});

describe('logical types read as their underlying type', () => {
  it('an invalid decimal (scale above precision, more digits than its fixed holds, no precision) is its bytes or fixed, as the specification says', async () => {
    const schema: AvroSchema = {
      type: 'record',
      name: 'BadDecimals',
      fields: [
        { name: 'scaleOver', type: { type: 'bytes', logicalType: 'decimal', precision: 2, scale: 3 } },
        { name: 'tooWide', type: { type: 'fixed', name: 'Two', size: 2, logicalType: 'decimal', precision: 10, scale: 0 } },
        { name: 'noPrecision', type: { type: 'bytes', logicalType: 'decimal' } },
        { name: 'fine', type: { type: 'bytes', logicalType: 'decimal', precision: 4, scale: 2 } },
      ],
    };
    const rows: AvroRecord[] = [
      { scaleOver: Buffer.from([0x7f]), tooWide: Buffer.from([0x01, 0x02]), noPrecision: Buffer.from([]), fine: Decimal.parse('12.34') },
    ];
    const { avro, parquet } = await roundTrip(schema, rows);
    expect(await readAll(avro)).toEqual(rows);
    expect(await readBackWithDuckDB(parquet, schema)).toEqual(rows);
    const tree = parquetSchema(await footer(parquet));
    expect(tree.children.map((c) => [c.element.name, c.element.type, c.element.logical_type?.type ?? null])).toEqual([
      ['scaleOver', 'BYTE_ARRAY', null],
      ['tooWide', 'FIXED_LEN_BYTE_ARRAY', null],
      ['noPrecision', 'BYTE_ARRAY', null],
      ['fine', 'INT32', 'DECIMAL'],
    ]);
    expect((await verifyDataset(avro, parquet)).reasons).toEqual([]);
  });

  it('duration, uuid on fixed, big-decimal and an unknown logical type convert as their underlying type and verify', async () => {
    const schema: AvroSchema = {
      type: 'record',
      name: 'Others',
      fields: [
        { name: 'dur', type: { type: 'fixed', name: 'Duration', size: 12, logicalType: 'duration' } },
        { name: 'id', type: { type: 'fixed', name: 'Uuid16', size: 16, logicalType: 'uuid' } },
        { name: 'big', type: { type: 'bytes', logicalType: 'big-decimal' } },
        { name: 'odd', type: { type: 'string', logicalType: 'made-up' } },
      ],
    };
    const rows: AvroRecord[] = [{ dur: Buffer.alloc(12, 1), id: Buffer.alloc(16, 0xab), big: Buffer.from([0x01, 0x02]), odd: 'x' }];
    const { avro, parquet } = await roundTrip(schema, rows);
    expect(await readAll(avro)).toEqual(rows);
    expect(await readBackWithDuckDB(parquet, schema)).toEqual(rows);
    const tree = parquetSchema(await footer(parquet));
    expect(tree.children.map((c) => [c.element.name, c.element.type, c.element.type_length ?? null])).toEqual([
      ['dur', 'FIXED_LEN_BYTE_ARRAY', 12],
      ['id', 'FIXED_LEN_BYTE_ARRAY', 16],
      ['big', 'BYTE_ARRAY', null],
      ['odd', 'BYTE_ARRAY', null],
    ]);
    expect((await verifyDataset(avro, parquet)).reasons).toEqual([]);
  });
});

describe('layouts at the edges: empty records, nulls and empty fixed inside lists, maps and unions', () => {
  const empty: AvroSchema = { type: 'record', name: 'E', fields: [] };
  const cases: [string, AvroSchema, AvroRecord[]][] = [
    [
      'a list of empty records',
      { type: 'record', name: 'R', fields: [{ name: 'a', type: { type: 'array', items: empty } }] },
      [{ a: [{}, {}] }, { a: [] }],
    ],
    [
      'a map of empty records',
      { type: 'record', name: 'R', fields: [{ name: 'm', type: { type: 'map', values: empty } }] },
      [{ m: { k: {} } }, { m: {} }],
    ],
    [
      'a union with an empty record branch',
      { type: 'record', name: 'R', fields: [{ name: 'u', type: ['null', 'int', empty] }] },
      [{ u: { E: {} } }, { u: { int: 3 } }, { u: null }],
    ],
    [
      'an empty record in an empty record',
      { type: 'record', name: 'R', fields: [{ name: 'o', type: { type: 'record', name: 'O', fields: [{ name: 'i', type: empty }] } }] },
      [{ o: { i: {} } }],
    ],
    [
      'a list of nulls',
      { type: 'record', name: 'R', fields: [{ name: 'a', type: { type: 'array', items: 'null' } }] },
      [{ a: [null, null] }, { a: [] }],
    ],
    [
      'a fixed of size 0',
      { type: 'record', name: 'R', fields: [{ name: 'f', type: { type: 'fixed', name: 'Z', size: 0 } }] },
      [{ f: Buffer.alloc(0) }],
    ],
    ['rows with no fields and no rows', { type: 'record', name: 'R', fields: [] }, []],
  ];

  it.each(cases)('%s converts, DuckDB reads back the rows exactly, verify passes', async (_what, schema, rows) => {
    const { avro, parquet, rows: written } = await roundTrip(schema, rows);
    expect(written).toBe(rows.length);
    expect(await readBackWithDuckDB(parquet, schema)).toEqual(rows);
    expect((await verifyDataset(avro, parquet)).reasons).toEqual([]);
  });
});
