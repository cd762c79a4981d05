import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { COMMIT_FORMAT, COMMIT_PATH, committedFiles, isDataKey, type CommitRecord } from '../../../src/data/publish/commit.js';
import { storageFor } from '../../../src/data/storage/uri.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fw-commit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a plain folder: every data file, none of _fleetwave/, _SUCCESS or hidden files', async () => {
  await mkdir(join(dir, 'k=1'), { recursive: true });
  await writeFile(join(dir, 'k=1', 'a.parquet'), 'a');
  await writeFile(join(dir, 'b.parquet'), 'b');
  await writeFile(join(dir, '.hidden.parquet'), 'h');
  const { storage, key } = await storageFor(`${dir}/`);
  expect((await committedFiles(storage, key, '.parquet')).map((f) => f.key.slice(key.length))).toEqual(['b.parquet', 'k=1/a.parquet']);
  expect(isDataKey('_fleetwave/commit.json')).toBe(false);
  expect(isDataKey('_SUCCESS')).toBe(false);
});

test('an attempt staging without a commit: nothing is taken, with an error naming the prefix', async () => {
  await mkdir(join(dir, '_fleetwave', 'staging', 'x'), { recursive: true });
  await writeFile(join(dir, '_fleetwave', 'staging', 'x', 'a.parquet'), 'a');
  await writeFile(join(dir, 'a.parquet'), 'half');
  const { storage, key } = await storageFor(`${dir}/`);
  await expect(committedFiles(storage, key)).rejects.toThrow(`${dir}/: no committed output`);
});

test('with a commit.json: only the files it names, checked against the store', async () => {
  const { storage, key } = await storageFor(`${dir}/`);
  const a = await storage.write(`${key}a.parquet`, Readable.from([Buffer.from('aaa')]));
  await storage.write(`${key}stray.parquet`, Readable.from([Buffer.from('s')]));
  const record: CommitRecord = {
    format: COMMIT_FORMAT,
    attempt: 'x',
    committedAt: new Date().toISOString(),
    uri: dir,
    files: [{ key: 'a.parquet', size: a.size, etag: a.etag, rows: 1 }],
    rows: 1,
    schema: null,
    manifestHash: null,
    spec: 's',
    source: { uri: 'in', fingerprint: 'f', files: [] },
  };
  await storage.write(`${key}${COMMIT_PATH}`, Readable.from([Buffer.from(JSON.stringify(record))]));
  expect((await committedFiles(storage, key)).map((f) => f.key)).toEqual([`${key}a.parquet`]);
  await storage.write(`${key}a.parquet`, Readable.from([Buffer.from('changed!')]));
  await expect(committedFiles(storage, key)).rejects.toThrow(/a\.parquet: changed since it was committed/);
});
