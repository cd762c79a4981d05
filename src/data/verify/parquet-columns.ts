/**
 * Reads a Parquet file for verification with hyparquet (a reader independent of the writer), one row
 * group at a time, into Fleetwave's value model (src/data/transform/values.ts), column by column.
 *
 * hyparquet would turn decimals into floats and timestamps into Dates; to keep every value exact,
 * verify reads from a copy of the file's metadata whose decimal, date, time and timestamp
 * annotations are removed (so the raw integers and bytes come through), and applies the original
 * annotations itself. The original annotations also give each column's type signature.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import {
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
  type AsyncBuffer,
  type Compressors,
  type FileMetaData,
  type SchemaTree,
} from 'hyparquet';
import { Decimal } from '../avro/decimal.js';
import { branchName, type AvroSchema } from '../avro/types.js';
import { DataError, FleetwaveError } from '../../util/errors.js';
import { readRange, type ObjectStorage } from '../storage/port.js';
import { storageFor } from '../storage/uri.js';
import type { ObjectRef } from './object-source.js';
import { utf8Decoder } from './hash.js';
import { directColumnShape, hashDirectChunk, readsEncodings, type DirectChunkStatistics } from './parquet-direct-hashes.js';
import { isEmptyRecordLayout, parquetSignature } from './signature.js';

/** Strings decoded keeping a leading byte order mark (hyparquet's default decoder drops it). */
const parsers = { stringFromBytes: (bytes: Uint8Array | undefined) => (bytes === undefined ? bytes : utf8Decoder.decode(bytes)) };

export const compressors: Compressors = {
  GZIP: (input) => gunzipSync(input),
  ZSTD: (input) => zstdDecompress(input),
  BROTLI: (input) => brotliDecompressSync(input),
};

/** The first read of an object's end: the footer and, usually, all its metadata in one request. */
const FOOTER_FETCH_BYTES = 256 * 1024;

/** An object this small is read whole by its first read (the footer's) and never again. */
const SMALL_OBJECT_BYTES = FOOTER_FETCH_BYTES;

/**
 * Footers already parsed in this thread, by URI, size and etag (an object replaced has another etag):
 * opening a dataset reads each footer once, reading its row groups later needs no second request.
 */
const footers = new Map<string, FileMetaData>();
const FOOTER_CACHE_ENTRIES = 1024;

/**
 * Annotations removed from the copy hyparquet reads with. MAP too: hyparquet builds a map as a plain
 * object (`obj[key] = value`), which loses a key named `__proto__`; without the annotation it gives the
 * entries as a list of `{ key, value }`, which the normalizer turns into a map with no prototype.
 */
const STRIP_CONVERTED = new Set([
  'DECIMAL',
  'DATE',
  'TIME_MILLIS',
  'TIME_MICROS',
  'TIMESTAMP_MILLIS',
  'TIMESTAMP_MICROS',
  'MAP',
  'MAP_KEY_VALUE',
]);
const STRIP_LOGICAL = new Set(['DECIMAL', 'DATE', 'TIME', 'TIMESTAMP', 'UUID', 'MAP']);

export type Normalize = (v: unknown) => unknown;

export interface ParquetColumn {
  name: string;
  signature: string;
  node: SchemaTree;
}

export interface ColumnBatch {
  rows: number;
  /** One array per requested column, in the order asked. */
  columns: ArrayLike<unknown>[];
}

/**
 * An object as hyparquet's AsyncBuffer, read by byte ranges through the storage port: the footer by a
 * suffix range (a slice to the end), column chunks by offset and length. Ranges announced with
 * `prefetch` are fetched at once (a row group's column chunks overlap), each kept until it is sliced
 * once, so memory holds one row group's chunks at most.
 */
export class ObjectBuffer implements AsyncBuffer {
  private readonly pending = new Map<string, Promise<ArrayBuffer>>();
  /** Range requests made (for measurement). */
  requests = 0;

  constructor(
    private readonly storage: ObjectStorage,
    readonly object: ObjectRef,
  ) {}

  get byteLength(): number {
    return this.object.size;
  }

  /** The whole object, when one read fetched all of it (a small object's footer read): later slices come from it. */
  private whole: ArrayBuffer | undefined;

