/**
 * A generated dataset covering every Avro type Fleetwave reads and writes (issue 4): records, nested
 * records, enums, fixed, arrays, maps, nullable and multi-type unions, and every logical type. Values
 * are in the value model of src/data/avro/types.ts. Deterministic (seeded), so failures reproduce.
 */
import { Decimal } from '../../../src/data/avro/decimal.js';
import type { AvroRecord, AvroSchemaObject, AvroValue } from '../../../src/data/avro/types.js';

export const everyTypeSchema: AvroSchemaObject = {
  type: 'record',
  name: 'EveryType',
  namespace: 'test.fleetwave',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'i32', type: 'int' },
    { name: 'flag', type: 'boolean' },
    { name: 'f32', type: 'float' },
    { name: 'f64', type: 'double' },
    { name: 'text', type: 'string' },
    { name: 'raw', type: 'bytes' },
    { name: 'nothing', type: 'null' },
    { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['A', 'B', 'C'] } },
    { name: 'md5', type: { type: 'fixed', name: 'MD5', size: 16 } },
    { name: 'doubles', type: { type: 'array', items: 'double' } },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'matrix', type: { type: 'array', items: { type: 'array', items: 'int' } } },
    { name: 'labels', type: { type: 'map', values: 'string' } },
    {
      name: 'foos',
      type: {
        type: 'map',
        values: {
          type: 'record',
          name: 'Foo',
          fields: [
            { name: 'label', type: 'string' },
            { name: 'weight', type: ['null', 'long'] },
          ],
        },
      },
    },
    { name: 'choice', type: ['boolean', 'double', { type: 'array', items: 'bytes' }] },
    { name: 'maybeChoice', type: ['null', 'string', 'long', 'Foo'] },
    { name: 'maybeText', type: ['null', 'string'] },
    { name: 'maybeLong', type: ['long', 'null'] },
    { name: 'maybeTags', type: ['null', { type: 'array', items: ['null', 'string'] }] },
    {
      name: 'address',
      type: {
        type: 'record',
        name: 'Address',
        fields: [
          { name: 'street', type: 'string' },
          { name: 'zip', type: ['null', 'int'] },
          {
            name: 'geo',
            type: {
              type: 'record',
              name: 'Geo',
              fields: [
                { name: 'lat', type: 'double' },
                { name: 'lon', type: 'double' },
              ],
            },
          },
        ],
      },
    },
    { name: 'maybeAddress', type: ['null', 'Address'] },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'tMillis', type: { type: 'int', logicalType: 'time-millis' } },
    { name: 'tMicros', type: { type: 'long', logicalType: 'time-micros' } },
    { name: 'tsMillis', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'tsMicros', type: { type: 'long', logicalType: 'timestamp-micros' } },
    { name: 'localMillis', type: { type: 'long', logicalType: 'local-timestamp-millis' } },
    { name: 'localMicros', type: { type: 'long', logicalType: 'local-timestamp-micros' } },
    { name: 'maybeTs', type: ['null', { type: 'long', logicalType: 'timestamp-millis' }] },
    { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 } },
    { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 18, scale: 4 } },
    { name: 'huge', type: { type: 'bytes', logicalType: 'decimal', precision: 30, scale: 10 } },
    { name: 'fixedDec', type: { type: 'fixed', name: 'Dec16', size: 16, logicalType: 'decimal', precision: 38, scale: 6 } },
    { name: 'maybePrice', type: ['null', { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 }] },
    { name: 'uuid', type: { type: 'string', logicalType: 'uuid' } },
  ],
};

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const texts = ['', 'hello', 'héllo wörld', '日本語', 'emoji 🚀', 'a,b;c"d', ' spaced '];
const extremes = [0n, 1n, -1n, 2n ** 53n + 1n, -(2n ** 53n) - 3n, 2n ** 63n - 1n, -(2n ** 63n), 9007199254740993n];

