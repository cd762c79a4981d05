/**
 * The Azure Blob Storage adapter, on `@azure/storage-blob`. One store is one container.
 *
 * Credentials, in this order: `AZURE_STORAGE_CONNECTION_STRING` (it may also name the endpoint, as
 * Azurite's does); the account key `AZURE_STORAGE_KEY` (or `AZURE_STORAGE_ACCOUNT_KEY`) for the URI's
 * account; a SAS token `AZURE_STORAGE_SAS_TOKEN`; else `DefaultAzureCredential` from `@azure/identity`
 * (the chain `azure/login` with OIDC sets up) when that package is installed beside Fleetwave — it is
 * not a dependency (40 MB: docs/decisions/0007-object-storage.md). Nothing here logs or keeps a key.
 *
 * Writes stage blocks and commit the block list at the end (`uploadStream`): uncommitted blocks are
 * never visible, so a source that fails midway leaves no blob.
 */
import { BlobServiceClient, type ContainerClient, StorageSharedKeyCredential, AnonymousCredential } from '@azure/storage-blob';
import { Readable } from 'node:stream';
import { storageError } from './port.js';
import type { ByteRange, ListOptions, ListPage, ObjectInfo, ObjectStorage, WriteOptions } from './port.js';

/** Block size of a write: memory held is about `BLOCK_SIZE × CONCURRENCY`. */
const BLOCK_SIZE = 4 * 1024 * 1024;
const CONCURRENCY = 4;

interface RestFailure {
  name?: string;
  code?: string;
  statusCode?: number;
  message?: string;
  details?: { errorCode?: string };
}

function failure(uri: string, error: unknown): Error {
  const e = error as RestFailure;
  if (e === null || typeof e !== 'object') return new Error(String(error));
  const code = e.details?.errorCode ?? e.code;
  // The SDK's message for an answer with a body is the XML of the error; the code says enough.
  const message = e.statusCode === undefined ? e.message : undefined;
  return storageError(uri, { status: e.statusCode, code, message, retryable: code === 'REQUEST_SEND_ERROR' });
}

function connectionAccount(connectionString: string): string | undefined {
  return /(?:^|;)AccountName=([^;]+)/i.exec(connectionString)?.[1];
}

/** The service client for an account, with the credentials the environment gives. */
export async function azureServiceClient(account: string, env: NodeJS.ProcessEnv = process.env): Promise<BlobServiceClient> {
  const connection = env.AZURE_STORAGE_CONNECTION_STRING;
  if (connection && (connectionAccount(connection) ?? account) === account) return BlobServiceClient.fromConnectionString(connection);
  const url = `https://${account}.blob.core.windows.net`;
  const key = env.AZURE_STORAGE_KEY || env.AZURE_STORAGE_ACCOUNT_KEY;
  if (key) return new BlobServiceClient(url, new StorageSharedKeyCredential(account, key));
  const sas = env.AZURE_STORAGE_SAS_TOKEN;
  if (sas) return new BlobServiceClient(`${url}?${sas.replace(/^\?/, '')}`, new AnonymousCredential());
  const identityPackage = '@azure/identity';
  let identity: { DefaultAzureCredential: new () => ConstructorParameters<typeof BlobServiceClient>[1] };
  try {
    identity = (await import(identityPackage)) as typeof identity;
  } catch {
    throw storageError(`az://${account}/`, {
      code: 'CredentialsProviderError',
      message:
        'no Azure credentials: set AZURE_STORAGE_CONNECTION_STRING, AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN, or install @azure/identity for DefaultAzureCredential',
    });
  }
  return new BlobServiceClient(url, new identity.DefaultAzureCredential());
}

export class AzureStorage implements ObjectStorage {
  private readonly container: ContainerClient;

  constructor(
    private readonly account: string,
    private readonly containerName: string,
    service: BlobServiceClient,
  ) {
    this.container = service.getContainerClient(containerName);
  }

