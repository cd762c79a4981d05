/**
 * `fleetwave convert --manifest m` with no paths: dataset.source.uri → dataset.target.uri (here file://
 * URIs of local folders), published with the manifest's hash in the commit; the second run is a no-op.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { convertCommand } from '../../src/cli/commands/convert.js';
import { COMMIT_PATH } from '../../src/data/publish/commit.js';
import { runCommand } from './run-command.js';
import { sourceRows, writeSource } from './verify/fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fw-convert-manifest-'));
  await writeSource(join(dir, 'v1/dt=2024-01-01/part-0.avro'), sourceRows(40));
  await writeSource(join(dir, 'v1/dt=2024-01-02/part-0.avro'), sourceRows(25));
  writeFileSync(
    join(dir, 'manifest.yaml'),
    `apiVersion: fleetwave/v1
kind: DatasetMigration
metadata: { name: play-events-v2, owner: data-platform }
dataset:
  source: { uri: "${pathToFileURL(join(dir, 'v1'))}/", format: avro }
  target: { uri: "${pathToFileURL(join(dir, 'v2'))}/", format: parquet, compression: snappy, rowGroupSize: 10 }
  transform:
    - rename: { from: user_id, to: userId }
consumers:
  discover: [{ repos: [acme/recs] }]
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fleetwave convert --manifest (no paths)', () => {
  it('converts dataset.source.uri into dataset.target.uri, records the manifest hash, and the re-run is a no-op', async () => {
    const first = await runCommand(convertCommand, ['convert', '--manifest', join(dir, 'manifest.yaml'), '--json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ rows: 65, files: 2, published: { skipped: false } });
    const commit = JSON.parse(readFileSync(join(dir, 'v2', COMMIT_PATH), 'utf8'));
    expect(commit.manifestHash).toBe(
      createHash('sha256')
        .update(readFileSync(join(dir, 'manifest.yaml')))
        .digest('hex'),
    );
    expect(commit.files.map((f: { key: string }) => f.key)).toEqual(['dt=2024-01-01/part-0.parquet', 'dt=2024-01-02/part-0.parquet']);

    const again = await runCommand(convertCommand, ['convert', '--manifest', join(dir, 'manifest.yaml')]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already committed for this source and conversion .*nothing to do/);
  });

  it('one path without the other, or no paths without --manifest: exit 2', async () => {
    expect((await runCommand(convertCommand, ['convert', join(dir, 'v1')])).code).toBe(2);
    expect((await runCommand(convertCommand, ['convert'])).code).toBe(2);
  });
});
