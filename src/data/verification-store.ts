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
import { NotFoundError, readRange } from './storage/port.js';
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

/** The key and store of the record beside the dataset at `targetUri` (a folder or prefix). */
async function recordLocation(targetUri: string) {
  const { storage, key } = await storageFor(targetUri);
  const recordKey = folderKey(key) + VERIFICATION_RECORD_PATH;
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
