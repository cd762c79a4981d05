/**
 * The Action's convert and verify modes, run as a runner runs them (node dist/index.js, INPUT_*,
 * GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) on the Apache Avro corpus in ../shared/data/avro, and on a
 * seeded mismatch. The Parquet file is read back with hyparquet, not the writer's code.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import avro from 'avsc';
import { decompress } from 'fzstd';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { repoRoot, runAction } from './run-action.js';

const corpus = resolve(repoRoot, '../shared/data/avro');
let ws: string;

/** The corpus's weather rows, as its JSON twin lists them. */
const weather = readFileSync(join(corpus, 'weather.json'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { station: string; time: number; temp: number });

/** Writes weather.avro's rows with avsc, one temperature changed: the seeded mismatch. */
async function writeSeededMismatch(path: string): Promise<void> {
  const schema = JSON.parse(readFileSync(join(corpus, 'weather.avsc'), 'utf8')) as avro.Schema;
  const encoder = avro.createFileEncoder(path, avro.Type.forSchema(schema));
  weather.forEach((row, i) => encoder.write(i === 2 ? { ...row, temp: row.temp + 1 } : row));
  encoder.end();
  await new Promise((done) => encoder.on('finish', done));
}

beforeAll(() => {
  ws = mkdtempSync(join(tmpdir(), 'fleetwave-action-data-'));
  copyFileSync(join(corpus, 'weather-deflate.avro'), join(ws, 'weather.avro'));
});

afterAll(() => {
  rmSync(ws, { recursive: true, force: true });
});

describe('mode convert', () => {
  it('writes Parquet that an independent reader reads back as the Avro rows, sets outputs and writes the job summary', async () => {
    const run = await runAction(
      { mode: 'convert', source: 'weather.avro', target: 'out/weather.parquet', compression: 'zstd' },
      { workspace: ws },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputFile).toMatch(/^rows<<ghadelimiter_[0-9a-f-]+\n5\nghadelimiter_[0-9a-f-]+\n/);
    expect(run.outputs).toMatchObject({ rows: '5', files: '1', target: join(ws, 'out/weather.parquet') });
    expect(JSON.parse(run.outputs.outputs!)).toEqual([join(ws, 'out/weather.parquet')]);
    expect(run.summary).toContain('## Fleetwave: convert');
    expect(run.summary).toContain('| `out/weather.parquet` | 5 | 1 |');
    const rows = await parquetReadObjects({
      file: await asyncBufferFromFile(join(ws, 'out/weather.parquet')),
      compressors: { ZSTD: (input: Uint8Array) => decompress(input) },
    });
    expect(rows.map((r) => ({ station: r.station, time: Number(r.time), temp: r.temp }))).toEqual(weather);
  });

  it('fails the step with an error annotation naming a missing source, and writes nothing', async () => {
    const run = await runAction({ mode: 'convert', source: 'missing.avro', target: 'out/missing.parquet' }, { workspace: ws });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error::.*missing\.avro/m);
    expect(existsSync(join(ws, 'out/missing.parquet'))).toBe(false);
    expect(run.outputs).toEqual({});
  });
});

describe('mode verify', () => {
  it('passes when the Parquet matches: outputs, the Markdown report in the job summary and at report-path', async () => {
    const run = await runAction(
      { mode: 'verify', source: 'weather.avro', target: 'out/weather.parquet', 'report-path': 'reports/verify.md' },
      { workspace: ws },
    );
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({
      pass: 'true',
      'source-rows': '5',
      'target-rows': '5',
      'mismatched-rows': '0',
      'mismatch-ratio': '0',
      'report-path': join(ws, 'reports/verify.md'),
    });
    expect(run.summary).toMatch(/^### Verification passed/);
    expect(run.summary).toContain('| ok | `temp` | int |');
    expect(readFileSync(join(ws, 'reports/verify.md'), 'utf8').trimEnd()).toBe(run.summary.trimEnd());
    expect(JSON.parse(readFileSync(join(ws, 'reports/verify.json'), 'utf8'))).toMatchObject({ pass: true, sourceRows: 5, targetRows: 5 });
    expect(run.stdout).not.toContain('::error');
  });

  it('fails the step on a seeded mismatch: pass=false, the ratio, the differing row in the summary', async () => {
    await writeSeededMismatch(join(ws, 'weather-changed.avro'));
    const run = await runAction(
      { mode: 'verify', source: 'weather-changed.avro', target: 'out/weather.parquet', 'report-path': 'reports/mismatch.md' },
      { workspace: ws },
    );
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ pass: 'false', 'source-rows': '5', 'target-rows': '5' });
    expect(run.outputs['mismatch-ratio']).toBe('0.2');
    expect(run.stdout).toMatch(/^::error::verification failed: /m);
    expect(run.summary).toMatch(/^### Verification FAILED/);
    expect(run.summary).toContain('**differs** | `temp`');
  });

  it('accepts the mismatch within max-mismatch-ratio, and refuses a ratio outside 0..1 (INPUT_MAX-MISMATCH-RATIO)', async () => {
    const within = await runAction(
      { mode: 'verify', source: 'weather-changed.avro', target: 'out/weather.parquet', 'max-mismatch-ratio': '0.5' },
      { workspace: ws },
    );
    expect(within.code).toBe(0);
    expect(within.outputs.pass).toBe('true');
    const bad = await runAction(
      { mode: 'verify', source: 'weather-changed.avro', target: 'out/weather.parquet', 'max-mismatch-ratio': '2' },
      { workspace: ws },
    );
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('::error::input `max-mismatch-ratio`: "2" is not a number from 0 to 1');
  });
});
