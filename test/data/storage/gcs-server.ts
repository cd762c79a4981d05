/**
 * A Cloud Storage test server: the part of the GCS JSON API that `@google-cloud/storage` uses for
 * Fleetwave's port, answered as Google's reference describes it, in memory, in this process. No GCS
 * emulator installs here: fake-gcs-server is a Go program (proxy.golang.org is not reachable),
 * Google's storage-testbench and gcp-storage-emulator are Python packages on PyPI (not reachable),
 * and firebase-tools' Storage emulator did not finish installing in 5 minutes and downloads a rules
 * runtime jar when it starts (docs/storage.md). The client that talks to it is the real SDK, which
 * checks what it gets: CRC32C of every whole read and every upload (computed here independently,
 * Castagnoli polynomial, RFC 3720 §B.4), the resumable-upload protocol, rewrite tokens.
 *
 * What it answers, each after https://cloud.google.com/storage/docs/json_api/v1/objects:
 * - `GET /storage/v1/b/{bucket}/o` (objects.list): `prefix`, `delimiter` (`prefixes`), `maxResults`,
 *   `pageToken` → `nextPageToken`; names in lexicographic (UTF-8 byte) order;
 * - `GET /storage/v1/b/{bucket}/o/{object}` (objects.get): the object resource; with `alt=media` its
 *   bytes, `Range: bytes=a-b | a- | -n` (206; 416 past the end), `x-goog-hash: crc32c=…,md5=…`,
 *   `x-goog-generation`, `x-goog-stored-content-encoding: identity`;
 * - `DELETE /storage/v1/b/{bucket}/o/{object}` (objects.delete): 204, 404 when missing;
 * - `POST /storage/v1/b/{b}/o/{src}/rewriteTo/b/{b}/o/{dst}` (objects.rewrite): objects over
 *   `REWRITE_STEP` take several calls with a `rewriteToken`, as GCS may; `done` on the last;
 * - resumable uploads (https://cloud.google.com/storage/docs/performing-resumable-uploads):
 *   `POST /upload/storage/v1/b/{bucket}/o?uploadType=resumable&name=…` opens a session (200 with
 *   `Location`); `PUT` on it with `Content-Range: bytes a-b/*` (a chunk: 308 with `Range`),
 *   `bytes a-b/N` or `bytes a-*\/*` (the last: the object is created, 200 with its resource), `bytes *\/*`
 *   (status: 308). An object exists only once its upload is finalised: a session cut off midway
 *   leaves nothing;
 * - `ifGenerationMatch=0` on an upload (create only): 412 `conditionNotMet` when the name holds an
 *   object, checked when the session opens and again when it is finalised;
 * - errors as `{"error": {"code", "message", "errors": [{"domain": "global", "reason", "message"}]}}`:
 *   404 `notFound` (no such object or bucket), 403 `forbidden` for the buckets in `deniedBuckets`.
 *
 * With `STORAGE_EMULATOR_HOST` the SDK sends the JSON API's requests to `/b/…` right under the host;
 * both that and the service's `/storage/v1/b/…` are taken.
 *
 * It counts requests by JSON API method (`requests()`), as the S3 test server does.
 */
import { createHash, randomBytes } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Rewrites larger than this take more than one call (GCS decides this itself; 1 MiB here). */
const REWRITE_STEP = 1024 * 1024;

interface StoredObject {
  data: Buffer;
  generation: number;
  updated: Date;
  contentType: string;
}

interface Session {
  bucket: string;
  name: string;
  ifGenerationMatch: string | null;
  contentType: string;
  received: Buffer[];
  size: number;
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC32C of `data`, base64 of its big-endian bytes, as GCS reports it. */
export function crc32cBase64(data: Buffer): string {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC32C_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  const out = Buffer.alloc(4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return out.toString('base64');
}

export interface GcsTestServer {
  /** `http://127.0.0.1:port`: what `STORAGE_EMULATOR_HOST` is set to. */
  endpoint: string;
  bucket: string;
  requests(reset?: boolean): Record<string, number>;
  stop(): Promise<void>;
}

export async function startGcsServer(options: { buckets?: string[]; deniedBuckets?: string[] } = {}): Promise<GcsTestServer> {
  const buckets = new Map<string, Map<string, StoredObject>>((options.buckets ?? ['fleetwave']).map((b) => [b, new Map()]));
  const denied = new Set(options.deniedBuckets ?? []);
  const sessions = new Map<string, Session>();
  const rewrites = new Map<string, number>();
  const counts = new Map<string, number>();
  let generation = 1_700_000_000_000_000;
  let endpoint = '';

  const count = (method: string) => counts.set(method, (counts.get(method) ?? 0) + 1);

  function fail(res: ServerResponse, code: number, reason: string, message: string): void {
    res.writeHead(code, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify({ error: { code, message, errors: [{ domain: 'global', reason, message }] } }));
  }

  function json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify(body));
  }

