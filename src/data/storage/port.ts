/**
 * The object-storage port: what convert, verify and backfill need from a place that holds a dataset
 * (a local folder, S3 or an S3-compatible store, Azure Blob Storage). One store is one bucket,
 * container or file system; a key is the path inside it, `/`-separated, with no leading slash.
 * `storageFor(uri)` (./uri.ts) picks the adapter by the URI's scheme. Why these libraries:
 * docs/decisions/0007-object-storage.md; what each store does and does not do: docs/storage.md.
 *
 * Everything streams: `read` gives a Node Readable, `write` takes one of unknown length (S3 and Azure
 * upload it in parts, so memory stays at a few parts whatever the object's size). An object is visible
 * only once complete: a write whose source fails midway leaves nothing under the key.
 */
import type { Readable } from 'node:stream';
import { FleetwaveError } from '../../util/errors.js';

/** One object as a listing or `head` sees it. */
export interface ObjectInfo {
  /** The key inside the store. */
  key: string;
  /** The object's full URI (`s3://bucket/key`, `az://account/container/key`, or a local path). */
  uri: string;
  size: number;
  /** The store's entity tag (quotes removed); for local files, size and modification time. */
  etag: string;
  lastModified: Date;
}

/** One page of a listing, in key order. */
export interface ListPage {
  objects: ObjectInfo[];
  /** With `delimiter`: the "folders" one level below the prefix (each ends with the delimiter). */
  prefixes: string[];
  /** Pass to the next `list` call; absent on the last page. */
  nextToken?: string;
}

export interface ListOptions {
  /** At most this many entries (objects and prefixes) per page; the store may return fewer. */
  pageSize?: number;
  /** The previous page's `nextToken`. */
  token?: string;
  /** `'/'` lists one level: objects directly under the prefix, and the sub-prefixes as `prefixes`. */
  delimiter?: '/';
}

/**
 * A byte range: `{ offset, length }` (length absent: to the end), or `{ suffix: n }`, the last n bytes
 * (a Parquet footer), without knowing the size first.
 */
export type ByteRange = { offset: number; length?: number } | { suffix: number };

export interface WriteOptions {
  /** Create only: fail with PreconditionFailedError when the key already holds an object. */
  ifAbsent?: boolean;
  contentType?: string;
}

export interface ObjectStorage {
  /** The URI of a key in this store, as errors and logs name it. */
  uri(key: string): string;
  list(prefix: string, options?: ListOptions): Promise<ListPage>;
  /** Size, etag and time of one object; NotFoundError when there is none. */
  head(key: string): Promise<ObjectInfo>;
  /** The object's bytes (or a range of them) as a stream. NotFoundError when there is none. */
  read(key: string, range?: ByteRange): Promise<Readable>;
  /**
   * Stores a stream of unknown length under the key, replacing what is there (unless `ifAbsent`).
   * Resolves once the object is complete and visible; a source that fails leaves nothing behind.
   */
  write(key: string, body: Readable | AsyncIterable<Uint8Array>, options?: WriteOptions): Promise<ObjectInfo>;
  /** Removes the object; removing a missing object is not an error. */
  delete(key: string): Promise<void>;
  /**
   * Puts the object at `from` under `to` (replacing what `to` holds) and removes `from`, without its
   * bytes passing through this process: a rename for files, a server-side copy then a delete for
   * object stores. `to` shows the whole object or its old one, never part of one. NotFoundError when
   * `from` holds nothing.
   */
  move(from: string, to: string): Promise<ObjectInfo>;
}

/** Every object under a prefix, page after page. */
export async function* listAll(
  storage: ObjectStorage,
  prefix: string,
  options: Omit<ListOptions, 'token'> = {},
): AsyncGenerator<ObjectInfo> {
  let token: string | undefined;
  do {
    const page = await storage.list(prefix, { ...options, token });
    yield* page.objects;
    token = page.nextToken;
  } while (token !== undefined);
}

/** A range of an object, read whole into memory (a footer, a row group, an Avro block). */
export async function readRange(storage: ObjectStorage, key: string, range: ByteRange): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await storage.read(key, range)) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** Creates the object only when the key holds none; PreconditionFailedError otherwise. */
export function writeIfAbsent(storage: ObjectStorage, key: string, body: Readable | AsyncIterable<Uint8Array>): Promise<ObjectInfo> {
  return storage.write(key, body, { ifAbsent: true });
}

/**
 * A store refused or failed a request. The message always names the object's URI and never carries
 * a credential: the SDK's own error (which may hold request headers) is not kept, only its code and
 * HTTP status.
 */
