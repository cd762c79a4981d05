/**
 * An Avro schema from a file or object (a path, file://, s3://, az://, abfss:// URI, read through the
 * storage port): `.avsc` / `.json` (the schema's JSON), or an Avro container (`.avro`), whose header
 * carries the writer's schema under `avro.schema` — only the header is read, by growing byte ranges.
 * A folder or prefix (ending in `/`) gives the schema of its first committed `.avro` object.
 */
import { InputError } from '../../util/errors.js';
import { NotFoundError, StorageError, readRange, type ObjectStorage } from '../storage/port.js';
import { storageFor } from '../storage/uri.js';
import type { AvroSchema } from '../transform/avro-schema.js';
import { dataObjects, locateDataset } from '../verify/dataset-objects.js';

const MAGIC = [0x4f, 0x62, 0x6a, 0x01]; // "Obj" 1

function cannot(uri: string, what: string, err: unknown): never {
  if (err instanceof NotFoundError) throw new InputError(`${uri}: cannot ${what} (not found)`);
  if (err instanceof StorageError) throw err;
  throw new InputError(`${uri}: cannot ${what} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
}

export async function loadSchemaFile(uri: string): Promise<AvroSchema> {
  if (uri.endsWith('/')) {
    const [first] = await dataObjects(await locateDataset(uri), '.avro');
    return schemaFromContainerHeader(first!.uri);
  }
  if (uri.endsWith('.avro')) return schemaFromContainerHeader(uri);
  let text: string;
  try {
    const { storage, key } = await storageFor(uri);
    text = (await readRange(storage, key, { offset: 0 })).toString('utf8');
  } catch (err) {
    cannot(uri, 'read the schema file', err);
  }
  try {
    return JSON.parse(text) as AvroSchema;
  } catch (err) {
    throw new InputError(`${uri}: not a JSON Avro schema (${(err as Error).message}); give an .avsc file or an .avro container file`);
  }
}

/** Reads the header of an Avro container, growing the range read until the metadata map is complete. */
export async function schemaFromContainerHeader(uri: string): Promise<AvroSchema> {
  let storage: ObjectStorage;
  let key: string;
  let size: number;
  try {
    ({ storage, key } = await storageFor(uri));
    size = (await storage.head(key)).size;
  } catch (err) {
    cannot(uri, 'open the Avro file', err);
  }
  const path = uri;
  let length = Math.min(size, 64 * 1024);
  for (;;) {
    const buf = await readRange(storage, key, { offset: 0, length });
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
