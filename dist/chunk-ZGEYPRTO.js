import { createRequire as __fwCreateRequire } from 'node:module';
import { dirname as __fwDirname } from 'node:path';
import { fileURLToPath as __fwFileURLToPath } from 'node:url';
const require = __fwCreateRequire(import.meta.url);
const __filename = __fwFileURLToPath(import.meta.url);
const __dirname = __fwDirname(__filename);
import {
  AvroFileReader,
  branchName,
  decompress,
  decompressPage,
  parquetHeader,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
  readRleBitPackedHybrid,
  rowSchemaOf
} from "./chunk-DKKWGIKB.js";
import {
  Decimal,
  NamedTypes,
  compareDecimals,
  compileTransform,
  decimalParams,
  fullName,
  isDecimal,
  isPrimitiveName,
  namespaceOf
} from "./chunk-EBGSD6R6.js";
import {
  DataError
} from "./chunk-OWQR4BEP.js";

// src/data/verify/parquet-columns.ts
import { open } from "node:fs/promises";
import { brotliDecompressSync, gunzipSync } from "node:zlib";

// src/data/verify/hash.ts
var h1 = 0;
var h2 = 0;
var outA = 0;
var outB = 0;
var TAG_NULL = 1853189228;
var TAG_FALSE = 1717660787;
var TAG_TRUE = 1953658213;
var TAG_INT = 1768846368;
var TAG_BIGINT = 1651074848;
var TAG_FLOAT = 1718383648;
var TAG_STRING = 1937011232;
var TAG_BYTES = 1652126752;
var TAG_DECIMAL = 1684366112;
var TAG_ARRAY = 1634890272;
var TAG_OBJECT = 1868720672;
var TAG_END = 1701733408;
function add(k) {
  let a = Math.imul(h1 ^ k, 2654435761);
  a = a << 15 | a >>> 17;
  h1 = a;
  let b = Math.imul(h2 ^ k, 2246822519);
  b = b << 13 | b >>> 19;
  h2 = b + a | 0;
}
function fmix(h) {
  h ^= h >>> 16;
  h = Math.imul(h, 2246822507);
  h ^= h >>> 13;
  h = Math.imul(h, 3266489909);
  return (h ^ h >>> 16) >>> 0;
}
var f64 = new Float64Array(1);
var u32 = new Uint32Array(f64.buffer);
var TWO_32 = 4294967296;
function addString(s) {
  const n = s.length;
  add(TAG_STRING ^ n);
  let x = h1;
  let y = h2;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const k = s.charCodeAt(i) | s.charCodeAt(i + 1) << 16;
    let a = Math.imul(x ^ k, 2654435761);
    a = a << 15 | a >>> 17;
    x = a;
    let b = Math.imul(y ^ k, 2246822519);
    b = b << 13 | b >>> 19;
    y = b + a | 0;
  }
  h1 = x;
  h2 = y;
  if (i < n) add(s.charCodeAt(i));
}
function addInteger(n) {
  add(TAG_INT);
  add(n | 0);
  add(Math.floor(n / TWO_32) | 0);
}
function walk(v) {
  switch (typeof v) {
    case "string":
      addString(v);
      return;
    case "number":
      hashAddNumber(v);
      return;
    case "bigint": {
      const n = Number(v);
      if (Number.isSafeInteger(n)) addInteger(n);
      else {
        add(TAG_BIGINT);
        addString(v.toString());
      }
      return;
    }
    case "boolean":
      add(v ? TAG_TRUE : TAG_FALSE);
      return;
    case "undefined":
      add(TAG_NULL);
      return;
    case "object":
      break;
    default:
      addString(String(v));
      return;
  }
  if (v === null) {
    add(TAG_NULL);
    return;
  }
  if (v instanceof Uint8Array) {
    const n = v.length;
    add(TAG_BYTES ^ n);
    let i = 0;
    for (; i + 3 < n; i += 4) add(v[i] | v[i + 1] << 8 | v[i + 2] << 16 | v[i + 3] << 24);
    for (; i < n; i++) add(v[i]);
    return;
  }
  if (Array.isArray(v)) {
    add(TAG_ARRAY ^ v.length);
    for (const x of v) walk(x);
    add(TAG_END);
    return;
  }
  const o = v;
  if (typeof o.unscaled === "bigint" && typeof o.scale === "number") {
    add(TAG_DECIMAL ^ o.scale);
    walk(o.unscaled);
    return;
  }
  const keys = Object.keys(o).sort();
  add(TAG_OBJECT ^ keys.length);
  for (const k of keys) {
    addString(k);
    walk(o[k]);
  }
  add(TAG_END);
}
function hashBegin(seedA, seedB) {
  h1 = seedA;
  h2 = seedB;
}
function hashAddNull() {
  add(TAG_NULL);
}
function hashAddArrayStart(n) {
  add(TAG_ARRAY ^ n);
}
function hashAddArrayEnd() {
  add(TAG_END);
}
function hashAddNumber(v) {
  if (Number.isSafeInteger(v)) addInteger(v);
  else {
    add(TAG_FLOAT);
    f64[0] = Number.isNaN(v) ? Number.NaN : v;
    add(u32[0]);
    add(u32[1]);
  }
}
function hashAddInt64(lo, hi) {
  if (hi > -2097152 && hi < 2097151) {
    add(TAG_INT);
    add(lo);
    add(hi);
  } else walk(BigInt(hi) << 32n | BigInt(lo >>> 0));
}
function hashAddBoolean(v) {
  add(v ? TAG_TRUE : TAG_FALSE);
}
var utf8Decoder = new TextDecoder("utf-8", { ignoreBOM: true });
function hashAddUtf8(bytes, start, end) {
  const n = end - start;
  for (let i2 = start; i2 < end; i2++) {
    if (bytes[i2] > 127) {
      addString(utf8Decoder.decode(bytes.subarray(start, end)));
      return;
    }
  }
  add(TAG_STRING ^ n);
  let x = h1;
  let y = h2;
  let i = start;
  for (; i + 1 < end; i += 2) {
    const k = bytes[i] | bytes[i + 1] << 16;
    let a = Math.imul(x ^ k, 2654435761);
    a = a << 15 | a >>> 17;
    x = a;
    let b = Math.imul(y ^ k, 2246822519);
    b = b << 13 | b >>> 19;
    y = b + a | 0;
  }
  h1 = x;
  h2 = y;
  if (i < end) add(bytes[i]);
}
function hashEnd() {
  finish();
}
function hashValue(v, seedA, seedB) {
  h1 = seedA;
  h2 = seedB;
  walk(v);
  finish();
}
function hashColumn(values, n, seedA, seedB, outA2, outB2, at = 0) {
  if (at !== 0) {
    hashColumn(values, n, seedA, seedB, outA2.subarray(at), outB2.subarray(at));
    return;
  }
  if (values instanceof BigInt64Array && LITTLE_ENDIAN) return hashInt64s(values, n, seedA, seedB, outA2, outB2);
  if (values instanceof Float64Array || values instanceof Float32Array) {
    for (let r = 0; r < n; r++) {
      hashNumber(values[r], seedA, seedB);
      outA2[r] = h1;
      outB2[r] = h2;
    }
    return;
  }
  if (values instanceof Int32Array) {
    for (let r = 0; r < n; r++) {
      const v = values[r];
      hashInt(v, v >> 31, seedA, seedB);
      outA2[r] = h1;
      outB2[r] = h2;
    }
    return;
  }
  for (let r = 0; r < n; r++) {
    const v = values[r];
    if (typeof v === "string") {
      h1 = seedA;
      h2 = seedB;
      addString(v);
      finish();
    } else if (typeof v === "bigint") {
      const x = Number(v);
      if (Number.isSafeInteger(x)) hashInt(x | 0, Math.floor(x / TWO_32) | 0, seedA, seedB);
      else hashValue(v, seedA, seedB);
    } else if (typeof v === "number") {
      hashNumber(v, seedA, seedB);
    } else if (v === null || v === void 0) {
      h1 = seedA;
      h2 = seedB;
      add(TAG_NULL);
      finish();
    } else {
      hashValue(v, seedA, seedB);
    }
    outA2[r] = h1;
    outB2[r] = h2;
  }
}
function finish() {
  const a = fmix(h1 ^ h2);
  const b = fmix(h2 + Math.imul(h1, 668265261));
  h1 = outA = a;
  h2 = outB = b;
}
function hashInt(lo, hi, seedA, seedB) {
  h1 = seedA;
  h2 = seedB;
  add(TAG_INT);
  add(lo);
  add(hi);
  finish();
}
function hashNumber(v, seedA, seedB) {
  if (Number.isSafeInteger(v)) {
    hashInt(v | 0, Math.floor(v / TWO_32) | 0, seedA, seedB);
    return;
  }
  h1 = seedA;
  h2 = seedB;
  add(TAG_FLOAT);
  f64[0] = Number.isNaN(v) ? Number.NaN : v;
  add(u32[0]);
  add(u32[1]);
  finish();
}
var LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
function hashInt64s(values, n, seedA, seedB, outA2, outB2) {
  const words = new Int32Array(values.buffer, values.byteOffset, n * 2);
  for (let r = 0; r < n; r++) {
    const lo = words[2 * r];
    const hi = words[2 * r + 1];
    if (hi > -2097152 && hi < 2097151) hashInt(lo, hi, seedA, seedB);
    else hashValue(values[r], seedA, seedB);
    outA2[r] = h1;
    outB2[r] = h2;
  }
}
function seedOf(text) {
  hashValue(text, 305419896, 2596069104 | 0);
  return [outA, outB];
}
function hex64(a, b) {
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

// src/data/verify/parquet-pages.ts
function bitWidth(value) {
  return 32 - Math.clz32(value);
}
var LevelBuffer = class {
  buffer = new Uint8Array(0);
  take(count) {
    if (this.buffer.length < count) this.buffer = new Uint8Array(Math.max(count, this.buffer.length * 2));
    return this.buffer.subarray(0, count);
  }
};
function* columnChunkPages(bytes, meta, maxRep, maxDef, compressors2) {
  const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 };
  const repLevels = new LevelBuffer();
  const defLevels = new LevelBuffer();
  while (reader.offset < bytes.length - 1) {
    const header = parquetHeader(reader);
    const start = reader.offset;
    const end = start + header.compressed_page_size;
    if (end > bytes.length) throw new Error(`page at byte ${start} of the chunk runs past its end (${header.compressed_page_size} bytes, ${bytes.length - start} left)`);
    const compressed = bytes.subarray(start, end);
    reader.offset = end;
    if (header.type === "DICTIONARY_PAGE") {
      const values = decompressPage(compressed, header.uncompressed_page_size, meta.codec, compressors2);
      yield { kind: "dictionary", count: header.dictionary_page_header.num_values, values };
    } else if (header.type === "DATA_PAGE") {
      const h = header.data_page_header;
      const page = decompressPage(compressed, header.uncompressed_page_size, meta.codec, compressors2);
      const levels = { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 };
      let rep;
      let def;
      if (maxRep > 0) readRleBitPackedHybrid(levels, bitWidth(maxRep), rep = repLevels.take(h.num_values));
      if (maxDef > 0) readRleBitPackedHybrid(levels, bitWidth(maxDef), def = defLevels.take(h.num_values));
      yield { kind: "data", count: h.num_values, rep, def, encoding: h.encoding, values: page.subarray(levels.offset) };
    } else if (header.type === "DATA_PAGE_V2") {
      const h = header.data_page_header_v2;
      const levels = { view: new DataView(compressed.buffer, compressed.byteOffset, compressed.byteLength), offset: 0 };
      let rep;
      let def;
      if (maxRep > 0) readRleBitPackedHybrid(levels, bitWidth(maxRep), rep = repLevels.take(h.num_values), h.repetition_levels_byte_length);
      levels.offset = h.repetition_levels_byte_length;
      if (maxDef > 0) readRleBitPackedHybrid(levels, bitWidth(maxDef), def = defLevels.take(h.num_values), h.definition_levels_byte_length);
      const levelBytes = h.repetition_levels_byte_length + h.definition_levels_byte_length;
      let values = compressed.subarray(levelBytes);
      if (h.is_compressed !== false) values = decompressPage(values, header.uncompressed_page_size - levelBytes, meta.codec, compressors2);
      yield { kind: "data", count: h.num_values, rep, def, encoding: h.encoding, values };
    } else {
      throw new Error(`unsupported page type ${header.type} at byte ${start} of the chunk`);
    }
  }
}