  private async fetch(start: number, end: number): Promise<ArrayBuffer> {
    if (this.whole) return this.whole.slice(start, end);
    this.requests++;
    const size = this.object.size;
    const range = end >= size && start > 0 ? { suffix: size - start } : { offset: start, length: end - start };
    const bytes = await readRange(this.storage, this.object.key, range);
    if (bytes.length !== end - start)
      throw new DataError(`${this.object.uri}: bytes ${start}–${end - 1} read ${bytes.length} bytes (the object changed or was cut short)`);
    // an ArrayBuffer of its own (not a slice of Buffer's pool)
    const buffer = new ArrayBuffer(bytes.length);
    new Uint8Array(buffer).set(bytes);
    if (start === 0 && end === size && size <= SMALL_OBJECT_BYTES) {
      this.whole = buffer;
      return buffer.slice(0);
    }
    return buffer;
  }

  /** Starts reading these ranges now, all at once; a later `slice` of one of them takes its bytes. */
  prefetch(ranges: readonly [number, number][]): void {
    for (const [start, end] of ranges) {
      const id = `${start}-${end}`;
      if (this.pending.has(id) || end <= start) continue;
      const p = this.fetch(start, end);
      p.catch(() => undefined); // surfaced by the slice that takes it
      this.pending.set(id, p);
    }
  }

  /** Drops prefetched ranges never sliced. */
  forget(): void {
    this.pending.clear();
  }

  async slice(start: number, end?: number): Promise<ArrayBuffer> {
    const stop = Math.min(end ?? this.object.size, this.object.size);
    if (stop <= start) return new ArrayBuffer(0);
    if (this.whole) return this.whole.slice(start, stop);
    const id = `${start}-${stop}`;
    const ready = this.pending.get(id);
    if (ready) {
      this.pending.delete(id);
      return ready;
    }
    return this.fetch(start, stop);
  }
}

/** One row group of a Parquet file, read column by column (see ParquetColumnsReader.groups). */
export interface RowGroupColumns {
  index: number;
  rows: number;
  /** The values of column `i` in the group, in one array. */
  read(i: number): Promise<ArrayLike<unknown>>;
  /** The same values in consecutive parts (one per page, as the reader gives them), without joining them. */
  readParts(i: number): Promise<ArrayLike<unknown>[]>;
  /**
   * Column `i` hashed straight from its pages into `into` (see parquet-direct-hashes.ts), with its null
   * count and, when `orderable`, min/max, when it is a column of strings, numbers or booleans (or a list
   * of them) whose encodings that path reads; null otherwise (then read it with `readParts`).
   */
  hashDirect(
    i: number,
    into: { seedA: number; seedB: number; outA: Int32Array; outB: Int32Array },
    orderable: boolean,
  ): Promise<DirectChunkStatistics | null>;
  /** Starts reading every chosen column's chunk of the group at once (the reads overlap). */
  prefetch(): void;
}

type TypedValues = BigInt64Array | Float64Array | Float32Array | Int32Array;

/** The pages of one column chunk as one array: a typed array stays typed. */
function joinParts(parts: ArrayLike<unknown>[], rows: number): ArrayLike<unknown> {
  if (parts.length === 1) return parts[0]!;
  const first = parts[0];
  if (first instanceof BigInt64Array || first instanceof Float64Array || first instanceof Float32Array || first instanceof Int32Array) {
    const ctor = first.constructor as new (n: number) => TypedValues;
    if (parts.every((p) => p.constructor === ctor)) {
      const out = new ctor(rows);
      let at = 0;
      for (const p of parts as TypedValues[]) {
        (out as Int32Array).set(p as Int32Array, at);
        at += p.length;
      }
      return out;
    }
  }
  const out = new Array<unknown>(rows);
  let r = 0;
  for (const part of parts) for (let k = 0; k < part.length; k++) out[r++] = part[k];
  return out;
}

export class ParquetColumnsReader {
  private constructor(
    /** The object's URI, as errors name it. */
    readonly path: string,
    private readonly file: ObjectBuffer,
    private readonly metadata: FileMetaData,
    private readonly rawMetadata: FileMetaData,
    readonly columns: ParquetColumn[],
  ) {}

