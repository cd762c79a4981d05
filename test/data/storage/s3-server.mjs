/**
 * The S3-compatible server the storage tests run against: `s3rver` 3.7 (npm) behind a front that
 * makes it answer as S3 does where it does not (docs/storage.md lists each gap and how it was found):
 *
 * - signatures: every request must carry a valid SigV4 header signature for the test key pair
 *   (s3rver accepts any); a wrong secret gets 403 SignatureDoesNotMatch, an unknown key 403
 *   InvalidAccessKeyId; a payload hash (`x-amz-content-sha256`) is checked against the body;
 * - streamed uploads (`Content-Encoding: aws-chunked`, `STREAMING-UNSIGNED-PAYLOAD-TRAILER`): decoded,
 *   the decoded length and the CRC32 trailer checked (s3rver stores the framing with the data);
 *   a CRC32 header on a plain body is checked too; signed chunks are refused (501), not waved through;
 * - an upload cut off midway: the body is forwarded only once complete (s3rver stores what arrived);
 * - suffix ranges `bytes=-N`: rewritten to the last N bytes (s3rver answers the first N);
 * - `If-None-Match: *` on PutObject and CompleteMultipartUpload: 412 when the key holds an object
 *   (s3rver ignores it; checked then forwarded, so not atomic against a concurrent writer);
 * - a delimited listing: "folders" holding only deeper folders were left out (patched below);
 * - copies: s3rver reads `x-amz-copy-source` with `decodeURI`, which leaves `%3D`, `%2B`… encoded
 *   (S3 decodes the whole value), so it is decoded here and passed on in the form s3rver reads; and
 *   UploadPartCopy (multipart copy, needed above 5 GiB), which s3rver answers NotImplemented, is done
 *   here: the range read from the source, uploaded as the part, answered with a CopyPartResult;
 * - list continuation: s3rver encrypts its tokens with DES, which Node 20's OpenSSL 3 has only
 *   with `--openssl-legacy-provider`: this process is started with that flag.
 *
 * It also counts requests by S3 operation: `GET /__requests` answers the counts, `DELETE /__requests`
 * answers them and starts again from zero. Started by ./servers.ts as a child process; prints `{"port":N}` when ready, stops when
 * its standard input closes. The key pair comes from S3_TEST_ACCESS_KEY / S3_TEST_SECRET.
 */
import { Buffer } from 'node:buffer';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { URLSearchParams } from 'node:url';
import { crc32 } from 'node:zlib';
import { createRequire } from 'node:module';

// s3rver's listing with a delimiter never enters a folder below the prefix, so a "folder" holding
// only deeper folders (`b/x=1/part-0` under `b/`) is missing from CommonPrefixes. Listed flat here and
// grouped as S3 does. (Its continuation token names the page's last object: a delimited listing is
// right across pages only when a page ends on an object. The conformance suite pages flat listings.)
const require = createRequire(process.env.S3RVER_MAIN ?? import.meta.url);
const S3rver = require('s3rver');
const FilesystemStore = require('s3rver/lib/stores/filesystem.js');
const listObjects = FilesystemStore.prototype.listObjects;
FilesystemStore.prototype.listObjects = async function (bucket, options) {
  const { delimiter, prefix = '', maxKeys = Infinity } = options;
  if (!delimiter) return listObjects.call(this, bucket, options);
  const flat = await listObjects.call(this, bucket, { ...options, delimiter: '', maxKeys: Infinity });
  const objects = [];
  const prefixes = new Set();
  let isTruncated = false;
  for (const object of flat.objects) {
    const rest = object.key.slice(prefix.length);
    const at = rest.indexOf(delimiter);
    const group = at < 0 ? undefined : prefix + rest.slice(0, at + delimiter.length);
    if (group !== undefined && prefixes.has(group)) continue;
    if (objects.length + prefixes.size >= maxKeys) {
      isTruncated = true;
      break;
    }
    if (group === undefined) objects.push(object);
    else prefixes.add(group);
  }
  return { objects, commonPrefixes: [...prefixes].sort(), isTruncated };
};

const accessKey = process.env.S3_TEST_ACCESS_KEY ?? 'fleetwave-test';
const secret = process.env.S3_TEST_SECRET ?? 'fleetwave-test-secret';
const buckets = (process.env.S3_TEST_BUCKETS ?? 'fleetwave').split(',');

const directory = mkdtempSync(join(tmpdir(), 'fleetwave-s3rver-'));
const backend = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  configureBuckets: buckets.map((name) => ({ name })),
});
const { port: backendPort } = await backend.run();

const counts = new Map();

