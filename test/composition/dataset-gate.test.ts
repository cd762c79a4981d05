/**
 * The dataset gate's source listing (src/composition/dataset-gate.ts) on a real local lake: reused
 * while the verification record is the same and younger than the TTL, listed again after it, and
 * always listed for a new record.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { datasetGateReader } from '../../src/composition/dataset-gate.js';
import { fingerprintOf, type VerificationRecord } from '../../src/data/verification-record.js';
import { sourceFiles, writeVerificationRecord } from '../../src/data/verification-store.js';
import type { LoadedManifest } from '../../src/manifest/types.js';

const HASH = 'a'.repeat(64);

async function lake() {
  const root = await mkdtemp(join(tmpdir(), 'fleetwave-gate-cache-'));
  await mkdir(join(root, 'events', 'v1'), { recursive: true });
  await mkdir(join(root, 'events', 'v2'), { recursive: true });
  await writeFile(join(root, 'events', 'v1', 'part-0.avro'), 'not read: the gate lists, it does not read');
  return root;
}

async function verify(root: string, verifiedAt: string): Promise<void> {
  const files = await sourceFiles(join(root, 'events', 'v1') + '/');
  const side = (uri: string) => ({ uri, files, fingerprint: fingerprintOf(files), rows: 1, checksum: '00' });
  const record: VerificationRecord = {
    version: 1,
    migration: 'events-v2',
    manifestHash: HASH,
    source: side('events/v1/'),
    target: side('events/v2/'),
    pass: true,
    reasons: [],
    mismatchedRows: 0,
    maxMismatchRatio: 0,
    verifiedAt,
    reportUrl: null,
    fleetwaveVersion: 'test',
  };
  await writeVerificationRecord(join(root, 'events', 'v2') + '/', record);
}

const loaded = {
  hash: HASH,
  manifest: { dataset: { source: { uri: 'events/v1/' }, target: { uri: 'events/v2/' } } },
} as unknown as LoadedManifest;

describe('the dataset gate reuses a source listing', () => {
  it('for ten minutes while the record is the same, then sees the changed source', async () => {
    const root = await lake();
    try {
      await verify(root, '2026-12-07T10:00:00.000Z');
      let clock = 0;
      const gate = datasetGateReader(root, { now: () => clock });
      expect(await gate(loaded)).toMatchObject({ verdict: { state: 'verified' } });
      await writeFile(join(root, 'events', 'v1', 'part-1.avro'), 'a file written after the verification');
      clock = 9 * 60_000;
      expect(await gate(loaded)).toMatchObject({ verdict: { state: 'verified' } });
      clock = 10 * 60_000;
      expect(await gate(loaded)).toMatchObject({ verdict: { state: 'stale', why: 'the source dataset changed since it was verified' } });
      // A listing with no TTL sees it at once.
      expect(await datasetGateReader(root, { sourceListTtlMs: 0 })(loaded)).toMatchObject({ verdict: { state: 'stale' } });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('lists again at once for a new record', async () => {
    const root = await lake();
    try {
      await verify(root, '2026-12-07T10:00:00.000Z');
      const gate = datasetGateReader(root, { now: () => 0 });
      expect(await gate(loaded)).toMatchObject({ verdict: { state: 'verified' } });
      await writeFile(join(root, 'events', 'v1', 'part-1.avro'), 'a new partition');
      expect(await gate(loaded)).toMatchObject({ verdict: { state: 'verified' } });
      await verify(root, '2026-12-07T10:05:00.000Z'); // re-verified with the new partition
      expect(await gate(loaded)).toMatchObject({ verdict: { state: 'verified', record: { verifiedAt: '2026-12-07T10:05:00.000Z' } } });
      await rm(join(root, 'events', 'v1', 'part-0.avro'));
      expect(await gate(loaded)).toMatchObject({ verdict: { state: 'verified' } }); // within the TTL
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