  /** A Parquet file or object by its path or URI (its size looked up first). */
  static async open(uri: string): Promise<ParquetColumnsReader> {
    const { storage, key } = await storageFor(uri);
    const info = await storage.head(key);
    return ParquetColumnsReader.openObject(storage, { key, uri: info.uri, size: info.size });
  }

  /** An object of `storage`: its footer read by one suffix range (more when the metadata is larger). */
  static async openObject(storage: ObjectStorage, object: ObjectRef): Promise<ParquetColumnsReader> {
    const path = object.uri;
    const file = new ObjectBuffer(storage, object);
    const cacheKey =
      object.etag === undefined || object.size <= SMALL_OBJECT_BYTES ? undefined : `${object.uri}\0${object.size}\0${object.etag}`;
    let metadata: FileMetaData | undefined = cacheKey === undefined ? undefined : footers.get(cacheKey);
    if (metadata === undefined) {
      try {
        metadata = await parquetMetadataAsync(file, { initialFetchSize: Math.min(object.size, FOOTER_FETCH_BYTES) });
      } catch (err) {
        if (err instanceof FleetwaveError) throw err;
        throw new DataError(`${path}: not a readable Parquet file: ${(err as Error).message}`);
      }
      if (cacheKey !== undefined) {
        if (footers.size >= FOOTER_CACHE_ENTRIES) footers.delete(footers.keys().next().value!);
        footers.set(cacheKey, metadata);
      }
    }
    const tree = parquetSchema(metadata);
    // A file of rows with no fields holds only the placeholder column (src/data/parquet/mapping.ts): no columns.
    const columns = isEmptyRecordLayout(tree.children)
      ? []
      : tree.children.map((node) => ({ name: node.element.name, signature: parquetSignature(node), node }));
    const rawMetadata: FileMetaData = {
      ...metadata,
      schema: metadata.schema.map((e) => {
        const lt = (e.logical_type as { type?: string } | undefined)?.type;
        if ((e.converted_type && STRIP_CONVERTED.has(e.converted_type)) || (lt && STRIP_LOGICAL.has(lt))) {
          const { converted_type: _c, logical_type: _l, ...rest } = e;
          return rest;
        }
        return e;
      }),
    };
    return new ParquetColumnsReader(path, file, metadata, rawMetadata, columns);
  }

  /** Range requests made so far on this object (footer and column chunks). */
  get requests(): number {
    return this.file.requests;
  }

  get rowGroupCount(): number {
    return this.metadata.row_groups.length;
  }

  get rowCount(): number {
    return Number(this.metadata.num_rows);
  }

  /** The largest uncompressed size of one column chunk among `names` (bytes): what reading one column of one row group holds. */
  largestColumnChunk(names: readonly string[]): number {
    let largest = 0;
    for (const group of this.metadata.row_groups) {
      for (const chunk of group.columns) {
        const meta = chunk.meta_data;
        if (meta && names.includes(meta.path_in_schema[0]!)) largest = Math.max(largest, Number(meta.total_uncompressed_size));
      }
    }
    return largest;
  }

  /** The file's key-value metadata (the writer may keep the Avro schema there). */
  get keyValues(): Map<string, string> {
    return new Map((this.metadata.key_value_metadata ?? []).map((kv) => [kv.key, kv.value ?? '']));
  }

  /**
   * The named columns, one row group at a time, normalized into the value model. `expected` gives
   * each column's Avro type (after the transform) so that a union written as member0…memberN reads
   * back as `{ branch: value }`.
   */
  async *batches(
    names: readonly string[],
    expected: ReadonlyMap<string, AvroSchema | undefined>,
    namespace?: string,
  ): AsyncGenerator<ColumnBatch> {
    for (const group of this.groups(names, expected, namespace)) {
      group.prefetch();
      const columns: ArrayLike<unknown>[] = [];
      for (let i = 0; i < names.length; i++) columns.push(await group.read(i));
      yield { rows: group.rows, columns };
    }
  }

