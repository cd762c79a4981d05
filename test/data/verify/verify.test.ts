import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from '../../../src/data/avro/decimal.js';
import type { AvroRecord } from '../../../src/data/avro/types.js';
import { verifyDataset } from '../../../src/data/verify/verify.js';
import { expectedTargetRows, sourceRows, steps, writeSource, writeTarget, type TargetOptions, type TargetRow } from './fixtures.js';

const N = 3000;
let dir: string;
let source: string;
let rows: AvroRecord[];
let expected: TargetRow[];
let n = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fleetwave-verify-'));
  source = join(dir, 'source.avro');
  rows = sourceRows(N);
  await writeSource(source, rows);
  expected = expectedTargetRows(rows);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function verifyAgainst(target: TargetRow[], options: TargetOptions = {}, key: string | null = 'event_id') {
  const path = join(dir, `target-${n++}.parquet`);
  writeTarget(path, target, options);
  return verifyDataset(source, path, { transform: steps, ...(key ? { key } : {}), sample: 10 });
}

const copy = () => expected.map((r) => ({ ...r }));

describe('verifyDataset', () => {
  it('passes a faithful conversion, with every column equal', async () => {
    const r = await verifyAgainst(expected);
    expect(r.pass).toBe(true);
    expect(r.equal).toBe(true);
    expect(r.sourceRows).toBe(N);
    expect(r.targetRows).toBe(N);
    expect(r.mismatchRatio).toBe(0);
    expect(r.diff).toBeNull();
    expect(r.columns.map((c) => [c.name, c.type])).toEqual([
      ['event_id', 'long'],
      ['userId', 'string'],
      ['amount', 'decimal(12,2)'],
      ['country', 'string'],
      ['at', 'timestamp-millis'],
      ['tags', 'array<string>'],
    ]);
    const amount = r.columns.find((c) => c.name === 'amount')!;
    expect(amount.min).toEqual({ source: '0.00', target: '0.00' });
    expect(amount.max).toEqual({
      source: (Math.round((N - 1) * 137.31) / 100).toFixed(2),
      target: (Math.round((N - 1) * 137.31) / 100).toFixed(2),
    });
    expect(r.columns.find((c) => c.name === 'country')!.nulls).toEqual({ source: N / 5, target: N / 5 });
    expect(r.columns.find((c) => c.name === 'event_id')!.max).toEqual({
      source: String(9_007_199_254_740_000n + BigInt(N - 1)),
      target: String(9_007_199_254_740_000n + BigInt(N - 1)),
    });
  });

  it('passes when only the row order differs (and row groups are cut elsewhere)', async () => {
    const shuffled = copy().reverse();
    for (let i = 0; i < shuffled.length; i += 7)
      [shuffled[i], shuffled[shuffled.length - 1 - i]] = [shuffled[shuffled.length - 1 - i]!, shuffled[i]!];
    const r = await verifyAgainst(shuffled, { rowGroupSize: 777 });
    expect(r.pass).toBe(true);
    expect(r.equal).toBe(true);
  });

  it('catches a dropped row and names its key', async () => {
    const target = copy();
    target.splice(1234, 1);
    const r = await verifyAgainst(target);
    expect(r.pass).toBe(false);
    expect(r.targetRows).toBe(N - 1);
    expect(r.mismatchedRows).toBe(1);
    expect(r.mismatchRatio).toBeCloseTo(1 / N);
    expect(r.mismatchRatioExact).toBe(true);
    expect(r.diff!.samples).toEqual([expect.objectContaining({ key: String(expected[1234]!.event_id), kind: 'missing-in-target' })]);
    expect(r.reasons).toContain(`row counts differ: source ${N}, target ${N - 1}`);
  });

  it('catches a changed value and shows both sides of the column', async () => {
    const target = copy();
    target[42] = { ...target[42]!, userId: 'someone-else' };
    const r = await verifyAgainst(target);
    expect(r.pass).toBe(false);
    expect(r.mismatchedRows).toBe(1);
    expect(r.columns.find((c) => c.name === 'userId')!.equal).toBe(false);
    expect(r.columns.find((c) => c.name === 'event_id')!.equal).toBe(true);
    expect(r.diff!.samples).toEqual([
      { key: String(expected[42]!.event_id), kind: 'changed', columns: [{ name: 'userId', source: 'user-5', target: 'someone-else' }] },
    ]);
  });

  it('catches two keys swapped, which per-column checksums alone cannot see', async () => {
    const target = copy();
    const [a, b] = [target[10]!.event_id, target[11]!.event_id];
    target[10] = { ...target[10]!, event_id: b };
    target[11] = { ...target[11]!, event_id: a };
    const r = await verifyAgainst(target);
    expect(r.columns.every((c) => c.equal)).toBe(true); // every column holds the same values
    expect(r.rows.equal).toBe(false);
    expect(r.pass).toBe(false);
    expect(r.mismatchedRows).toBe(2);
    expect(r.diff!.samples.map((s) => s.key).sort()).toEqual([String(a), String(b)].sort());
    expect(r.diff!.samples.every((s) => s.kind === 'changed' && s.columns.some((c) => c.name === 'at'))).toBe(true);
  });

  it('catches a null that became an empty string', async () => {
    const target = copy();
    const i = target.findIndex((r) => r.country === null);
    target[i] = { ...target[i]!, country: '' };
    const r = await verifyAgainst(target);
    expect(r.pass).toBe(false);
    const country = r.columns.find((c) => c.name === 'country')!;
    expect(country.nulls).toEqual({ source: N / 5, target: N / 5 - 1 });
    expect(r.diff!.samples).toEqual([
      { key: String(target[i]!.event_id), kind: 'changed', columns: [{ name: 'country', source: null, target: '' }] },
    ]);
  });

  it('catches a decimal scale change, even though the amounts are numerically equal', async () => {
    const r = await verifyAgainst(expected, { amountScale: 3 });
    expect(r.pass).toBe(false);
    expect(r.schema.mismatches).toEqual([{ column: 'amount', expected: 'decimal(12,2)', actual: 'decimal(12,3)' }]);
    expect(r.mismatchRatio).toBe(1);
    expect(r.diff!.samples[0]!.columns).toEqual([
      { name: 'amount', source: expect.stringMatching(/^\d+\.\d\d$/), target: expect.stringMatching(/^\d+\.\d\d\d$/) },
    ]);
  });

  it('catches a timestamp unit change, whether or not the values were converted', async () => {
    const converted = await verifyAgainst(expected, { atUnit: 'MICROS' });
    expect(converted.pass).toBe(false);
    expect(converted.schema.mismatches).toEqual([{ column: 'at', expected: 'timestamp-millis', actual: 'timestamp-micros' }]);
    expect(converted.mismatchRatio).toBe(1);
    const relabelled = await verifyAgainst(expected, { atUnit: 'MICROS', convertAt: false });
    expect(relabelled.pass).toBe(false);
    expect(relabelled.schema.mismatches).toEqual([{ column: 'at', expected: 'timestamp-millis', actual: 'timestamp-micros' }]);
  });

  it('judges against maxMismatchRatio', async () => {
    const target = copy();
    target[1] = { ...target[1]!, tags: ['changed'] };
    const path = join(dir, 'ratio.parquet');
    writeTarget(path, target);
    const lenient = await verifyDataset(source, path, { transform: steps, key: 'event_id', maxMismatchRatio: 0.001 });
    expect(lenient.pass).toBe(true);
    expect(lenient.equal).toBe(false);
    expect(lenient.mismatchedRows).toBe(1);
    const strict = await verifyDataset(source, path, { transform: steps, key: 'event_id' });
    expect(strict.pass).toBe(false);
  });

  it('without a key, matches whole rows and still counts a changed row once', async () => {
    const target = copy();
    target[7] = { ...target[7]!, amount: new Decimal(1n, 2) };
    const r = await verifyAgainst(target, {}, null);
    expect(r.pass).toBe(false);
    expect(r.diff!.matchedOn).toBe('row');
    expect(r.mismatchedRows).toBe(1);
    expect(r.diff!.samples.map((s) => s.kind).sort()).toEqual(['extra-in-target', 'missing-in-target']);
  });

  it('estimates the ratio from a sample of buckets when the differences exceed the row budget', async () => {
    const target = copy().map((r, i) => (i % 2 === 0 ? { ...r, userId: `${r.userId}!` } : r));
    const path = join(dir, 'half.parquet');
    writeTarget(path, target);
    const r = await verifyDataset(source, path, { transform: steps, key: 'event_id', diffRowBudget: 300, sample: 5 });
    expect(r.mismatchRatioExact).toBe(false);
    expect(r.mismatchRatio).toBeGreaterThan(0.35);
    expect(r.mismatchRatio).toBeLessThan(0.65);
    expect(r.diff!.rowsCompared).toBeLessThanOrEqual(600);
    expect(r.diff!.samples).toHaveLength(5);
  });

  it('refuses a key that is not a column', async () => {
    const path = join(dir, 'target-key.parquet');
    writeTarget(path, expected);
    await expect(verifyDataset(source, path, { transform: steps, key: 'user_id' })).rejects.toThrow(
      /verify.key "user_id" is not a column of the transformed source/,
    );
  });
});
