/**
 * The S3 adapter (AWS S3 and S3-compatible stores), on `@aws-sdk/client-s3` and `@aws-sdk/lib-storage`.
 *
 * Credentials and region come only from the SDK's default chain (environment, web identity / OIDC,
 * SSO and profiles, container and instance roles): this file never reads a key. The SDK itself reads
 * the custom endpoint variables `AWS_ENDPOINT_URL_S3` and `AWS_ENDPOINT_URL`; when one is set (and
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is not), addressing is path-style (`http://host/bucket/key`),
 * which S3-compatible servers expect, and the region defaults to `us-east-1` when none is configured.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
  UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { PassThrough, Readable } from 'node:stream';
import { storageError } from './port.js';
import type { ByteRange, ListOptions, ListPage, ObjectInfo, ObjectStorage, WriteOptions } from './port.js';

/**
 * lib-storage's part size: S3's smallest (5 MiB); memory held is about `queueSize` parts plus the one
 * being filled. Two uploads in flight carry convert's output (a few MiB/s) with room to spare and keep
 * 10 MiB off the peak: convert S3 → S3 at 5 M rows 236–246 MiB against 249–259 with four (quiet machine).
 */
const PART_SIZE = 5 * 1024 * 1024;
const QUEUE_SIZE = 2;

/**
 * Server-side copies: one CopyObject up to S3's limit for it (5 GiB), above that a multipart upload
 * of UploadPartCopy ranges (at least 512 MiB each, at most 10,000 parts: S3's limits).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/copy-object.html
 */
export interface S3CopyLimits {
  /** The largest object copied by a single CopyObject. */
  singleCopyMax: number;
  /** The smallest part of a multipart copy (the last may be smaller). */
  partSize: number;
}
const COPY_LIMITS: S3CopyLimits = { singleCopyMax: 5 * 1024 ** 3, partSize: 512 * 1024 ** 2 };
const MAX_PARTS = 10_000;

interface SdkFailure {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

function failure(uri: string, error: unknown): Error {
  const e = error as SdkFailure;
  if (e === null || typeof e !== 'object') return new Error(String(error));
  const status = e.$metadata?.httpStatusCode;
  const code = e.Code ?? (e.code && /^E[A-Z]+$/.test(e.code) ? e.code : undefined) ?? e.name;
  // HEAD answers carry no body: a 404 comes back as `NotFound`, a 403 as `Forbidden`, a 412 as `Unknown`.
  return storageError(uri, {
    status,
    code: code === 'Unknown' || code === 'UnknownError' || code === 'Error' ? undefined : code,
    message: e.message,
    retryable: e.$retryable !== undefined,
  });
}

function clean(etag: string | undefined): string {
  return (etag ?? '').replace(/^(W\/)?"|"$/g, '');
}

/** The SDK's configuration: only what the default chain cannot know. */
export function s3ClientConfig(env: NodeJS.ProcessEnv = process.env): S3ClientConfig {
  const ignored = /^(1|true)$/i.test(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '');
  const custom = !ignored && Boolean(env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL);
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || (custom ? 'us-east-1' : undefined);
  return { ...(custom ? { forcePathStyle: true } : {}), ...(region ? { region } : {}) };
}

/** `x-amz-copy-source`: the bucket and the key, URL-encoded segment by segment (S3 decodes it). */
function copySource(bucket: string, key: string): string {
  return [bucket, ...key.split('/')].map(encodeURIComponent).join('/');
}

export class S3Storage implements ObjectStorage {
  constructor(
    private readonly bucket: string,
    private readonly client: S3Client = new S3Client(s3ClientConfig()),
    private readonly copyLimits: S3CopyLimits = COPY_LIMITS,
  ) {}