function operation(method, query, headers) {
  if (method === 'PUT' && 'x-amz-copy-source' in headers) return query.has('partNumber') ? 'UploadPartCopy' : 'CopyObject';
  if (method === 'GET') return query.has('list-type') ? 'ListObjectsV2' : query.has('uploadId') ? 'ListParts' : 'GetObject';
  if (method === 'HEAD') return 'HeadObject';
  if (method === 'PUT') return query.has('partNumber') ? 'UploadPart' : 'PutObject';
  if (method === 'POST') return query.has('uploads') ? 'CreateMultipartUpload' : query.has('uploadId') ? 'CompleteMultipartUpload' : 'Post';
  if (method === 'DELETE') return query.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
  return method;
}

function reply(res, method, status, code, message) {
  res.writeHead(status, { 'content-type': 'application/xml' });
  if (method === 'HEAD') return res.end();
  res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}

const encode = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();

/** Checks the SigV4 header signature; returns an error [code, message] or null. */
function checkSignature(req, rawPath, rawQuery) {
  const auth = req.headers.authorization ?? '';
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!m) return ['AccessDenied', 'Access Denied (no SigV4 header signature)'];
  const [, keyId, date, region, service, signedHeaders, signature] = m;
  if (keyId !== accessKey) return ['InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.'];
  const query = rawQuery
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const i = pair.indexOf('=');
      const k = decodeURIComponent(i < 0 ? pair : pair.slice(0, i));
      const v = decodeURIComponent(i < 0 ? '' : pair.slice(i + 1));
      return [encode(k), encode(v)];
    })
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const names = signedHeaders.split(';');
  const headers = names
    .map(
      (name) =>
        `${name}:${String(req.headers[name] ?? '')
          .trim()
          .replace(/\s+/g, ' ')}\n`,
    )
    .join('');
  const payload = req.headers['x-amz-content-sha256'] ?? 'UNSIGNED-PAYLOAD';
  const canonical = [req.method, rawPath, query, headers, signedHeaders, payload].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', req.headers['x-amz-date'], scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  const expected = createHmac('sha256', key).update(toSign).digest();
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
    return ['SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.'];
  }
  return null;
}

function crc32Base64(data) {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(data) >>> 0);
  return b.toString('base64');
}

/** Decodes an aws-chunked body with unsigned chunks; returns [data, trailers] or throws [code, message]. */
function decodeChunked(body) {
  const chunks = [];
  let at = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', at);
    if (eol < 0) throw ['IncompleteBody', 'chunked body cut short'];
    const line = body.subarray(at, eol).toString('latin1');
    if (line.includes(';')) throw ['NotImplemented', 'signed chunks are not checked by this test server'];
    const size = parseInt(line, 16);
    if (!Number.isFinite(size)) throw ['InvalidRequest', `bad chunk size line ${line}`];
    at = eol + 2;
    if (size === 0) break;
    if (at + size + 2 > body.length) throw ['IncompleteBody', 'chunk cut short'];
    chunks.push(body.subarray(at, at + size));
    at += size + 2;
  }
  const trailers = {};
  for (const line of body.subarray(at).toString('latin1').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) trailers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return [Buffer.concat(chunks), trailers];
}

async function objectExists(path, headers) {
  return new Promise((resolve, reject) => {
    const probe = httpRequest({ host: '127.0.0.1', port: backendPort, method: 'HEAD', path, headers: { host: headers.host } }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    probe.on('error', reject);
    probe.end();
  });
}

async function objectSize(path, headers) {
  return new Promise((resolve, reject) => {
    const probe = httpRequest({ host: '127.0.0.1', port: backendPort, method: 'HEAD', path, headers: { host: headers.host } }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? Number(res.headers['content-length']) : null);
    });
    probe.on('error', reject);
    probe.end();
  });
}

/** One backend request; resolves with its status, headers and whole body. */
function backendRequest(method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const call = httpRequest({ host: '127.0.0.1', port: backendPort, method, path, headers }, (answer) => {
      const chunks = [];
      answer.on('data', (c) => chunks.push(c));
      answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }));
      answer.on('error', reject);
    });
    call.on('error', reject);
    call.end(body);
  });
}

