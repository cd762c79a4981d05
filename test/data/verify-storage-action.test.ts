/**
 * The Action's verify mode with a manifest and no source/target inputs: it verifies the manifest's
 * dataset.source.uri against dataset.target.uri (relative to the working directory) and writes the
 * verification record beside the target, with this run's URL (GITHUB_SERVER_URL, GITHUB_REPOSITORY,
 * GITHUB_RUN_ID) as its reportUrl. Run in process on local files.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifyMode } from '../../src/action/modes/verify.js';
import { convertDataset } from '../../src/data/convert.js';
import { gateVerdict } from '../../src/data/verification-record.js';
import { readVerificationRecord, sourceFingerprint } from '../../src/data/verification-store.js';
import { loadManifest } from '../../src/manifest/load.js';
import { VERSION } from '../../src/version.js';
import { manifestWorkspace, recordingIO } from '../action/recording-io.js';

const shared = fileURLToPath(new URL('../../../shared/data/avro/', import.meta.url));
const manifest = `apiVersion: fleetwave/v1
kind: DatasetMigration
metadata: { name: weather-v2, owner: data-platform }
dataset:
  source: { uri: lake/weather/v1/, format: avro }
  target: { uri: lake/weather/v2/, format: parquet }
consumers:
  discover: [{ repos: [acme/weather] }]
`;

let ws: ReturnType<typeof manifestWorkspace>;
beforeAll(async () => {
  ws = manifestWorkspace('fleetwave/weather.yaml', manifest);
  await mkdir(join(ws.dir, 'lake/weather/v1'), { recursive: true });
  for (const name of ['weather.avro', 'weather-zstd.avro']) await copyFile(join(shared, name), join(ws.dir, 'lake/weather/v1', name));
  await convertDataset(join(ws.dir, 'lake/weather/v1/'), join(ws.dir, 'lake/weather/v2/'));
});
afterAll(() => ws.dispose());

describe("the Action's verify mode", () => {
  it('verifies the manifest URIs and writes the record with the run URL', async () => {
    const env = {
      GITHUB_WORKSPACE: ws.dir,
      RUNNER_TEMP: ws.dir,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/lake',
      GITHUB_RUN_ID: '4242',
    };
    const { io, rec } = recordingIO({ mode: 'verify', manifest: 'fleetwave/weather.yaml' }, env);
    const outcome = await verifyMode(io);
    expect(outcome).toEqual({});
    expect(rec.outputs).toMatchObject({ pass: 'true', 'source-rows': '10', 'target-rows': '10' });
    const target = join(ws.dir, 'lake/weather/v2/');
    expect(rec.info.join('\n')).toContain(`written to ${join(target, '_fleetwave/verification.json')}`);
    const record = await readVerificationRecord(target);
    const loaded = await loadManifest(join(ws.dir, 'fleetwave/weather.yaml'));
    expect(record).toMatchObject({
      migration: 'weather-v2',
      manifestHash: loaded.hash,
      pass: true,
      reportUrl: 'https://github.com/acme/lake/actions/runs/4242',
      fleetwaveVersion: VERSION,
    });
    const source = join(ws.dir, 'lake/weather/v1/');
    expect(gateVerdict(record, loaded.hash, await sourceFingerprint(source)).state).toBe('verified');
    expect(JSON.parse(await readFile(join(target, '_fleetwave/verification.json'), 'utf8'))).toEqual(record);
  });
});
