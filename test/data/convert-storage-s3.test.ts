/**
 * convert over the S3 test server (test/data/storage/s3-server.mjs), configured only through the
 * standard AWS environment variables: the Apache Avro corpus files of ../shared/data/avro converted
 * s3 → s3 and read back with an independent reader (hyparquet, over ranged reads of the store); a
 * re-run of a committed output is a no-op; bad input names the object's URI; and the CLI, spawned as a
 * child process and SIGKILLed at seeded random points, never leaves anything a reader would take.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { parquetReadObjects, type AsyncBuffer } from 'hyparquet';
import { decompress } from 'fzstd';
import { writeAvroFile } from '../../src/data/avro/writer.js';
import type { AvroSchemaObject } from '../../src/data/avro/types.js';
import { convertDataset } from '../../src/data/convert.js';
import { COMMIT_PATH, SUCCESS_PATH, committedFiles, readCommit } from '../../src/data/publish/commit.js';
import { listAll, readRange, type ObjectStorage } from '../../src/data/storage/port.js';
import { storageFor } from '../../src/data/storage/uri.js';
import { cliBundle } from '../helpers/cli-process.js';
import { type S3TestServer, startS3Server } from './storage/servers.js';

const corpus = resolve(import.meta.dirname, '../../../shared/data/avro');
const AWS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_ENDPOINT_URL_S3',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_EC2_METADATA_DISABLED',
];
const saved = Object.fromEntries(AWS.map((n) => [n, process.env[n]]));

let server: S3TestServer;
let env: Record<string, string>;
let storage: ObjectStorage;
let local: string;

async function put(key: string, path: string): Promise<void> {
  await storage.write(key, Readable.from([readFileSync(path)]));
}

/** Rows of a Parquet object, read by hyparquet through ranged reads of the store. */
async function readParquet(key: string): Promise<Record<string, unknown>[]> {
  const { size } = await storage.head(key);
  const file: AsyncBuffer = {
    byteLength: size,
    async slice(start: number, end?: number) {
      const bytes = await readRange(storage, key, { offset: start, length: (end ?? size) - start });
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
  return (await parquetReadObjects({ file, compressors: { ZSTD: (input: Uint8Array) => decompress(input) } })) as Record<string, unknown>[];
}

async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of listAll(storage, prefix)) keys.push(o.key.slice(prefix.length));
  return keys;
}

const weatherRows = readFileSync(join(corpus, 'weather.json'), 'utf8').trim().split('\n').length;

