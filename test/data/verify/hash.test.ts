import { describe, expect, it } from '@jest/globals';
import { Decimal } from '../../../src/data/avro/decimal.js';
import {
  hashAddArrayEnd,
  hashAddArrayStart,
  hashAddNull,
  hashAddUtf8,
  hashBegin,
  hashColumn,
  hashEnd,
  hashValue,
  outA,
  outB,
} from '../../../src/data/verify/hash.js';
import { SideSummary, type ColumnSpec } from '../../../src/data/verify/summary.js';

/** What hashValue gives value by value (the reference the fast paths must equal). */
function reference(values: ArrayLike<unknown>, seedA: number, seedB: number): [number[], number[]] {
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < values.length; r++) {
    hashValue(values[r], seedA, seedB);
    a.push(outA | 0);
    b.push(outB | 0);
  }
  return [a, b];
}

function columnHashes(values: ArrayLike<unknown>, seedA: number, seedB: number): [number[], number[]] {
  const a = new Int32Array(values.length);
  const b = new Int32Array(values.length);
  hashColumn(values, values.length, seedA, seedB, a, b);
  return [[...a], [...b]];
}

const SAFE = Number.MAX_SAFE_INTEGER;
const longs = [
  0n,
  1n,
  -1n,
  42n,
  -42n,
  2n ** 31n,
  -(2n ** 31n),
  2n ** 32n,
  -(2n ** 32n) - 7n,
  BigInt(SAFE),
  BigInt(-SAFE),
  BigInt(SAFE) + 1n,
  BigInt(-SAFE) - 1n,
  2n ** 63n - 1n,
  -(2n ** 63n),
  2n ** 53n - 2n ** 32n,
  -(2n ** 53n) + 2n ** 32n + 5n,
];
const doubles = [
  0,
  -0,
  1,
  -1,
  0.5,
  -2.25,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 40,
  SAFE,
  -SAFE,
  SAFE + 1,
  1e300,
  -1e-300,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
];
const ints = [0, 1, -1, 7, -7, 2 ** 31 - 1, -(2 ** 31), 123456, -123456];

describe('hashColumn', () => {
  const seeds: [number, number][] = [
    [0x1234, 0x5678],
    [-99, 0x7fffffff],
  ];
  it.each(seeds)(
    'gives what hashValue gives for every value of a BigInt64Array, Float64Array, Float32Array and Int32Array (seed %i)',
    (sa, sb) => {
      for (const values of [BigInt64Array.from(longs), Float64Array.from(doubles), Float32Array.from(doubles), Int32Array.from(ints)]) {
        expect(columnHashes(values, sa, sb)).toEqual(reference(values, sa, sb));
      }
    },
  );

  it.each(seeds)('gives what hashValue gives for plain arrays of mixed values (seed %i)', (sa, sb) => {
    const values: unknown[] = [
      ...longs,
      ...doubles,
      ...ints,
      '',
      'a',
      'ab',
      'abc',
      'héllo wörld',
      '𝄞 clef',
      null,
      undefined,
      true,
      false,
      ['x', null, 3n],
      { b: 1, a: 'z' },
      new Uint8Array([1, 2, 3, 4, 5]),
      new Decimal(12345n, 2),
    ];
    expect(columnHashes(values, sa, sb)).toEqual(reference(values, sa, sb));
  });

  it('hashes a value alike whatever holds it: a typed array element and the same value in a plain array', () => {
    const typed = columnHashes(BigInt64Array.from(longs), 1, 2);
    const plain = columnHashes([...longs], 1, 2);
    expect(typed).toEqual(plain);
    expect(columnHashes(Int32Array.from(ints), 3, 4)).toEqual(columnHashes(ints.map(BigInt), 3, 4));
  });

  it('tells different values apart (null, the empty string, a number and the text "null" hash differently)', () => {
    const [a, b] = columnHashes([null, '', 0.5, 'null'], 5, 6);
    const pairs = new Set(a.map((x, i) => `${x}:${b[i]}`));
    expect(pairs.size).toBe(4);
  });
});

