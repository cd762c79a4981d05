/**
 * A fast 64-bit hash (two 32-bit lanes) of a value in Fleetwave's value model
 * (src/data/transform/values.ts). The hash follows the value, not its JS container: an int 5 and a
 * long 5n hash alike, so do a Buffer and a Uint8Array with the same bytes; what tells columns of
 * different types apart is the column's seed (its type signature), given by the caller.
 *
 * Not cryptographic: it must only make accidental equality of different values (2^-64) negligible.
 * The state lives in module variables so that hashing allocates nothing.
 */

let h1 = 0;
let h2 = 0;

/** The two lanes of the last `hashValue` call. */
export let outA = 0;
export let outB = 0;

const TAG_NULL = 0x6e756c6c;
const TAG_FALSE = 0x66616c73;
const TAG_TRUE = 0x74727565;
const TAG_INT = 0x696e7420;
const TAG_BIGINT = 0x62696720;
const TAG_FLOAT = 0x666c7420;
const TAG_STRING = 0x73747220;
const TAG_BYTES = 0x62797420;
const TAG_DECIMAL = 0x64656320;
const TAG_ARRAY = 0x61727220;
const TAG_OBJECT = 0x6f626a20;
const TAG_END = 0x656e6420;

function add(k: number): void {
  let a = Math.imul(h1 ^ k, 0x9e3779b1);
  a = (a << 15) | (a >>> 17);
  h1 = a;
  let b = Math.imul(h2 ^ k, 0x85ebca77);
  b = (b << 13) | (b >>> 19);
  h2 = (b + a) | 0;
}

/** Murmur3's 32-bit finalizer. */
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const TWO_32 = 4294967296;

function addString(s: string): void {
  const n = s.length;
  add(TAG_STRING ^ n);
  // The same steps as add(), on local copies of the lanes (faster in this hot loop).
  let x = h1;
  let y = h2;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const k = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
    let a = Math.imul(x ^ k, 0x9e3779b1);
    a = (a << 15) | (a >>> 17);
    x = a;
    let b = Math.imul(y ^ k, 0x85ebca77);
    b = (b << 13) | (b >>> 19);
    y = (b + a) | 0;
  }
  h1 = x;
  h2 = y;
  if (i < n) add(s.charCodeAt(i));
}

function addInteger(n: number): void {
  add(TAG_INT);
  add(n | 0);
  add(Math.floor(n / TWO_32) | 0);
}

function walk(v: unknown): void {
  switch (typeof v) {
    case 'string':
      addString(v);
      return;
    case 'number':
      hashAddNumber(v);
      return;
    case 'bigint': {
      const n = Number(v); // exact exactly when the result is a safe integer
      if (Number.isSafeInteger(n)) addInteger(n);
      else {
        add(TAG_BIGINT);
        addString(v.toString());
      }
      return;
    }
    case 'boolean':
      add(v ? TAG_TRUE : TAG_FALSE);
      return;
    case 'undefined':
      add(TAG_NULL);
      return;
    case 'object':
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
    for (; i + 3 < n; i += 4) add(v[i]! | (v[i + 1]! << 8) | (v[i + 2]! << 16) | (v[i + 3]! << 24));
    for (; i < n; i++) add(v[i]!);
    return;
  }
  if (Array.isArray(v)) {
    add(TAG_ARRAY ^ v.length);
    for (const x of v) walk(x);
    add(TAG_END);
    return;
  }
  const o = v as Record<string, unknown>;
  if (typeof o.unscaled === 'bigint' && typeof o.scale === 'number') {
    add(TAG_DECIMAL ^ o.scale);
    walk(o.unscaled);
    return;
  }
  // A record, a map or a wrapped union: keys in sorted order, so a map's entry order does not count.
  const keys = Object.keys(o).sort();
  add(TAG_OBJECT ^ keys.length);
  for (const k of keys) {
    addString(k);
    walk(o[k]);
  }
  add(TAG_END);
}

/**
 * Hashing a value piece by piece, for readers that never build the value (see parquet-direct-hashes.ts):
 * `hashBegin`, then the pieces in the order `walk` would add them, then `hashEnd`; the result is in
 * `outA` / `outB`, the same as `hashValue` of the whole value.
 */
export function hashBegin(seedA: number, seedB: number): void {
  h1 = seedA;
  h2 = seedB;
}

/** A null (or absent) value. */
export function hashAddNull(): void {
  add(TAG_NULL);
}

/** The start of an array of `n` items (each then added), ended by `hashAddArrayEnd`. */
export function hashAddArrayStart(n: number): void {
  add(TAG_ARRAY ^ n);
}

export function hashAddArrayEnd(): void {
  add(TAG_END);
}

/** A number (an int, a float or a double), as `walk` adds it. */
export function hashAddNumber(v: number): void {
  if (Number.isSafeInteger(v)) addInteger(v);
  else {
    add(TAG_FLOAT);
    f64[0] = Number.isNaN(v) ? Number.NaN : v;
    add(u32[0]!);
    add(u32[1]!);
  }
}

/** A 64-bit integer given as its low and high 32-bit words (signed), as `walk` adds the bigint. */
export function hashAddInt64(lo: number, hi: number): void {
  // |value| < 2^53 - 2^32: a safe integer whose words are its own; the rest (rare) as a bigint
  if (hi > -2097152 && hi < 2097151) {
    add(TAG_INT);
    add(lo);
    add(hi);
  } else walk((BigInt(hi) << 32n) | BigInt(lo >>> 0));
}

export function hashAddBoolean(v: boolean): void {
  add(v ? TAG_TRUE : TAG_FALSE);
}

/**
 * UTF-8 as the source side has it: a leading byte order mark is part of the string (TextDecoder's
 * default, and hyparquet's string decoder, drop it). Verify decodes every Parquet string with this.
 */
