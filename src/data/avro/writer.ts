/**
 * Writing Avro container files (deflate or null codec) from values in the value model of ./types.ts.
 * Fleetwave converts Avro to Parquet; this writer produces source datasets: the demo's old dataset,
 * test fixtures and benchmark input. Streaming, and atomic: a failed write leaves no file.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { deflateRaw } from 'node:zlib';
import avro from 'avsc';
import { atomicTarget } from '../../util/atomic-write.js';
import { DataError } from '../../util/errors.js';
import { avroType, type AvroSchema, type AvroValue } from './types.js';

export interface AvroWriteOptions {
  codec?: 'null' | 'deflate';
  /** Uncompressed bytes per block (avsc's default 64 KiB). */
  blockSize?: number;
  /** Extra header metadata entries. */
  metadata?: Record<string, string>;
}

export async function writeAvroFile(
  path: string,
  schema: AvroSchema,
  values: Iterable<AvroValue> | AsyncIterable<AvroValue>,
  options: AvroWriteOptions = {},
): Promise<{ rows: number; bytes: number }> {
  const type = avroType(schema);
  await mkdir(dirname(path), { recursive: true });
  const target = atomicTarget(path);
  const metadata: Record<string, Buffer> = { 'avro.schema': Buffer.from(JSON.stringify(schema)) };
  for (const [k, v] of Object.entries(options.metadata ?? {})) metadata[k] = Buffer.from(v);
  const encoder = new avro.streams.BlockEncoder(type, {
    codec: options.codec ?? 'deflate',
    codecs: {
      deflate: (buf: Buffer, cb: (err: Error | null, out?: Buffer) => void) => deflateRaw(buf, cb),
      null: (buf: Buffer, cb: (err: Error | null, out?: Buffer) => void) => cb(null, buf),
    },
    blockSize: options.blockSize ?? 65536,
    writeHeader: 'never',
    metadata,
  } as never);
  // avsc would write the header from the type (which drops logical types on longs): write the schema as given.
  const internals = encoder as unknown as { _schema: unknown; _writeHeader(): void };
  internals._schema = schema;
  internals._writeHeader();
  const out = createWriteStream(target.tmp);
  let failure: unknown;
  encoder.on('typeError', (err: Error, val: unknown) => {
    failure ??= new DataError(`${path}: a value does not match the schema: ${err.message} (${safeJson(val)})`);
  });
  encoder.on('error', (err) => (failure ??= err));
  out.on('error', (err) => (failure ??= err));
  encoder.pipe(out);
  const outFailed = once(out, 'error').then(([err]) => Promise.reject(err as Error));
  outFailed.catch(() => undefined);
  let rows = 0;
  try {
    for await (const value of values) {
      if (failure) break;
      rows++;
      if (!encoder.write(value)) await Promise.race([once(encoder, 'drain'), outFailed]);
    }
    encoder.end();
    await Promise.race([once(out, 'finish'), outFailed]);
    if (failure) throw failure;
    await target.commit();
  } catch (err) {
    out.destroy();
    await target.abort();
    throw err;
  }
  return { rows, bytes: (await stat(path)).size };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)).slice(0, 200);
  } catch {
    return String(v);
  }
}
