/**
 * The Cloud Storage adapter against the GCS test server (./gcs-server.ts: the JSON API as Google's
 * reference describes it, in memory; no GCS emulator installs here), reached the way a user points
 * the SDK at an emulator: `STORAGE_EMULATOR_HOST`, nothing else.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Storage } from '@google-cloud/storage';
import { Readable } from 'node:stream';
import { GcsStorage } from '../../../src/data/storage/gcs.js';
import { listAll, readRange } from '../../../src/data/storage/port.js';
import { storageFor } from '../../../src/data/storage/uri.js';
import { type Subject, conformance } from './conformance.js';
import { type GcsTestServer, crc32cBase64, startGcsServer } from './gcs-server.js';

const saved = process.env.STORAGE_EMULATOR_HOST;
let server: GcsTestServer;
let subject: Subject;

beforeAll(async () => {
  server = await startGcsServer({ buckets: ['fleetwave'], deniedBuckets: ['someone-elses'] });
  process.env.STORAGE_EMULATOR_HOST = server.endpoint;
  const { storage, key } = await storageFor(`gs://${server.bucket}/conformance/`);
  subject = {
    storage,
    base: key,
    async denied() {
      const denied = await storageFor('gs://someone-elses/denied/object.bin');
      return { storage: denied.storage, key: denied.key, secrets: [], reads: true };
    },
  };
});
afterAll(async () => {
  if (saved === undefined) delete process.env.STORAGE_EMULATOR_HOST;
  else process.env.STORAGE_EMULATOR_HOST = saved;
  await server?.stop();
});

conformance(() => subject);

describe('Cloud Storage adapter', () => {
  it('the test server reports CRC32C as RFC 3720 defines it (its check value for "123456789" is 0xE3069283)', () => {
    expect(Buffer.from(crc32cBase64(Buffer.from('123456789')), 'base64').toString('hex')).toBe('e3069283');
  });

  it('names objects gs://bucket/key; a missing bucket is NotFound naming the URI', async () => {
    const { storage, key } = await storageFor(`gs://${server.bucket}/a/b.txt`);
    expect(key).toBe('a/b.txt');
    expect(storage.uri(key)).toBe(`gs://${server.bucket}/a/b.txt`);
    const nowhere = new GcsStorage('no-such-bucket', new Storage());
    await expect(nowhere.head('k')).rejects.toMatchObject({ reason: 'not-found', uri: 'gs://no-such-bucket/k' });
  });

  it('counts requests: a write is one resumable session (start and one streamed request) and a head; a range read is one GET', async () => {
    const { storage, base } = subject;
    server.requests(true);
    await storage.write(`${base}counted/object.bin`, Readable.from([Buffer.alloc(3000, 1)]));
    expect(server.requests(true)).toEqual({
      'objects.insert (resumable start)': 1,
      'objects.insert (resumable chunk)': 1,
      'objects.get': 1,
    });
    await readRange(storage, `${base}counted/object.bin`, { suffix: 8 });
    expect(server.requests(true)).toEqual({ 'objects.get (media)': 1 });
  });

  it('move is a server-side rewrite, following its tokens for a large object, then a delete', async () => {
    const { storage, base } = subject;
    async function* three(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 3; i++) yield Buffer.alloc(1024 * 1024, i + 1);
    }
    await storage.write(`${base}rewrite/big.staged`, three());
    server.requests(true);
    const moved = await storage.move(`${base}rewrite/big.staged`, `${base}rewrite/big.bin`);
    expect(moved.size).toBe(3 * 1024 * 1024);
    expect(server.requests(true)).toEqual({ 'objects.get': 2, 'objects.rewrite': 3, 'objects.delete': 1 });
    const keys: string[] = [];
    for await (const o of listAll(storage, `${base}rewrite/`)) keys.push(o.key);
    expect(keys).toEqual([`${base}rewrite/big.bin`]);
  });
});
