/**
 * The verification record in its store: read and written through the object-storage port at
 * `<target>/_fleetwave/verification.json` (the schema and its meaning: ./verification-record.ts;
 * docs/verify.md). The rollout's dataset gate reads it with `readVerificationRecord` and compares the
 * record's source fingerprint with `sourceFingerprint(sourceUri)` (`gateVerdict`).
 *
 * The record is one small JSON object written whole: the port's write is atomic (S3 and Azure make an
 * object visible only once complete, local files are renamed into place), so a reader sees the old
 * record or the new one, never a part.
 */
import { Readable } from 'node:stream';
import { NotFoundError, StorageError, readRange, type ObjectInfo } from './storage/port.js';
import { FleetwaveError } from '../util/errors.js';
import type { VerifiedObjects } from './verify/verify.js';
import { storageFor } from './storage/uri.js';
import { dataObjects, folderKey, locateDataset } from './verify/dataset-objects.js';
import {
  VERIFICATION_RECORD_PATH,
  fingerprintOf,
  parseVerificationRecord,
  verificationRecordSchema,
  type RecordedFile,
  type VerificationRecord,
} from './verification-record.js';

/**
 * The key and store of the record beside the dataset at `targetUri`: under the folder or prefix it
 * names, or, when it names one object (`out/events.parquet`), under that object's folder.
 */
async function recordLocation(targetUri: string) {
  const { storage, key } = await storageFor(targetUri);
  let folder = folderKey(key);
  if (key !== '' && !key.endsWith('/')) {
    const single = await storage.head(key).then(
      () => true,
      (err: unknown) => {
        if (err instanceof NotFoundError) return false;
        throw err;
      },
    );
    if (single) folder = key.slice(0, key.lastIndexOf('/') + 1);
  }
  const recordKey = folder + VERIFICATION_RECORD_PATH;
  return { storage, key: recordKey, uri: storage.uri(recordKey) };
}

/** The URI of the record for the dataset at `targetUri`. */
export async function verificationRecordUri(targetUri: string): Promise<string> {
  return (await recordLocation(targetUri)).uri;
}

/**
 * The record beside the target dataset, or null when there is none. A record that is not valid JSON or
 * not of the schema is an error naming its URI (the gate must not read it as "missing").
 */