  uri(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    try {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          ...(options.pageSize !== undefined ? { MaxKeys: options.pageSize } : {}),
          ...(options.token !== undefined ? { ContinuationToken: options.token } : {}),
          ...(options.delimiter !== undefined ? { Delimiter: options.delimiter } : {}),
        }),
      );
      const objects = (page.Contents ?? []).map((o): ObjectInfo => ({
        key: o.Key ?? '',
        uri: this.uri(o.Key ?? ''),
        size: o.Size ?? 0,
        etag: clean(o.ETag),
        lastModified: o.LastModified ?? new Date(0),
      }));
      const prefixes = (page.CommonPrefixes ?? []).flatMap((p) => (p.Prefix ? [p.Prefix] : []));
      const next = page.IsTruncated === true ? page.NextContinuationToken : undefined;
      return { objects, prefixes, ...(next ? { nextToken: next } : {}) };
    } catch (error) {
      throw failure(this.uri(prefix), error);
    }
  }

  async head(key: string): Promise<ObjectInfo> {
    try {
      const o = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { key, uri: this.uri(key), size: o.ContentLength ?? 0, etag: clean(o.ETag), lastModified: o.LastModified ?? new Date(0) };
    } catch (error) {
      throw failure(this.uri(key), error);
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    let header: string | undefined;
    if (range !== undefined && 'suffix' in range) header = `bytes=-${range.suffix}`;
    else if (range !== undefined) header = `bytes=${range.offset}-${range.length === undefined ? '' : range.offset + range.length - 1}`;
    try {
      const o = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(header ? { Range: header } : {}) }));
      return o.Body as Readable;
    } catch (error) {
      // A range that starts past the end: an empty answer, as from a file.
      if ((error as SdkFailure).$metadata?.httpStatusCode === 416) return Readable.from([]);
      throw failure(this.uri(key), error);
    }
  }

  async write(key: string, body: Readable | AsyncIterable<Uint8Array>, options: WriteOptions = {}): Promise<ObjectInfo> {
    const uri = this.uri(key);
    // lib-storage reads a Readable; an async iterable is piped into one, its failure passed on.
    const source = body instanceof Readable ? body : Readable.from(body);
    const passed = new PassThrough();
    let sourceFailure: Error | undefined;
    source.on('error', (error) => {
      sourceFailure = error;
      passed.destroy(error);
    });
    source.pipe(passed);
    const upload = new Upload({
      client: this.client,
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
      params: {
        Bucket: this.bucket,
        Key: key,
        Body: passed,
        ...(options.ifAbsent === true ? { IfNoneMatch: '*' } : {}),
        ...(options.contentType !== undefined ? { ContentType: options.contentType } : {}),
      },
    });
    try {
      await upload.done();
    } catch (error) {
      if (sourceFailure !== undefined) throw sourceFailure;
      throw failure(uri, error);
    }
    if (sourceFailure !== undefined) throw sourceFailure;
    return this.head(key);
  }

  async move(from: string, to: string): Promise<ObjectInfo> {
    const { size } = await this.head(from);
    if (size <= this.copyLimits.singleCopyMax) {
      try {
        await this.client.send(new CopyObjectCommand({ Bucket: this.bucket, Key: to, CopySource: copySource(this.bucket, from) }));
      } catch (error) {
        throw failure(`${this.uri(from)} -> ${this.uri(to)}`, error);
      }
    } else {
      await this.copyInParts(from, to, size);
    }
    await this.delete(from);
    return this.head(to);
  }

  /** A copy too large for one CopyObject: UploadPartCopy ranges, completed at once or aborted. */
  private async copyInParts(from: string, to: string, size: number): Promise<void> {
    const where = `${this.uri(from)} -> ${this.uri(to)}`;
    const partSize = Math.max(this.copyLimits.partSize, Math.ceil(size / MAX_PARTS));
    let uploadId: string | undefined;
    try {
      const started = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: to }));
      uploadId = started.UploadId;
      const parts: { PartNumber: number; ETag: string }[] = [];
      for (let offset = 0, n = 1; offset < size; offset += partSize, n++) {
        const last = Math.min(size, offset + partSize) - 1;
        const part = await this.client.send(
          new UploadPartCopyCommand({
            Bucket: this.bucket,
            Key: to,
            UploadId: uploadId,
            PartNumber: n,
            CopySource: copySource(this.bucket, from),
            CopySourceRange: `bytes=${offset}-${last}`,
          }),
        );
        parts.push({ PartNumber: n, ETag: part.CopyPartResult?.ETag ?? '' });
      }
      await this.client.send(
        new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: to, UploadId: uploadId, MultipartUpload: { Parts: parts } }),
      );
    } catch (error) {
      if (uploadId !== undefined) {
        await this.client
          .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: to, UploadId: uploadId }))
          .catch(() => undefined);
      }
      throw failure(where, error);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if ((error as SdkFailure).$metadata?.httpStatusCode === 404) return;
      throw failure(this.uri(key), error);
    }
  }
}