// src/data/verify/parquet-direct-hashes.ts
var INT32_CONVERTED = /* @__PURE__ */ new Set([void 0, "INT_8", "INT_16", "INT_32", "DATE", "TIME_MILLIS"]);
var INT64_CONVERTED = /* @__PURE__ */ new Set([void 0, "INT_64", "TIMESTAMP_MILLIS", "TIMESTAMP_MICROS", "TIME_MICROS"]);
function signedIntegerOrPlain(e, logical) {
  const lt = e.logical_type;
  if (lt === void 0) return true;
  if (lt.type === "INTEGER") return lt.isSigned;
  return logical.includes(lt.type);
}
function leafKind(node) {
  if (node.children.length > 0) return void 0;
  const e = node.element;
  switch (e.type) {
    case "BYTE_ARRAY":
      return e.converted_type === "UTF8" || e.converted_type === void 0 && e.logical_type?.type === "STRING" ? "string" : void 0;
    case "INT32":
      return INT32_CONVERTED.has(e.converted_type) && signedIntegerOrPlain(e, ["DATE", "TIME"]) ? "int32" : void 0;
    case "INT64":
      return INT64_CONVERTED.has(e.converted_type) && signedIntegerOrPlain(e, ["TIMESTAMP", "TIME"]) ? "int64" : void 0;
    case "FLOAT":
      return e.converted_type === void 0 && e.logical_type === void 0 ? "float" : void 0;
    case "DOUBLE":
      return e.converted_type === void 0 && e.logical_type === void 0 ? "double" : void 0;
    case "BOOLEAN":
      return e.converted_type === void 0 && e.logical_type === void 0 ? "boolean" : void 0;
    default:
      return void 0;
  }
}
function directColumnShape(node) {
  if (node.element.repetition_type === "REPEATED") return void 0;
  const optional = node.element.repetition_type === "OPTIONAL" ? 1 : 0;
  const flat = leafKind(node);
  if (flat && optional === 0 && flat !== "string" && flat !== "boolean") return void 0;
  if (flat) return { kind: flat, list: false, maxRep: 0, maxDef: optional, listDef: 0 };
  const isList = node.element.converted_type === "LIST" || node.element.logical_type?.type === "LIST";
  if (!isList || node.children.length !== 1) return void 0;
  const repeated = node.children[0];
  if (repeated.element.repetition_type !== "REPEATED" || repeated.children.length !== 1) return void 0;
  const element = repeated.children[0];
  const kind = leafKind(element);
  if (!kind || element.element.repetition_type === "REPEATED") return void 0;
  const elementOptional = element.element.repetition_type === "OPTIONAL" ? 1 : 0;
  return { kind, list: true, maxRep: 1, maxDef: optional + 1 + elementOptional, listDef: optional };
}
var LITTLE_ENDIAN2 = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
var READABLE = /* @__PURE__ */ new Set(["PLAIN", "PLAIN_DICTIONARY", "RLE_DICTIONARY", "RLE"]);
function readsEncodings(meta) {
  return meta.encodings.every((e) => READABLE.has(e));
}
function compareAscii(bytes, start, end, s) {
  const n = end - start;
  const m = s.length;
  const k = n < m ? n : m;
  for (let i = 0; i < k; i++) {
    const d = bytes[start + i] - s.charCodeAt(i);
    if (d !== 0) return d;
  }
  return n - m;
}
function isAscii(bytes, start, end) {
  for (let i = start; i < end; i++) if (bytes[i] > 127) return false;
  return true;
}
var PageValues = class {
};
var StringValues = class _StringValues extends PageValues {
  constructor(bytes, starts, ends, count) {
    super();
    this.bytes = bytes;
    this.starts = starts;
    this.ends = ends;
    this.count = count;
  }
  bytes;
  starts;
  ends;
  count;
  /** PLAIN byte arrays: a 4-byte little-endian length, then the bytes. */
  static plain(bytes, count) {
    const starts = new Int32Array(count);
    const ends = new Int32Array(count);
    let at = 0;
    for (let k = 0; k < count; k++) {
      if (at + 4 > bytes.length) throw new Error(`value ${k} of ${count}: the page ends at byte ${bytes.length}`);
      const length = (bytes[at] | bytes[at + 1] << 8 | bytes[at + 2] << 16 | bytes[at + 3] << 24) >>> 0;
      at += 4;
      if (at + length > bytes.length) throw new Error(`value ${k} of ${count}: ${length} bytes at byte ${at} run past the page's end (${bytes.length})`);
      starts[k] = at;
      ends[k] = at + length;
      at += length;
    }
    return new _StringValues(bytes, starts, ends, count);
  }
  hash(j) {
    hashAddUtf8(this.bytes, this.starts[j], this.ends[j]);
  }
};
var StringExtremes = class {
  min;
  max;
  add(values, j) {
    const { bytes, starts, ends } = values;
    const start = starts[j];
    const end = ends[j];
    if (this.min === void 0) {
      this.min = this.max = utf8Decoder.decode(bytes.subarray(start, end));
      return;
    }
    if (isAscii(bytes, start, end)) {
      if (compareAscii(bytes, start, end, this.min) < 0) this.min = utf8Decoder.decode(bytes.subarray(start, end));
      else if (compareAscii(bytes, start, end, this.max) > 0) this.max = utf8Decoder.decode(bytes.subarray(start, end));
      return;
    }
    const s = utf8Decoder.decode(bytes.subarray(start, end));
    if (s < this.min) this.min = s;
    else if (s > this.max) this.max = s;
  }
};
function fixedWidth(bytes, count, width, Type) {
  const size = count * width;
  if (bytes.length < size) throw new Error(`${count} values of ${width} bytes need ${size} bytes; the page has ${bytes.length}`);
  const elements = size / Type.BYTES_PER_ELEMENT;
  if (bytes.byteOffset % Type.BYTES_PER_ELEMENT === 0) return new Type(bytes.buffer, bytes.byteOffset, elements);
  const copy = new Uint8Array(size);
  copy.set(bytes.subarray(0, size));
  return new Type(copy.buffer, 0, elements);
}
var NumberValues = class extends PageValues {
  constructor(numbers, count) {
    super();
    this.numbers = numbers;
    this.count = count;
  }
  numbers;
  count;
  hash(j) {
    hashAddNumber(this.numbers[j]);
  }
};
var NumberExtremes = class {
  min;
  max;
  add(values, j) {
    const v = values.numbers[j];
    if (this.min === void 0) {
      if (v !== v) return;
      this.min = v;
      this.max = v;
    } else if (v < this.min) this.min = v;
    else if (v > this.max) this.max = v;
  }
};
var Int64Values = class extends PageValues {
  constructor(words, count) {
    super();
    this.words = words;
    this.count = count;
  }
  words;
  count;
  hash(j) {
    hashAddInt64(this.words[2 * j], this.words[2 * j + 1]);
  }
};
var Int64Extremes = class {
  seen = false;
  minHi = 0;
  minLo = 0;
  maxHi = 0;
  maxLo = 0;
  add(values, j) {
    const words = values.words;
    const hi = words[2 * j + 1];
    const lo = words[2 * j] >>> 0;
    if (!this.seen) {
      this.seen = true;
      this.minHi = this.maxHi = hi;
      this.minLo = this.maxLo = lo;
    } else if (hi < this.minHi || hi === this.minHi && lo < this.minLo) {
      this.minHi = hi;
      this.minLo = lo;
    } else if (hi > this.maxHi || hi === this.maxHi && lo > this.maxLo) {
      this.maxHi = hi;
      this.maxLo = lo;
    }
  }
  get min() {
    return this.seen ? BigInt(this.minHi) << 32n | BigInt(this.minLo) : void 0;
  }
  get max() {
    return this.seen ? BigInt(this.maxHi) << 32n | BigInt(this.maxLo) : void 0;
  }
};
var BooleanValues = class extends PageValues {
  constructor(bytes, count) {
    super();
    this.bytes = bytes;
    this.count = count;
    if (bytes.length * 8 < count) throw new Error(`${count} booleans need ${Math.ceil(count / 8)} bytes; the page has ${bytes.length}`);
  }
  bytes;
  count;
  hash(j) {
    hashAddBoolean((this.bytes[j >> 3] >> (j & 7) & 1) === 1);
  }
};
function plainValues(kind, bytes, count) {
  switch (kind) {
    case "string":
      return StringValues.plain(bytes, count);
    case "int32":
      return new NumberValues(fixedWidth(bytes, count, 4, Int32Array), count);
    case "float":
      return new NumberValues(fixedWidth(bytes, count, 4, Float32Array), count);
    case "double":
      return new NumberValues(fixedWidth(bytes, count, 8, Float64Array), count);
    case "int64":
      return new Int64Values(fixedWidth(bytes, count, 8, Int32Array), count);
    case "boolean":
      return new BooleanValues(bytes, count);
  }
}
function extremesOf(kind) {
  switch (kind) {
    case "string":
      return new StringExtremes();
    case "int32":
    case "float":
    case "double":
      return new NumberExtremes();
    case "int64":
      return new Int64Extremes();
    case "boolean":
      return void 0;
  }
}
function pageValues(kind, page, nonNull, dictionary) {
  if (page.encoding === "PLAIN") return { values: plainValues(kind, page.values, nonNull), index: null };
  if (page.encoding !== "PLAIN_DICTIONARY" && page.encoding !== "RLE_DICTIONARY") return false;
  if (!dictionary) throw new Error("a dictionary-encoded page comes before any dictionary page");
  const index = new Int32Array(nonNull);
  if (nonNull > 0) {
    const width = page.values[0];
    if (width > 0) readRleBitPackedHybrid({ view: new DataView(page.values.buffer, page.values.byteOffset, page.values.byteLength), offset: 1 }, width, index, page.values.length - 1);
    for (let k = 0; k < nonNull; k++) {
      const i = index[k];
      if (i < 0 || i >= dictionary.count) throw new Error(`dictionary index ${i} out of range (the dictionary has ${dictionary.count} entries)`);
    }
  }
  return { values: dictionary, index };
}
function hashDirectChunk(bytes, meta, shape, rows, seedA, seedB, outA2, outB2, orderable, compressors2) {
  if (!readsEncodings(meta)) return null;
  const { kind, maxDef, listDef } = shape;
  if (!LITTLE_ENDIAN2 && kind !== "string" && kind !== "boolean") return null;
  let dictionary;
  const extremes = orderable && !shape.list ? extremesOf(kind) : void 0;
  let nulls = 0;
  let row = 0;
  for (const page of columnChunkPages(bytes, meta, shape.maxRep, maxDef, compressors2)) {
    if (page.kind === "dictionary") {
      dictionary = plainValues(kind, page.values, page.count);
      continue;
    }
    const { count, def, rep } = page;
    let nonNull = count;
    if (def) {
      for (let i2 = 0; i2 < count; i2++) if (def[i2] !== maxDef) nonNull--;
    }
    const read = pageValues(kind, page, nonNull, dictionary);
    if (read === false) return null;
    const { values, index } = read;
    let v = 0;
    if (!shape.list) {
      if (row + count > rows) throw new Error(`the chunk has more than the row group's ${rows} rows`);
      for (let i2 = 0; i2 < count; i2++, row++) {
        hashBegin(seedA, seedB);
        if (def && def[i2] !== maxDef) {
          hashAddNull();
          nulls++;
        } else {
          const j = index === null ? v : index[v];
          v++;
          values.hash(j);
          extremes?.add(values, j);
        }
        hashEnd();
        outA2[row] = outA;
        outB2[row] = outB;
      }
      continue;
    }
    if (count > 0 && rep[0] !== 0) return null;
    let i = 0;
    while (i < count) {
      if (row >= rows) throw new Error(`the chunk has more than the row group's ${rows} rows`);
      const d = def[i];
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
        while (end < count && rep[end] !== 0) end++;
        hashAddArrayStart(end - i);
        for (; i < end; i++) {
          if (def[i] === maxDef) {
            values.hash(index === null ? v : index[v]);
            v++;
          } else hashAddNull();
        }
        hashAddArrayEnd();
      }
      hashEnd();
      outA2[row] = outA;
      outB2[row] = outB;
      row++;
    }
  }
  if (row !== rows) throw new Error(`the chunk has ${row} values for the row group's ${rows} rows`);
  return { nulls, min: extremes?.min, max: extremes?.max };
}

