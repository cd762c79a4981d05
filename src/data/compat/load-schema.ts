/**
 * An Avro schema from a file: `.avsc` / `.json` (the schema's JSON), or an Avro container file
 * (`.avro`), whose header carries the writer's schema under `avro.schema`. Only the header is read.
 */
import { open, readFile } from 'node:fs/promises';
import { InputError } from '../../util/errors.js';
import type { AvroSchema } from '../transform/avro-schema.js';

const MAGIC = [0x4f, 0x62, 0x6a, 0x01]; // "Obj" 1

export async function loadSchemaFile(path: string): Promise<AvroSchema> {
  if (path.endsWith('.avro')) return schemaFromContainerHeader(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(`${path}: cannot read the schema file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    return JSON.parse(text) as AvroSchema;
  } catch (err) {
    throw new InputError(`${path}: not a JSON Avro schema (${(err as Error).message}); give an .avsc file or an .avro container file`);
  }
}

/** Reads the header of an Avro container file, growing the read until the metadata map is complete. */
export async function schemaFromContainerHeader(path: string): Promise<AvroSchema> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new InputError(`${path}: cannot open the Avro file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    const size = (await handle.stat()).size;
    let length = Math.min(size, 64 * 1024);
    for (;;) {
      const buf = Buffer.alloc(length);
      await handle.read(buf, 0, length, 0);
      const meta = parseHeader(buf, path, length >= size);
      if (meta) {
        const raw = meta.get('avro.schema');
        if (!raw) throw new InputError(`${path}: the Avro header has no avro.schema entry`);
        try {
          return JSON.parse(raw.toString('utf8')) as AvroSchema;
        } catch (err) {
          throw new InputError(`${path}: the header's avro.schema is not JSON (${(err as Error).message})`);
        }
      }
      length = Math.min(size, length * 4);
    }
  } finally {
    await handle.close();
  }
}

/** The header's metadata map, or undefined when `buf` ends inside it (and more of the file exists). */
function parseHeader(buf: Buffer, path: string, whole: boolean): Map<string, Buffer> | undefined {
  if (buf.length < 4 || MAGIC.some((b, i) => buf[i] !== b))
    throw new InputError(`${path}: not an Avro container file (bad magic bytes at offset 0)`);
  let pos = 4;
  const more = (): never => {
    if (whole) throw new InputError(`${path}: the Avro header is truncated at offset ${pos}`);
    throw new NeedMore();
  };
  const readLong = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (pos >= buf.length) more();
      const b = buf[pos++]!;
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
      if (shift > 63) throw new InputError(`${path}: bad varint in the Avro header at offset ${pos}`);
    }
    return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
  };
  const readBytes = (): Buffer => {
    const n = readLong();
    if (n < 0) throw new InputError(`${path}: negative length in the Avro header at offset ${pos}`);
    if (pos + n > buf.length) more();
    const out = buf.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  try {
    const meta = new Map<string, Buffer>();
    for (;;) {
      let count = readLong();
      if (count === 0) break;
      if (count < 0) {
        count = -count;
        readLong(); // the block's size in bytes
      }
      for (let i = 0; i < count; i++) {
        const key = readBytes().toString('utf8');
        meta.set(key, readBytes());
      }
    }
    return meta;
  } catch (err) {
    if (err instanceof NeedMore) return undefined;
    throw err;
  }
}

class NeedMore extends Error {}
