/**
 * Verify takes a dataset as a folder of files on either side: the source's Avro files and the target's
 * Parquet files are each summarized as one dataset, however the rows are split between files.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AvroRecord } from '../../../src/data/avro/types.js';
import { writeAvroFile } from '../../../src/data/avro/writer.js';
import { convertDataset } from '../../../src/data/convert.js';
import { verifyDataset } from '../../../src/data/verify/verify.js';
import { renderVerificationMarkdown } from '../../../src/report/verification-markdown.js';
import { expectedTargetRows, sourceRows, sourceSchema, steps, writeSource, writeTarget } from './fixtures.js';

let dir: string;
let rows: AvroRecord[];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fleetwave-verify-folders-'));
  rows = sourceRows(2400);
  // the source as three Avro files (one in a nested folder), the target as one Parquet file and as four
  mkdirSync(join(dir, 'v1', 'day=2'), { recursive: true });
  await writeSource(join(dir, 'v1', 'part-0.avro'), rows.slice(0, 700));
  await writeSource(join(dir, 'v1', 'part-1.avro'), rows.slice(700, 1500));
  await writeSource(join(dir, 'v1', 'day=2', 'part-2.avro'), rows.slice(1500));
  writeFileSync(join(dir, 'v1', 'README.txt'), 'not data');
  writeTarget(join(dir, 'one.parquet'), expectedTargetRows(rows), { rowGroupSize: 500 });
  mkdirSync(join(dir, 'v2'));
  const expected = expectedTargetRows(rows);
  for (let k = 0; k < 4; k++)
    writeTarget(join(dir, 'v2', `part-${k}.parquet`), expected.slice(k * 600, (k + 1) * 600), { rowGroupSize: 250 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('verify with folders', () => {
  it('passes a folder of Avro files against one Parquet file, and against a folder split differently', async () => {
    const intoOne = await verifyDataset(join(dir, 'v1'), join(dir, 'one.parquet'), { transform: steps, key: 'event_id' });
    expect(intoOne).toMatchObject({ pass: true, equal: true, sourceRows: 2400, targetRows: 2400, files: { source: 3, target: 1 } });
    const folders = await verifyDataset(join(dir, 'v1'), join(dir, 'v2'), { transform: steps, key: 'event_id' });
    expect(folders).toMatchObject({ pass: true, equal: true, sourceRows: 2400, targetRows: 2400, files: { source: 3, target: 4 } });
    expect(folders.columns.map((c) => c.checksum.target)).toEqual(intoOne.columns.map((c) => c.checksum.target));
    expect(renderVerificationMarkdown(folders)).toContain('| files | 3 | 4 |');
  });

  it('finds a row missing from one file of the target folder and names its key', async () => {
    const expected = expectedTargetRows(rows);
    mkdirSync(join(dir, 'v2-missing'));
    writeTarget(join(dir, 'v2-missing', 'a.parquet'), expected.slice(0, 1200), { rowGroupSize: 300 });
    writeTarget(
      join(dir, 'v2-missing', 'b.parquet'),
      expected.slice(1200).filter((r) => r.event_id !== expected[2000]!.event_id),
      { rowGroupSize: 300 },
    );
    const r = await verifyDataset(join(dir, 'v1'), join(dir, 'v2-missing'), { transform: steps, key: 'event_id' });
    expect(r.pass).toBe(false);
    expect(r.targetRows).toBe(2399);
    expect(r.diff!.samples).toEqual([expect.objectContaining({ key: String(expected[2000]!.event_id), kind: 'missing-in-target' })]);
  });

  it('passes the folder Fleetwave converts file by file', async () => {
    await convertDataset(join(dir, 'v1'), join(dir, 'converted'), { steps, rowGroupSize: 400 });
    const r = await verifyDataset(join(dir, 'v1'), join(dir, 'converted'), { transform: steps, key: 'event_id' });
    expect(r).toMatchObject({ pass: true, equal: true, files: { source: 3, target: 3 } });
  });

  it('refuses source files that cannot be read as the first one (as convert does), naming the file', async () => {
    mkdirSync(join(dir, 'mixed'));
    await writeSource(join(dir, 'mixed', 'a.avro'), rows.slice(0, 10));
    const other = { ...sourceSchema, fields: sourceSchema.fields!.filter((f) => f.name !== 'tags') };
    await writeAvroFile(
      join(dir, 'mixed', 'b.avro'),
      other,
      rows.slice(10, 20).map(({ tags: _t, ...r }) => r),
      { codec: 'null' },
    );
    await expect(verifyDataset(join(dir, 'mixed'), join(dir, 'one.parquet'), { transform: steps })).rejects.toThrow(
      /mixed\/b\.avro: schema mismatch: the file's schema cannot be read as the expected schema: /,
    );
  });

  it('refuses target files whose columns differ, naming the file', async () => {
    mkdirSync(join(dir, 'v2-mixed'));
    const expected = expectedTargetRows(rows);
    writeTarget(join(dir, 'v2-mixed', 'a.parquet'), expected.slice(0, 1200));
    writeTarget(join(dir, 'v2-mixed', 'b.parquet'), expected.slice(1200), { amountScale: 3 });
    await expect(verifyDataset(join(dir, 'v1'), join(dir, 'v2-mixed'), { transform: steps })).rejects.toThrow(
      /v2-mixed\/b\.parquet: its columns \(.*amount decimal\(12,3\).*\) differ from those of .*a\.parquet/,
    );
  });

  it('says so when a folder holds no files of its format', async () => {
    mkdirSync(join(dir, 'empty'));
    await expect(verifyDataset(join(dir, 'v1'), join(dir, 'empty'))).rejects.toThrow(/empty: no \.parquet files in this folder/);
  });
});
