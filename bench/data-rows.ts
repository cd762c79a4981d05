/**
 * The rows the data benchmarks (data-convert, data-verify) share, the shape: long id, string,
 * low-cardinality string, timestamp-millis, double, array of strings, nullable string. Row `i` is
 * always the same row, so that any range of rows can be generated on its own.
 */
import type { AvroRecord, AvroSchemaObject } from '../src/data/avro/types.js';

export const benchSchema: AvroSchemaObject = {
  type: 'record',
  name: 'PlayEvent',
  namespace: 'bench',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'user', type: 'string' },
    { name: 'country', type: 'string' },
    { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'amount', type: 'double' },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'note', type: ['null', 'string'] },
  ],
};

const countries = ['US', 'DE', 'FR', 'GB', 'JP', 'BR', 'IN', 'SE', 'NL', 'ES'];
const tagPool = ['mobile', 'web', 'tv', 'promo', 'trial', 'family', 'student'];
const T0 = 1_700_000_000_000n;

/** Row number `i` (0-based). */
export function benchRow(i: number): AvroRecord {
  const h = Math.imul(i + 1, 2654435761) >>> 0;
  const tags: string[] = [];
  for (let k = 0; k < h % 3; k++) tags.push(tagPool[(h >>> (k * 3)) % tagPool.length]!);
  return {
    id: 10_000_000_000n + BigInt(i),
    user: `user-${(h % 500_000).toString(36)}-${i.toString(36)}`,
    country: countries[h % countries.length]!,
    ts: T0 + BigInt(i * 37),
    amount: (h % 100_000) / 100,
    tags,
    note: h % 4 === 0 ? null : `note ${h % 1000}`,
  };
}

/** Rows `start` … `start + n - 1`. */
export function* benchRows(n: number, start = 0): Generator<AvroRecord> {
  for (let i = start; i < start + n; i++) yield benchRow(i);
}