// src/data/verify/signature.ts
function avroFieldSignatures(record) {
  const names = new NamedTypes(record);
  const ns = namespaceOf(fullName(record.name, void 0, record.namespace));
  return record.fields.map((f) => ({ name: f.name, signature: avroSignature(f.type, ns, names, /* @__PURE__ */ new Set()) }));
}
function avroSignature(s, ns, names, active) {
  if (typeof s === "string") {
    if (isPrimitiveName(s)) return s;
    const full = names.referencedName(s, ns);
    if (active.has(full)) return `recursive ${full}`;
    return avroSignature(names.resolve(s, ns), namespaceOf(full), names, active);
  }
  if (Array.isArray(s)) {
    const branches = s.filter((b) => b !== "null" && !(typeof b === "object" && !Array.isArray(b) && b.type === "null"));
    if (branches.length === 0) return "null";
    if (branches.length === 1) return avroSignature(branches[0], ns, names, active);
    return `union<${branches.map((b) => avroSignature(b, ns, names, active)).join("|")}>`;
  }
  const type = s.type;
  switch (type) {
    case "record":
    case "error": {
      const r = s;
      const full = fullName(r.name, ns, r.namespace);
      active.add(full);
      const inner = r.fields.map((f) => `${f.name}:${avroSignature(f.type, namespaceOf(full), names, active)}`).join(",");
      active.delete(full);
      return `record{${inner}}`;
    }
    case "enum":
      return "string";
    case "fixed": {
      const p = s.logicalType === "decimal" ? decimalParams(s) : void 0;
      return p ? `decimal(${p.precision},${p.scale})` : `fixed(${String(s.size)})`;
    }
    case "array":
      return `array<${avroSignature(s.items, ns, names, active)}>`;
    case "map":
      return `map<${avroSignature(s.values, ns, names, active)}>`;
  }
  if (typeof type !== "string") return avroSignature(type, ns, names, active);
  const lt = s.logicalType;
  if (type === "bytes" && lt === "decimal") {
    const p = decimalParams(s);
    if (p) return `decimal(${p.precision},${p.scale})`;
  }
  if (type === "int" && (lt === "date" || lt === "time-millis")) return lt;
  if (type === "long" && typeof lt === "string" && ["time-micros", "timestamp-millis", "timestamp-micros", "local-timestamp-millis", "local-timestamp-micros"].includes(lt)) return lt;
  if (type === "string") return "string";
  return type;
}
var unitName = { MILLIS: "millis", MICROS: "micros", NANOS: "nanos" };
function parquetSignature(node) {
  const e = node.element;
  const lt = e.logical_type;
  const ct = e.converted_type;
  if (node.children.length > 0) {
    if (ct === "LIST" || lt?.type === "LIST") {
      const repeated = node.children[0];
      const element = repeated.children.length === 1 ? repeated.children[0] : repeated;
      return `array<${parquetSignature(element)}>`;
    }
    if (ct === "MAP" || ct === "MAP_KEY_VALUE" || lt?.type === "MAP") {
      const kv = node.children[0];
      const value = kv.children[1];
      return `map<${value ? parquetSignature(value) : "null"}>`;
    }
    if (node.children.every((c, i) => c.element.name === `member${i}`)) {
      return `union<${node.children.map(parquetSignature).join("|")}>`;
    }
    return `record{${node.children.map((c) => `${c.element.name}:${parquetSignature(c)}`).join(",")}}`;
  }
  if (lt?.type === "DECIMAL" || ct === "DECIMAL") return `decimal(${e.precision ?? 0},${e.scale ?? 0})`;
  const ltName = lt?.type;
  if (ltName === "UNKNOWN" || ltName === "NULL") return "null";
  switch (e.type) {
    case "BOOLEAN":
      return "boolean";
    case "INT32":
      if (lt?.type === "DATE" || ct === "DATE") return "date";
      if (lt?.type === "TIME" && lt.unit === "MILLIS" || ct === "TIME_MILLIS") return "time-millis";
      return "int";
    case "INT64":
      if (lt?.type === "TIMESTAMP") return `${lt.isAdjustedToUTC ? "" : "local-"}timestamp-${unitName[lt.unit] ?? lt.unit}`;
      if (ct === "TIMESTAMP_MILLIS") return "timestamp-millis";
      if (ct === "TIMESTAMP_MICROS") return "timestamp-micros";
      if (lt?.type === "TIME" && lt.unit === "MICROS" || ct === "TIME_MICROS") return "time-micros";
      return "long";
    case "INT96":
      return "int96";
    case "FLOAT":
      return "float";
    case "DOUBLE":
      return "double";
    case "BYTE_ARRAY":
      if (lt?.type === "STRING" || lt?.type === "ENUM" || lt?.type === "JSON" || ct === "UTF8" || ct === "ENUM" || ct === "JSON") return "string";
      return "bytes";
    case "FIXED_LEN_BYTE_ARRAY":
      if (lt?.type === "UUID") return "string";
      return `fixed(${e.type_length ?? 0})`;
    default:
      return String(e.type);
  }
}