describe('SideSummary column by column', () => {
  const specs: ColumnSpec[] = [
    { name: 'id', signature: 'long', orderable: true },
    { name: 'score', signature: 'double', orderable: true },
    { name: 'note', signature: 'string', orderable: true },
  ];
  const ids = [5n, -(2n ** 40n), 2n ** 62n, 0n, -1n, 2n ** 32n + 1n, 2n ** 32n];
  const scores = [0.5, -3, 1e9, 7, -0.25, 2, 3];
  const notes = ['b', null, 'a', '', 'zz', null, 'é'];

  it('gives the same checksums, nulls and min/max for typed arrays in parts as for one plain array', () => {
    const plain = new SideSummary(specs, 0);
    plain.add({ rows: ids.length, columns: [ids, scores, notes] });
    const parts = new SideSummary(specs, 0);
    parts.beginRows(ids.length);
    parts.addColumn(0, [BigInt64Array.from(ids.slice(0, 3)), BigInt64Array.from(ids.slice(3))]);
    parts.addColumn(1, [Float64Array.from(scores.slice(0, 4)), Float64Array.from(scores.slice(4))]);
    parts.addColumn(2, [notes.slice(0, 1), notes.slice(1, 5), notes.slice(5)]);
    parts.endRows();
    expect(parts.toState()).toEqual(plain.toState());
    expect(parts.columns[0]).toMatchObject({ min: -(2n ** 40n), max: 2n ** 62n, nulls: 0 });
    expect(parts.columns[2]).toMatchObject({ min: '', max: 'é', nulls: 2 });
  });

  it('merges the summaries of two shares of the rows into the summary of all of them', () => {
    const all = new SideSummary(specs, 0);
    all.add({ rows: ids.length, columns: [ids, scores, notes] });
    const first = new SideSummary(specs, 0);
    first.add({ rows: 3, columns: [ids.slice(0, 3), scores.slice(0, 3), notes.slice(0, 3)] });
    const second = new SideSummary(specs, 0);
    second.add({ rows: 4, columns: [ids.slice(3), scores.slice(3), notes.slice(3)] });
    second.merge(first.toState());
    expect(second.toState()).toEqual(all.toState());
    const empty = new SideSummary(specs, 0);
    empty.merge(all.toState());
    expect(empty.toState()).toEqual(all.toState());
  });

  it('refuses a column with fewer values than the batch has rows', () => {
    const s = new SideSummary(specs, 0);
    s.beginRows(3);
    expect(() => s.addColumn(0, [BigInt64Array.from([1n, 2n])])).toThrow(/2 values for 3 rows/);
  });
});

describe('hashing a string piece by piece from its UTF-8 bytes', () => {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const piecewise = (bytes: Uint8Array, seedA: number, seedB: number): [number, number] => {
    // the bytes inside a larger buffer, as a Parquet page holds them
    const page = new Uint8Array(bytes.length + 6);
    page.set(bytes, 3);
    hashBegin(seedA, seedB);
    hashAddUtf8(page, 3, 3 + bytes.length);
    hashEnd();
    return [outA, outB];
  };
  const hashOf = (v: unknown, seedA: number, seedB: number): [number, number] => {
    hashValue(v, seedA, seedB);
    return [outA, outB];
  };

  it.each([
    '',
    'a',
    'ab',
    'abc',
    'user-1x-2y',
    'é',
    'naïve café',
    '日本語',
    '😀 emoji',
    '\uE000 private',
    '\uFEFFbom first',
    'x'.repeat(300),
  ])('gives %j the hash of the decoded string', (s) => {
    expect(piecewise(new TextEncoder().encode(s), 11, 12)).toEqual(hashOf(s, 11, 12));
  });

  it('hashes bytes that are not valid UTF-8 as TextDecoder decodes them (with replacement characters)', () => {
    const bad = Uint8Array.from([0x61, 0xff, 0x62, 0xc3]);
    expect(piecewise(bad, 3, 4)).toEqual(hashOf(decoder.decode(bad), 3, 4));
  });

  it('hashes arrays and nulls as hashValue walks them', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    hashBegin(5, 6);
    hashAddArrayStart(3);
    hashAddUtf8(enc('mobile'), 0, 6);
    hashAddNull();
    hashAddUtf8(enc('tv'), 0, 2);
    hashAddArrayEnd();
    hashEnd();
    expect([outA, outB]).toEqual(hashOf(['mobile', null, 'tv'], 5, 6));
    hashBegin(5, 6);
    hashAddNull();
    hashEnd();
    expect([outA, outB]).toEqual(hashOf(null, 5, 6));
  });
});