  /**
   * The row groups, each able to read one named column at a time (so that only one column's values
   * need be in memory at once): `read(i)` gives the values of `names[i]` in the group, normalized as
   * `batches` does. Primitive columns without nulls stay typed arrays (BigInt64Array, Float64Array, …).
   */
  *groups(names: readonly string[], expected: ReadonlyMap<string, AvroSchema | undefined>, namespace?: string): Generator<RowGroupColumns> {
    const chosen = names.map((n) => {
      const c = this.columns.find((col) => col.name === n);
      if (!c) throw new DataError(`${this.path}: no column "${n}"`);
      return c;
    });
    const normalizers = chosen.map((c) => {
      const n = normalizerFor(c.node, expected.get(c.name), namespace);
      return n === identity ? undefined : n;
    });
    // columns whose values need no normalizing (the shape checks a list's elements) can be hashed from their pages
    const shapes = chosen.map((c, i) =>
      normalizers[i] === undefined || c.node.children.length > 0 ? directColumnShape(c.node) : undefined,
    );
    let groupStart = 0;
    for (const [g, group] of this.metadata.row_groups.entries()) {
      const rows = Number(group.num_rows);
      const start = groupStart;
      const where = () => `${this.path}: row group ${g} (rows ${start}–${start + rows - 1})`;
      const readParts = async (i: number): Promise<ArrayLike<unknown>[]> => {
        const c = chosen[i]!;
        const parts: ArrayLike<unknown>[] = [];
        try {
          await parquetRead({
            file: this.file,
            metadata: this.rawMetadata,
            columns: [c.name],
            rowStart: start,
            rowEnd: start + rows,
            utf8: false,
            compressors,
            parsers,
            onChunk: (chunk) => {
              parts.push(chunk.columnData);
            },
          });
        } catch (err) {
          throw new DataError(`${where()}: cannot read column "${c.name}": ${(err as Error).message}`);
        }
        const length = parts.reduce((n, p) => n + p.length, 0);
        if (length !== rows) throw new DataError(`${where()}: column "${c.name}" has ${length} values for ${rows} rows`);
        const normalize = normalizers[i];
        if (normalize === undefined) return parts;
        return parts.map((part) => {
          const out = new Array<unknown>(part.length);
          for (let k = 0; k < part.length; k++) out[k] = normalize(part[k]);
          return out;
        });
      };
      const read = async (i: number): Promise<ArrayLike<unknown>> => joinParts(await readParts(i), rows);
      const hashDirect = async (
        i: number,
        into: { seedA: number; seedB: number; outA: Int32Array; outB: Int32Array },
        orderable: boolean,
      ): Promise<DirectChunkStatistics | null> => {
        const shape = shapes[i];
        const c = chosen[i]!;
        const meta = group.columns.find((chunk) => chunk.meta_data?.path_in_schema[0] === c.name)?.meta_data;
        if (!shape || !meta || !readsEncodings(meta)) return null;
        const begin = Number(meta.dictionary_page_offset || meta.data_page_offset);
        const bytes = new Uint8Array(await this.file.slice(begin, begin + Number(meta.total_compressed_size)));
        try {
          return hashDirectChunk(bytes, meta, shape, rows, into.seedA, into.seedB, into.outA, into.outB, orderable, compressors);
        } catch (err) {
          throw new DataError(`${where()}: cannot read column "${c.name}": ${(err as Error).message}`);
        }
      };
      const prefetch = (): void => {
        const ranges: [number, number][] = [];
        for (const c of chosen) {
          const meta = group.columns.find((chunk) => chunk.meta_data?.path_in_schema[0] === c.name)?.meta_data;
          if (!meta) continue;
          const begin = Number(meta.dictionary_page_offset || meta.data_page_offset);
          ranges.push([begin, begin + Number(meta.total_compressed_size)]);
        }
        this.file.prefetch(ranges);
      };
      yield { index: g, rows, read, readParts, hashDirect, prefetch };
      groupStart += rows;
    }
  }

  async close(): Promise<void> {
    this.file.forget();
    return Promise.resolve();
  }
}

const nullable =
  (f: Normalize): Normalize =>
  (v) =>
    v === undefined || v === null ? null : f(v);
const identity: Normalize = (v) => (v === undefined ? null : v);

