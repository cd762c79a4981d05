import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bufferIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { writeAvroFile } from '../../src/data/avro/writer.js';
import { corpusFile } from './avro/corpus.js';
import { duckdbQuery } from './parquet/duckdb-read-back.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetwave-convert-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(...argv: string[]) {
  const io = bufferIO();
  const code = await main(argv, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

const manifest = (schemaLine = '') => `apiVersion: fleetwave/v1
kind: DatasetMigration
metadata: { name: play-events-v2, owner: data-platform }
dataset:
  source: { uri: data/v1/, format: avro }
  target: { uri: data/v2/, format: parquet, compression: gzip, rowGroupSize: 2 }
${schemaLine}  transform:
    - rename: { from: user_id, to: userId }
    - drop: legacy
consumers:
  discover: [{ repos: [acme/recs] }]
`;

describe('fleetwave convert', () => {
  it('--json prints rows, files, bytes and duration; the file is readable Parquet', async () => {
    const target = join(dir, 'weather.parquet');
    const r = await run('convert', corpusFile('weather-snappy.avro'), target, '--json', '--compression', 'snappy');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as Record<string, unknown>;
    expect(json).toMatchObject({ rows: 5, files: 1, compression: 'snappy' });
    expect(json.bytes).toBeGreaterThan(0);
    expect(typeof json.durationMs).toBe('number');
    const n = await duckdbQuery(`SELECT count(*) AS n FROM read_parquet('${target}')`);
    expect(n[0]!.n).toBe(5n);
  });

  it('prints a human summary without --json', async () => {
    const r = await run('convert', corpusFile('weather.avro'), join(dir, 'out-folder'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/converted 5 rows from 1 Avro file\(s\) into 1 Parquet file\(s\)/);
    expect(r.out).toContain(join(dir, 'out-folder', 'weather.parquet'));
  });

  it('--manifest applies the transform and the target compression and row-group size', async () => {
    const src = join(dir, 'events.avro');
    await writeAvroFile(
      src,
      {
        type: 'record',
        name: 'E',
        fields: [
          { name: 'user_id', type: 'long' },
          { name: 'legacy', type: 'int' },
        ],
      },
      [
        { user_id: 1n, legacy: 0 },
        { user_id: 2n, legacy: 0 },
        { user_id: 3n, legacy: 0 },
      ],
    );
    const m = join(dir, 'migration.yaml');
    await writeFile(m, manifest());
    const target = join(dir, 'events.parquet');
    const r = await run('convert', src, target, '--manifest', m, '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ rows: 3, compression: 'gzip', rowGroupSize: 2 });
    const rows = await duckdbQuery(`SELECT * FROM read_parquet('${target}')`);
    expect(rows).toEqual([{ userId: 1n }, { userId: 2n }, { userId: 3n }]);
    const groups = await duckdbQuery(`SELECT DISTINCT row_group_id, compression FROM parquet_metadata('${target}') ORDER BY 1`);
    expect(groups).toEqual([
      { row_group_id: 0n, compression: 'GZIP' },
      { row_group_id: 1n, compression: 'GZIP' },
    ]);
  });

  it.each([
    ['avro-1237-bad-union-discriminant.avro', /block 0 at byte \d+, record 1 of 2: cannot decode: invalid union index/],
    ['avro-1238-truncated.avro', /byte \d+ \(truncated file\)/],
  ])('%s: exit 2, a message naming the file and offset, no output file', async (name, message) => {
    const out = join(dir, `bad-${name}`);
    const r = await run('convert', corpusFile(name), join(out, 'x.parquet'));
    expect(r.code).toBe(2);
    expect(r.err).toContain(name);
    expect(r.err).toMatch(message);
    expect(await readdir(out).catch(() => [])).toEqual([]);
  });

  it('a missing source or a bad flag: exit 2', async () => {
    expect((await run('convert', join(dir, 'nope.avro'), join(dir, 'nope.parquet'))).code).toBe(2);
    expect((await run('convert', corpusFile('weather.avro'), join(dir, 'n.parquet'), '--compression', 'lzma')).code).toBe(2);
    expect((await run('convert', corpusFile('weather.avro'), join(dir, 'n.parquet'), '--row-group-size', '0')).code).toBe(2);
  });
});