  function resource(bucket: string, name: string, o: StoredObject): Record<string, unknown> {
    return {
      kind: 'storage#object',
      id: `${bucket}/${name}/${o.generation}`,
      selfLink: `${endpoint}/storage/v1/b/${bucket}/o/${encodeURIComponent(name)}`,
      name,
      bucket,
      generation: String(o.generation),
      metageneration: '1',
      contentType: o.contentType,
      storageClass: 'STANDARD',
      size: String(o.data.length),
      md5Hash: createHash('md5').update(o.data).digest('base64'),
      crc32c: crc32cBase64(o.data),
      etag: Buffer.from(String(o.generation)).toString('base64'),
      timeCreated: o.updated.toISOString(),
      updated: o.updated.toISOString(),
    };
  }

  function store(bucket: string, name: string, data: Buffer, contentType: string): StoredObject {
    const o = { data, generation: ++generation, updated: new Date(), contentType };
    buckets.get(bucket)!.set(name, o);
    return o;
  }

  async function body(req: IncomingMessage): Promise<Buffer | null> {
    const parts: Buffer[] = [];
    let complete = false;
    req.on('data', (c: Buffer) => parts.push(c));
    await new Promise<void>((resolve) => {
      req.on('end', () => {
        complete = true;
        resolve();
      });
      req.on('close', resolve);
      req.on('error', () => resolve());
    });
    return complete ? Buffer.concat(parts) : null;
  }

  /** The bucket, or an error answered: 403 for a denied bucket, 404 for one that does not exist. */
  function bucketOf(res: ServerResponse, name: string): Map<string, StoredObject> | null {
    if (denied.has(name)) {
      fail(res, 403, 'forbidden', `caller does not have storage.objects access to the Google Cloud Storage bucket ${name}.`);
      return null;
    }
    const b = buckets.get(name);
    if (!b) fail(res, 404, 'notFound', `The specified bucket does not exist.`);
    return b ?? null;
  }