export async function readVerificationRecord(targetUri: string): Promise<VerificationRecord | null> {
  const { storage, key, uri } = await recordLocation(targetUri);
  let bytes: Buffer;
  try {
    bytes = await readRange(storage, key, { offset: 0 });
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
  return parseVerificationRecord(bytes.toString('utf8'), uri);
}

/** Writes the record beside the target dataset, whole; returns its URI. */
export async function writeVerificationRecord(targetUri: string, record: VerificationRecord): Promise<string> {
  const checked = verificationRecordSchema.parse(record);
  const { storage, key, uri } = await recordLocation(targetUri);
  await storage.write(key, Readable.from([Buffer.from(JSON.stringify(checked, null, 2) + '\n', 'utf8')]), {
    contentType: 'application/json',
  });
  return uri;
}

/** The source dataset's files as a record lists them (key, size, etag through the port), in key order. */
export async function sourceFiles(sourceUri: string): Promise<RecordedFile[]> {
  const location = await locateDataset(sourceUri);
  const objects = await dataObjects(location, '.avro');
  return objects.map((o) => ({ key: o.key, size: o.size, etag: o.etag }));
}

/** The source dataset's current fingerprint (`fingerprintOf` its files), as the gate compares it. */
export async function sourceFingerprint(sourceUri: string): Promise<string> {
  return fingerprintOf(await sourceFiles(sourceUri));
}

/** What a verification run gives the record. */
export interface RecordInput {
  migration: string;
  manifestHash: string;
  sourceUri: string;
  targetUri: string;
  /** The manifest's `dataset.verify.maxMismatchRatio` (or the override verify ran with). */
  maxMismatchRatio: number;
  /** Where a person reads the whole report (the workflow run), or null. */
  reportUrl: string | null;
  fleetwaveVersion: string;
  now?: Date;
}

function recorded(objects: readonly ObjectInfo[]): RecordedFile[] {
  return objects.map((o) => ({ key: o.key, size: o.size, etag: o.etag }));
}

/** The record of a verification that ran to its end (passed or not). */
export function verificationRecordOf(input: RecordInput, verified: VerifiedObjects): VerificationRecord {
  const { report } = verified;
  const source = recorded(verified.sourceObjects);
  const target = recorded(verified.targetObjects);
  return {
    version: 1,
    migration: input.migration,
    manifestHash: input.manifestHash,
    source: {
      uri: input.sourceUri,
      files: source,
      fingerprint: fingerprintOf(source),
      rows: report.sourceRows,
      checksum: report.rows.checksum.source,
    },
    target: {
      uri: input.targetUri,
      files: target,
      fingerprint: fingerprintOf(target),
      rows: report.targetRows,
      checksum: report.rows.checksum.target,
    },
    pass: report.pass,
    reasons: report.reasons,
    mismatchedRows: report.mismatchedRows,
    maxMismatchRatio: report.maxMismatchRatio,
    verifiedAt: (input.now ?? new Date()).toISOString(),
    reportUrl: input.reportUrl,
    fleetwaveVersion: input.fleetwaveVersion,
  };
}

async function filesOrNone(uri: string, ext: string): Promise<RecordedFile[]> {
  try {
    return recorded(await dataObjects(await locateDataset(uri), ext));
  } catch {
    return [];
  }
}

/**
 * The failing record of a verification that could not finish because of the data (a corrupt object,
 * a target altered after it was committed). The source's files are listed now, so that the gate reads
 * the record as a failure of the current source (not as stale) and pauses.
 */
export async function failedVerificationRecord(input: RecordInput, reason: string): Promise<VerificationRecord> {
  const source = await filesOrNone(input.sourceUri, '.avro');
  const target = await filesOrNone(input.targetUri, '.parquet');
  return {
    version: 1,
    migration: input.migration,
    manifestHash: input.manifestHash,
    source: { uri: input.sourceUri, files: source, fingerprint: fingerprintOf(source), rows: 0, checksum: '' },
    target: { uri: input.targetUri, files: target, fingerprint: fingerprintOf(target), rows: 0, checksum: '' },
    pass: false,
    reasons: [reason],
    mismatchedRows: 0,
    maxMismatchRatio: input.maxMismatchRatio,
    verifiedAt: (input.now ?? new Date()).toISOString(),
    reportUrl: input.reportUrl,
    fleetwaveVersion: input.fleetwaveVersion,
  };
}

/** The workflow run's URL in GitHub Actions (GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID), else null. */
export function workflowRunUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  if (!server || !repo || !run) return null;
  return `${server.replace(/\/$/, '')}/${repo}/actions/runs/${run}`;
}

/**
 * Verifies and writes the record (passing or failing) beside the target. A failure of the data (a
 * DataError: corrupt object, altered commit, a value the transform refuses) writes a failing record and
 * is thrown again; a store's failure (unreachable, refused, missing) and bad input write nothing.
 */
export async function verifyAndRecord(
  input: RecordInput,
  verify: () => Promise<VerifiedObjects>,
): Promise<{ verified: VerifiedObjects; record: VerificationRecord; recordUri: string }> {
  let verified: VerifiedObjects;
  try {
    verified = await verify();
  } catch (err) {
    if (err instanceof FleetwaveError && err.kind === 'data' && !(err instanceof StorageError)) {
      const record = await failedVerificationRecord(input, err.message);
      await writeVerificationRecord(input.targetUri, record);
    }
    throw err;
  }
  const record = verificationRecordOf(input, verified);
  const recordUri = await writeVerificationRecord(input.targetUri, record);
  return { verified, record, recordUri };
}
