/**
 * Hashes a Parquet column straight from its pages, without building a JS value per row: flat columns
 * of strings and booleans, nullable columns of 32- and 64-bit integers (with their date, time and
 * timestamp annotations), floats and doubles, and lists of any of them. A string's bytes are hashed where they lie
 * (ASCII without decoding); a 64-bit integer from its two 32-bit words (no BigInt); a null from its
 * definition level. The hashes, null counts and min/max are the ones the general path gives
 * (hyparquet's values, normalized, through hashColumn and SideSummary): tests hold the two equal.
 * A chunk this path does not read (DELTA_* or BYTE_STREAM_SPLIT encodings, RLE booleans, deprecated
 * BIT_PACKED levels, a row continued across pages) is left to the general path.
 */
import type { ColumnMetaData, Compressors, SchemaElement, SchemaTree } from 'hyparquet';
import { readRleBitPackedHybrid } from 'hyparquet/src/encoding.js';
import {
  hashAddArrayEnd,
  hashAddArrayStart,
  hashAddBoolean,
  hashAddInt64,
  hashAddNull,
  hashAddNumber,
  hashAddUtf8,
  hashBegin,
  hashEnd,
  outA as hashA,
  outB as hashB,
  utf8Decoder,
} from './hash.js';
import { columnChunkPages, type DataPage } from './parquet-pages.js';

/** What a leaf column's values are, as this path reads them. */
export type DirectKind = 'string' | 'int32' | 'int64' | 'float' | 'double' | 'boolean';

/** How a column's values sit in its levels. */
export interface DirectColumnShape {
  kind: DirectKind;
  /** A list of values (3-level LIST), or a value. */
  list: boolean;
  maxRep: number;
  maxDef: number;
  /** List columns: the definition level of an empty list (below it the list is null). */
  listDef: number;
}

export interface DirectChunkStatistics {
  nulls: number;
  /** The least and greatest value (flat columns, when asked). */
  min: unknown;
  max: unknown;
}

// Annotations under which hyparquet's raw value (verify strips the date, time and timestamp ones) is
// already the value model's value: anything else (decimals, unsigned ints, UUIDs, enums, JSON, …) is not read here.
const INT32_CONVERTED = new Set([undefined, 'INT_8', 'INT_16', 'INT_32', 'DATE', 'TIME_MILLIS']);
const INT64_CONVERTED = new Set([undefined, 'INT_64', 'TIMESTAMP_MILLIS', 'TIMESTAMP_MICROS', 'TIME_MICROS']);

function signedIntegerOrPlain(e: SchemaElement, logical: readonly string[]): boolean {
  const lt = e.logical_type;
  if (lt === undefined) return true;
  if (lt.type === 'INTEGER') return lt.isSigned;
  return logical.includes(lt.type);
}

function leafKind(node: SchemaTree): DirectKind | undefined {
  if (node.children.length > 0) return undefined;
  const e = node.element;
  switch (e.type) {
    case 'BYTE_ARRAY':
      return e.converted_type === 'UTF8' || (e.converted_type === undefined && e.logical_type?.type === 'STRING') ? 'string' : undefined;
    case 'INT32':
      return INT32_CONVERTED.has(e.converted_type) && signedIntegerOrPlain(e, ['DATE', 'TIME']) ? 'int32' : undefined;
    case 'INT64':
      return INT64_CONVERTED.has(e.converted_type) && signedIntegerOrPlain(e, ['TIMESTAMP', 'TIME']) ? 'int64' : undefined;
    case 'FLOAT':
      return e.converted_type === undefined && e.logical_type === undefined ? 'float' : undefined;
    case 'DOUBLE':
      return e.converted_type === undefined && e.logical_type === undefined ? 'double' : undefined;
    case 'BOOLEAN':
      return e.converted_type === undefined && e.logical_type === undefined ? 'boolean' : undefined;
    default:
      return undefined;
  }
}