  uri(key: string): string {
    return `az://${this.account}/${this.containerName}/${key}`;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    const settings = {
      maxPageSize: options.pageSize ?? 1000,
      ...(options.token !== undefined ? { continuationToken: options.token } : {}),
    };
    try {
      const pages =
        options.delimiter === undefined
          ? this.container.listBlobsFlat({ prefix }).byPage(settings)
          : this.container.listBlobsByHierarchy(options.delimiter, { prefix }).byPage(settings);
      const next = await pages.next();
      if (next.done === true) return { objects: [], prefixes: [] };
      const page = next.value;
      const objects = page.segment.blobItems.map((b): ObjectInfo => ({
        key: b.name,
        uri: this.uri(b.name),
        size: b.properties.contentLength ?? 0,
        etag: (b.properties.etag ?? '').replace(/^"|"$/g, ''),
        lastModified: b.properties.lastModified,
      }));
      const segment = page.segment as { blobPrefixes?: { name: string }[] };
      const prefixes = (segment.blobPrefixes ?? []).map((p) => p.name);
      return { objects, prefixes, ...(page.continuationToken ? { nextToken: page.continuationToken } : {}) };
    } catch (error) {
      throw failure(this.uri(prefix), error);
    }
  }

  async head(key: string): Promise<ObjectInfo> {
    try {
      const p = await this.container.getBlobClient(key).getProperties();
      return {
        key,
        uri: this.uri(key),
        size: p.contentLength ?? 0,
        etag: (p.etag ?? '').replace(/^"|"$/g, ''),
        lastModified: p.lastModified ?? new Date(0),
      };
    } catch (error) {
      throw failure(this.uri(key), error);
    }
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const blob = this.container.getBlobClient(key);
    try {
      let offset = 0;
      let count: number | undefined;
      if (range !== undefined && 'suffix' in range) {
        // Blob Storage takes no suffix range: one more request for the size.
        const { size } = await this.head(key);
        offset = Math.max(0, size - range.suffix);
        if (offset >= size) return Readable.from([]);
      } else if (range !== undefined) {
        offset = range.offset;
        count = range.length;
        if (count === 0) return Readable.from([]);
      }
      const answer = await blob.download(offset, count);
      return answer.readableStreamBody as Readable;
    } catch (error) {
      if ((error as RestFailure).statusCode === 416) return Readable.from([]);
      if (error instanceof Error && 'reason' in error) throw error;
      throw failure(this.uri(key), error);
    }
  }

  async write(key: string, body: Readable | AsyncIterable<Uint8Array>, options: WriteOptions = {}): Promise<ObjectInfo> {
    const source = body instanceof Readable ? body : Readable.from(body);
    let sourceFailure: Error | undefined;
    source.once('error', (error) => {
      sourceFailure = error;
    });
    try {
      await this.container.getBlockBlobClient(key).uploadStream(source, BLOCK_SIZE, CONCURRENCY, {
        ...(options.ifAbsent === true ? { conditions: { ifNoneMatch: '*' } } : {}),
        ...(options.contentType !== undefined ? { blobHTTPHeaders: { blobContentType: options.contentType } } : {}),
      });
    } catch (error) {
      if (sourceFailure !== undefined) throw sourceFailure;
      throw failure(this.uri(key), error);
    }
    if (sourceFailure !== undefined) throw sourceFailure;
    return this.head(key);
  }

  /**
   * A server-side copy inside the account (Copy Blob: the source is authorised by the same
   * credentials; the service copies asynchronously and is polled until it is done), then a delete.
   * The destination shows its old blob until the copy completes.
   * https://learn.microsoft.com/rest/api/storageservices/copy-blob
   */
  async move(from: string, to: string): Promise<ObjectInfo> {
    const source = this.container.getBlobClient(from);
    await this.head(from);
    try {
      const poller = await this.container.getBlobClient(to).beginCopyFromURL(source.url, { intervalInMs: 200 });
      const done = await poller.pollUntilDone();
      if (done.copyStatus !== undefined && done.copyStatus !== 'success') {
        throw Object.assign(new Error(`copy ended ${done.copyStatus}`), { code: 'CopyFailed' });
      }
    } catch (error) {
      throw failure(`${this.uri(from)} -> ${this.uri(to)}`, error);
    }
    await this.delete(from);
    return this.head(to);
  }

  async delete(key: string): Promise<void> {
    try {
      await this.container.getBlobClient(key).deleteIfExists();
    } catch (error) {
      throw failure(this.uri(key), error);
    }
  }
}
