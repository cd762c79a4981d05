import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backfillCommand } from '../../../src/cli/commands/backfill.js';
import { COMMIT_PATH, SUCCESS_PATH } from '../../../src/data/publish/commit.js';
import { verifyDataset } from '../../../src/data/verify/verify.js';
import { runCommand } from '../run-command.js';
import { sourceRows, steps, writeSource } from '../verify/fixtures.js';

let dir: string;
const manifest = (from: string, to: string) => `apiVersion: fleetwave/v1
kind: DatasetMigration
metadata: { name: play-events-v2, owner: data-platform }
dataset:
  source: { uri: data/v1/, format: avro }
  target: { uri: data/v2/, format: parquet, compression: snappy, rowGroupSize: 100 }
  transform:
    - rename: { from: user_id, to: userId }
    - cast: { field: amount, to: { type: decimal, precision: 12, scale: 2 } }
  backfill: { from: ${from}, to: ${to}, partition: daily }
  verify: { key: event_id }
consumers:
  discover: [{ repos: [acme/recs] }]
`;
const run = (...args: string[]) => runCommand(backfillCommand, ['backfill', join(dir, 'manifest.yaml'), ...args]);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fleetwave-backfill-'));
  writeFileSync(join(dir, 'manifest.yaml'), manifest('2024-01-01', '2024-01-03'));
  await writeSource(join(dir, 'data/v1/dt=2024-01-01/part-0.avro'), sourceRows(120));
  await writeSource(join(dir, 'data/v1/dt=2024-01-01/part-1.avro'), sourceRows(30));
  await writeSource(join(dir, 'data/v1/dt=2024-01-02/part-0.avro'), sourceRows(80));
  // 2024-01-03 has no source data
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fleetwave backfill', () => {
  it('lists every partition as a job matrix', async () => {
    const r = await run('--list');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      include: [{ partition: '2024-01-01' }, { partition: '2024-01-02' }, { partition: '2024-01-03' }],
    });
  });

  it('converts and verifies each partition, writing a done marker, and skips it the next time', async () => {
    const first = await run('--json');
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report).toMatchObject({ converted: 2, skipped: 0, failed: 0, noSource: 1 });
    expect(report.partitions[0].files).toEqual([
      { source: 'part-0.avro', target: 'part-0.parquet', rows: 120, pass: true, mismatchRatio: 0 },
      { source: 'part-1.avro', target: 'part-1.parquet', rows: 30, pass: true, mismatchRatio: 0 },
    ]);
    // The done marker is the partition's commit, written last (issue 15).
    const commit = JSON.parse(readFileSync(join(dir, 'data/v2/dt=2024-01-01', COMMIT_PATH), 'utf8'));
    expect(commit).toMatchObject({
      rows: 150,
      files: [
        { key: 'part-0.parquet', rows: 120 },
        { key: 'part-1.parquet', rows: 30 },
      ],
    });
    expect(commit.source.files.map((f: { key: string }) => f.key)).toEqual(['part-0.avro', 'part-1.avro']);
    expect(existsSync(join(dir, 'data/v2/dt=2024-01-01', SUCCESS_PATH))).toBe(true);
    expect(existsSync(join(dir, 'data/v2/dt=2024-01-03'))).toBe(false);
    // an independent check of one output
    const check = await verifyDataset(join(dir, 'data/v1/dt=2024-01-02/part-0.avro'), join(dir, 'data/v2/dt=2024-01-02/part-0.parquet'), {
      transform: steps,
      key: 'event_id',
    });
    expect(check.pass).toBe(true);

    const again = JSON.parse((await run('--json')).stdout);
    expect(again).toMatchObject({ converted: 0, skipped: 2, failed: 0, noSource: 1 });
    expect(JSON.parse((await run('--list', '--pending')).stdout)).toEqual({ include: [] });
  });

  it('redoes a partition whose source changed, and only that one', async () => {
    await writeSource(join(dir, 'data/v1/dt=2024-01-02/part-0.avro'), sourceRows(90));
    expect(JSON.parse((await run('--list', '--pending')).stdout)).toEqual({ include: [{ partition: '2024-01-02' }] });
    const r = JSON.parse((await run('--partition', '2024-01-01..2024-01-02', '--json')).stdout);
    expect(r.partitions.map((p: { partition: string; state: string }) => [p.partition, p.state])).toEqual([
      ['2024-01-01', 'skipped'],
      ['2024-01-02', 'converted'],
    ]);
    expect(r.partitions[1].files[0].rows).toBe(90);
  });

  it('redoes every partition when the transform changes', async () => {
    writeFileSync(
      join(dir, 'manifest2.yaml'),
      manifest('2024-01-01', '2024-01-02').replace(
        '    - rename: { from: user_id, to: userId }\n',
        '    - rename: { from: user_id, to: userKey }\n',
      ),
    );
    const r = await runCommand(backfillCommand, ['backfill', join(dir, 'manifest2.yaml'), '--list', '--pending']);
    expect(JSON.parse(r.stdout)).toEqual({ include: [{ partition: '2024-01-01' }, { partition: '2024-01-02' }] });
  });

  it('exits 2 on bad input', async () => {
    expect((await run('--partition', '2025-01-01')).code).toBe(2);
    expect((await run('--pending')).code).toBe(2);
    writeFileSync(join(dir, 'no-backfill.yaml'), manifest('2024-01-01', '2024-01-02').replace(/ {2}backfill: .*\n/, ''));
    const r = await runCommand(backfillCommand, ['backfill', join(dir, 'no-backfill.yaml'), '--list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the manifest has no dataset.backfill window');
  });
});