// src/data/verify/parquet-columns.ts
var parsers = { stringFromBytes: (bytes) => bytes === void 0 ? bytes : utf8Decoder.decode(bytes) };
var compressors = {
  GZIP: (input) => gunzipSync(input),
  ZSTD: (input) => decompress(input),
  BROTLI: (input) => brotliDecompressSync(input)
};
var STRIP_CONVERTED = /* @__PURE__ */ new Set(["DECIMAL", "DATE", "TIME_MILLIS", "TIME_MICROS", "TIMESTAMP_MILLIS", "TIMESTAMP_MICROS"]);
var STRIP_LOGICAL = /* @__PURE__ */ new Set(["DECIMAL", "DATE", "TIME", "TIMESTAMP", "UUID"]);
function fileBuffer(handle, size) {
  return {
    byteLength: size,
    async slice(start, end) {
      const stop = end ?? size;
      const buffer = new ArrayBuffer(Math.max(0, stop - start));
      const view = new Uint8Array(buffer);
      let done = 0;
      while (done < view.length) {
        const { bytesRead } = await handle.read(view, done, view.length - done, start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done === view.length ? buffer : buffer.slice(0, done);
    }
  };
}
function joinParts(parts, rows) {
  if (parts.length === 1) return parts[0];
  const first = parts[0];
  if (first instanceof BigInt64Array || first instanceof Float64Array || first instanceof Float32Array || first instanceof Int32Array) {
    const ctor = first.constructor;
    if (parts.every((p) => p.constructor === ctor)) {
      const out2 = new ctor(rows);
      let at = 0;
      for (const p of parts) {
        out2.set(p, at);
        at += p.length;
      }
      return out2;
    }
  }
  const out = new Array(rows);
  let r = 0;
  for (const part of parts) for (let k = 0; k < part.length; k++) out[r++] = part[k];
  return out;
}
var ParquetColumnsReader = class _ParquetColumnsReader {
  constructor(path, handle, file, metadata, rawMetadata, columns) {
    this.path = path;
    this.handle = handle;
    this.file = file;
    this.metadata = metadata;
    this.rawMetadata = rawMetadata;
    this.columns = columns;
  }
  path;
  handle;
  file;
  metadata;
  rawMetadata;
  columns;
  static async open(path) {
    let handle;
    try {
      handle = await open(path, "r");
    } catch (err) {
      throw new DataError(`${path}: cannot open the Parquet file (${err.code ?? err.message})`);
    }
    try {
      const { size } = await handle.stat();
      const file = fileBuffer(handle, size);
      let metadata;
      try {
        metadata = await parquetMetadataAsync(file);
      } catch (err) {
        throw new DataError(`${path}: not a readable Parquet file: ${err.message}`);
      }
      const tree = parquetSchema(metadata);
      const columns = tree.children.map((node) => ({ name: node.element.name, signature: parquetSignature(node), node }));
      const rawMetadata = {
        ...metadata,
        schema: metadata.schema.map((e) => {
          const lt = e.logical_type?.type;
          if (e.converted_type && STRIP_CONVERTED.has(e.converted_type) || lt && STRIP_LOGICAL.has(lt)) {
            const { converted_type: _c, logical_type: _l, ...rest } = e;
            return rest;
          }
          return e;
        })
      };
      return new _ParquetColumnsReader(path, handle, file, metadata, rawMetadata, columns);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }
  get rowGroupCount() {
    return this.metadata.row_groups.length;
  }
  get rowCount() {
    return Number(this.metadata.num_rows);
  }
  /** The largest uncompressed size of one column chunk among `names` (bytes): what reading one column of one row group holds. */
  largestColumnChunk(names) {
    let largest = 0;
    for (const group of this.metadata.row_groups) {
      for (const chunk of group.columns) {
        const meta = chunk.meta_data;
        if (meta && names.includes(meta.path_in_schema[0])) largest = Math.max(largest, Number(meta.total_uncompressed_size));
      }
    }
    return largest;
  }
  /** The file's key-value metadata (the writer may keep the Avro schema there). */
  get keyValues() {
    return new Map((this.metadata.key_value_metadata ?? []).map((kv) => [kv.key, kv.value ?? ""]));
  }
  /**
   * The named columns, one row group at a time, normalized into the value model. `expected` gives
   * each column's Avro type (after the transform) so that a union written as member0…memberN reads
   * back as `{ branch: value }`.
   */
  async *batches(names, expected, namespace) {
    for (const group of this.groups(names, expected, namespace)) {
      const columns = [];
      for (let i = 0; i < names.length; i++) columns.push(await group.read(i));
      yield { rows: group.rows, columns };
    }
  }
  /**
   * The row groups, each able to read one named column at a time (so that only one column's values
   * need be in memory at once): `read(i)` gives the values of `names[i]` in the group, normalized as
   * `batches` does. Primitive columns without nulls stay typed arrays (BigInt64Array, Float64Array, …).
   */
  *groups(names, expected, namespace) {
    const chosen = names.map((n) => {
      const c = this.columns.find((col) => col.name === n);
      if (!c) throw new DataError(`${this.path}: no column "${n}"`);
      return c;
    });
    const normalizers = chosen.map((c) => {
      const n = normalizerFor(c.node, expected.get(c.name), namespace);
      return n === identity ? void 0 : n;
    });
    const shapes = chosen.map((c, i) => normalizers[i] === void 0 || c.node.children.length > 0 ? directColumnShape(c.node) : void 0);
    let groupStart = 0;
    for (const [g, group] of this.metadata.row_groups.entries()) {
      const rows = Number(group.num_rows);
      const start = groupStart;
      const where = () => `${this.path}: row group ${g} (rows ${start}\u2013${start + rows - 1})`;
      const readParts = async (i) => {
        const c = chosen[i];
        const parts = [];
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
            }
          });
        } catch (err) {
          throw new DataError(`${where()}: cannot read column "${c.name}": ${err.message}`);
        }
        const length = parts.reduce((n, p) => n + p.length, 0);
        if (length !== rows) throw new DataError(`${where()}: column "${c.name}" has ${length} values for ${rows} rows`);
        const normalize = normalizers[i];
        if (normalize === void 0) return parts;
        return parts.map((part) => {
          const out = new Array(part.length);
          for (let k = 0; k < part.length; k++) out[k] = normalize(part[k]);
          return out;
        });
      };
      const read = async (i) => joinParts(await readParts(i), rows);
      const hashDirect = async (i, into, orderable) => {
        const shape = shapes[i];
        const c = chosen[i];
        const meta = group.columns.find((chunk) => chunk.meta_data?.path_in_schema[0] === c.name)?.meta_data;
        if (!shape || !meta || !readsEncodings(meta)) return null;
        const begin = Number(meta.dictionary_page_offset || meta.data_page_offset);
        const bytes = new Uint8Array(await this.file.slice(begin, begin + Number(meta.total_compressed_size)));
        try {
          return hashDirectChunk(bytes, meta, shape, rows, into.seedA, into.seedB, into.outA, into.outB, orderable, compressors);
        } catch (err) {
          throw new DataError(`${where()}: cannot read column "${c.name}": ${err.message}`);
        }
      };
      yield { index: g, rows, read, readParts, hashDirect };
      groupStart += rows;
    }
  }
  async close() {
    await this.handle.close();
  }
};
var nullable = (f) => (v) => v === void 0 || v === null ? null : f(v);
var identity = (v) => v === void 0 ? null : v;
function normalizerFor(node, expected, ns) {
  const e = node.element;
  const ct = e.converted_type;
  const lt = e.logical_type;
  const inner = expected === void 0 ? void 0 : nonNullBranches(expected);
  if (node.children.length > 0) {
    if (ct === "LIST" || lt?.type === "LIST") {
      const repeated = node.children[0];
      const element = repeated.children.length === 1 ? repeated.children[0] : repeated;
      const item = normalizerFor(element, inner?.length === 1 ? itemsOf(inner[0]) : void 0, ns);
      return nullable((v) => v.map(item));
    }
    if (ct === "MAP" || ct === "MAP_KEY_VALUE" || lt?.type === "MAP") {
      const valueNode = node.children[0].children[1];
      const value = valueNode ? normalizerFor(valueNode, inner?.length === 1 ? valuesOf(inner[0]) : void 0, ns) : identity;
      return nullable((v) => {
        const o = v;
        const out = {};
        for (const k of Object.keys(o)) out[k] = value(o[k]);
        return out;
      });
    }
    if (inner && inner.length > 1 && node.children.length === inner.length && node.children.every((c, i) => c.element.name === `member${i}`)) {
      const members = node.children.map((c, i) => ({ key: c.element.name, branch: branchName(inner[i], ns), normalize: normalizerFor(c, inner[i], innerNamespace(inner[i], ns)) }));
      return nullable((v) => {
        const o = v;
        for (const m of members) {
          const x = o[m.key];
          if (x !== null && x !== void 0) return { [m.branch]: m.normalize(x) };
        }
        return null;
      });
    }
    const fields = inner?.length === 1 ? fieldsOf(inner[0]) : void 0;
    const childNs = inner?.length === 1 ? innerNamespace(inner[0], ns) : ns;
    const children = node.children.map((c) => ({ key: c.element.name, normalize: normalizerFor(c, fields?.get(c.element.name), childNs) }));
    return nullable((v) => {
      const o = v;
      const out = {};
      for (const c of children) out[c.key] = c.normalize(o[c.key]);
      return out;
    });
  }
  if (lt?.type === "DECIMAL" || ct === "DECIMAL") {
    const scale = e.scale ?? (lt?.type === "DECIMAL" ? lt.scale : 0) ?? 0;
    return nullable((v) => new Decimal(v instanceof Uint8Array ? twosComplement(v) : BigInt(v), scale));
  }
  if (lt?.type === "UUID" && e.type === "FIXED_LEN_BYTE_ARRAY") {
    return nullable((v) => {
      const hex = Buffer.from(v).toString("hex");
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    });
  }
  return identity;
}
function twosComplement(bytes) {
  if (bytes.length === 0) return 0n;
  let n = 0n;
  for (const b of bytes) n = n << 8n | BigInt(b);
  return BigInt.asIntN(bytes.length * 8, n);
}
function innerNamespace(s, ns) {
  if (typeof s !== "object" || Array.isArray(s) || typeof s.name !== "string") return ns;
  if (s.name.includes(".")) return s.name.slice(0, s.name.lastIndexOf("."));
  return s.namespace ?? ns;
}
function nonNullBranches(s) {
  if (!Array.isArray(s)) return [s];
  return s.filter((b) => b !== "null" && !(typeof b === "object" && !Array.isArray(b) && b.type === "null"));
}
function itemsOf(s) {
  return typeof s === "object" && !Array.isArray(s) && s.type === "array" ? s.items : void 0;
}
function valuesOf(s) {
  return typeof s === "object" && !Array.isArray(s) && s.type === "map" ? s.values : void 0;
}
function fieldsOf(s) {
  if (typeof s !== "object" || Array.isArray(s) || !Array.isArray(s.fields)) return void 0;
  return new Map(s.fields.map((f) => [f.name, f.type]));
}