export function everyTypeRows(count: number, seed = 42): AvroRecord[] {
  const r = rng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)] as T;
  const big = (): bigint => (r() < 0.3 ? pick(extremes) : BigInt(int(-1e9, 1e9)) * BigInt(int(1, 1e6)));
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(0, 255)));
  const rows: AvroRecord[] = [];
  for (let i = 0; i < count; i++) {
    const nul = () => r() < 0.25;
    const foo = () => ({ label: pick(texts), weight: nul() ? null : big() });
    rows.push({
      id: i < extremes.length ? (extremes[i] as bigint) : big(),
      i32: pick([0, -1, 2147483647, -2147483648, int(-1000, 1000)]),
      flag: r() < 0.5,
      f32: Math.fround(pick([0, -1.5, 3.25, r() * 1e6])),
      f64: pick([0, -0.5, 1e300, -1e-300, r() * 1e9, Math.PI]),
      text: pick(texts),
      raw: bytes(int(0, 8)),
      nothing: null,
      kind: pick(['A', 'B', 'C']),
      md5: bytes(16),
      doubles: Array.from({ length: int(0, 3) }, () => r() * 100),
      tags: Array.from({ length: int(0, 3) }, () => pick(texts)),
      matrix: Array.from({ length: int(0, 2) }, () => Array.from({ length: int(0, 3) }, () => int(-9, 9))),
      labels: Object.fromEntries(Array.from({ length: int(0, 3) }, (_, k) => [`k${k}`, pick(texts)])),
      foos: Object.fromEntries(Array.from({ length: int(0, 2) }, (_, k) => [`f${k}`, foo()])),
      choice: pick<AvroValue>([{ boolean: r() < 0.5 }, { double: r() * 10 }, { array: [bytes(2), bytes(0)] }]),
      maybeChoice: pick<AvroValue>([null, { string: pick(texts) }, { long: big() }, { 'test.fleetwave.Foo': foo() }]),
      maybeText: nul() ? null : pick(texts),
      maybeLong: nul() ? null : big(),
      maybeTags: nul() ? null : Array.from({ length: int(0, 3) }, () => (nul() ? null : pick(texts))),
      address: { street: pick(texts), zip: nul() ? null : int(10000, 99999), geo: { lat: r() * 180 - 90, lon: r() * 360 - 180 } },
      maybeAddress: nul() ? null : { street: pick(texts), zip: null, geo: { lat: 0, lon: 0 } },
      day: int(-20000, 30000),
      tMillis: int(0, 86_399_999),
      tMicros: BigInt(int(0, 86_399_999)) * 1000n + BigInt(int(0, 999)),
      tsMillis: BigInt(int(-1e12, 2e12)),
      tsMicros: BigInt(int(-1e12, 2e12)) * 1000n + BigInt(int(0, 999)),
      localMillis: BigInt(int(0, 2e12)),
      localMicros: BigInt(int(0, 2e12)) * 1000n + 7n,
      maybeTs: nul() ? null : BigInt(int(0, 2e12)),
      price: new Decimal(BigInt(int(-99_999_999, 99_999_999)), 2),
      amount: new Decimal(BigInt(int(-1e9, 1e9)) * 1_000_000_000n + BigInt(int(0, 1e9 - 1)), 4),
      huge: new Decimal(pick([10n ** 29n + 12345n, -(10n ** 29n) + 1n, 0n, BigInt(int(-1e9, 1e9))]), 10),
      fixedDec: new Decimal(pick([10n ** 37n + 1n, -(10n ** 37n) - 1n, 5n, -5n]), 6),
      maybePrice: nul() ? null : new Decimal(BigInt(int(-999, 999)), 2),
      uuid: `${(i + 1).toString(16).padStart(8, '0')}-0000-4000-8000-${int(0, 0xffffff).toString(16).padStart(12, '0')}`,
    });
  }
  return rows;
}
