/**
 * The Action's convert and verify modes over S3, as the example workflow runs them
 * (docs/workflows/convert-verify.yml): a manifest whose dataset.source.uri and dataset.target.uri are
 * s3:// prefixes, no source/target inputs, and only the standard AWS variables in the environment
 * (what aws-actions/configure-aws-credentials exports). The S3 test server stands in for S3
 * (test/data/storage/s3-server.mjs). Then the rollout's dataset gate, wired as the App and the Action
 * wire it, reads the record and lets the rollout go; a second convert is a no-op.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertMode } from '../../src/action/modes/convert.js';
import { verifyMode } from '../../src/action/modes/verify.js';
import { datasetGateReader } from '../../src/composition/dataset-gate.js';
import { listAll } from '../../src/data/storage/port.js';
import { storageFor } from '../../src/data/storage/uri.js';
import { loadManifest } from '../../src/manifest/load.js';
import { type S3TestServer, startS3Server } from '../data/storage/servers.js';
import { manifestWorkspace, recordingIO } from './recording-io.js';

const shared = fileURLToPath(new URL('../../../shared/data/avro/', import.meta.url));
const AWS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_ENDPOINT_URL_S3',
  'AWS_REGION',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
];
const saved = Object.fromEntries(AWS.map((name) => [name, process.env[name]]));

let server: S3TestServer;
let ws: ReturnType<typeof manifestWorkspace>;

beforeAll(async () => {
  server = await startS3Server();
  Object.assign(process.env, server.env, { AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' });
  ws = manifestWorkspace(
    'fleetwave/weather.yaml',
    `apiVersion: fleetwave/v1
kind: DatasetMigration
metadata: { name: weather-v2, owner: data-platform }
dataset:
  source: { uri: "s3://${server.bucket}/weather/v1/", format: avro }
  target: { uri: "s3://${server.bucket}/weather/v2/", format: parquet }
consumers:
  discover: [{ repos: [acme/weather] }]
`,
  );
  const { storage } = await storageFor(`s3://${server.bucket}/`);
  for (const name of ['weather.avro', 'weather-zstd.avro']) {
    await storage.write(`weather/v1/${name}`, createReadStream(join(shared, name)));
  }
});
afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  ws?.dispose();
  await server?.stop();
});

describe("the Action's convert and verify modes over S3", () => {
  it('convert publishes the manifest target in the store; verify writes the record the gate lets through; a re-run is a no-op', async () => {
    const env = {
      GITHUB_WORKSPACE: ws.dir,
      RUNNER_TEMP: ws.dir,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/lake',
      GITHUB_RUN_ID: '77',
    };
    const converted = recordingIO({ mode: 'convert', manifest: 'fleetwave/weather.yaml' }, env);
    expect(await convertMode(converted.io)).toEqual({});
    expect(converted.rec.outputs).toMatchObject({ rows: '10', published: 'committed', target: `s3://${server.bucket}/weather/v2/` });
    const { storage } = await storageFor(`s3://${server.bucket}/`);
    const keys: string[] = [];
    for await (const o of listAll(storage, 'weather/v2/')) keys.push(o.key);
    expect(keys).toEqual(expect.arrayContaining(['weather/v2/_SUCCESS', 'weather/v2/_fleetwave/commit.json']));
    expect(keys.filter((k) => k.includes('/staging/'))).toEqual([]);

    const gate = datasetGateReader(undefined);
    const loaded = await loadManifest(join(ws.dir, 'fleetwave/weather.yaml'));
    const before = await gate(loaded);
    expect(before).toMatchObject({ verdict: { state: 'missing' } });

    const verified = recordingIO({ mode: 'verify', manifest: 'fleetwave/weather.yaml' }, env);
    expect(await verifyMode(verified.io)).toEqual({});
    expect(verified.rec.outputs).toMatchObject({ pass: 'true', 'source-rows': '10', 'target-rows': '10' });
    const after = await gate(loaded);
    expect(after).toMatchObject({
      verdict: { state: 'verified' },
      recordUri: `s3://${server.bucket}/weather/v2/_fleetwave/verification.json`,
    });

    const again = recordingIO({ mode: 'convert', manifest: 'fleetwave/weather.yaml' }, env);
    await convertMode(again.io);
    expect(again.rec.outputs).toMatchObject({ published: 'skipped' });
    expect(await gate(loaded)).toMatchObject({ verdict: { state: 'verified' } });
  });
});
