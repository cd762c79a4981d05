/**
 * The commit markers of a published dataset (issue 15): what a conversion writes LAST under the
 * output prefix, and what every reader of a dataset uses to know which files are complete.
 *
 * - `<prefix>_fleetwave/commit.json`: the files of the committed output (keys relative to the prefix,
 *   sizes, etags, rows), the rows, the output schema, the manifest hash and the source it came from;
 * - `<prefix>_SUCCESS`: empty, written after commit.json (the Hadoop/Spark convention).
 *
 * Readers take only committed files: `committedFiles(storage, prefix)` lists the files commit.json
 * names (checked against the store), never `_fleetwave/` (staging, markers, verification records) nor
 * `_`- or `.`-prefixed names. A prefix with no commit.json but an attempt's staging objects holds no
 * committed output (an attempt is running, or died): nothing is taken. A prefix with neither is a plain
 * folder of files written by something else, and every data file under it is taken.
 * How an attempt stages and publishes: ./attempt.ts; docs/data.md, "Publishing: staging and commit markers".
 */
import { InputError } from '../../util/errors.js';
import { NotFoundError, listAll, readRange, type ObjectInfo, type ObjectStorage } from '../storage/port.js';

/** The folder of Fleetwave's own objects under a dataset prefix (never data). */
export const FLEETWAVE_DIR = '_fleetwave/';
export const COMMIT_PATH = '_fleetwave/commit.json';
export const SUCCESS_PATH = '_SUCCESS';
export const STAGING_DIR = '_fleetwave/staging/';
export const COMMIT_FORMAT = 'fleetwave.commit/v1';

export interface CommittedFile {
  /** Key relative to the dataset prefix (`dt=2024-01-01/part-0.parquet`). */
  key: string;
  size: number;
  etag: string;
  rows: number;
}

export interface CommitRecord {
  format: typeof COMMIT_FORMAT;
  /** The attempt that wrote it (its staging folder was `_fleetwave/staging/<attempt>/`). */
  attempt: string;
  committedAt: string;
  /** The output prefix's URI as written. */
  uri: string;
  files: CommittedFile[];
  rows: number;
  /** The Avro schema of the rows (the Parquet files carry it too). */
  schema: unknown;
  /** sha256 of the manifest the conversion ran for; null when run without one. */
  manifestHash: string | null;
  /** Hash of what the conversion does (compression, row groups, transform, schema): see specHash. */
  spec: string;
  /** The input it was made from: URI, and each object's key (relative), size and etag. */
  source: { uri: string; fingerprint: string; files: { key: string; size: number; etag: string }[] };
}

/** `prefix` as a folder prefix: empty (a store's root) or ending in `/`. */
export function folderPrefix(prefix: string): string {
  return prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/** True for a key (relative to a dataset prefix) that may be data: not Fleetwave's, not hidden, not `_`-marked. */
export function isDataKey(relative: string): boolean {
  return relative.split('/').every((part) => part !== '' && !part.startsWith('_') && !part.startsWith('.'));
}

/** The commit record under the prefix, or undefined when there is none (or it is not one). */
export async function readCommit(storage: ObjectStorage, prefix: string): Promise<CommitRecord | undefined> {
  const key = folderPrefix(prefix) + COMMIT_PATH;
  let bytes: Buffer;
  try {
    bytes = await readRange(storage, key, { offset: 0 });
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
  try {
    const record = JSON.parse(bytes.toString('utf8')) as CommitRecord;
    return record.format === COMMIT_FORMAT && Array.isArray(record.files) ? record : undefined;
  } catch {
    return undefined; // an unreadable marker is no marker
  }
}

/**
 * The committed files of the dataset under `prefix` (a folder prefix; `''` is the store's root), in key
 * order, each as the store lists it now:
 * - with a commit.json: exactly the files it names; one missing or changed since (size or etag) is an
 *   InputError naming its URI (the output was altered after it was committed);
 * - without one but with an attempt's staging objects: an InputError (no committed output yet);
 * - with neither (a plain folder): every data file under the prefix (no `_`/`.`-prefixed part).
 * `ext` keeps only keys ending with it (`.parquet`).
 */
export async function committedFiles(storage: ObjectStorage, prefix: string, ext?: string): Promise<ObjectInfo[]> {
  const base = folderPrefix(prefix);
  const commit = await readCommit(storage, base);
  const listed = new Map<string, ObjectInfo>();
  for await (const info of listAll(storage, base)) listed.set(info.key.slice(base.length), info);
  if (commit === undefined) {
    if ([...listed.keys()].some((k) => k.startsWith(STAGING_DIR))) {
      throw new InputError(
        `${storage.uri(base)}: no committed output (no ${COMMIT_PATH}): a conversion is running there or was stopped before it published; run it again`,
      );
    }
    return [...listed.entries()].filter(([k]) => isDataKey(k) && (ext === undefined || k.endsWith(ext))).map(([, info]) => info);
  }
  const out: ObjectInfo[] = [];
  for (const file of [...commit.files].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    if (ext !== undefined && !file.key.endsWith(ext)) continue;
    const info = listed.get(file.key);
    if (info === undefined) {
      throw new InputError(
        `${storage.uri(base + file.key)}: named in ${COMMIT_PATH} but missing: the output was altered after it was committed`,
      );
    }
    if (info.size !== file.size || info.etag !== file.etag) {
      throw new InputError(
        `${info.uri}: changed since it was committed (size ${info.size}, etag ${info.etag}; ${COMMIT_PATH} says ${file.size}, ${file.etag})`,
      );
    }
    out.push(info);
  }
  return out;
}
