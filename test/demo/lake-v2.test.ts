import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { decompress } from 'fzstd';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { DEMO_MANIFEST, MANIFEST_PATH, datasetRepoFiles } from '../../src/demo/dataset-repo.js';
import { verifyOptionsFrom } from '../../src/data/verify/options.js';
import { verifyDataset } from '../../src/data/verify/verify.js';
import { convertAndVerifyLake, type LakeV2 } from '../../src/demo/lake-v2.js';
import { generatePlayEvents, writeLakeV1, type PlayEventV1 } from '../../src/demo/play-events.js';
import { parseManifest } from '../../src/manifest/load.js';
import type { Manifest } from '../../src/manifest/types.js';
import { DataError } from '../../src/util/errors.js';

/** Read a Parquet file with hyparquet (not the writer's own code), zstd pages through fzstd. */
async function readParquet(path: string): Promise<Record<string, unknown>[]> {
  const file = await asyncBufferFromFile(path);
  return parquetReadObjects({ file, compressors: { ZSTD: (input: Uint8Array) => decompress(input) } });
}

let dir: string;
let events: PlayEventV1[];
let manifest: Manifest;
let lake: LakeV2;
/** The dataset repository's checkout (manifest and dataset.schema). */
let repo: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fleetwave-demo-lake-v2-'));
  events = generatePlayEvents();
  await writeLakeV1(join(dir, 'lake'), events);
  manifest = parseManifest(DEMO_MANIFEST, MANIFEST_PATH).manifest;
  repo = join(dir, 'play-events');
  for (const [path, text] of Object.entries(datasetRepoFiles())) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  lake = await convertAndVerifyLake(join(dir, 'lake'), manifest, repo);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the demo lake v2, converted and verified by Fleetwave', () => {
  it('writes one Parquet file per Avro file of v1, at the manifest target', () => {
    // Data files only: _SUCCESS and _fleetwave/ (commit markers, verification record) are not data (docs/data.md).
    expect(readdirSync(join(dir, 'lake/data/play-events/v2')).filter((n) => !n.startsWith('_'))).toEqual(['part-0000.parquet']);
    expect(lake.convert.rows).toBe(events.length);
    expect(lake.convert.compression).toBe('zstd');
  });

  it('holds the v1 rows with user_id renamed userId and legacy_flag dropped, read back by hyparquet', async () => {
    const path = join(dir, 'lake/data/play-events/v2/part-0000.parquet');
    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(path));
    expect(metadata.row_groups.every((g) => g.columns.every((c) => c.meta_data?.codec === 'ZSTD'))).toBe(true);
    const rows = await readParquet(path);
    expect(rows).toHaveLength(events.length);
    rows.forEach((row, i) => {
      const e = events[i]!;
      expect(Object.keys(row).sort()).toEqual(['country', 'event_id', 'ms_played', 'track_id', 'ts', 'userId']);
      expect(row).toEqual({
        event_id: e.event_id,
        userId: e.user_id,
        track_id: e.track_id,
        ms_played: e.ms_played,
        country: e.country,
        ts: new Date(e.ts),
      });
    });
  });

  it('passes verification against v1 with the transform applied: same rows, same checksums', () => {
    const { verification } = lake;
    expect(verification.pass).toBe(true);
    expect(verification.sourceRows).toBe(events.length);
    expect(verification.targetRows).toBe(events.length);
    expect(verification.reports).toHaveLength(1);
    const [report] = verification.reports;
    expect(report!.equal).toBe(true);
    expect(report!.key).toBe('event_id');
    expect(report!.rows.checksum.source).toBe(report!.rows.checksum.target);
    expect(report!.columns.map((c) => c.name).sort()).toEqual(['country', 'event_id', 'ms_played', 'track_id', 'ts', 'userId']);
  });

  it('is a real check: v2 verified against another v1 fails', async () => {
    // Another lake, from another seed: its own v2 passes, but the first lake's v2 does not match its v1.
    const other = join(dir, 'other');
    await writeLakeV1(other, generatePlayEvents(200, 7));
    const again = await convertAndVerifyLake(other, manifest, repo);
    expect(again.verification.pass).toBe(true);
    const crossed = await verifyDataset(
      join(other, 'data/play-events/v1/part-0000.avro'),
      join(dir, 'lake/data/play-events/v2/part-0000.parquet'),
      verifyOptionsFrom(manifest),
    );
    expect(crossed.pass).toBe(false);
  });

  it('refuses a manifest that does not convert Avro to Parquet', async () => {
    const avroTarget = { ...manifest, dataset: { ...manifest.dataset, target: { ...manifest.dataset.target, format: 'avro' as const } } };
    await expect(convertAndVerifyLake(join(dir, 'lake'), avroTarget, repo)).rejects.toThrow(DataError);
  });
});