// src/data/verify/parquet-dataset.ts
var ParquetDataset = class _ParquetDataset {
  constructor(files, columns) {
    this.files = files;
    this.columns = columns;
  }
  files;
  columns;
  /** Reads every file's metadata; refuses files whose columns differ from the first file's. */
  static async open(paths) {
    if (paths.length === 0) throw new DataError("no Parquet files to read");
    const files = [];
    let columns;
    for (const path of paths) {
      const reader = await ParquetColumnsReader.open(path);
      try {
        const shown = (cs) => cs.map((c) => `${c.name} ${c.signature}`).join(", ");
        if (columns === void 0) columns = reader.columns;
        else if (shown(reader.columns) !== shown(columns)) {
          throw new DataError(`${path}: its columns (${shown(reader.columns)}) differ from those of ${paths[0]} (${shown(columns)}); every file of the target must hold the same columns`);
        }
        files.push({ path, rows: reader.rowCount, rowGroups: reader.rowGroupCount, largestChunk: new Map(reader.columns.map((c) => [c.name, reader.largestColumnChunk([c.name])])) });
      } finally {
        await reader.close();
      }
    }
    return new _ParquetDataset(files, columns);
  }
  get rowCount() {
    return this.files.reduce((n, f) => n + f.rows, 0);
  }
  get rowGroupCount() {
    return this.files.reduce((n, f) => n + f.rowGroups, 0);
  }
  /** The largest uncompressed size of one column chunk among `names`, over all files (bytes). */
  largestColumnChunk(names) {
    let largest = 0;
    for (const f of this.files) for (const n of names) largest = Math.max(largest, f.largestChunk.get(n) ?? 0);
    return largest;
  }
  /** The named columns, row group by row group, file by file (see ParquetColumnsReader.batches). */
  async *batches(names, expected, namespace) {
    for (const f of this.files) {
      const reader = await ParquetColumnsReader.open(f.path);
      try {
        yield* reader.batches(names, expected, namespace);
      } finally {
        await reader.close();
      }
    }
  }
  /**
   * The row groups whose numbers (in the one sequence over all files) `claim` gives, in order: `claim`
   * must give increasing numbers, and -1 when there are no more. Files with no claimed group are not opened.
   */
  static async *claimedGroups(paths, names, expected, namespace, claim) {
    let wanted = claim();
    let first = 0;
    for (const path of paths) {
      if (wanted < 0) return;
      const reader = await ParquetColumnsReader.open(path);
      try {
        for (const group of reader.groups(names, expected, namespace)) {
          if (wanted < 0) return;
          if (first + group.index !== wanted) continue;
          yield group;
          wanted = claim();
        }
        first += reader.rowGroupCount;
      } finally {
        await reader.close();
      }
    }
  }
};

