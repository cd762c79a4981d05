/**
 * backfill with the dataset in the S3 test server: each partition streamed from and to the store,
 * published with its commit (the done marker, in the store), the job matrix of pending partitions
 * built from what the store holds, and a re-run skipping every committed partition.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { backfillCommand } from '../../../src/cli/commands/backfill.js';
import { COMMIT_PATH, SUCCESS_PATH, readCommit } from '../../../src/data/publish/commit.js';
import type { ObjectStorage } from '../../../src/data/storage/port.js';
import { storageFor } from '../../../src/data/storage/uri.js';
import { runCommand } from '../run-command.js';
import { type S3TestServer, startS3Server } from '../storage/servers.js';
import { sourceRows, writeSource } from '../verify/fixtures.js';

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
let storage: ObjectStorage;
let dir: string;

const manifest = (bucket: string) => `apiVersion: fleetwave/v1
kind: DatasetMigration
metadata: { name: play-events-v2, owner: data-platform }
dataset:
  source: { uri: s3://${bucket}/bf/v1/, format: avro }
  target: { uri: s3://${bucket}/bf/v2/, format: parquet, compression: snappy, rowGroupSize: 100 }
  transform:
    - rename: { from: user_id, to: userId }
    - cast: { field: amount, to: { type: decimal, precision: 12, scale: 2 } }
  backfill: { from: 2024-01-01, to: 2024-01-03, partition: daily }
  verify: { key: event_id }
consumers:
  discover: [{ repos: [acme/recs] }]
`;

async function upload(key: string, rows: number): Promise<void> {
  const path = join(dir, key.replace(/\//g, '_'));
  await writeSource(path, sourceRows(rows));
  await storage.write(key, Readable.from([readFileSync(path)]));
}

beforeAll(async () => {
  server = await startS3Server();
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: server.accessKey,
    AWS_SECRET_ACCESS_KEY: server.secret,
    AWS_ENDPOINT_URL_S3: server.endpoint,
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  storage = (await storageFor(`s3://${server.bucket}/`)).storage;
  dir = mkdtempSync(join(tmpdir(), 'fw-backfill-s3-'));
  writeFileSync(join(dir, 'manifest.yaml'), manifest(server.bucket));
  await upload('bf/v1/dt=2024-01-01/part-0.avro', 120);
  await upload('bf/v1/dt=2024-01-01/part-1.avro', 30);
  await upload('bf/v1/dt=2024-01-02/part-0.avro', 80);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  for (const [n, v] of Object.entries(saved))
    if (v === undefined) delete process.env[n];
    else process.env[n] = v;
  rmSync(dir, { recursive: true, force: true });
});

const run = (...args: string[]) => runCommand(backfillCommand, ['backfill', join(dir, 'manifest.yaml'), ...args]);

describe('backfill over S3', () => {
  it('converts and verifies each partition into the store, commits it, and skips it the next time', async () => {
    expect(JSON.parse((await run('--list', '--pending')).stdout)).toEqual({
      include: [{ partition: '2024-01-01' }, { partition: '2024-01-02' }],
    });
    const first = await run('--json');
    expect(first.stderr).toBe('');
    expect(JSON.parse(first.stdout)).toMatchObject({ converted: 2, skipped: 0, failed: 0, noSource: 1 });
    const commit = await readCommit(storage, 'bf/v2/dt=2024-01-01/');
    expect(commit).toMatchObject({
      rows: 150,
      files: [
        { key: 'part-0.parquet', rows: 120 },
        { key: 'part-1.parquet', rows: 30 },
      ],
    });
    expect(commit?.manifestHash).toMatch(/^[0-9a-f]{64}$/);
    await expect(storage.head(`bf/v2/dt=2024-01-01/${SUCCESS_PATH}`)).resolves.toBeDefined();
    await expect(storage.head(`bf/v2/dt=2024-01-02/${COMMIT_PATH}`)).resolves.toBeDefined();

    expect(JSON.parse((await run('--list', '--pending')).stdout)).toEqual({ include: [] });
    expect(JSON.parse((await run('--json')).stdout)).toMatchObject({ converted: 0, skipped: 2, failed: 0, noSource: 1 });

    // A rewritten source object: only its partition is pending again.
    await upload('bf/v1/dt=2024-01-02/part-0.avro', 90);
    expect(JSON.parse((await run('--list', '--pending')).stdout)).toEqual({ include: [{ partition: '2024-01-02' }] });
    const again = JSON.parse((await run('--json')).stdout);
    expect(again).toMatchObject({ converted: 1, skipped: 1 });
    expect((await readCommit(storage, 'bf/v2/dt=2024-01-02/'))?.rows).toBe(90);
  }, 120_000);
});
