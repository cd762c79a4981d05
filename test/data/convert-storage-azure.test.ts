/**
 * convert over Azure Blob Storage's emulator (Azurite, started by the test): local → az and az → az,
 * published with commit markers, the re-run a no-op, and bad input named by its az:// URI.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { BlobServiceClient } from '@azure/storage-blob';
import { convertDataset } from '../../src/data/convert.js';
import { COMMIT_PATH, SUCCESS_PATH, committedFiles, readCommit } from '../../src/data/publish/commit.js';
import { listAll, type ObjectStorage } from '../../src/data/storage/port.js';
import { storageFor } from '../../src/data/storage/uri.js';
import { AZURITE_ACCOUNT, type RunningServer, startAzurite } from './storage/servers.js';

const corpus = resolve(import.meta.dirname, '../../../shared/data/avro');
const saved = process.env.AZURE_STORAGE_CONNECTION_STRING;
const container = 'datasets';
let azurite: RunningServer & { connectionString: string };
let storage: ObjectStorage;
const weatherRows = readFileSync(join(corpus, 'weather.json'), 'utf8').trim().split('\n').length;
const az = (path: string) => `az://${AZURITE_ACCOUNT}/${container}/${path}`;

async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of listAll(storage, prefix)) keys.push(o.key.slice(prefix.length));
  return keys.sort();
}

beforeAll(async () => {
  azurite = await startAzurite();
  await BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(container).create();
  process.env.AZURE_STORAGE_CONNECTION_STRING = azurite.connectionString;
  storage = (await storageFor(az(''))).storage;
}, 60_000);

afterAll(async () => {
  await azurite?.stop();
  if (saved === undefined) delete process.env.AZURE_STORAGE_CONNECTION_STRING;
  else process.env.AZURE_STORAGE_CONNECTION_STRING = saved;
});

describe('convert over Azurite', () => {
  it('local → az → az: published with commit markers, rows counted, the re-run a no-op', async () => {
    const first = await convertDataset(join(corpus, 'weather-snappy.avro'), az('one/weather.parquet'));
    expect(first.rows).toBe(weatherRows);
    expect(first.published).toBeUndefined();

    await storage.write('in/k=a/w.avro', Readable.from([readFileSync(join(corpus, 'weather.avro'))]));
    await storage.write('in/k=b/w.avro', Readable.from([readFileSync(join(corpus, 'weather-zstd.avro'))]));
    const result = await convertDataset(az('in/'), az('out/'), { manifestHash: 'abc' });
    expect(result.rows).toBe(2 * weatherRows);
    expect(await keysUnder('out/')).toEqual([SUCCESS_PATH, COMMIT_PATH, 'k=a/w.parquet', 'k=b/w.parquet']);
    expect((await committedFiles(storage, 'out/')).map((f) => f.uri)).toEqual([az('out/k=a/w.parquet'), az('out/k=b/w.parquet')]);
    expect(await readCommit(storage, 'out/')).toMatchObject({ manifestHash: 'abc', rows: 2 * weatherRows });
    const again = await convertDataset(az('in/'), az('out/'), { manifestHash: 'abc' });
    expect(again.published?.skipped).toBe(true);
    // Another manifest: converted again.
    expect((await convertDataset(az('in/'), az('out/'), { manifestHash: 'def' })).published?.skipped).toBe(false);
  });

  it('bad input names the az:// URI; nothing under the output prefix', async () => {
    await storage.write('bad/x.avro', Readable.from([readFileSync(join(corpus, 'avro-1238-truncated.avro'))]));
    await expect(convertDataset(az('bad/'), az('bad-out/'))).rejects.toThrow(new RegExp(`^${az('bad/x.avro')}: `));
    expect(await keysUnder('bad-out/')).toEqual([]);
  });
});