// src/data/verify/row-group-claims.ts
var RowGroupClaims = class {
  /** `shared`: the counter of another RowGroupClaims (see `shared`), to claim from the same sequence. */
  constructor(total, shared) {
    this.total = total;
    this.next = new Int32Array(shared ?? new SharedArrayBuffer(4));
  }
  total;
  next;
  /** The counter, to hand to another thread (structured clone shares a SharedArrayBuffer). */
  get shared() {
    return this.next.buffer;
  }
  /** The index of a row group no thread has claimed yet, or -1 when all are claimed. */
  claim() {
    const g = Atomics.add(this.next, 0, 1);
    return g < this.total ? g : -1;
  }
};

// src/data/verify/source-batches.ts
async function sourceTransform(path, steps, readOptions) {
  const reader = await AvroFileReader.open(path, readOptions);
  try {
    return compileTransform(rowSchemaOf(reader.schema), steps);
  } finally {
    await reader.close();
  }
}
function sourceBatches(path, transform, names, readOptions) {
  return async function* () {
    const reader = await AvroFileReader.open(path, readOptions);
    try {
      for await (const rows of reader.batches()) {
        const n = rows.length;
        const columns = names.map(() => new Array(n));
        for (let r = 0; r < n; r++) {
          const row = transform.identity ? rows[r] : transform.transformRecord(rows[r]);
          for (let c = 0; c < names.length; c++) columns[c][r] = row[names[c]];
        }
        yield { rows: n, columns };
      }
    } finally {
      await reader.close();
    }
  };
}

