/**
 * Hashes a Parquet string column, flat or a list of strings, straight from its pages: the bytes of
 * each string are hashed where they lie (ASCII without decoding), so no JS string, byte view or array
 * is made per value. The hashes are the ones the general path gives (hyparquet's values, normalized,
 * through hashColumn), and so are the null count and min/max; a chunk this path does not read (an
 * encoding other than PLAIN or dictionary, a row continued across pages) is left to the general path.
 */
import type { ColumnMetaData, Compressors, SchemaTree } from 'hyparquet';
import { readRleBitPackedHybrid } from 'hyparquet/src/encoding.js';
import { hashAddArrayEnd, hashAddArrayStart, hashAddNull, hashAddUtf8, hashBegin, hashEnd, outA as hashA, outB as hashB } from './hash.js';
import { columnChunkPages, type DataPage } from './parquet-pages.js';

/** How a string column's values sit in its levels. */
export interface StringColumnShape {
  /** A list of strings (3-level LIST), or a string. */
  list: boolean;
  maxRep: number;
  maxDef: number;
  /** List columns: the definition level of an empty list (below it the list is null). */
  listDef: number;
}

export interface StringChunkStatistics {
  nulls: number;
  /** The least and greatest string (flat columns, when asked). */
  min: string | undefined;
  max: string | undefined;
}

const isString = (node: SchemaTree): boolean =>
  node.children.length === 0 &&
  node.element.type === 'BYTE_ARRAY' &&
  (node.element.converted_type === 'UTF8' || (node.element.converted_type === undefined && node.element.logical_type?.type === 'STRING'));

/** The shape of a top-level column when this path can hash it, else undefined. */
export function stringColumnShape(node: SchemaTree): StringColumnShape | undefined {
  const optional = node.element.repetition_type === 'OPTIONAL' ? 1 : 0;
  if (node.element.repetition_type === 'REPEATED') return undefined;
  if (isString(node)) return { list: false, maxRep: 0, maxDef: optional, listDef: 0 };
  const isList = node.element.converted_type === 'LIST' || node.element.logical_type?.type === 'LIST';
  if (!isList || node.children.length !== 1) return undefined;
  const repeated = node.children[0]!;
  if (repeated.element.repetition_type !== 'REPEATED' || repeated.children.length !== 1) return undefined;
  const element = repeated.children[0]!;
  if (!isString(element) || element.element.repetition_type === 'REPEATED') return undefined;
  const elementOptional = element.element.repetition_type === 'OPTIONAL' ? 1 : 0;
  return { list: true, maxRep: 1, maxDef: optional + 1 + elementOptional, listDef: optional };
}

const READABLE = new Set(['PLAIN', 'PLAIN_DICTIONARY', 'RLE_DICTIONARY', 'RLE']);

/** Whether this path reads the chunk's encodings (the chunk's metadata lists them all). */
export function readsEncodings(meta: ColumnMetaData): boolean {
  return meta.encodings.every((e) => READABLE.has(e));
}

/** The signal that a chunk is left to the general path. */
const UNREADABLE = null;

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

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i]! > 0x7f) return false;
  return true;
}

/** Min/max of strings given as bytes, decoding only a string that becomes the new least or greatest. */
class StringExtremes {
  min: string | undefined;
  max: string | undefined;

  add(bytes: Uint8Array, start: number, end: number): void {
    if (this.min === undefined) {
      this.min = this.max = decoder.decode(bytes.subarray(start, end));
      return;
    }
    if (isAscii(bytes, start, end)) {
      if (compareAscii(bytes, start, end, this.min) < 0) this.min = decoder.decode(bytes.subarray(start, end));
      else if (compareAscii(bytes, start, end, this.max!) > 0) this.max = decoder.decode(bytes.subarray(start, end));
      return;
    }
    const s = decoder.decode(bytes.subarray(start, end));
    if (s < this.min) this.min = s;
    else if (s > this.max!) this.max = s;
  }
}

