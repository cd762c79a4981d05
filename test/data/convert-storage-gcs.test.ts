/**
 * convert and verify over Cloud Storage (the GCS test server, test/data/storage/gcs-server.ts, reached
 * through STORAGE_EMULATOR_HOST as a user reaches an emulator): gs → gs published with commit
 * markers, the re-run a no-op, verify reading the committed files, bad input named by its gs:// URI.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { convertDataset } from '../../src/data/convert.js';
import { COMMIT_PATH, SUCCESS_PATH, committedFiles } from '../../src/data/publish/commit.js';
import { listAll, type ObjectStorage } from '../../src/data/storage/port.js';
import { storageFor } from '../../src/data/storage/uri.js';
import { verifyDatasetObjects } from '../../src/data/verify/verify.js';
import { type GcsTestServer, startGcsServer } from './storage/gcs-server.js';

const corpus = resolve(import.meta.dirname, '../../../shared/data/avro');
const saved = process.env.STORAGE_EMULATOR_HOST;
const weatherRows = readFileSync(join(corpus, 'weather.json'), 'utf8').trim().split('\n').length;
let server: GcsTestServer;
let storage: ObjectStorage;
const gs = (path: string) => `gs://${server.bucket}/${path}`;

async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of listAll(storage, prefix)) keys.push(o.key.slice(prefix.length));
  return keys.sort();
}

beforeAll(async () => {
  server = await startGcsServer();
  process.env.STORAGE_EMULATOR_HOST = server.endpoint;
  storage = (await storageFor(gs(''))).storage;
});

afterAll(async () => {
  await server?.stop();
  if (saved === undefined) delete process.env.STORAGE_EMULATOR_HOST;
  else process.env.STORAGE_EMULATOR_HOST = saved;
});

describe('convert and verify over Cloud Storage', () => {
  it('gs → gs: published with commit markers, verified, the re-run a no-op', async () => {
    await storage.write('in/dt=2026-12-06/w.avro', Readable.from([readFileSync(join(corpus, 'weather-deflate.avro'))]));
    await storage.write('in/dt=2026-12-07/w.avro', Readable.from([readFileSync(join(corpus, 'weather-zstd.avro'))]));
    const result = await convertDataset(gs('in/'), gs('out/'), { manifestHash: 'abc' });
    expect(result.rows).toBe(2 * weatherRows);
    expect(await keysUnder('out/')).toEqual([SUCCESS_PATH, COMMIT_PATH, 'dt=2026-12-06/w.parquet', 'dt=2026-12-07/w.parquet']);
    expect((await committedFiles(storage, 'out/')).map((f) => f.uri)).toEqual([
      gs('out/dt=2026-12-06/w.parquet'),
      gs('out/dt=2026-12-07/w.parquet'),
    ]);
    const report = await verifyDatasetObjects(gs('in/'), gs('out/'));
    expect(report.report).toMatchObject({ pass: true, sourceRows: 2 * weatherRows, targetRows: 2 * weatherRows });
    expect(report.targetObjects.map((o) => o.uri)).toEqual([gs('out/dt=2026-12-06/w.parquet'), gs('out/dt=2026-12-07/w.parquet')]);
    expect((await convertDataset(gs('in/'), gs('out/'), { manifestHash: 'abc' })).published?.skipped).toBe(true);
  });

  it('bad input names the gs:// URI; nothing under the output prefix', async () => {
    await storage.write('bad/x.avro', Readable.from([readFileSync(join(corpus, 'avro-1238-truncated.avro'))]));
    await expect(convertDataset(gs('bad/'), gs('bad-out/'))).rejects.toThrow(new RegExp(`^${gs('bad/x.avro')}: `));
    expect(await keysUnder('bad-out/')).toEqual([]);
  });
});
