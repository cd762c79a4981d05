/**
 * The dataset gate's port, wired to the object stores (issue 15): reads the target dataset's
 * verification record and the source's fingerprint through src/data/verification-store.ts.
 *
 * Where the data lives: an object-store URI (`s3://`, `az://`, `abfss://`), a `file://` URI and an
 * absolute path are read as they are; a relative URI (`data/events/v2/`) is resolved against the data
 * root the caller gives (the CLI's `--lake`, FLEETWAVE_LAKE; the App and the Action read
 * FLEETWAVE_LAKE), which is a folder or an object-store prefix (`s3://lake/`). A relative URI
 * without a data root cannot be read: the gate holds, saying so.
 *
 * The source's fingerprint needs a listing of the whole source prefix (one request per 1,000 objects
 * on S3), and the engine reads the gate at every tick. A listing is reused for `sourceListTtlMs` (10
 * minutes) while the verification record is the same one (its `verifiedAt` and source fingerprint):
 * a new record is always checked against a fresh listing, and a source rewritten after its
 * verification closes the gate within that time at the latest.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { gateVerdict } from '../data/verification-record.js';
import { readVerificationRecord, sourceFingerprint, verificationRecordUri } from '../data/verification-store.js';
import type { DatasetGateReader, DatasetReading } from '../rollout/dataset-port.js';

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** `uri` as the stores read it: as it is when it is a URI or absolute, else under `dataRoot` (null when there is none). */
export function datasetLocation(uri: string, dataRoot: string | undefined): string | null {
  if (SCHEME.test(uri) || isAbsolute(uri)) return uri;
  if (!dataRoot) return null;
  const parts = uri.split('/').filter((part) => part !== '' && part !== '.');
  if (SCHEME.test(dataRoot)) return `${dataRoot.replace(/\/+$/, '')}/${parts.join('/')}${uri.endsWith('/') ? '/' : ''}`;
  const path = join(resolve(dataRoot), ...parts);
  return uri.endsWith('/') ? `${path}/` : path;
}

/** How long a source listing is reused while the verification record stays the same. */
export const SOURCE_LIST_TTL_MS = 10 * 60_000;

export interface DatasetGateOptions {
  /** Reuse a source listing for this long (ms) while the record is unchanged; 0 lists at every read. */
  sourceListTtlMs?: number;
  /** The clock (ms since the epoch); tests pass a simulated one. */
  now?: () => number;
}

/** A listing of the source and the record it was compared with. */
interface ListedSource {
  fingerprint: string;
  listedAt: number;
  record: string;
}

/** The port the engine reads the dataset gate through, for a caller whose relative dataset URIs live under `dataRoot`. */
export function datasetGateReader(dataRoot: string | undefined, options: DatasetGateOptions = {}): DatasetGateReader {
  const ttl = options.sourceListTtlMs ?? SOURCE_LIST_TTL_MS;
  const now = options.now ?? Date.now;
  const listed = new Map<string, ListedSource>();
  return async (loaded): Promise<DatasetReading> => {
    const { source, target } = loaded.manifest.dataset;
    const targetAt = datasetLocation(target.uri, dataRoot);
    if (!targetAt)
      return {
        unreadable: `cannot read the target dataset ${target.uri}: it is relative and no data root was given — give --lake (FLEETWAVE_LAKE), use an object-store URI, or set dataset.gate: none`,
      };
    const recordUri = await verificationRecordUri(targetAt);
    const record = await readVerificationRecord(targetAt);
    if (!record) return { verdict: gateVerdict(null, loaded.hash, null), recordUri };
    const sourceAt = datasetLocation(source.uri, dataRoot);
    if (!sourceAt)
      return {
        unreadable: `cannot read the source dataset ${source.uri} to check the record is for it: it is relative and no data root was given — give --lake (FLEETWAVE_LAKE), use an object-store URI, or set dataset.gate: none`,
      };
    const recordStamp = `${record.verifiedAt} ${record.source.fingerprint}`;
    const known = listed.get(sourceAt);
    let fingerprint: string;
    if (known && known.record === recordStamp && now() - known.listedAt < ttl) {
      fingerprint = known.fingerprint;
    } else {
      try {
        fingerprint = await sourceFingerprint(sourceAt);
      } catch (err) {
        return { unreadable: `cannot read the source dataset ${sourceAt}: ${(err as Error).message}` };
      }
      listed.set(sourceAt, { fingerprint, listedAt: now(), record: recordStamp });
    }
    return { verdict: gateVerdict(record, loaded.hash, fingerprint), recordUri };
  };
}