/** PLAIN byte arrays: where each of `count` values starts and ends in `bytes`. */
function plainRanges(bytes: Uint8Array, count: number, starts: Int32Array, ends: Int32Array): void {
  let at = 0;
  for (let k = 0; k < count; k++) {
    if (at + 4 > bytes.length) throw new Error(`value ${k} of ${count}: the page ends at byte ${bytes.length}`);
    const length = (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0;
    at += 4;
    if (at + length > bytes.length) throw new Error(`value ${k} of ${count}: ${length} bytes at byte ${at} run past the page's end (${bytes.length})`);
    starts[k] = at;
    ends[k] = at + length;
    at += length;
  }
}

/** The values of one page (or the dictionary) as ranges of one byte buffer. */
class Ranges {
  bytes: Uint8Array = new Uint8Array(0);
  starts = new Int32Array(0);
  ends = new Int32Array(0);
  count = 0;

  plain(bytes: Uint8Array, count: number): void {
    if (this.starts.length < count) {
      this.starts = new Int32Array(Math.max(count, this.starts.length * 2));
      this.ends = new Int32Array(this.starts.length);
    }
    plainRanges(bytes, count, this.starts, this.ends);
    this.bytes = bytes;
    this.count = count;
  }
}

/**
 * The values of a data page, in order, as ranges: PLAIN ones as they are, dictionary-encoded ones
 * through the dictionary's ranges. Returns false for an encoding this path does not read.
 */
function pageValues(page: DataPage, nonNull: number, dictionary: Ranges | undefined, own: Ranges, indexes: { buffer: Int32Array }): Ranges | false {
  if (page.encoding === 'PLAIN') {
    own.plain(page.values, nonNull);
    return own;
  }
  if (page.encoding !== 'PLAIN_DICTIONARY' && page.encoding !== 'RLE_DICTIONARY') return false;
  if (!dictionary) throw new Error('a dictionary-encoded page comes before any dictionary page');
  if (indexes.buffer.length < nonNull) indexes.buffer = new Int32Array(Math.max(nonNull, indexes.buffer.length * 2));
  const idx = indexes.buffer.subarray(0, nonNull);
  if (nonNull > 0) {
    // a bit width byte, then the indexes in the RLE/bit-packed hybrid to the end of the page
    const width = page.values[0]!;
    if (width === 0) idx.fill(0);
    else readRleBitPackedHybrid({ view: new DataView(page.values.buffer, page.values.byteOffset, page.values.byteLength), offset: 1 }, width, idx, page.values.length - 1);
  }
  if (own.starts.length < nonNull) {
    own.starts = new Int32Array(Math.max(nonNull, own.starts.length * 2));
    own.ends = new Int32Array(own.starts.length);
  }
  for (let k = 0; k < nonNull; k++) {
    const i = idx[k]!;
    if (i >= dictionary.count || i < 0) throw new Error(`dictionary index ${i} out of range (the dictionary has ${dictionary.count} entries)`);
    own.starts[k] = dictionary.starts[i]!;
    own.ends[k] = dictionary.ends[i]!;
  }
  own.bytes = dictionary.bytes;
  own.count = nonNull;
  return own;
}

/**
 * Hashes the `rows` values of a string column chunk into `outA` / `outB` (seeded with the column's
 * seed lanes), and gives its null count and, when `orderable`, min/max. `bytes` holds the chunk from
 * its first page. Returns null when the chunk is left to the general path. Throws on corrupt pages.
 */
export function hashStringChunk(
  bytes: Uint8Array,
  meta: ColumnMetaData,
  shape: StringColumnShape,
  rows: number,
  seedA: number,
  seedB: number,
  outA: Int32Array,
  outB: Int32Array,
  orderable: boolean,
  compressors: Compressors,
): StringChunkStatistics | null {
  if (!readsEncodings(meta)) return UNREADABLE;
  let dictionary: Ranges | undefined;
  const own = new Ranges();
  const indexes = { buffer: new Int32Array(0) };
  const extremes = orderable && !shape.list ? new StringExtremes() : undefined;
  let nulls = 0;
  let row = 0;
  for (const page of columnChunkPages(bytes, meta, shape.maxRep, shape.maxDef, compressors)) {
    if (page.kind === 'dictionary') {
      dictionary = new Ranges();
      dictionary.plain(page.values, page.count);
      continue;
    }
    const { count, def, rep } = page;
    let nonNull = count;
    if (def) for (let i = 0; i < count; i++) if (def[i]! !== shape.maxDef) nonNull--;
    const values = pageValues(page, nonNull, dictionary, own, indexes);
    if (values === false) return UNREADABLE;
    const { bytes: vb, starts, ends } = values;
    let v = 0;
    if (!shape.list) {
      if (row + count > rows) throw new Error(`the chunk has more than the row group's ${rows} rows`);
      for (let i = 0; i < count; i++, row++) {
        hashBegin(seedA, seedB);
        if (def && def[i]! !== shape.maxDef) {
          hashAddNull();
          nulls++;
        } else {
          const s = starts[v]!;
          const e = ends[v]!;
          v++;
          hashAddUtf8(vb, s, e);
          extremes?.add(vb, s, e);
        }
        hashEnd();
        outA[row] = hashA;
        outB[row] = hashB;
      }
      continue;
    }
    if (count > 0 && rep![0]! !== 0) return UNREADABLE; // a row continued from the previous page
    let i = 0;
    while (i < count) {
      if (row >= rows) throw new Error(`the chunk has more than the row group's ${rows} rows`);
      const d = def![i]!;
      hashBegin(seedA, seedB);
      if (d < shape.listDef) {
        hashAddNull();
        nulls++;
        i++;
      } else if (d === shape.listDef) {
        hashAddArrayStart(0);
        hashAddArrayEnd();
        i++;
      } else {
        let end = i + 1;
        while (end < count && rep![end]! !== 0) end++;
        hashAddArrayStart(end - i);
        for (; i < end; i++) {
          if (def![i]! === shape.maxDef) {
            hashAddUtf8(vb, starts[v]!, ends[v]!);
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