// src/data/verify/summary.ts
var BUCKET_BITS = 16;
var BUCKETS = 1 << BUCKET_BITS;
var ORDERABLE = /^(int|long|float|double|string|date|time-millis|time-micros|timestamp-millis|timestamp-micros|local-timestamp-millis|local-timestamp-micros|decimal\(\d+,\d+\))$/;
function isOrderable(signature) {
  return ORDERABLE.test(signature);
}
function compareValues(a, b) {
  if (isDecimal(a) && isDecimal(b)) return compareDecimals(a, b);
  const x = a;
  const y = b;
  return x < y ? -1 : x > y ? 1 : 0;
}
var BatchHasher = class {
  /** Columns are seeded by name only: the type signature is compared on its own (schema check), so that a
   * type change does not also flag every value. */
  constructor(specs) {
    this.specs = specs;
    this.seeds = specs.map((s) => seedOf(s.name));
  }
  specs;
  seeds;
  colA = [];
  colB = [];
  rowA = new Int32Array(0);
  rowB = new Int32Array(0);
  /** Rows in the current batch. */
  rows = 0;
  capacity = 0;
  /** Hashes a whole batch (all columns). */
  hash(batch) {
    this.begin(batch.rows);
    for (let c = 0; c < this.specs.length; c++) this.column(c, [batch.columns[c]]);
  }
  /** Starts a batch of `n` rows, whose columns are then given in order with `column`. */
  begin(n) {
    if (n > this.capacity) {
      this.capacity = Math.max(n, this.capacity * 2);
      this.colA = this.specs.map(() => new Int32Array(this.capacity));
      this.colB = this.specs.map(() => new Int32Array(this.capacity));
      this.rowA = new Int32Array(this.capacity);
      this.rowB = new Int32Array(this.capacity);
    }
    this.rows = n;
    this.rowA.fill(625341585, 0, n);
    this.rowB.fill(1540483477, 0, n);
  }
  /**
   * Hashes column `c` of the current batch, given whole or in consecutive parts (a Parquet column
   * chunk's pages), and folds it into the row hashes (columns must come in order).
   */
  column(c, parts) {
    const n = this.rows;
    const [sa, sb] = this.seeds[c];
    const ca = this.colA[c];
    const cb = this.colB[c];
    let at = 0;
    for (const part of parts) {
      if (at + part.length > n) throw new Error(`column ${this.specs[c].name}: more than ${n} values`);
      hashColumn(part, part.length, sa, sb, ca, cb, at);
      at += part.length;
    }
    if (at !== n) throw new Error(`column ${this.specs[c].name}: ${at} values for ${n} rows`);
    this.fold(c);
  }
  /** Where column `c`'s hashes of the current batch go, and its seed lanes: for a caller that hashes the values itself (then `fold(c)`). */
  hashesOf(c) {
    const [seedA, seedB] = this.seeds[c];
    return { seedA, seedB, outA: this.colA[c].subarray(0, this.rows), outB: this.colB[c].subarray(0, this.rows) };
  }
  /** Folds column `c`'s hashes into the row hashes (columns must come in order). */
  fold(c) {
    const n = this.rows;
    const ca = this.colA[c];
    const cb = this.colB[c];
    const rowA = this.rowA;
    const rowB = this.rowB;
    for (let r = 0; r < n; r++) {
      const a = ca[r];
      const b = cb[r];
      const x = fmix(Math.imul(rowA[r] ^ a, 2654435761) + b | 0);
      rowA[r] = x;
      rowB[r] = fmix(Math.imul(rowB[r] ^ b, 2246822519) + x | 0);
    }
  }
};
var SideSummary = class _SideSummary {
  /** `keyIndex`: the column rows are bucketed by (the verify key), or -1 to bucket by the whole row. */
  constructor(specs, keyIndex) {
    this.specs = specs;
    this.keyIndex = keyIndex;
    this.columns = specs.map((s) => ({ name: s.name, signature: s.signature, nulls: 0, sumA: 0, sumB: 0, min: void 0, max: void 0 }));
    this.hasher = new BatchHasher(specs);
    this.decimal = specs.map((spec) => spec.signature.startsWith("decimal("));
  }
  specs;
  keyIndex;
  rows = 0;
  rowSumA = 0;
  rowSumB = 0;
  columns;
  bucketRows = new Int32Array(BUCKETS);
  bucketA = new Int32Array(BUCKETS);
  bucketB = new Int32Array(BUCKETS);
  hasher;
  decimal;
  /** Everything the summary holds, as structured-clonable data (to cross a worker boundary). */
  toState() {
    return { rows: this.rows, rowSumA: this.rowSumA, rowSumB: this.rowSumB, columns: this.columns, bucketRows: this.bucketRows, bucketA: this.bucketA, bucketB: this.bucketB };
  }
  static fromState(specs, keyIndex, state) {
    const s = new _SideSummary(specs, keyIndex);
    s.rows = state.rows;
    s.rowSumA = state.rowSumA;
    s.rowSumB = state.rowSumB;
    s.columns.splice(0, s.columns.length, ...state.columns);
    s.bucketRows.set(state.bucketRows);
    s.bucketA.set(state.bucketA);
    s.bucketB.set(state.bucketB);
    return s;
  }
  /**
   * Folds in the summary of other rows of the same side (another thread's share of the row groups):
   * every checksum is a sum and min/max compare, so the result is the summary of all the rows together.
   */
  merge(other) {
    if (other.columns.length !== this.columns.length) throw new Error(`cannot merge a summary of ${other.columns.length} columns into one of ${this.columns.length}`);
    this.rows += other.rows;
    this.rowSumA = this.rowSumA + other.rowSumA | 0;
    this.rowSumB = this.rowSumB + other.rowSumB | 0;
    for (const [c, col] of this.columns.entries()) {
      const o = other.columns[c];
      col.nulls += o.nulls;
      col.sumA = col.sumA + o.sumA | 0;
      col.sumB = col.sumB + o.sumB | 0;
      if (o.min !== void 0 && (col.min === void 0 || compareValues(o.min, col.min) < 0)) col.min = o.min;
      if (o.max !== void 0 && (col.max === void 0 || compareValues(o.max, col.max) > 0)) col.max = o.max;
    }
    for (let k = 0; k < BUCKETS; k++) {
      this.bucketRows[k] = this.bucketRows[k] + other.bucketRows[k] | 0;
      this.bucketA[k] = this.bucketA[k] + other.bucketA[k] | 0;
      this.bucketB[k] = this.bucketB[k] + other.bucketB[k] | 0;
    }
  }
  /** Adds a batch with all its columns. */
  add(batch) {
    this.beginRows(batch.rows);
    for (let c = 0; c < this.specs.length; c++) this.addColumn(c, [batch.columns[c]]);
    this.endRows();
  }
  /**
   * Column by column: `beginRows(n)`, then `addColumn(c, values)` for every column in order (each
   * column's values may be dropped once added), then `endRows()`.
   */
  beginRows(n) {
    this.hasher.begin(n);
  }
  /** Column `c` of the current batch, whole or in consecutive parts (see BatchHasher.column). */
  addColumn(c, parts) {
    this.hasher.column(c, parts);
    const col = this.addSums(c);
    for (const values of parts) this.addStatistics(c, col, values);
  }
  /** Where column `c`'s hashes of the current batch go, for a caller that hashes its values itself (then `addHashedColumn`). */
  hashesOf(c) {
    return this.hasher.hashesOf(c);
  }
  /** Column `c` of the current batch, hashed by the caller into `hashesOf(c)`, with its null count and min/max. */
  addHashedColumn(c, stats) {
    this.hasher.fold(c);
    const col = this.addSums(c);
    col.nulls += stats.nulls;
    if (stats.min !== void 0 && (col.min === void 0 || compareValues(stats.min, col.min) < 0)) col.min = stats.min;
    if (stats.max !== void 0 && (col.max === void 0 || compareValues(stats.max, col.max) > 0)) col.max = stats.max;
  }
  /** Adds column `c`'s hashes of the current batch to its checksum. */
  addSums(c) {
    const h = this.hasher;
    const n = h.rows;
    const col = this.columns[c];
    const ca = h.colA[c];
    const cb = h.colB[c];
    let sa = col.sumA;
    let sb = col.sumB;
    for (let r = 0; r < n; r++) {
      sa = sa + ca[r] | 0;
      sb = sb + cb[r] | 0;
    }
    col.sumA = sa;
    col.sumB = sb;
    return col;
  }
  /** Null count and min/max of some values of column `c`. */
  addStatistics(c, col, values) {
    const n = values.length;
    let nulls = col.nulls;
    if (this.decimal[c]) {
      let min = col.min;
      let max = col.max;
      for (let r = 0; r < n; r++) {
        const v = values[r];
        if (v === null || v === void 0) {
          nulls++;
          continue;
        }
        if (min === void 0 || compareValues(v, min) < 0) min = v;
        if (max === void 0 || compareValues(v, max) > 0) max = v;
      }
      col.min = min;
      col.max = max;
    } else if (this.specs[c].orderable && values instanceof BigInt64Array) {
      if (n > 0) {
        const [lo, hi] = int64Extremes(values);
        const vmin = values[lo];
        const vmax = values[hi];
        if (col.min === void 0 || vmin < col.min) col.min = vmin;
        if (col.max === void 0 || vmax > col.max) col.max = vmax;
      }
    } else if (this.specs[c].orderable) {
      let min = col.min;
      let max = col.max;
      for (let r = 0; r < n; r++) {
        const v = values[r];
        if (v === null || v === void 0) {
          nulls++;
          continue;
        }
        if (min === void 0) {
          if (v !== v) continue;
          min = v;
          max = v;
        } else if (v < min) min = v;
        else if (v > max) max = v;
      }
      col.min = min;
      col.max = max;
    } else if (!ArrayBuffer.isView(values)) {
      for (let r = 0; r < n; r++) if (values[r] === null || values[r] === void 0) nulls++;
    }
    col.nulls = nulls;
  }
  endRows() {
    const h = this.hasher;
    const n = h.rows;
    const bucketBy = this.keyIndex >= 0 ? h.colB[this.keyIndex] : h.rowB;
    let ra = this.rowSumA;
    let rb = this.rowSumB;
    for (let r = 0; r < n; r++) {
      const a = h.rowA[r];
      const b = h.rowB[r];
      ra = ra + a | 0;
      rb = rb + b | 0;
      const k = bucketBy[r] & BUCKETS - 1;
      this.bucketRows[k]++;
      this.bucketA[k] = this.bucketA[k] + a | 0;
      this.bucketB[k] = this.bucketB[k] + b | 0;
    }
    this.rowSumA = ra;
    this.rowSumB = rb;
    this.rows += n;
  }
};
function int64Extremes(values) {
  if (!LITTLE_ENDIAN3) {
    let lo2 = 0;
    let hi2 = 0;
    for (let r = 1; r < values.length; r++) {
      if (values[r] < values[lo2]) lo2 = r;
      else if (values[r] > values[hi2]) hi2 = r;
    }
    return [lo2, hi2];
  }
  const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  let lo = 0;
  let hi = 0;
  let loHigh = words[1];
  let loLow = words[0] >>> 0;
  let hiHigh = loHigh;
  let hiLow = loLow;
  for (let r = 1; r < values.length; r++) {
    const high = words[2 * r + 1];
    const low = words[2 * r] >>> 0;
    if (high < loHigh || high === loHigh && low < loLow) {
      lo = r;
      loHigh = high;
      loLow = low;
    } else if (high > hiHigh || high === hiHigh && low > hiLow) {
      hi = r;
      hiHigh = high;
      hiLow = low;
    }
  }
  return [lo, hi];
}
var LITTLE_ENDIAN3 = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
function bucketOf(hasher, keyIndex, r) {
  return (keyIndex >= 0 ? hasher.colB[keyIndex][r] : hasher.rowB[r]) & BUCKETS - 1;
}