/** The shape of a top-level column when this path can hash it, else undefined. */
export function directColumnShape(node: SchemaTree): DirectColumnShape | undefined {
  if (node.element.repetition_type === 'REPEATED') return undefined;
  const optional = node.element.repetition_type === 'OPTIONAL' ? 1 : 0;
  const flat = leafKind(node);
  // a required flat column of numbers comes from hyparquet as one typed array, which hashColumn's
  // typed loops hash faster than value by value here
  if (flat && optional === 0 && flat !== 'string' && flat !== 'boolean') return undefined;
  if (flat) return { kind: flat, list: false, maxRep: 0, maxDef: optional, listDef: 0 };
  const isList = node.element.converted_type === 'LIST' || node.element.logical_type?.type === 'LIST';
  if (!isList || node.children.length !== 1) return undefined;
  const repeated = node.children[0]!;
  if (repeated.element.repetition_type !== 'REPEATED' || repeated.children.length !== 1) return undefined;
  const element = repeated.children[0]!;
  const kind = leafKind(element);
  if (!kind || element.element.repetition_type === 'REPEATED') return undefined;
  const elementOptional = element.element.repetition_type === 'OPTIONAL' ? 1 : 0;
  return { kind, list: true, maxRep: 1, maxDef: optional + 1 + elementOptional, listDef: optional };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

const READABLE = new Set(['PLAIN', 'PLAIN_DICTIONARY', 'RLE_DICTIONARY', 'RLE']);

/** Whether this path reads the chunk's encodings (the chunk's metadata lists them all). */
export function readsEncodings(meta: ColumnMetaData): boolean {
  return meta.encodings.every((e) => READABLE.has(e));
}

/** Compares the string `bytes[start, end)` (ASCII) with `s` as JS compares strings (by UTF-16 code unit). */
function compareAscii(bytes: Uint8Array, start: number, end: number, s: string): number {
  const n = end - start;
  const m = s.length;
  const k = n < m ? n : m;
  for (let i = 0; i < k; i++) {
    const d = bytes[start + i]! - s.charCodeAt(i);
    if (d !== 0) return d;
  }
  return n - m;
}

function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i]! > 0x7f) return false;
  return true;
}

/** The least and greatest value seen, kept the way SideSummary keeps them (same order, same ties, NaN skipped). */
interface Extremes {
  add(values: PageValues, j: number): void;
  readonly min: unknown;
  readonly max: unknown;
}

/**
 * The values of one page (or of the dictionary), by index: `hash(j)` adds value `j` to the running
 * hash as `walk` would add it.
 */
abstract class PageValues {
  abstract readonly count: number;
  abstract hash(j: number): void;
}

class StringValues extends PageValues {
  constructor(
    readonly bytes: Uint8Array,
    readonly starts: Int32Array,
    readonly ends: Int32Array,
    readonly count: number,
  ) {
    super();
  }

  /** PLAIN byte arrays: a 4-byte little-endian length, then the bytes. */
  static plain(bytes: Uint8Array, count: number): StringValues {
    const starts = new Int32Array(count);
    const ends = new Int32Array(count);
    let at = 0;
    for (let k = 0; k < count; k++) {
      if (at + 4 > bytes.length) throw new Error(`value ${k} of ${count}: the page ends at byte ${bytes.length}`);
      const length = (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
      at += 4;
      if (at + length > bytes.length)
        throw new Error(`value ${k} of ${count}: ${length} bytes at byte ${at} run past the page's end (${bytes.length})`);
      starts[k] = at;
      ends[k] = at + length;
      at += length;
    }
    return new StringValues(bytes, starts, ends, count);
  }

  hash(j: number): void {
    hashAddUtf8(this.bytes, this.starts[j]!, this.ends[j]!);
  }
}

/** Strings' min/max, decoding only a string that becomes the new least or greatest. */
class StringExtremes implements Extremes {
  min: string | undefined;
  max: string | undefined;

  add(values: PageValues, j: number): void {
    const { bytes, starts, ends } = values as StringValues;
    const start = starts[j]!;
    const end = ends[j]!;
    if (this.min === undefined) {
      this.min = this.max = utf8Decoder.decode(bytes.subarray(start, end));
      return;
    }
    if (isAscii(bytes, start, end)) {
      if (compareAscii(bytes, start, end, this.min) < 0) this.min = utf8Decoder.decode(bytes.subarray(start, end));
      else if (compareAscii(bytes, start, end, this.max!) > 0) this.max = utf8Decoder.decode(bytes.subarray(start, end));
      return;
    }
    const s = utf8Decoder.decode(bytes.subarray(start, end));
    if (s < this.min) this.min = s;
    else if (s > this.max!) this.max = s;
  }
}

type Fixed = Int32Array | Float32Array | Float64Array;

/**
 * `count` values of `width` bytes at the start of `bytes`, viewed as an array of `Type` (whose element
 * may be narrower than a value: a 64-bit integer is two Int32 words); copied when misaligned for `Type`.
 */
function fixedWidth<T extends Fixed>(
  bytes: Uint8Array,
  count: number,
  width: number,
  Type: { new (buffer: ArrayBufferLike, offset: number, length: number): T; BYTES_PER_ELEMENT: number },
): T {
  const size = count * width;
  if (bytes.length < size) throw new Error(`${count} values of ${width} bytes need ${size} bytes; the page has ${bytes.length}`);
  const elements = size / Type.BYTES_PER_ELEMENT;
  if (bytes.byteOffset % Type.BYTES_PER_ELEMENT === 0) return new Type(bytes.buffer, bytes.byteOffset, elements);
  // a copy of its own (not `bytes.slice`: on a Node Buffer, as gunzip gives, that is a view of the same memory)
  const copy = new Uint8Array(size);
  copy.set(bytes.subarray(0, size));
  return new Type(copy.buffer, 0, elements);
}

class NumberValues extends PageValues {
  constructor(
    readonly numbers: Int32Array | Float32Array | Float64Array,
    readonly count: number,
  ) {
    super();
  }

