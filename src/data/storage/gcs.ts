/**
 * The Google Cloud Storage adapter (`gs://bucket/key`), on `@google-cloud/storage` (the JSON API).
 *
 * Credentials come only from the SDK's Application Default Credentials: `GOOGLE_APPLICATION_CREDENTIALS`
 * (what `google-github-actions/auth` writes for Workload Identity Federation), gcloud's own login, or
 * the metadata server of a GCE/GKE/Cloud Run host. This file never reads a key. A custom endpoint is
 * the SDK's own `STORAGE_EMULATOR_HOST` (then the SDK sends no credentials, as for an emulator).
 *
 * Writes are resumable uploads streamed in one request (no length needed): the object exists only
 * once the upload is finalised, so a source that fails midway leaves nothing. The SDK checks the
 * CRC32C of every upload and of every whole read against what the service reports.
 */
import { type File, Storage } from '@google-cloud/storage';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { storageError } from './port.js';
import type { ByteRange, ListOptions, ListPage, ObjectInfo, ObjectStorage, WriteOptions } from './port.js';

/** The SDK's ApiError (`code`, `errors`), or gaxios' error from a resumable upload (`status`, `response`). */
interface ApiFailure {
  code?: number | string;
  status?: number;
  message?: string;
  errors?: { reason?: string }[];
  response?: { status?: number; data?: unknown };
}

/** The JSON API's error reasons, as the port's codes. https://cloud.google.com/storage/docs/json_api/v1/status-codes */
const REASONS: Record<string, string> = {
  notFound: 'NotFound',
  forbidden: 'AccessDenied',
  insufficientPermissions: 'AccessDenied',
  authError: 'InvalidToken',
  conditionNotMet: 'PreconditionFailed',
  rateLimitExceeded: 'SlowDown',
  backendError: 'ServiceUnavailable',
};

function failure(uri: string, error: unknown): Error {
  const e = error as ApiFailure;
  if (e === null || typeof e !== 'object') return new Error(String(error));
  const status = typeof e.code === 'number' ? e.code : (e.status ?? e.response?.status);
  const body = e.response?.data as { error?: { errors?: { reason?: string }[] } } | undefined;
  const reason = e.errors?.[0]?.reason ?? body?.error?.errors?.[0]?.reason;
  let code = reason ? (REASONS[reason] ?? reason) : typeof e.code === 'string' ? e.code : undefined;
  // google-auth-library's "Could not load the default credentials" carries no code.
  if (code === undefined && /default credentials|could not refresh access token/i.test(e.message ?? '')) code = 'CredentialsProviderError';
  return storageError(uri, { status, code, message: e.message });
}

function info(
  uri: string,
  key: string,
  m: { size?: string | number; etag?: string; generation?: string | number; updated?: string },
): ObjectInfo {
  return {
    key,
    uri,
    size: Number(m.size ?? 0),
    // The etag changes with metadata too; the generation only with the data, as an S3 etag does.
    etag: String(m.generation ?? m.etag ?? ''),
    lastModified: m.updated ? new Date(m.updated) : new Date(0),
  };
}

export class GcsStorage implements ObjectStorage {
  private readonly bucket;

  constructor(
    private readonly bucketName: string,
    client: Storage = new Storage(),
  ) {
    this.bucket = client.bucket(bucketName);
  }

  uri(key: string): string {
    return `gs://${this.bucketName}/${key}`;
  }

  private file(key: string): File {
    return this.bucket.file(key);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    try {
      const [files, next, response] = await this.bucket.getFiles({
        prefix,
        autoPaginate: false,
        maxResults: options.pageSize ?? 1000,
        ...(options.token !== undefined ? { pageToken: options.token } : {}),
        ...(options.delimiter !== undefined ? { delimiter: options.delimiter } : {}),
      });
      const objects = files.map((f) => info(this.uri(f.name), f.name, f.metadata));
      const prefixes = ((response as { prefixes?: string[] } | undefined)?.prefixes ?? []).slice();
      const token = (next as { pageToken?: string } | null | undefined)?.pageToken;
      return { objects, prefixes, ...(token ? { nextToken: token } : {}) };
    } catch (error) {
      throw failure(this.uri(prefix), error);
    }
  }

  async head(key: string): Promise<ObjectInfo> {
    try {
      const [m] = await this.file(key).getMetadata();
      return info(this.uri(key), key, m);
    } catch (error) {
      throw failure(this.uri(key), error);
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    let options: { start?: number; end?: number } = {};
    if (range !== undefined && 'suffix' in range) {
      if (range.suffix === 0) return Readable.from([]);
      options = { end: -range.suffix };
    } else if (range !== undefined) {
      if (range.length === 0) return Readable.from([]);
      options = { start: range.offset, ...(range.length !== undefined ? { end: range.offset + range.length - 1 } : {}) };
    }
    // The SDK sends the request when the stream is first read: the first chunk (or the failure) is
    // awaited here, so a missing object is NotFound from `read`, as from the other adapters.
    const uri = this.uri(key);
    const chunks = this.file(key).createReadStream(options)[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    let first: IteratorResult<Buffer>;
    try {
      first = await chunks.next();
    } catch (error) {
      if ((error as ApiFailure).code === 416) return Readable.from([]);
      throw failure(uri, error);
    }
    return Readable.from(
      (async function* () {
        if (first.done === true) return;
        yield first.value;
        try {
          for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) yield next.value;
        } catch (error) {
          throw failure(uri, error);
        }
      })(),
    );
  }

  async write(key: string, body: Readable | AsyncIterable<Uint8Array>, options: WriteOptions = {}): Promise<ObjectInfo> {
    const uri = this.uri(key);
    const source = body instanceof Readable ? body : Readable.from(body);
    let sourceFailure: Error | undefined;
    source.once('error', (error) => {
      sourceFailure = error;
    });
    const sink = this.file(key).createWriteStream({
      resumable: true,
      ...(options.ifAbsent === true ? { preconditionOpts: { ifGenerationMatch: 0 } } : {}),
      ...(options.contentType !== undefined ? { contentType: options.contentType } : {}),
    });
    try {
      await pipeline(source, sink);
    } catch (error) {
      if (sourceFailure !== undefined) throw sourceFailure;
      throw failure(uri, error);
    }
    return this.head(key);
  }

  async delete(key: string): Promise<void> {
    try {
      await this.file(key).delete({ ignoreNotFound: true });
    } catch (error) {
      throw failure(this.uri(key), error);
    }
  }

  /** objects.rewrite inside the bucket (the SDK follows its rewrite tokens until done), then a delete. */
  async move(from: string, to: string): Promise<ObjectInfo> {
    await this.head(from);
    try {
      await this.file(from).copy(this.file(to));
    } catch (error) {
      throw failure(`${this.uri(from)} -> ${this.uri(to)}`, error);
    }
    await this.delete(from);
    return this.head(to);
  }
}