// src/data/verify/summarize.ts
async function summarizeSide(input) {
  return input.side === "source" ? summarizeSource(input) : summarizeTarget(input);
}
async function summarizeSource(input) {
  const summary = new SideSummary(input.specs, input.keyIndex);
  for (const path of input.paths) {
    const transform = await sourceTransform(path, input.steps, input.readOptions);
    for await (const batch of sourceBatches(path, transform, input.names, input.readOptions)()) summary.add(batch);
  }
  return summary;
}
async function summarizeTarget(input) {
  const claims = new RowGroupClaims(input.rowGroups ?? Number.MAX_SAFE_INTEGER, input.claims);
  const summary = new SideSummary(input.specs, input.keyIndex);
  for await (const group of ParquetDataset.claimedGroups(input.paths, input.names, new Map(input.fieldTypes), input.namespace, () => claims.claim())) {
    summary.beginRows(group.rows);
    for (let c = 0; c < input.names.length; c++) {
      const stats = await group.hashDirect(c, summary.hashesOf(c), input.specs[c].orderable);
      if (stats) summary.addHashedColumn(c, stats);
      else summary.addColumn(c, await group.readParts(c));
    }
    summary.endRows();
  }
  return summary;
}

export {
  hex64,
  avroFieldSignatures,
  ParquetDataset,
  RowGroupClaims,
  BUCKETS,
  isOrderable,
  compareValues,
  BatchHasher,
  SideSummary,
  bucketOf,
  sourceTransform,
  sourceBatches,
  summarizeSide
};