  hash(j: number): void {
    hashAddNumber(this.numbers[j]!);
  }
}

/** Numbers' min/max as SideSummary finds them: relational operators, NaN skipped. */
class NumberExtremes implements Extremes {
  min: number | undefined;
  max: number | undefined;

  add(values: PageValues, j: number): void {
    const v = (values as NumberValues).numbers[j]!;
    if (this.min === undefined) {
      if (v !== v) return; // NaN
      this.min = v;
      this.max = v;
    } else if (v < this.min) this.min = v;
    else if (v > this.max!) this.max = v;
  }
}

/** 64-bit integers as pairs of 32-bit words, low word first (the file's little-endian order). */
class Int64Values extends PageValues {
  constructor(
    readonly words: Int32Array,
    readonly count: number,
  ) {
    super();
  }

  hash(j: number): void {
    hashAddInt64(this.words[2 * j]!, this.words[2 * j + 1]!);
  }
}

/** 64-bit integers' min/max compared on their words (signed high, unsigned low), made bigints at the end. */
class Int64Extremes implements Extremes {
  private seen = false;
  private minHi = 0;
  private minLo = 0;
  private maxHi = 0;
  private maxLo = 0;

  add(values: PageValues, j: number): void {
    const words = (values as Int64Values).words;
    const hi = words[2 * j + 1]!;
    const lo = words[2 * j]! >>> 0;
    if (!this.seen) {
      this.seen = true;
      this.minHi = this.maxHi = hi;
      this.minLo = this.maxLo = lo;
    } else if (hi < this.minHi || (hi === this.minHi && lo < this.minLo)) {
      this.minHi = hi;
      this.minLo = lo;
    } else if (hi > this.maxHi || (hi === this.maxHi && lo > this.maxLo)) {
      this.maxHi = hi;
      this.maxLo = lo;
    }
  }

  get min(): bigint | undefined {
    return this.seen ? (BigInt(this.minHi) << 32n) | BigInt(this.minLo) : undefined;
  }

  get max(): bigint | undefined {
    return this.seen ? (BigInt(this.maxHi) << 32n) | BigInt(this.maxLo) : undefined;
  }
}

/** PLAIN booleans: one bit each, least significant bit first. */
class BooleanValues extends PageValues {
  constructor(
    readonly bytes: Uint8Array,
    readonly count: number,
  ) {
    super();
    if (bytes.length * 8 < count) throw new Error(`${count} booleans need ${Math.ceil(count / 8)} bytes; the page has ${bytes.length}`);
  }

