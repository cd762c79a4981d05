import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyCommand } from '../../../src/cli/commands/verify.js';
import { runCommand } from '../run-command.js';
import { expectedTargetRows, sourceRows, writeSource, writeTarget } from './fixtures.js';

let dir: string;
const path = (name: string) => join(dir, name);

const manifest = `apiVersion: fleetwave/v1
kind: DatasetMigration
metadata: { name: play-events-v2, owner: data-platform }
dataset:
  source: { uri: data/play-events/v1/, format: avro }
  target: { uri: data/play-events/v2/, format: parquet }
  transform:
    - rename: { from: user_id, to: userId }
    - cast: { field: amount, to: { type: decimal, precision: 12, scale: 2 } }
  verify: { key: event_id, sample: 5 }
consumers:
  discover: [{ repos: [acme/recs] }]
`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fleetwave-verify-cli-'));
  const rows = sourceRows(500);
  await writeSource(path('source.avro'), rows);
  const expected = expectedTargetRows(rows);
  writeTarget(path('good.parquet'), expected);
  writeTarget(
    path('bad.parquet'),
    expected.filter((_, i) => i !== 17),
  );
  writeFileSync(path('manifest.yaml'), manifest);
  const bytes = readFileSync(path('source.avro'));
  writeFileSync(path('truncated.avro'), bytes.subarray(0, Math.floor(bytes.length / 2)));
  copyFileSync(path('source.avro'), path('not-parquet.parquet'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fleetwave verify', () => {
  it('exits 0 with the JSON report when the target matches the transformed source', async () => {
    const r = await runCommand(verifyCommand, [
      'verify',
      path('source.avro'),
      path('good.parquet'),
      '--manifest',
      path('manifest.yaml'),
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ pass: true, sourceRows: 500, targetRows: 500, mismatchRatio: 0, key: 'event_id' });
  });

  it('exits 1 and renders Markdown naming the missing row when the target differs', async () => {
    const summary = path('summary.md');
    const r = await runCommand(verifyCommand, [
      'verify',
      path('source.avro'),
      path('bad.parquet'),
      '--manifest',
      path('manifest.yaml'),
      '--markdown',
      summary,
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('### Verification FAILED');
    expect(r.stdout).toContain('row counts differ: source 500, target 499');
    expect(r.stdout).toContain('| `"9007199254740017"` | missing in target | (row) |');
    expect(readFileSync(summary, 'utf8')).toContain('### Verification FAILED');
  });

  it('takes --key and --max-mismatch-ratio over the manifest', async () => {
    const r = await runCommand(verifyCommand, [
      'verify',
      path('source.avro'),
      path('bad.parquet'),
      '--manifest',
      path('manifest.yaml'),
      '--key',
      'userId',
      '--max-mismatch-ratio',
      '0.01',
      '--json',
    ]);
    const json = JSON.parse(r.stdout);
    expect(json.key).toBe('userId');
    expect(json.maxMismatchRatio).toBe(0.01);
    expect(json.pass).toBe(false); // the row count still differs (rowCount: exact)
  });

  it.each([
    ['a missing source', ['missing.avro', 'good.parquet'], /missing\.avro: no such file or folder/],
    ['a truncated source', ['truncated.avro', 'good.parquet'], /truncated\.avro/],
    ['a target that is not Parquet', ['source.avro', 'not-parquet.parquet'], /not-parquet\.parquet: not a readable Parquet file/],
  ])('exits 2 on %s', async (_what, files, message) => {
    const r = await runCommand(verifyCommand, ['verify', path(files[0]!), path(files[1]!), '--manifest', path('manifest.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('exits 2 on a bad flag or a bad manifest', async () => {
    expect((await runCommand(verifyCommand, ['verify', path('source.avro'), path('good.parquet'), '--max-mismatch-ratio', '2'])).code).toBe(
      2,
    );
    writeFileSync(path('broken.yaml'), 'apiVersion: fleetwave/v2\n');
    expect(
      (await runCommand(verifyCommand, ['verify', path('source.avro'), path('good.parquet'), '--manifest', path('broken.yaml')])).code,
    ).toBe(2);
  });
});
