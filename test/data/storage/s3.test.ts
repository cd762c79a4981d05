/**
 * The S3 adapter against the S3 test server (./s3-server.mjs), configured only through the standard
 * AWS environment variables, as in CI or the held-out check: the endpoint (`AWS_ENDPOINT_URL_S3`,
 * read by the SDK itself), the keys, no region (the adapter's default for a custom endpoint).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { S3Storage, s3ClientConfig } from '../../../src/data/storage/s3.js';
import { readRange } from '../../../src/data/storage/port.js';
import { storageFor } from '../../../src/data/storage/uri.js';
import { type Subject, conformance } from './conformance.js';
import { type S3TestServer, startS3Server } from './servers.js';

const AWS_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_S3',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_PROFILE',
  'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_EC2_METADATA_DISABLED',
];
const saved = Object.fromEntries(AWS_VARIABLES.map((name) => [name, process.env[name]]));

function setEnvironment(values: Record<string, string | undefined>): void {
  for (const name of AWS_VARIABLES) delete process.env[name];
  for (const [name, value] of Object.entries(values)) if (value !== undefined) process.env[name] = value;
}

let server: S3TestServer;
let subject: Subject;
let environment: Record<string, string>;

beforeAll(async () => {
  server = await startS3Server();
  environment = {
    AWS_ACCESS_KEY_ID: server.accessKey,
    AWS_SECRET_ACCESS_KEY: server.secret,
    AWS_ENDPOINT_URL_S3: server.endpoint,
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  setEnvironment(environment);
  const { storage, key } = await storageFor(`s3://${server.bucket}/conformance-${Date.now()}/`);
  subject = {
    storage,
    base: key,
    async denied() {
      const wrong = 'wrong-secret-0123456789abcdefghij';
      setEnvironment({ ...environment, AWS_SECRET_ACCESS_KEY: wrong });
      try {
        const denied = await storageFor(`s3://${server.bucket}/denied/object.bin`);
        await denied.storage.head(denied.key).catch(() => undefined); // resolves (and keeps) the wrong key
        return { storage: denied.storage, key: denied.key, secrets: [wrong, server.secret], reads: true };
      } finally {
        setEnvironment(environment);
      }
    },
  };
});
afterAll(async () => {
  setEnvironment(saved);
  await server?.stop();
});

conformance(() => subject);

describe('S3 adapter', () => {
  it('reads the generic AWS_ENDPOINT_URL too, path-style, and an unknown key id is refused', async () => {
    setEnvironment({ ...environment, AWS_ENDPOINT_URL_S3: undefined, AWS_ENDPOINT_URL: server.endpoint });
    try {
      const { storage, key } = await storageFor(`s3://${server.bucket}/generic/one.txt`);
      await storage.write(key, Readable.from([Buffer.from('one')]));
      expect((await storage.head(key)).size).toBe(3);
      setEnvironment({ ...environment, AWS_ACCESS_KEY_ID: 'AKIANOSUCHKEY' });
      const stranger = await storageFor(`s3://${server.bucket}/generic/one.txt`);
      await expect(stranger.storage.head(stranger.key)).rejects.toMatchObject({ reason: 'permission' });
    } finally {
      setEnvironment(environment);
    }
  });

  it('configures only what the default chain cannot know', () => {
    expect(s3ClientConfig({})).toEqual({});
    expect(s3ClientConfig({ AWS_REGION: 'eu-west-1' })).toEqual({ region: 'eu-west-1' });
    expect(s3ClientConfig({ AWS_ENDPOINT_URL: 'http://minio:9000' })).toEqual({ forcePathStyle: true, region: 'us-east-1' });
    expect(s3ClientConfig({ AWS_ENDPOINT_URL_S3: 'http://x', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).toEqual({});
  });

  it('a missing bucket is NotFound naming the URI', async () => {
    const storage = new S3Storage('no-such-bucket');
    await expect(storage.head('k')).rejects.toMatchObject({ reason: 'not-found', uri: 's3://no-such-bucket/k' });
  });

  it('counts requests per operation: one per read, head, range or list page; a write adds a head', async () => {
    const { storage, base } = subject;
    const key = `${base}counted/object.bin`;
    await server.requests(true);
    await storage.write(key, Readable.from([Buffer.alloc(1000)]));
    expect(await server.requests(true)).toEqual({ PutObject: 1, HeadObject: 1 });
    await storage.head(key);
    expect(await server.requests(true)).toEqual({ HeadObject: 1 });
    for await (const chunk of await storage.read(key)) void chunk;
    expect(await server.requests(true)).toEqual({ GetObject: 1 });
    await readRange(storage, key, { suffix: 8 });
    expect(await server.requests(true)).toEqual({ GetObject: 1 });
    await storage.list(base);
    expect(await server.requests(true)).toEqual({ ListObjectsV2: 1 });
    async function* twelve(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 12; i++) yield Buffer.alloc(1024 * 1024, i);
    }
    await storage.write(`${base}counted/big.bin`, twelve());
    expect(await server.requests(true)).toEqual({ CreateMultipartUpload: 1, UploadPart: 3, CompleteMultipartUpload: 1, HeadObject: 1 });
  });

  it('move is a server-side copy: one CopyObject, or UploadPartCopy ranges above the single-copy limit; no byte is read back', async () => {
    const { base } = subject;
    const { storage: small } = await storageFor(`s3://${server.bucket}/`);
    const from = `${base}copied/_fleetwave/staging/x/dt=2026-12-07/part-0.parquet.staged`;
    await small.write(from, Readable.from([Buffer.alloc(3000, 7)]));
    await server.requests(true);
    await small.move(from, `${base}copied/dt=2026-12-07/part-0.parquet`);
    expect(await server.requests(true)).toEqual({ HeadObject: 2, CopyObject: 1, DeleteObject: 1 });

    const MiB = 1024 * 1024;
    const parts = new S3Storage(server.bucket, new S3Client(s3ClientConfig()), { singleCopyMax: 5 * MiB, partSize: 5 * MiB });
    async function* twelve(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 12; i++) yield Buffer.alloc(MiB, i);
    }
    const bigFrom = `${base}copied/big.staged`;
    const bigTo = `${base}copied/big.bin`;
    await parts.write(bigFrom, twelve());
    await server.requests(true);
    const info = await parts.move(bigFrom, bigTo);
    expect(await server.requests(true)).toEqual({
      HeadObject: 2,
      CreateMultipartUpload: 1,
      UploadPartCopy: 3,
      CompleteMultipartUpload: 1,
      DeleteObject: 1,
    });
    expect(info.size).toBe(12 * MiB);
    const whole = await readRange(parts, bigTo, { offset: 0 });
    for (let i = 0; i < 12; i++) expect(whole.subarray(i * MiB, (i + 1) * MiB).equals(Buffer.alloc(MiB, i))).toBe(true);
  });

  it('the test server takes a streamed upload from the SDK (aws-chunked, CRC32 trailer) as S3 does: data without framing', async () => {
    const client = new S3Client(s3ClientConfig());
    const seen: string[] = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        const headers = (args.request as { headers: Record<string, string> }).headers;
        seen.push(`${headers['content-encoding']} ${headers['x-amz-trailer']}`);
        return next(args);
      },
      { step: 'finalizeRequest', name: 'seeHeaders' },
    );
    const key = `${subject.base}chunked/stream.txt`;
    const body = Readable.from([Buffer.from('hello '), Buffer.from('stream')]);
    await client.send(new PutObjectCommand({ Bucket: server.bucket, Key: key, Body: body, ContentLength: 12 }));
    expect(seen).toEqual(['aws-chunked x-amz-checksum-crc32']);
    const answer = await client.send(new GetObjectCommand({ Bucket: server.bucket, Key: key }));
    expect(await answer.Body?.transformToString()).toBe('hello stream');
  });
});