export const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * The string that the UTF-8 bytes `bytes[start, end)` decode to (as TextDecoder decodes them, keeping a byte order mark), without
 * decoding it when it is ASCII: ASCII bytes are the string's UTF-16 code units.
 */
export function hashAddUtf8(bytes: Uint8Array, start: number, end: number): void {
  const n = end - start;
  for (let i = start; i < end; i++) {
    if (bytes[i]! > 0x7f) {
      addString(utf8Decoder.decode(bytes.subarray(start, end)));
      return;
    }
  }
  add(TAG_STRING ^ n);
  let x = h1;
  let y = h2;
  let i = start;
  for (; i + 1 < end; i += 2) {
    const k = bytes[i]! | (bytes[i + 1]! << 16);
    let a = Math.imul(x ^ k, 0x9e3779b1);
    a = (a << 15) | (a >>> 17);
    x = a;
    let b = Math.imul(y ^ k, 0x85ebca77);
    b = (b << 13) | (b >>> 19);
    y = (b + a) | 0;
  }
  h1 = x;
  h2 = y;
  if (i < end) add(bytes[i]!);
}

export function hashEnd(): void {
  finish();
}

/** Hashes `v` with the seed lanes; the result is in `outA` / `outB`. */
export function hashValue(v: unknown, seedA: number, seedB: number): void {
  h1 = seedA;
  h2 = seedB;
  walk(v);
  finish();
}

/**
 * Hashes `n` values of one column with the seed lanes into `outA[at + r]` / `outB[at + r]`: the same results as
 * `hashValue` value by value, with fast paths that skip the generic walk (and, for 64-bit integer
 * arrays, the BigInt each element read would allocate): BigInt64Array, Float64Array, Float32Array,
 * Int32Array, and plain arrays of strings, bigints, numbers and nulls.
 */
export function hashColumn(
  values: ArrayLike<unknown>,
  n: number,
  seedA: number,
  seedB: number,
  outA: Int32Array,
  outB: Int32Array,
  at = 0,
): void {
  if (at !== 0) {
    hashColumn(values, n, seedA, seedB, outA.subarray(at), outB.subarray(at));
    return;
  }
  if (values instanceof BigInt64Array && LITTLE_ENDIAN) return hashInt64s(values, n, seedA, seedB, outA, outB);
  if (values instanceof Float64Array || values instanceof Float32Array) {
    for (let r = 0; r < n; r++) {
      hashNumber(values[r]!, seedA, seedB);
      outA[r] = h1;
      outB[r] = h2;
    }
    return;
  }
  if (values instanceof Int32Array) {
    for (let r = 0; r < n; r++) {
      const v = values[r]!;
      hashInt(v, v >> 31, seedA, seedB);
      outA[r] = h1;
      outB[r] = h2;
    }
    return;
  }
  for (let r = 0; r < n; r++) {
    const v = values[r];
    if (typeof v === 'string') {
      h1 = seedA;
      h2 = seedB;
      addString(v);
      finish();
    } else if (typeof v === 'bigint') {
      const x = Number(v);
      if (Number.isSafeInteger(x)) hashInt(x | 0, Math.floor(x / TWO_32) | 0, seedA, seedB);
      else hashValue(v, seedA, seedB);
    } else if (typeof v === 'number') {
      hashNumber(v, seedA, seedB);
    } else if (v === null || v === undefined) {
      h1 = seedA;
      h2 = seedB;
      add(TAG_NULL);
      finish();
    } else {
      hashValue(v, seedA, seedB);
    }
    outA[r] = h1;
    outB[r] = h2;
  }
}

/** The finalizer of hashValue, leaving the result in h1 / h2 (and outA / outB). */
function finish(): void {
  const a = fmix(h1 ^ h2);
  const b = fmix(h2 + Math.imul(h1, 0x27d4eb2d));
  h1 = outA = a;
  h2 = outB = b;
}

/** hashValue of an integer given as its low and high 32-bit words. */
function hashInt(lo: number, hi: number, seedA: number, seedB: number): void {
  h1 = seedA;
  h2 = seedB;
  add(TAG_INT);
  add(lo);
  add(hi);
  finish();
}

function hashNumber(v: number, seedA: number, seedB: number): void {
  if (Number.isSafeInteger(v)) {
    hashInt(v | 0, Math.floor(v / TWO_32) | 0, seedA, seedB);
    return;
  }
  h1 = seedA;
  h2 = seedB;
  add(TAG_FLOAT);
  f64[0] = Number.isNaN(v) ? Number.NaN : v;
  add(u32[0]!);
  add(u32[1]!);
  finish();
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** 64-bit integers read as pairs of 32-bit words (low word first on a little-endian machine). */
function hashInt64s(values: BigInt64Array, n: number, seedA: number, seedB: number, outA: Int32Array, outB: Int32Array): void {
  const words = new Int32Array(values.buffer, values.byteOffset, n * 2);
  for (let r = 0; r < n; r++) {
    const lo = words[2 * r]!;
    const hi = words[2 * r + 1]!;
    // |value| < 2^53 - 2^32: a safe integer whose words are its own; the rest (rare) takes the generic path.
    if (hi > -2097152 && hi < 2097151) hashInt(lo, hi, seedA, seedB);
    else hashValue(values[r], seedA, seedB);
    outA[r] = h1;
    outB[r] = h2;
  }
}

/** Two 32-bit seed lanes from a text (a column's name and type signature). */
export function seedOf(text: string): [number, number] {
  hashValue(text, 0x12345678, 0x9abcdef0 | 0);
  return [outA, outB];
}

/** 64-bit text of two lanes (for reports). */
export function hex64(a: number, b: number): string {
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
