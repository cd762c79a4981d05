/**
 * The verification record's store (src/data/verification-store.ts) on local files: written whole,
 * read back, absent → null, a broken record an error naming its URI, and the source's fingerprint
 * changing when a source file does.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFile, mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { convertDataset } from '../../src/data/convert.js';
import { verifyDatasetObjects } from '../../src/data/verify/verify.js';
import {
  readVerificationRecord,
  sourceFingerprint,
  sourceFiles,
  verificationRecordUri,
  writeVerificationRecord,
} from '../../src/data/verification-store.js';
import { fingerprintOf, gateVerdict, type VerificationRecord } from '../../src/data/verification-record.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fw-record-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function record(over: Partial<VerificationRecord> = {}): VerificationRecord {
  const files = [{ key: 'in/a.avro', size: 10, etag: 'e1' }];
  return {
    version: 1,
    migration: 'm',
    manifestHash: 'h'.repeat(64),
    source: { uri: 'in/', files, fingerprint: fingerprintOf(files), rows: 3, checksum: 'abc' },
    target: { uri: 'out/', files: [], fingerprint: fingerprintOf([]), rows: 3, checksum: 'abc' },
    pass: true,
    reasons: [],
    mismatchedRows: 0,
    maxMismatchRatio: 0,
    verifiedAt: new Date(0).toISOString(),
    reportUrl: null,
    fleetwaveVersion: '0.0.0',
    ...over,
  };
}

describe('verification store (local files)', () => {
  it('reads null when there is no record, then the record written', async () => {
    const target = join(dir, 'out1');
    expect(await readVerificationRecord(target)).toBeNull();
    const uri = await writeVerificationRecord(target, record());
    expect(uri).toBe(join(target, '_fleetwave/verification.json'));
    expect(await readVerificationRecord(target + '/')).toEqual(record());
    expect(await readVerificationRecord(pathToFileURL(target).href)).toEqual(record());
    // Written whole: no temporary file left beside it.
    expect(await readdir(join(target, '_fleetwave'))).toEqual(['verification.json']);
    expect(gateVerdict(await readVerificationRecord(target), 'h'.repeat(64), record().source.fingerprint).state).toBe('verified');
  });

  it('a broken record is an error naming its URI', async () => {
    const target = join(dir, 'out2');
    await mkdir(join(target, '_fleetwave'), { recursive: true });
    await writeFile(join(target, '_fleetwave/verification.json'), '{"version": 1');
    await expect(readVerificationRecord(target)).rejects.toThrow(await verificationRecordUri(target));
  });

  it("the source's fingerprint follows its files, not Fleetwave's bookkeeping", async () => {
    const source = join(dir, 'in');
    await mkdir(join(source, 'p=1'), { recursive: true });
    await writeFile(join(source, 'p=1', 'a.avro'), 'one');
    await writeFile(join(source, 'b.avro'), 'two');
    const before = await sourceFingerprint(source);
    expect((await sourceFiles(source)).map((f) => ('/' + f.key).slice(source.length))).toEqual(['/b.avro', '/p=1/a.avro']);
    await mkdir(join(source, '_fleetwave'), { recursive: true });
    await writeFile(join(source, '_fleetwave', 'x.avro'), 'bookkeeping');
    await writeFile(join(source, '_SUCCESS'), '');
    expect(await sourceFingerprint(source)).toBe(before);
    await writeFile(join(source, 'b.avro'), 'two, changed');
    expect(await sourceFingerprint(source)).not.toBe(before);
  });

  it('a source with no files is an error naming its URI', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    await expect(sourceFingerprint(empty)).rejects.toThrow(empty);
  });
});

describe('verify reads only committed target files', () => {
  const shared = join(fileURLToPath(new URL('../../../shared/data/avro/', import.meta.url)));
  const weather = ['weather.avro', 'weather-deflate.avro', 'weather-snappy.avro'];

  it('takes the files commit.json lists, ignores others, and refuses an output with staging and no commit', async () => {
    const source = join(dir, 'committed-in');
    await mkdir(source, { recursive: true });
    for (const name of weather) await copyFile(join(shared, name), join(source, name));
    const out = join(dir, 'committed-out');
    await convertDataset(`${source}/`, `${out}/`);
    expect(await readdir(out)).toContain('_SUCCESS');
    // An object that no commit names: written later by something else, never read.
    await copyFile(join(out, 'weather.parquet'), join(out, 'stray.parquet'));
    const { report, targetObjects } = await verifyDatasetObjects(`${source}/`, `${out}/`);
    expect(report).toMatchObject({ pass: true, files: { source: 3, target: 3 } });
    expect(targetObjects.map((o) => o.key.split('/').pop())).not.toContain('stray.parquet');

    // A committed file replaced after its commit: bad data, naming its URI.
    await copyFile(join(out, 'weather-snappy.parquet'), join(out, 'weather.parquet'));
    await expect(verifyDatasetObjects(`${source}/`, `${out}/`)).rejects.toThrow(
      `${join(out, 'weather.parquet')}: changed since it was committed`,
    );

    const staged = join(dir, 'staged-out');
    await mkdir(join(staged, '_fleetwave', 'staging', 'attempt-1'), { recursive: true });
    await copyFile(join(out, 'stray.parquet'), join(staged, '_fleetwave', 'staging', 'attempt-1', 'weather.parquet'));
    await copyFile(join(out, 'stray.parquet'), join(staged, 'weather.parquet'));
    await expect(verifyDatasetObjects(`${source}/`, `${staged}/`)).rejects.toThrow(/no committed output/);
  });
});
