/**
 * Test data for verify: a play-events source (real Avro, written by src/data/avro/writer.ts) and its
 * converted target (real Parquet, written by hyparquet-writer — a writer independent of Fleetwave's,
 * so verify is tested against files it did not make), with defects seeded on purpose.
 */
import { parquetWriteFile } from 'hyparquet-writer';
import { Decimal } from '../../../src/data/avro/decimal.js';
import { writeAvroFile } from '../../../src/data/avro/writer.js';
import type { AvroRecord, AvroSchemaObject } from '../../../src/data/avro/types.js';
import type { TransformStep } from '../../../src/data/transform/schema.js';

export const sourceSchema: AvroSchemaObject = {
  type: 'record',
  name: 'PlayEvent',
  namespace: 'acme.events',
  fields: [
    { name: 'event_id', type: 'long' },
    { name: 'user_id', type: 'string' },
    { name: 'amount', type: 'double' },
    { name: 'country', type: ['null', 'string'] },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'tags', type: { type: 'array', items: 'string' } },
  ],
};

export const steps: TransformStep[] = [
  { rename: { from: 'user_id', to: 'userId' } },
  { cast: { field: 'amount', to: { type: 'decimal', precision: 12, scale: 2 } } },
];

export function sourceRows(count: number): AvroRecord[] {
  const rows: AvroRecord[] = [];
  for (let i = 0; i < count; i++) {
    rows.push({
      event_id: 9_007_199_254_740_000n + BigInt(i), // beyond 2^53: a double would merge neighbours
      user_id: `user-${i % 37}`,
      amount: Math.round(i * 137.31) / 100,
      country: i % 5 === 0 ? null : ['SE', 'DE', 'BR', 'JP'][i % 4]!,
      at: 1_700_000_000_000n + BigInt(i) * 1_000n,
      tags: i % 3 === 0 ? [] : [`t${i % 7}`, `t${i % 11}`],
    });
  }
  return rows;
}

/** A row of the target as the converter should produce it (the transform applied by hand). */
export interface TargetRow {
  event_id: bigint;
  userId: string;
  amount: Decimal;
  country: string | null;
  at: bigint;
  tags: string[];
}

export function expectedTargetRows(rows: AvroRecord[]): TargetRow[] {
  return rows.map((r) => ({
    event_id: r.event_id as bigint,
    userId: r.user_id as string,
    amount: Decimal.parse((r.amount as number).toFixed(2)),
    country: r.country as string | null,
    at: r.at as bigint,
    tags: r.tags as string[],
  }));
}

export async function writeSource(path: string, rows: AvroRecord[]): Promise<void> {
  await writeAvroFile(path, sourceSchema, rows, { codec: 'deflate', blockSize: 2048 });
}

export interface TargetOptions {
  /** Decimal scale of `amount` as written (the values are rescaled to it). */
  amountScale?: number;
  /** Unit of `at` as written, and whether the values are converted to it. */
  atUnit?: 'MILLIS' | 'MICROS';
  convertAt?: boolean;
  rowGroupSize?: number;
}

/** Writes target rows as Parquet in parquet-avro's layout (3-level lists, annotated logical types). */
export function writeTarget(path: string, rows: TargetRow[], o: TargetOptions = {}): void {
  const scale = o.amountScale ?? 2;
  const unit = o.atUnit ?? 'MILLIS';
  const atFactor = unit === 'MICROS' && o.convertAt !== false ? 1000n : 1n;
  parquetWriteFile({
    filename: path,
    rowGroupSize: o.rowGroupSize ?? 1000,
    columnData: [
      { name: 'event_id', data: rows.map((r) => r.event_id) },
      { name: 'userId', data: rows.map((r) => r.userId) },
      { name: 'amount', data: rows.map((r) => r.amount.unscaled * 10n ** BigInt(scale - r.amount.scale)) },
      { name: 'country', data: rows.map((r) => r.country) },
      { name: 'at', data: rows.map((r) => r.at * atFactor) },
      { name: 'tags', data: rows.map((r) => r.tags) },
    ],
    schema: [
      { name: 'root', num_children: 6 },
      { name: 'event_id', type: 'INT64', repetition_type: 'REQUIRED' },
      { name: 'userId', type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' }, repetition_type: 'REQUIRED' },
      {
        name: 'amount',
        type: 'INT64',
        repetition_type: 'REQUIRED',
        converted_type: 'DECIMAL',
        scale,
        precision: 12,
        logical_type: { type: 'DECIMAL', scale, precision: 12 },
      },
      { name: 'country', type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' }, repetition_type: 'OPTIONAL' },
      { name: 'at', type: 'INT64', repetition_type: 'REQUIRED', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit } },
      { name: 'tags', repetition_type: 'REQUIRED', converted_type: 'LIST', logical_type: { type: 'LIST' }, num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' }, repetition_type: 'REQUIRED' },
    ],
  });
}
