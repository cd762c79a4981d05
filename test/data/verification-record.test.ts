import { describe, expect, it } from '@jest/globals';
import {
  fingerprintOf,
  gateVerdict,
  parseVerificationRecord,
  VERIFICATION_RECORD_PATH,
  type VerificationRecord,
} from '../../src/data/verification-record.js';

const files = [
  { key: 'in/b.avro', size: 20, etag: 'e2' },
  { key: 'in/a.avro', size: 10, etag: 'e1' },
];

function record(extra: Partial<VerificationRecord> = {}): VerificationRecord {
  const side = (uri: string) => ({ uri, files, fingerprint: fingerprintOf(files), rows: 5, checksum: 'ab' });
  return {
    version: 1,
    migration: 'events-v2',
    manifestHash: 'h1',
    source: side('s3://b/in/'),
    target: side('s3://b/out/'),
    pass: true,
    reasons: [],
    mismatchedRows: 0,
    maxMismatchRatio: 0,
    verifiedAt: '2026-01-01T00:00:00Z',
    reportUrl: null,
    fleetwaveVersion: '0.1.0',
    ...extra,
  };
}

describe('the verification record', () => {
  it('lives beside the target dataset', () => {
    expect(VERIFICATION_RECORD_PATH).toBe('_fleetwave/verification.json');
  });

  it('fingerprints a side by its files, whatever their order, and changes with any etag', () => {
    expect(fingerprintOf(files)).toBe(fingerprintOf([...files].reverse()));
    expect(fingerprintOf(files)).not.toBe(fingerprintOf([files[0]!, { ...files[1]!, etag: 'other' }]));
  });

  it('passes the gate only when it passed, for the current manifest and an unchanged source', () => {
    const fp = fingerprintOf(files);
    expect(gateVerdict(null, 'h1', fp)).toEqual({ state: 'missing' });
    expect(gateVerdict(record(), 'h1', fp).state).toBe('verified');
    expect(gateVerdict(record({ pass: false, reasons: ['row count'] }), 'h1', fp).state).toBe('failed');
    expect(gateVerdict(record(), 'h2', fp)).toMatchObject({ state: 'stale', why: expect.stringContaining('not the current h2') });
    expect(gateVerdict(record(), 'h1', 'changed')).toMatchObject({
      state: 'stale',
      why: 'the source dataset changed since it was verified',
    });
  });

  it('reads back what it wrote, and names the object of a broken one', () => {
    expect(parseVerificationRecord(JSON.stringify(record()), 's3://b/out/_fleetwave/verification.json')).toEqual(record());
    expect(() => parseVerificationRecord('{', 's3://b/out/_fleetwave/verification.json')).toThrow(
      /^s3:\/\/b\/out\/_fleetwave\/verification.json: not JSON/,
    );
    expect(() => parseVerificationRecord('{"version":2}', 'x')).toThrow(/^x: version: /);
  });
});