  hash(j: number): void {
    hashAddBoolean(((this.bytes[j >> 3]! >> (j & 7)) & 1) === 1);
  }
}

/** The `count` PLAIN values of `kind` at the start of `bytes`. */
function plainValues(kind: DirectKind, bytes: Uint8Array, count: number): PageValues {
  switch (kind) {
    case 'string':
      return StringValues.plain(bytes, count);
    case 'int32':
      return new NumberValues(fixedWidth(bytes, count, 4, Int32Array), count);
    case 'float':
      return new NumberValues(fixedWidth(bytes, count, 4, Float32Array), count);
    case 'double':
      return new NumberValues(fixedWidth(bytes, count, 8, Float64Array), count);
    case 'int64':
      return new Int64Values(fixedWidth(bytes, count, 8, Int32Array), count);
    case 'boolean':
      return new BooleanValues(bytes, count);
  }
}

function extremesOf(kind: DirectKind): Extremes | undefined {
  switch (kind) {
    case 'string':
      return new StringExtremes();
    case 'int32':
    case 'float':
    case 'double':
      return new NumberExtremes();
    case 'int64':
      return new Int64Extremes();
    case 'boolean':
      return undefined;
  }
}

/** A data page's values: PLAIN ones as they are, or dictionary indexes into the dictionary's values. */
interface ValuesOfPage {
  values: PageValues;
  /** Dictionary index of the page's k-th non-null value, or null for PLAIN pages. */
  index: Int32Array | null;
}

function pageValues(kind: DirectKind, page: DataPage, nonNull: number, dictionary: PageValues | undefined): ValuesOfPage | false {
  if (page.encoding === 'PLAIN') return { values: plainValues(kind, page.values, nonNull), index: null };
  if (page.encoding !== 'PLAIN_DICTIONARY' && page.encoding !== 'RLE_DICTIONARY') return false;
  if (!dictionary) throw new Error('a dictionary-encoded page comes before any dictionary page');
  const index = new Int32Array(nonNull);
  if (nonNull > 0) {
    // a bit width byte, then the indexes in the RLE/bit-packed hybrid to the end of the page
    const width = page.values[0]!;
    if (width > 0)
      readRleBitPackedHybrid(
        { view: new DataView(page.values.buffer, page.values.byteOffset, page.values.byteLength), offset: 1 },
        width,
        index,
        page.values.length - 1,
      );
    for (let k = 0; k < nonNull; k++) {
      const i = index[k]!;
      if (i < 0 || i >= dictionary.count)
        throw new Error(`dictionary index ${i} out of range (the dictionary has ${dictionary.count} entries)`);
    }
  }
  return { values: dictionary, index };
}

/**
 * Hashes the `rows` values of a column chunk into `outA` / `outB` (seeded with the column's seed
 * lanes), and gives its null count and, when `orderable`, min/max. `bytes` holds the chunk from its
 * first page. Returns null when the chunk is left to the general path. Throws on corrupt pages.
 */
export function hashDirectChunk(
  bytes: Uint8Array,
  meta: ColumnMetaData,
  shape: DirectColumnShape,
  rows: number,
  seedA: number,
  seedB: number,
  outA: Int32Array,
  outB: Int32Array,
  orderable: boolean,
  compressors: Compressors,
): DirectChunkStatistics | null {
  if (!readsEncodings(meta)) return null;
  const { kind, maxDef, listDef } = shape;
  // the file's numbers are little-endian, as typed arrays are on a little-endian machine
  if (!LITTLE_ENDIAN && kind !== 'string' && kind !== 'boolean') return null;
  let dictionary: PageValues | undefined;
  const extremes = orderable && !shape.list ? extremesOf(kind) : undefined;
  let nulls = 0;
  let row = 0;
  for (const page of columnChunkPages(bytes, meta, shape.maxRep, maxDef, compressors)) {
    if (page.kind === 'dictionary') {
      dictionary = plainValues(kind, page.values, page.count);
      continue;
    }
    const { count, def, rep } = page;
    let nonNull = count;
    if (def) for (let i = 0; i < count; i++) if (def[i]! !== maxDef) nonNull--;
    const read = pageValues(kind, page, nonNull, dictionary);
    if (read === false) return null;
    const { values, index } = read;
    let v = 0;
    if (!shape.list) {
      if (row + count > rows) throw new Error(`the chunk has more than the row group's ${rows} rows`);
      for (let i = 0; i < count; i++, row++) {
        hashBegin(seedA, seedB);
        if (def && def[i]! !== maxDef) {
          hashAddNull();
          nulls++;
        } else {
          const j = index === null ? v : index[v]!;
          v++;
          values.hash(j);
          extremes?.add(values, j);
        }
        hashEnd();
        outA[row] = hashA;
        outB[row] = hashB;
      }
      continue;
    }
    if (count > 0 && rep![0]! !== 0) return null; // a row continued from the previous page
    let i = 0;
    while (i < count) {
      if (row >= rows) throw new Error(`the chunk has more than the row group's ${rows} rows`);
      const d = def![i]!;
      hashBegin(seedA, seedB);
      if (d < listDef) {
        hashAddNull();
        nulls++;
        i++;
      } else if (d === listDef) {
        hashAddArrayStart(0);
        hashAddArrayEnd();
        i++;
      } else {
        let end = i + 1;
        while (end < count && rep![end]! !== 0) end++;
        hashAddArrayStart(end - i);
        for (; i < end; i++) {
          if (def![i]! === maxDef) {
            values.hash(index === null ? v : index[v]!);
            v++;
          } else hashAddNull();
        }
        hashAddArrayEnd();
      }
      hashEnd();
      outA[row] = hashA;
      outB[row] = hashB;
      row++;
    }
  }
  if (row !== rows) throw new Error(`the chunk has ${row} values for the row group's ${rows} rows`);
  return { nulls, min: extremes?.min, max: extremes?.max };
}
