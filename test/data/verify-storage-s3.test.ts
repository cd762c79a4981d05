/**
 * verify over object storage, against real stores: the S3 test server (test/data/storage/s3-server.mjs,
 * configured only through the standard AWS variables) and Azurite. The source is Avro from
 * ../shared/data/avro/ put into the store through the port; the target its Parquet conversion (made by
 * the local convert in a temporary folder, then uploaded through the port). Then: verify s3→s3 and the
 * requests it makes per Parquet object, `fleetwave verify --manifest` with no paths writing the
 * verification record, read back with readVerificationRecord and judged by gateVerdict; a tampered
 * target (one object replaced) writing a failing record; a changed source changing sourceFingerprint;
 * errors naming the object's URI; the same on Azurite.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { writeAvroFile } from '../../src/data/avro/writer.js';
import type { AvroSchema } from '../../src/data/avro/types.js';
import { convertDataset } from '../../src/data/convert.js';
import { BlobServiceClient } from '@azure/storage-blob';
import { storageFor } from '../../src/data/storage/uri.js';
import { gateVerdict } from '../../src/data/verification-record.js';
import { readVerificationRecord, sourceFingerprint } from '../../src/data/verification-store.js';
import { verifyDatasetObjects } from '../../src/data/verify/verify.js';
import { verifyCommand } from '../../src/cli/commands/verify.js';
import { loadManifest } from '../../src/manifest/load.js';
import { runCommand } from './run-command.js';
import { compatCommand } from '../../src/cli/commands/compat.js';
import { sourceRows, steps, writeSource } from './verify/fixtures.js';
import { type S3TestServer, startAzurite, startS3Server } from './storage/servers.js';

const shared = fileURLToPath(new URL('../../../shared/data/avro/', import.meta.url));
const WEATHER = ['weather.avro', 'weather-deflate.avro', 'weather-snappy.avro', 'weather-zstd.avro'];

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
  'AZURE_STORAGE_CONNECTION_STRING',
];
const saved = Object.fromEntries(AWS_VARIABLES.map((name) => [name, process.env[name]]));

let s3: S3TestServer;
let azurite: Awaited<ReturnType<typeof startAzurite>>;
let dir: string;
let converted: string;

async function put(uri: string, bytes: Buffer): Promise<void> {
  const { storage, key } = await storageFor(uri);
  await storage.write(key, Readable.from([bytes]));
}

/** Puts the weather Avro files under `<base>in/` and their local conversion under `<base>out/`. */
async function upload(base: string): Promise<void> {
  for (const name of WEATHER) await put(`${base}in/${name}`, await readFile(join(shared, name)));
  for (const name of await readdir(converted)) {
    if (name.endsWith('.parquet')) await put(`${base}out/${name}`, await readFile(join(converted, name)));
  }
}

/** The weather rows less the last, as Avro, and its Parquet conversion (a different dataset of the same schema). */
async function fewerRows(): Promise<{ avro: Buffer; parquet: Buffer }> {
  const schema = JSON.parse(await readFile(join(shared, 'weather.avsc'), 'utf8')) as AvroSchema;
  const rows = (await readFile(join(shared, 'weather.json'), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => {
      const r = JSON.parse(line) as { station: string; time: number; temp: number };
      return { station: r.station, time: BigInt(r.time), temp: r.temp };
    })
    .slice(0, 4);
  const avro = join(dir, 'fewer', 'weather.avro');
  await writeAvroFile(avro, schema, rows, { codec: 'null' });
  await convertDataset(join(dir, 'fewer', 'weather.avro'), join(dir, 'fewer', 'weather.parquet'));
  return { avro: await readFile(avro), parquet: await readFile(join(dir, 'fewer', 'weather.parquet')) };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fw-verify-s3-'));
  converted = join(dir, 'converted');
  const local = join(dir, 'in');
  await rm(local, { recursive: true, force: true });
  for (const name of WEATHER) {
    const { storage, key } = await storageFor(join(local, name));
    await storage.write(key, Readable.from([await readFile(join(shared, name))]));
  }
  await convertDataset(`${local}/`, `${converted}/`, { compression: 'zstd' });
  [s3, azurite] = await Promise.all([startS3Server(), startAzurite()]);
  for (const name of AWS_VARIABLES) delete process.env[name];
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: s3.accessKey,
    AWS_SECRET_ACCESS_KEY: s3.secret,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    AWS_EC2_METADATA_DISABLED: 'true',
    AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
  });
  await BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('lake').create();
}, 240_000);

afterAll(async () => {
  await Promise.all([s3?.stop(), azurite?.stop()]);
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await rm(dir, { recursive: true, force: true });
});

const manifestText = (source: string, target: string) => `apiVersion: fleetwave/v1
kind: DatasetMigration
metadata: { name: weather-v2, owner: data-platform }
dataset:
  source: { uri: ${source}, format: avro }
  target: { uri: ${target}, format: parquet }
  verify: { key: time }
consumers:
  discover: [{ repos: [acme/weather] }]
`;

