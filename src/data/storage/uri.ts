/**
 * `storageFor(uri)`: the store a dataset URI names and the key inside it, the adapter chosen by the
 * scheme. The SDKs are imported only when their scheme is used, so a run on local files loads none.
 *
 * - a path (`data/in/`, `/data/in/`) or `file:///data/in/` → local files
 * - `s3://bucket/key` → S3 or an S3-compatible store (`AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`)
 * - `gs://bucket/key` → Google Cloud Storage (`STORAGE_EMULATOR_HOST` for a custom endpoint)
 * - `az://account/container/key` or `abfss://container@account.dfs.core.windows.net/key` → Azure Blob
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../util/errors.js';
import type { ObjectStorage } from './port.js';

export interface StorageLocation {
  storage: ObjectStorage;
  /** The key (or prefix) the URI names inside the store; empty for a bucket's or container's root. */
  key: string;
}

function parts(uri: string, scheme: string): string[] {
  return uri.slice(scheme.length).split('/');
}

export async function storageFor(uri: string): Promise<StorageLocation> {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(uri)?.[1]?.toLowerCase();
  if (scheme === undefined || scheme === 'file') {
    const path = scheme === 'file' ? fileURLToPath(uri) : resolve(uri);
    const key = path.slice(1) + (uri.endsWith('/') && !path.endsWith('/') ? '/' : '');
    const { LocalStorage } = await import('./local.js');
    return { storage: new LocalStorage(), key };
  }
  if (scheme === 's3') {
    const [bucket, ...key] = parts(uri, 's3://');
    if (!bucket) throw new InputError(`${uri}: an S3 URI names a bucket: s3://bucket/key`);
    const { S3Storage } = await import('./s3.js');
    return { storage: new S3Storage(bucket), key: key.join('/') };
  }
  if (scheme === 'gs') {
    const [bucket, ...key] = parts(uri, 'gs://');
    if (!bucket) throw new InputError(`${uri}: a Cloud Storage URI names a bucket: gs://bucket/key`);
    const { GcsStorage } = await import('./gcs.js');
    return { storage: new GcsStorage(bucket), key: key.join('/') };
  }
  if (scheme === 'az' || scheme === 'abfss' || scheme === 'abfs') {
    let account: string | undefined;
    let container: string | undefined;
    let key: string[];
    if (scheme === 'az') {
      [account, container, ...key] = parts(uri, 'az://');
    } else {
      const [authority = '', ...rest] = parts(uri, `${scheme}://`);
      const at = /^([^@]+)@([^.]+)\.(?:dfs|blob)\.core\.windows\.net$/i.exec(authority);
      container = at?.[1];
      account = at?.[2];
      key = rest;
    }
    if (!account || !container) {
      throw new InputError(`${uri}: an Azure URI is az://account/container/path or abfss://container@account.dfs.core.windows.net/path`);
    }
    const { AzureStorage, azureServiceClient } = await import('./azure.js');
    return { storage: new AzureStorage(account, container, await azureServiceClient(account)), key: key.join('/') };
  }
  throw new InputError(`${uri}: no storage for the scheme ${scheme}:// (use a path, file://, s3://, gs://, az:// or abfss://)`);
}