beforeAll(async () => {
  server = await startS3Server();
  env = {
    AWS_ACCESS_KEY_ID: server.accessKey,
    AWS_SECRET_ACCESS_KEY: server.secret,
    AWS_ENDPOINT_URL_S3: server.endpoint,
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  Object.assign(process.env, env);
  storage = (await storageFor(`s3://${server.bucket}/`)).storage;
  local = await mkdtemp(join(tmpdir(), 'fw-convert-s3-'));
}, 60_000);

afterAll(async () => {
  await server?.stop();
  for (const [n, v] of Object.entries(saved))
    if (v === undefined) delete process.env[n];
    else process.env[n] = v;
  await rm(local, { recursive: true, force: true });
});

describe('convert s3 → s3', () => {
  const bucket = () => `s3://${server.bucket}`;

  it('converts the corpus weather files, partitions kept; an independent reader counts every row; commit markers written last', async () => {
    await put('corpus/in/day=1/weather.avro', join(corpus, 'weather.avro'));
    await put('corpus/in/day=1/weather-deflate.avro', join(corpus, 'weather-deflate.avro'));
    await put('corpus/in/day=2/weather-snappy.avro', join(corpus, 'weather-snappy.avro'));
    await put('corpus/in/day=2/weather-zstd.avro', join(corpus, 'weather-zstd.avro'));
    const result = await convertDataset(`${bucket()}/corpus/in/`, `${bucket()}/corpus/out/`, { rowGroupSize: 2 });
    expect(result.rows).toBe(4 * weatherRows);
    expect(result.published).toMatchObject({ uri: `${bucket()}/corpus/out/`, skipped: false });
    expect((await keysUnder('corpus/out/')).sort()).toEqual([
      SUCCESS_PATH,
      COMMIT_PATH,
      'day=1/weather-deflate.parquet',
      'day=1/weather.parquet',
      'day=2/weather-snappy.parquet',
      'day=2/weather-zstd.parquet',
    ]);
    let rows = 0;
    for (const file of await committedFiles(storage, 'corpus/out/')) {
      const read = await readParquet(file.key);
      expect(read[0]).toHaveProperty('station');
      rows += read.length;
    }
    expect(rows).toBe(4 * weatherRows);
    const commit = await readCommit(storage, 'corpus/out/');
    expect(commit).toMatchObject({ rows: 4 * weatherRows, manifestHash: null });
    expect(commit!.files.map((f) => f.rows)).toEqual([weatherRows, weatherRows, weatherRows, weatherRows]);
    expect(commit!.source.files.map((f) => f.key)).toEqual([
      'day=1/weather-deflate.avro',
      'day=1/weather.avro',
      'day=2/weather-snappy.avro',
      'day=2/weather-zstd.avro',
    ]);
  });

  it('re-running a committed output is a no-op: nothing converted, no object rewritten', async () => {
    const before = new Map<string, string>();
    for await (const o of listAll(storage, 'corpus/out/')) before.set(o.key, o.etag + o.lastModified.toISOString());
    const again = await convertDataset(`${bucket()}/corpus/in/`, `${bucket()}/corpus/out/`, { rowGroupSize: 2 });
    expect(again.published?.skipped).toBe(true);
    expect(again.rows).toBe(4 * weatherRows);
    const after = new Map<string, string>();
    for await (const o of listAll(storage, 'corpus/out/')) after.set(o.key, o.etag + o.lastModified.toISOString());
    expect(after).toEqual(before);
    // Another conversion spec is not the same output: converted and published again.
    const other = await convertDataset(`${bucket()}/corpus/in/`, `${bucket()}/corpus/out/`, { rowGroupSize: 3 });
    expect(other.published?.skipped).toBe(false);
  });

  it('one .parquet target: the rows of every input object in one object', async () => {
    const result = await convertDataset(`${bucket()}/corpus/in/`, `${bucket()}/corpus/all.parquet`);
    expect(result.rows).toBe(4 * weatherRows);
    expect(await readParquet('corpus/all.parquet')).toHaveLength(4 * weatherRows);
  });

  it('bad input: the error names the object URI and the block; nothing under the output prefix', async () => {
    await put('bad/in/part-1.avro', join(corpus, 'avro-1238-good.avro'));
    await put('bad/in/part-3.avro', join(corpus, 'avro-1238-truncated.avro'));
    const err = (await convertDataset(`${bucket()}/bad/in/`, `${bucket()}/bad/out/`).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(new RegExp(`^s3://${server.bucket}/bad/in/part-3\\.avro: .*(block \\d+ at byte \\d+|truncated)`));
    expect(await keysUnder('bad/out/')).toEqual([]);
    const missing = (await convertDataset(`${bucket()}/nothing/here/`, `${bucket()}/nothing/out/`).catch((e: unknown) => e)) as Error;
    expect(missing.message).toContain(`s3://${server.bucket}/nothing/here/: no such file or folder`);
  });
});

/** A seeded random number generator (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const bigSchema: AvroSchemaObject = {
  type: 'record',
  name: 'Event',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'name', type: 'string' },
    { name: 'score', type: 'double' },
  ],
};

describe('a killed conversion (the CLI, SIGKILLed at seeded random points)', () => {
  const FILES = 6;
  const ROWS = 40_000;

  it('never leaves anything a reader would take, and the next run completes', async () => {
    for (let f = 0; f < FILES; f++) {
      const path = join(local, `part-${f}.avro`);
      const rows = Array.from({ length: ROWS }, (_, i) => ({ id: BigInt(f * ROWS + i), name: `event-${f}-${i}`, score: i / 7 }));
      await writeAvroFile(path, bigSchema, rows, { codec: 'deflate' });
      await put(`kill/in/dt=2024-01-0${1 + (f % 3)}/part-${f}.avro`, path);
    }
    const script = await cliBundle();
    const run = (killAfterMs?: number, out = 'kill/out/') =>
      new Promise<{ code: number | null; signal: string | null; ms: number; stderr: string }>((done, fail) => {
        const started = Date.now();
        const child = spawn(
          process.execPath,
          [script, 'convert', `s3://${server.bucket}/kill/in/`, `s3://${server.bucket}/${out}`, '--json'],
          {
            env: { ...process.env, ...env },
            stdio: ['ignore', 'ignore', 'pipe'],
          },
        );
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        child.on('error', fail);
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          done({ code, signal, ms: Date.now() - started, stderr });
        });
      });

    // How long a whole run takes here, to the side (its own output prefix is not looked at).
    const whole = (await run(undefined, 'kill/probe/')).ms;
    const random = seeded(15);
    const points: number[] = [];
    const outcomes: string[] = [];
    for (let k = 0; k < 5; k++) {
      // The output of an earlier committed run goes whole (its commit and its data objects): with the data
      // left and the commit gone, a run killed before it staged anything would leave what a reader takes
      // for a plain, uncommitted prefix — the earlier run's files, not this one's. Staged objects stay.
      for (const key of await keysUnder('kill/out/')) if (!key.startsWith('_fleetwave/staging/')) await storage.delete(`kill/out/${key}`);
      // From start-up to past the end (a busy machine varies): a run may finish first, which is checked too.
      const at = Math.round(whole * (0.3 + 0.8 * random()));
      points.push(at);
      const killed = await run(at);
      let state: string;
      const commit = await readCommit(storage, 'kill/out/');
      if (commit) {
        // It got as far as its commit (finished before the kill, or killed after writing it): whole.
        expect(commit.rows).toBe(FILES * ROWS);
        expect(await committedFiles(storage, 'kill/out/', '.parquet')).toHaveLength(FILES);
        state = killed.signal === 'SIGKILL' ? 'killed after its commit: whole' : 'finished before the kill';
      } else {
        expect(killed.signal).toBe('SIGKILL');
        try {
          // Nothing committed: a reader takes nothing (a plain prefix with no data files).
          expect(await committedFiles(storage, 'kill/out/', '.parquet')).toEqual([]);
          state = `killed, ${(await keysUnder('kill/out/_fleetwave/staging/')).length} staged object(s), nothing committed`;
        } catch (err) {
          expect((err as Error).message).toContain('no committed output');
          state = 'killed, staging only: refused';
        }
        // No data object under the prefix outside the staging unless a commit names it.
        const data = (await keysUnder('kill/out/')).filter((k) => !k.startsWith('_'));
        expect(data.length === 0 || (await keysUnder('kill/out/_fleetwave/staging/')).length > 0).toBe(true);
      }
      outcomes.push(`${at} ms: ${state}`);
    }
    const done = await run();
    expect(done.stderr).not.toContain('fleetwave:');
    expect(done.code).toBe(0);
    const commit = await readCommit(storage, 'kill/out/');
    expect(commit?.rows).toBe(FILES * ROWS);
    expect(await keysUnder('kill/out/_fleetwave/staging/')).toEqual([]);
    const files = await committedFiles(storage, 'kill/out/', '.parquet');
    expect(files).toHaveLength(FILES);
    let rows = 0;
    for (const f of files) rows += (await readParquet(f.key)).length;
    expect(rows).toBe(FILES * ROWS);
    process.stdout.write(`kill points: ${outcomes.join('; ')}; a whole run: ${whole} ms\n`);
  }, 240_000);
});