describe('verify on the S3 test server', () => {
  it('verifies s3→s3 by streaming and byte ranges: a footer by one suffix range, then the column chunks', async () => {
    const base = `s3://${s3.bucket}/ranges/`;
    await upload(base);
    await s3.requests(true);
    const { report, sourceObjects, targetObjects } = await verifyDatasetObjects(`${base}in/`, `${base}out/`, { key: 'time' });
    const requests = await s3.requests();
    expect(report).toMatchObject({ pass: true, equal: true, sourceRows: 20, targetRows: 20, files: { source: 4, target: 4 } });
    expect(sourceObjects.map((o) => o.uri)).toEqual(WEATHER.map((n) => `${base}in/${n}`).sort());
    expect(targetObjects.every((o) => o.uri.startsWith(`${base}out/`) && o.uri.endsWith('.parquet'))).toBe(true);
    console.log(`verify s3→s3, 4 + 4 small objects: ${JSON.stringify(requests)}`);
    // Per small Parquet object (under 256 KiB): read whole by its footer's read, once to open the
    // dataset and once to read its rows; per Avro object: a header range and one streamed GET; per
    // side, one look for a commit marker (_fleetwave/commit.json).
    expect(requests.GetObject).toBe(4 * 2 + 4 * 2 + 2);
  });

  it('`fleetwave verify --manifest` with no paths writes the record; read back, it passes the gate for the manifest hash', async () => {
    const base = `s3://${s3.bucket}/record/`;
    await upload(base);
    const manifestPath = join(dir, 'record.yaml');
    await writeFile(manifestPath, manifestText(`${base}in/`, `${base}out/`));
    const r = await runCommand(verifyCommand, ['verify', '--manifest', manifestPath]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`written to ${base}out/_fleetwave/verification.json`);
    const record = await readVerificationRecord(`${base}out/`);
    const loaded = await loadManifest(manifestPath);
    expect(record).toMatchObject({
      version: 1,
      migration: 'weather-v2',
      manifestHash: loaded.hash,
      pass: true,
      reasons: [],
      mismatchedRows: 0,
      source: { uri: `${base}in/`, rows: 20 },
      target: { uri: `${base}out/`, rows: 20 },
      reportUrl: null,
    });
    expect(record!.source.files.map((f) => f.key)).toEqual(WEATHER.map((n) => `record/in/${n}`).sort());
    expect(record!.target.files).toHaveLength(4);
    expect(record!.source.checksum).toBe(record!.target.checksum);
    const fingerprint = await sourceFingerprint(`${base}in/`);
    expect(gateVerdict(record, loaded.hash, fingerprint).state).toBe('verified');
    expect(gateVerdict(record, 'another-hash', fingerprint).state).toBe('stale');

    // The source changes: its fingerprint changes, and the record is stale for it.
    const fewer = await fewerRows();
    await put(`${base}in/weather.avro`, fewer.avro);
    const changed = await sourceFingerprint(`${base}in/`);
    expect(changed).not.toBe(fingerprint);
    expect(gateVerdict(record, loaded.hash, changed)).toMatchObject({ state: 'stale', why: expect.stringContaining('source') });
  });

  it('a tampered target (one object replaced) writes a failing record, and the gate reads it as failed', async () => {
    const base = `s3://${s3.bucket}/tampered/`;
    await upload(base);
    const fewer = await fewerRows();
    const targets = (await verifyDatasetObjects(`${base}in/`, `${base}out/`)).targetObjects;
    await put(targets[1]!.uri, fewer.parquet);
    const manifestPath = join(dir, 'tampered.yaml');
    await writeFile(manifestPath, manifestText(`${base}in/`, `${base}out/`));
    const r = await runCommand(verifyCommand, ['verify', '--manifest', manifestPath, '--json']);
    expect(r.code).toBe(1);
    const record = await readVerificationRecord(`${base}out/`);
    expect(record).toMatchObject({ pass: false, source: { rows: 20 }, target: { rows: 19 } });
    expect(record!.reasons.join('\n')).toContain('row counts differ: source 20, target 19');
    expect(record!.target.files.find((f) => f.key === targets[1]!.key)!.size).toBe(fewer.parquet.length);
    const loaded = await loadManifest(manifestPath);
    expect(gateVerdict(record, loaded.hash, await sourceFingerprint(`${base}in/`)).state).toBe('failed');
  });

  it('a corrupt object stops verify with an error naming its URI, and still writes a failing record', async () => {
    const base = `s3://${s3.bucket}/corrupt/`;
    await upload(base);
    const bytes = await readFile(join(shared, 'weather.avro'));
    await put(`${base}in/weather.avro`, bytes.subarray(0, bytes.length - 20));
    const manifestPath = join(dir, 'corrupt.yaml');
    await writeFile(manifestPath, manifestText(`${base}in/`, `${base}out/`));
    const r = await runCommand(verifyCommand, ['verify', '--manifest', manifestPath]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${base}in/weather.avro: block 0 at byte`);
    const record = await readVerificationRecord(`${base}out/`);
    expect(record).toMatchObject({ pass: false, reasons: [expect.stringContaining(`${base}in/weather.avro`)] });
    const loaded = await loadManifest(manifestPath);
    expect(gateVerdict(record, loaded.hash, await sourceFingerprint(`${base}in/`)).state).toBe('failed');
  });

  it('names the URI when a prefix holds nothing, or an object is not Parquet', async () => {
    const base = `s3://${s3.bucket}/errors/`;
    await upload(base);
    await expect(verifyDatasetObjects(`${base}nothing/`, `${base}out/`)).rejects.toThrow(`${base}nothing/: no such file or folder`);
    await put(`${base}bad/part-0.parquet`, await readFile(join(shared, 'weather.avro')));
    await expect(verifyDatasetObjects(`${base}in/`, `${base}bad/`)).rejects.toThrow(
      `${base}bad/part-0.parquet: not a readable Parquet file`,
    );
    // Without a manifest nothing is written.
    expect(await readVerificationRecord(`${base}bad/`)).toBeNull();
  });
});

describe('verify on the S3 test server: a larger dataset', () => {
  it('reads a Parquet object by a suffix range for its footer (once) and one range per column chunk; rows/s beside local files', async () => {
    const rows = 100_000;
    const local = join(dir, 'large');
    await writeSource(join(local, 'in', 'events.avro'), sourceRows(rows));
    await convertDataset(join(local, 'in', 'events.avro'), join(local, 'out', 'events.parquet'), { steps, rowGroupSize: 25_000 });
    const base = `s3://${s3.bucket}/large/`;
    await put(`${base}in/events.avro`, await readFile(join(local, 'in', 'events.avro')));
    const parquet = await readFile(join(local, 'out', 'events.parquet'));
    expect(parquet.length).toBeGreaterThan(256 * 1024);
    await put(`${base}out/events.parquet`, parquet);

    let started = performance.now();
    const onDisk = await verifyDatasetObjects(`${local}/in/`, `${local}/out/`, { transform: steps, key: 'event_id' });
    const localMs = performance.now() - started;
    await s3.requests(true);
    started = performance.now();
    const { report } = await verifyDatasetObjects(`${base}in/`, `${base}out/`, { transform: steps, key: 'event_id' });
    const s3Ms = performance.now() - started;
    const requests = await s3.requests();
    expect(onDisk.report.pass).toBe(true);
    expect(report).toMatchObject({ pass: true, sourceRows: rows, targetRows: rows });
    const columns = report.columns.length;
    // Avro: a header range and one streamed GET; Parquet: one footer read (by a suffix range; the parsed
    // footer is kept for reading the rows), then one range per column chunk (4 row groups); one look for
    // a commit marker per side.
    expect(requests.GetObject).toBe(2 + 1 + columns * 4 + 2);
    console.log(
      `verify ${rows} rows: local ${Math.round(rows / (localMs / 1000))} rows/s, S3 test server ${Math.round(rows / (s3Ms / 1000))} rows/s; requests ${JSON.stringify(requests)} (${columns} columns × 4 row groups); RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`,
    );
  }, 240_000);
});

describe('compat on object storage', () => {
  it('reads the schemas from Avro headers by URI, an object or a prefix', async () => {
    const base = `s3://${s3.bucket}/compat/`;
    await upload(base);
    const r = await runCommand(compatCommand, ['compat', `${base}in/weather.avro`, `${base}in/`, '--json']);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'FULL', pass: true });
    const missing = await runCommand(compatCommand, ['compat', `${base}in/nothing.avro`, `${base}in/weather.avro`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${base}in/nothing.avro: cannot open the Avro file (not found)`);
  });
});

describe('verify on Azurite', () => {
  it('verifies az→az and writes the record beside the target', async () => {
    const base = 'az://devstoreaccount1/lake/weather/';
    await upload(base);
    const manifestPath = join(dir, 'azure.yaml');
    await writeFile(manifestPath, manifestText(`${base}in/`, `${base}out/`));
    const r = await runCommand(verifyCommand, ['verify', '--manifest', manifestPath]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const record = await readVerificationRecord(`${base}out/`);
    const loaded = await loadManifest(manifestPath);
    expect(record).toMatchObject({ pass: true, source: { rows: 20 }, target: { rows: 20 } });
    expect(gateVerdict(record, loaded.hash, await sourceFingerprint(`${base}in/`)).state).toBe('verified');
  });

  it('verifies a local source against an S3 target', async () => {
    const base = `s3://${s3.bucket}/mixed/`;
    await upload(base);
    const { report } = await verifyDatasetObjects(`${dir}/in/`, `${base}out/`, { key: 'time' });
    expect(report).toMatchObject({ pass: true, sourceRows: 20, targetRows: 20 });
  });
});
