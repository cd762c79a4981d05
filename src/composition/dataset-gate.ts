/**
 * The dataset gate's port, wired to the object stores (issue 15): reads the target dataset's
 * verification record and the source's fingerprint through src/data/verification-store.ts.
 *
 * Where the data lives: an object-store URI (`s3://`, `az://`, `abfss://`), a `file://` URI and an
 * absolute path are read as they are; a relative URI (`data/events/v2/`) is resolved against the data
 * root the caller gives (the CLI's `--lake`, FLEETWAVE_LAKE; the App and the Action read
 * FLEETWAVE_LAKE), which is a folder or an object-store prefix (`s3://lake/`). A relative URI
 * without a data root cannot be read: the gate holds, saying so.
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

/** The port the engine reads the dataset gate through, for a caller whose relative dataset URIs live under `dataRoot`. */
export function datasetGateReader(dataRoot: string | undefined): DatasetGateReader {
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
    let fingerprint: string;
    try {
      fingerprint = await sourceFingerprint(sourceAt);
    } catch (err) {
      return { unreadable: `cannot read the source dataset ${sourceAt}: ${(err as Error).message}` };
    }
    return { verdict: gateVerdict(record, loaded.hash, fingerprint), recordUri };
  };
}