  function list(res: ServerResponse, bucket: Map<string, StoredObject>, bucketName: string, q: URLSearchParams): void {
    count('objects.list');
    const prefix = q.get('prefix') ?? '';
    const delimiter = q.get('delimiter');
    const max = Math.min(Number(q.get('maxResults') ?? 1000) || 1000, 1000);
    const after = q.get('pageToken') ? Buffer.from(q.get('pageToken')!, 'base64url').toString('utf8') : null;
    const names = [...bucket.keys()].filter((n) => n.startsWith(prefix)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const items: Record<string, unknown>[] = [];
    const prefixes: string[] = [];
    let last: string | null = null;
    let truncated = false;
    for (const name of names) {
      const rest = name.slice(prefix.length);
      const at = delimiter ? rest.indexOf(delimiter) : -1;
      const entry = at >= 0 ? prefix + rest.slice(0, at + delimiter!.length) : name;
      if (after !== null && Buffer.compare(Buffer.from(entry), Buffer.from(after)) <= 0) continue;
      if (at >= 0 && prefixes.includes(entry)) continue;
      if (items.length + prefixes.length >= max) {
        truncated = true;
        break;
      }
      if (at >= 0) prefixes.push(entry);
      else items.push(resource(bucketName, name, bucket.get(name)!));
      last = entry;
    }
    json(res, 200, {
      kind: 'storage#objects',
      ...(items.length ? { items } : {}),
      ...(prefixes.length ? { prefixes } : {}),
      ...(truncated && last !== null ? { nextPageToken: Buffer.from(last).toString('base64url') } : {}),
    });
  }

  function media(req: IncomingMessage, res: ServerResponse, o: StoredObject): void {
    count('objects.get (media)');
    const size = o.data.length;
    const headers: Record<string, string> = {
      'content-type': o.contentType,
      'x-goog-hash': `crc32c=${crc32cBase64(o.data)},md5=${createHash('md5').update(o.data).digest('base64')}`,
      'x-goog-generation': String(o.generation),
      'x-goog-stored-content-encoding': 'identity',
      'x-goog-stored-content-length': String(size),
    };
    const range = /^bytes=(\d*)-(\d*)$/.exec(String(req.headers.range ?? ''));
    if (!range || (range[1] === '' && range[2] === '')) {
      res.writeHead(200, { ...headers, 'content-length': String(size) });
      return void res.end(o.data);
    }
    let start: number;
    let end: number;
    if (range[1] === '') {
      start = Math.max(0, size - Number(range[2]));
      end = size - 1;
    } else {
      start = Number(range[1]);
      end = range[2] === '' ? size - 1 : Math.min(Number(range[2]), size - 1);
    }
    if (start >= size || (range[1] === '' && Number(range[2]) === 0)) {
      return fail(res, 416, 'requestedRangeNotSatisfiable', 'The requested range cannot be satisfied.');
    }
    res.writeHead(206, { ...headers, 'content-length': String(end - start + 1), 'content-range': `bytes ${start}-${end}/${size}` });
    res.end(o.data.subarray(start, end + 1));
  }

  async function upload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const id = url.searchParams.get('upload_id');
    if (req.method === 'POST' && url.searchParams.get('uploadType') === 'resumable') {
      count('objects.insert (resumable start)');
      const bucketName = decodeURIComponent(url.pathname.split('/')[5] ?? '');
      const metadata = await body(req);
      const bucket = bucketOf(res, bucketName);
      if (!bucket) return;
      const name = url.searchParams.get('name') ?? (JSON.parse(metadata?.toString('utf8') || '{}') as { name?: string }).name;
      if (!name) return fail(res, 400, 'required', 'Required parameter: name');
      const ifGenerationMatch = url.searchParams.get('ifGenerationMatch');
      if (ifGenerationMatch === '0' && bucket.has(name)) {
        return fail(res, 412, 'conditionNotMet', 'At least one of the pre-conditions you specified did not hold.');
      }
      const session = randomBytes(12).toString('hex');
      sessions.set(session, {
        bucket: bucketName,
        name,
        ifGenerationMatch,
        contentType: String(req.headers['x-upload-content-type'] ?? 'application/octet-stream'),
        received: [],
        size: 0,
      });
      res.writeHead(200, { location: `${endpoint}/upload/storage/v1/b/${bucketName}/o?uploadType=resumable&upload_id=${session}` });
      return void res.end();
    }
    if (req.method === 'PUT' && id !== null) {
      const session = sessions.get(id);
      const data = await body(req);
      if (data === null) return; // cut off: the bytes of this request are not kept, nothing is created
      if (!session) return fail(res, 404, 'notFound', 'No such upload session.');
      const contentRange = String(req.headers['content-range'] ?? '');
      const status = /^bytes \*\/(\*|\d+)$/.exec(contentRange);
      const chunk = /^bytes (\d+)-(\d+|\*)\/(\d+|\*)$/.exec(contentRange);
      const incomplete = (): void => {
        res.writeHead(308, session.size > 0 ? { range: `bytes=0-${session.size - 1}` } : {});
        res.end();
      };
      if (status) {
        count('objects.insert (resumable status)');
        if (status[1] === '*' || Number(status[1]) !== session.size) return incomplete();
      } else if (chunk) {
        count('objects.insert (resumable chunk)');
        if (Number(chunk[1]) !== session.size)
          return fail(res, 400, 'invalid', `chunk starts at ${chunk[1]}, ${session.size} bytes received`);
        session.received.push(data);
        session.size += data.length;
        const total = chunk[3] === '*' ? (chunk[2] === '*' ? session.size : null) : Number(chunk[3]);
        if (total === null || session.size < total) return incomplete();
        if (session.size !== total) return fail(res, 400, 'invalid', `received ${session.size} bytes, the total says ${total}`);
      } else {
        return fail(res, 400, 'invalid', `bad Content-Range: ${contentRange}`);
      }
      const bucket = buckets.get(session.bucket)!;
      if (session.ifGenerationMatch === '0' && bucket.has(session.name)) {
        sessions.delete(id);
        return fail(res, 412, 'conditionNotMet', 'At least one of the pre-conditions you specified did not hold.');
      }
      sessions.delete(id);
      const o = store(session.bucket, session.name, Buffer.concat(session.received), session.contentType);
      return json(res, 200, resource(session.bucket, session.name, o));
    }
    fail(res, 400, 'invalid', `unsupported upload request ${req.method} ${url.search}`);
  }

