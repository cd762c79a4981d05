/**
 * The verification record's store (src/data/verification-store.ts) on local files: written whole,
 * read back, absent → null, a broken record an error naming its URI, and the source's fingerprint
 * changing when a source file does.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
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