/** A function from hyparquet's raw value of a column to the value model. */
export function normalizerFor(node: SchemaTree, expected: AvroSchema | undefined, ns?: string): Normalize {
  const e = node.element;
  const ct = e.converted_type;
  const lt = e.logical_type;
  const inner = expected === undefined ? undefined : nonNullBranches(expected);
  if (node.children.length > 0) {
    if (ct === 'LIST' || lt?.type === 'LIST') {
      const repeated = node.children[0]!;
      const element = repeated.children.length === 1 ? repeated.children[0]! : repeated;
      const item = normalizerFor(element, inner?.length === 1 ? itemsOf(inner[0]!) : undefined, ns);
      return nullable((v) => (v as unknown[]).map(item));
    }
    if (ct === 'MAP' || ct === 'MAP_KEY_VALUE' || lt?.type === 'MAP') {
      const entriesName = node.children[0]!.element.name;
      const valueNode = node.children[0]!.children[1];
      const value = valueNode ? normalizerFor(valueNode, inner?.length === 1 ? valuesOf(inner[0]!) : undefined, ns) : identity;
      // Read without the MAP annotation (STRIP_CONVERTED): `{ key_value: [{ key, value }, …] }`.
      return nullable((v) => {
        const entries = (v as Record<string, { key: string; value: unknown }[] | undefined>)[entriesName] ?? [];
        const out = Object.create(null) as Record<string, unknown>;
        for (const e of entries) out[e.key] = value(e.value);
        return out;
      });
    }
    if (
      inner &&
      inner.length > 1 &&
      node.children.length === inner.length &&
      node.children.every((c, i) => c.element.name === `member${i}`)
    ) {
      const members = node.children.map((c, i) => ({
        key: c.element.name,
        branch: branchName(inner[i]!, ns),
        normalize: normalizerFor(c, inner[i], innerNamespace(inner[i]!, ns)),
      }));
      return nullable((v) => {
        const o = v as Record<string, unknown>;
        for (const m of members) {
          const x = o[m.key];
          if (x !== null && x !== undefined) return { [m.branch]: m.normalize(x) };
        }
        return null;
      });
    }
    if (isEmptyRecordLayout(node.children)) return nullable(() => ({}));
    const fields = inner?.length === 1 ? fieldsOf(inner[0]!) : undefined;
    const childNs = inner?.length === 1 ? innerNamespace(inner[0]!, ns) : ns;
    const children = node.children.map((c) => ({ key: c.element.name, normalize: normalizerFor(c, fields?.get(c.element.name), childNs) }));
    return nullable((v) => {
      const o = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const c of children) out[c.key] = c.normalize(o[c.key]);
      return out;
    });
  }
  if (lt?.type === 'DECIMAL' || ct === 'DECIMAL') {
    const scale = e.scale ?? (lt?.type === 'DECIMAL' ? lt.scale : 0) ?? 0;
    return nullable((v) => new Decimal(v instanceof Uint8Array ? twosComplement(v) : BigInt(v as number | bigint), scale));
  }
  if (lt?.type === 'UUID' && e.type === 'FIXED_LEN_BYTE_ARRAY') {
    return nullable((v) => {
      const hex = Buffer.from(v as Uint8Array).toString('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    });
  }
  return identity;
}

function twosComplement(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return BigInt.asIntN(bytes.length * 8, n);
}

/** The namespace inside a named type written inline (its own, or the one of its full name). */
function innerNamespace(s: AvroSchema, ns: string | undefined): string | undefined {
  if (typeof s !== 'object' || Array.isArray(s) || typeof s.name !== 'string') return ns;
  if (s.name.includes('.')) return s.name.slice(0, s.name.lastIndexOf('.'));
  return s.namespace ?? ns;
}

function nonNullBranches(s: AvroSchema): AvroSchema[] {
  if (!Array.isArray(s)) return [s];
  return s.filter((b) => b !== 'null' && !(typeof b === 'object' && !Array.isArray(b) && b.type === 'null'));
}

function itemsOf(s: AvroSchema): AvroSchema | undefined {
  return typeof s === 'object' && !Array.isArray(s) && s.type === 'array' ? s.items : undefined;
}

function valuesOf(s: AvroSchema): AvroSchema | undefined {
  return typeof s === 'object' && !Array.isArray(s) && s.type === 'map' ? s.values : undefined;
}

function fieldsOf(s: AvroSchema): Map<string, AvroSchema> | undefined {
  if (typeof s !== 'object' || Array.isArray(s) || !Array.isArray(s.fields)) return undefined;
  return new Map(s.fields.map((f) => [f.name, f.type]));
}
