import { describe, expect, it } from '@jest/globals';
import { expandPartitions, jobMatrix, selectPartitions } from '../../../src/data/backfill/partitions.js';
import { InputError } from '../../../src/util/errors.js';

describe('backfill partitions', () => {
  it('expands a daily window, both ends included, across a month and a leap day', () => {
    const p = expandPartitions({ from: '2024-02-28', to: '2024-03-01', partition: 'daily' });
    expect(p).toEqual([
      { id: '2024-02-28', path: 'dt=2024-02-28' },
      { id: '2024-02-29', path: 'dt=2024-02-29' },
      { id: '2024-03-01', path: 'dt=2024-03-01' },
    ]);
  });

  it('expands an hourly window into 24 partitions a day', () => {
    const p = expandPartitions({ from: '2024-01-01', to: '2024-01-02', partition: 'hourly' });
    expect(p).toHaveLength(48);
    expect(p[0]).toEqual({ id: '2024-01-01T00', path: 'dt=2024-01-01/hour=00' });
    expect(p[47]).toEqual({ id: '2024-01-02T23', path: 'dt=2024-01-02/hour=23' });
  });

  it('refuses a reversed window or an impossible date', () => {
    expect(() => expandPartitions({ from: '2024-02-02', to: '2024-02-01', partition: 'daily' })).toThrow(
      /to \(2024-02-01\) is before from \(2024-02-02\)/,
    );
    expect(() => expandPartitions({ from: '2023-02-29', to: '2023-03-01', partition: 'daily' })).toThrow(InputError);
  });

  it('selects one partition or a range, and names what it does not know', () => {
    const all = expandPartitions({ from: '2024-01-01', to: '2024-01-10', partition: 'daily' });
    expect(selectPartitions(all, '2024-01-03').map((p) => p.id)).toEqual(['2024-01-03']);
    expect(selectPartitions(all, '2024-01-03..2024-01-05').map((p) => p.id)).toEqual(['2024-01-03', '2024-01-04', '2024-01-05']);
    expect(() => selectPartitions(all, '2024-02-01')).toThrow(
      /"2024-02-01" is not a partition of the backfill window \(2024-01-01 … 2024-01-10\)/,
    );
    expect(() => selectPartitions(all, '2024-01-05..2024-01-03')).toThrow(/a range first..last with first before last/);
  });

  it('prints a GitHub Actions job matrix, grouping into ranges beyond the job limit', () => {
    const all = expandPartitions({ from: '2024-01-01', to: '2024-01-10', partition: 'daily' });
    expect(jobMatrix(all.slice(0, 2))).toEqual({ include: [{ partition: '2024-01-01' }, { partition: '2024-01-02' }] });
    const grouped = jobMatrix(all, 4);
    expect(grouped.include).toEqual([
      { partition: '2024-01-01..2024-01-03' },
      { partition: '2024-01-04..2024-01-06' },
      { partition: '2024-01-07..2024-01-09' },
      { partition: '2024-01-10' },
    ]);
    // every partition is covered exactly once by the ranges
    const covered = grouped.include.flatMap((j) => selectPartitions(all, j.partition).map((p) => p.id));
    expect(covered).toEqual(all.map((p) => p.id));
    const years = expandPartitions({ from: '2024-01-01', to: '2026-11-01', partition: 'daily' });
    expect(jobMatrix(years).include.length).toBeLessThanOrEqual(256);
  });
});