/** UploadPartCopy: the source's range (`bytes=first-last`, or all of it) read and uploaded as the part. */
async function uploadPartCopy(res, url, source, range, host) {
  const sourcePath = `/${source.split('/').map(encode).join('/')}`;
  const read = await backendRequest('GET', sourcePath, { host, ...(range ? { range } : {}) });
  if (read.status !== 200 && read.status !== 206) {
    res.writeHead(read.status, read.headers);
    return res.end(read.body);
  }
  const put = await backendRequest('PUT', url, { host, 'content-length': String(read.body.length) }, read.body);
  if (put.status !== 200) {
    res.writeHead(put.status, put.headers);
    return res.end(put.body);
  }
  res.writeHead(200, { 'content-type': 'application/xml' });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?><CopyPartResult><LastModified>${new Date().toISOString()}</LastModified><ETag>${put.headers.etag}</ETag></CopyPartResult>`,
  );
}

const front = createServer(async (req, res) => {
  const url = req.url ?? '/';
  if (url === '/__requests') {
    const answer = JSON.stringify(Object.fromEntries(counts));
    if (req.method === 'DELETE') counts.clear();
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(answer);
  }
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  const query = new URLSearchParams(rawQuery);
  const op = operation(req.method, query, req.headers);
  counts.set(op, (counts.get(op) ?? 0) + 1);

  // The whole body first: an upload cut off midway is never forwarded.
  const parts = [];
  let complete = false;
  req.on('data', (c) => parts.push(c));
  await new Promise((resolve) => {
    req.on('end', () => {
      complete = true;
      resolve();
    });
    req.on('close', resolve);
    req.on('error', resolve);
  });
  if (!complete) return res.destroy();
  let body = Buffer.concat(parts);

  const refused = checkSignature(req, rawPath, rawQuery);
  if (refused && process.env.S3_TEST_DEBUG)
    process.stderr.write(`refused ${req.method} ${url}: ${refused[0]} ${req.headers.authorization}\n`);
  if (refused) return reply(res, req.method, 403, ...refused);

  const headers = { ...req.headers };
  const payload = headers['x-amz-content-sha256'];
  try {
    if (/^[0-9a-f]{64}$/.test(payload ?? '') && sha256(body) !== payload) {
      throw ['XAmzContentSHA256Mismatch', 'The provided x-amz-content-sha256 header does not match what was computed.'];
    }
    if (String(headers['content-encoding'] ?? '').includes('aws-chunked')) {
      const [data, trailers] = decodeChunked(body);
      const declared = Number(headers['x-amz-decoded-content-length']);
      if (data.length !== declared) throw ['IncompleteBody', `decoded ${data.length} bytes, declared ${declared}`];
      const algorithm = String(headers['x-amz-trailer'] ?? '');
      if (algorithm && !(algorithm in trailers)) throw ['InvalidRequest', `trailer ${algorithm} missing`];
      if (algorithm === 'x-amz-checksum-crc32' && trailers[algorithm] !== crc32Base64(data)) {
        throw ['BadDigest', 'The CRC32 you specified did not match the calculated checksum.'];
      }
      body = data;
      delete headers['content-encoding'];
      delete headers['x-amz-decoded-content-length'];
      delete headers['x-amz-trailer'];
      delete headers['transfer-encoding'];
      headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
    }
    if (headers['x-amz-checksum-crc32'] && req.method === 'PUT' && headers['x-amz-checksum-crc32'] !== crc32Base64(body)) {
      throw ['BadDigest', 'The CRC32 you specified did not match the calculated checksum.'];
    }
  } catch (problem) {
    if (Array.isArray(problem)) return reply(res, req.method, problem[0] === 'NotImplemented' ? 501 : 400, ...problem);
    throw problem;
  }
  headers['content-length'] = String(body.length);
  // Checked above; s3rver knows only its own key pair, so it gets the request unsigned.
  delete headers.authorization;

  if ((op === 'PutObject' || op === 'CompleteMultipartUpload') && headers['if-none-match'] === '*') {
    if (await objectExists(rawPath, headers)) {
      if (op === 'CompleteMultipartUpload') counts.set('PreconditionFailed', (counts.get('PreconditionFailed') ?? 0) + 1);
      return reply(res, req.method, 412, 'PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
    }
    delete headers['if-none-match'];
  }
  if (op === 'CopyObject' || op === 'UploadPartCopy') {
    const source = decodeURIComponent(String(headers['x-amz-copy-source'])).replace(/^\//, '');
    headers['x-amz-copy-source'] = encodeURI(`/${source}`);
    if (op === 'UploadPartCopy') return uploadPartCopy(res, url, source, String(headers['x-amz-copy-source-range'] ?? ''), headers.host);
  }
  const suffix = /^bytes=-(\d+)$/.exec(String(headers.range ?? ''));
  if (op === 'GetObject' && suffix) {
    const size = await objectSize(rawPath, headers);
    if (size !== null) {
      const n = Number(suffix[1]);
      if (n === 0 || size === 0) return reply(res, req.method, 416, 'InvalidRange', 'The requested range is not satisfiable');
      headers.range = `bytes=${Math.max(0, size - n)}-`;
    }
  }

  const upstream = httpRequest({ host: '127.0.0.1', port: backendPort, method: req.method, path: url, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on('error', () => reply(res, req.method, 503, 'ServiceUnavailable', 'backend unreachable'));
  upstream.end(body);
});

front.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: front.address().port })}\n`);
});

const stop = async () => {
  front.close();
  await backend.close().catch(() => undefined);
  rmSync(directory, { recursive: true, force: true });
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