export abstract class StorageError extends FleetwaveError {
  abstract readonly reason: 'not-found' | 'permission' | 'precondition' | 'transient' | 'other';
  constructor(
    readonly uri: string,
    detail: string,
    /** The store's error code (`NoSuchKey`, `AuthorizationFailure`, `ENOENT`) and HTTP status, when known. */
    readonly code: string | null = null,
    readonly status: number | null = null,
  ) {
    super(`${uri}: ${detail}`);
  }
}

/** No object (or no bucket/container) at the URI. */
export class NotFoundError extends StorageError {
  readonly kind = 'input' as const;
  readonly reason = 'not-found' as const;
}

/** The credentials are missing, wrong, or not allowed to do this. */
export class PermissionDeniedError extends StorageError {
  readonly kind = 'input' as const;
  readonly reason = 'permission' as const;
}

/** A conditional request's condition did not hold (`writeIfAbsent` on a key that holds an object). */
export class PreconditionFailedError extends StorageError {
  readonly kind = 'state' as const;
  readonly reason = 'precondition' as const;
}

/** A failure that may pass (throttling, 5xx, a reset connection) after the SDK's own retries. */
export class TransientStorageError extends StorageError {
  readonly kind = 'data' as const;
  readonly reason = 'transient' as const;
}

/** Anything else the store answered (a bad request, an unexpected status). */
export class OtherStorageError extends StorageError {
  readonly kind = 'data' as const;
  readonly reason = 'other' as const;
}

/** Removes anything that looks like a secret from a store's error message before it is shown. */
export function scrubSecrets(text: string): string {
  return text
    .replace(/(AccountKey|SharedAccessSignature|sig|Signature|X-Amz-Signature|X-Amz-Credential|X-Amz-Security-Token)=[^;&\s]+/gi, '$1=***')
    .replace(/(SharedKey(?:Lite)?\s+[^:\s]+:)\S+/g, '$1***')
    .replace(/(Credential=)[^,\s]+/g, '$1***');
}

/** What an adapter knows of a failure: the HTTP status, the store's or system's code, its message. */
export interface FailureFacts {
  status?: number | undefined;
  code?: string | undefined;
  message?: string | undefined;
  /** The SDK said it may be retried (`$retryable`), or a network error that may pass. */
  retryable?: boolean;
}

const NOT_FOUND_CODES = new Set(['NoSuchKey', 'NotFound', 'NoSuchBucket', 'BlobNotFound', 'ContainerNotFound', 'ENOENT', 'ENOTDIR']);
const PERMISSION_CODES = new Set([
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AuthorizationFailure',
  'AuthenticationFailed',
  'AuthorizationPermissionMismatch',
  'InvalidToken',
  'ExpiredToken',
  'CredentialsProviderError',
  'EACCES',
  'EPERM',
  'EROFS',
]);
const PRECONDITION_CODES = new Set(['PreconditionFailed', 'ConditionNotMet', 'BlobAlreadyExists', 'EEXIST']);
const TRANSIENT_CODES = new Set([
  'SlowDown',
  'ServiceUnavailable',
  'InternalError',
  'RequestTimeout',
  'ConditionalRequestConflict',
  'ServerBusy',
  'OperationTimedOut',
  'REQUEST_SEND_ERROR',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EMFILE',
]);

/** The typed error for a failure on `uri`, by code first, then HTTP status. */
export function storageError(uri: string, facts: FailureFacts): StorageError {
  const code = facts.code ?? null;
  const status = facts.status ?? null;
  const said = scrubSecrets(facts.message ?? '').slice(0, 300);
  const detail = (what: string): string => [what, code, said && said !== code ? said : ''].filter(Boolean).join(': ');
  if ((code !== null && NOT_FOUND_CODES.has(code)) || status === 404) {
    return new NotFoundError(uri, detail('not found'), code, status);
  }
  if ((code !== null && PERMISSION_CODES.has(code)) || status === 401 || status === 403) {
    return new PermissionDeniedError(uri, detail('permission refused (check the credentials and their rights)'), code, status);
  }
  if ((code !== null && PRECONDITION_CODES.has(code)) || status === 412) {
    return new PreconditionFailedError(uri, detail('precondition failed (the object already exists or changed)'), code, status);
  }
  if (facts.retryable === true || (code !== null && TRANSIENT_CODES.has(code)) || status === 429 || (status !== null && status >= 500)) {
    return new TransientStorageError(uri, detail('transient failure, may be retried'), code, status);
  }
  return new OtherStorageError(uri, detail('request failed'), code, status);
}