  async function rewrite(req: IncomingMessage, res: ServerResponse, url: URL, parts: string[]): Promise<void> {
    count('objects.rewrite');
    await body(req);
    const [srcBucketName, srcName, dstBucketName, dstName] = [parts[4]!, parts[6]!, parts[9]!, parts[11]!].map(decodeURIComponent);
    const srcBucket = bucketOf(res, srcBucketName!);
    if (!srcBucket) return;
    const dstBucket = bucketOf(res, dstBucketName!);
    if (!dstBucket) return;
    const source = srcBucket.get(srcName!);
    if (!source) return fail(res, 404, 'notFound', `No such object: ${srcBucketName}/${srcName}`);
    const token = url.searchParams.get('rewriteToken');
    const done = token === null ? 0 : (rewrites.get(token) ?? 0);
    const next = Math.min(source.data.length, done + REWRITE_STEP);
    if (token !== null) rewrites.delete(token);
    const total = String(source.data.length);
    if (next < source.data.length) {
      const nextToken = randomBytes(12).toString('hex');
      rewrites.set(nextToken, next);
      return json(res, 200, {
        kind: 'storage#rewriteResponse',
        totalBytesRewritten: String(next),
        objectSize: total,
        done: false,
        rewriteToken: nextToken,
      });
    }
    const o = store(dstBucketName!, dstName!, Buffer.from(source.data), source.contentType);
    json(res, 200, {
      kind: 'storage#rewriteResponse',
      totalBytesRewritten: total,
      objectSize: total,
      done: true,
      resource: resource(dstBucketName!, dstName!, o),
    });
  }

  const server = createServer((req, res) => {
    if (process.env.GCS_TEST_DEBUG) {
      process.stderr.write(`${req.method} ${req.url} ${JSON.stringify(req.headers)}\n`);
      res.on('finish', () => process.stderr.write(`  -> ${res.statusCode}\n`));
    }
    void (async () => {
      const url = new URL(req.url ?? '/', endpoint);
      // With STORAGE_EMULATOR_HOST the SDK puts the JSON API's paths right under the host (`/b/…`,
      // its baseUrl is the variable itself) and uploads under `/upload/storage/v1/b/…`; the service's
      // own paths are `/storage/v1/b/…` (as fake-gcs-server, this server takes both).
      if (url.pathname.startsWith('/b/')) url.pathname = `/storage/v1${url.pathname}`;
      if (url.pathname.startsWith('/upload/storage/v1/b/')) return upload(req, res, url);
      const parts = url.pathname.split('/'); // ['', 'storage', 'v1', 'b', bucket, 'o', object, ...]
      if (parts[1] !== 'storage' || parts[2] !== 'v1' || parts[3] !== 'b' || parts[5] !== 'o') {
        await body(req);
        return fail(res, 400, 'invalid', `not a JSON API object path: ${url.pathname}`);
      }
      if (req.method === 'POST' && parts[7] === 'rewriteTo') return rewrite(req, res, url, parts);
      await body(req);
      const bucketName = decodeURIComponent(parts[4]!);
      const bucket = bucketOf(res, bucketName);
      if (!bucket) return;
      if (parts.length === 6 || parts[6] === '') {
        if (req.method === 'GET') return list(res, bucket, bucketName, url.searchParams);
        return fail(res, 405, 'invalid', `${req.method} on objects`);
      }
      const name = decodeURIComponent(parts.slice(6).join('/'));
      const o = bucket.get(name);
      if (req.method === 'DELETE') {
        count('objects.delete');
        if (!o) return fail(res, 404, 'notFound', `No such object: ${bucketName}/${name}`);
        bucket.delete(name);
        res.writeHead(204);
        return void res.end();
      }
      if (req.method === 'GET') {
        if (!o) {
          count(url.searchParams.get('alt') === 'media' ? 'objects.get (media)' : 'objects.get');
          return fail(res, 404, 'notFound', `No such object: ${bucketName}/${name}`);
        }
        if (url.searchParams.get('alt') === 'media') return media(req, res, o);
        count('objects.get');
        return json(res, 200, resource(bucketName, name, o));
      }
      fail(res, 405, 'invalid', `${req.method} on an object`);
    })().catch((err: unknown) => {
      if (!res.headersSent) fail(res, 500, 'backendError', String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    bucket: [...buckets.keys()][0]!,
    requests(reset = false) {
      const answer = Object.fromEntries(counts);
      if (reset) counts.clear();
      return answer;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
