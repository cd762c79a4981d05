/**
 * Builds avsc types that read Avro into Fleetwave's value model (docs/data.md, "The value model"):
 *
 * | Avro                         | JS value                                                       |
 * | ---------------------------- | -------------------------------------------------------------- |
 * | null, boolean, string        | null, boolean, string                                          |
 * | int, float, double           | number                                                         |
 * | long                         | bigint (always, so 64-bit ids stay exact)                      |
 * | bytes, fixed                 | Buffer                                                         |
 * | enum                         | string (the symbol)                                            |
 * | array / map / record         | Array / object with no prototype (Object.create(null), so a   |
 * |                              | key such as `__proto__` is kept) / object with the fields      |
 * | union of null and one type   | null or the value                                              |
 * | any other union              | `{ "<branch name>": value }` (Avro's JSON encoding) or null    |
 * | decimal (bytes or fixed)     | Decimal (exact: bigint unscaled + scale)                       |
 * | other logical types          | their underlying value: date → number (days), time-millis →    |
 * |                              | number, time-micros / timestamp-* / local-timestamp-* → bigint |
 * |                              | in the type's unit (millis, micros, nanos), uuid → string      |
 *
 * Strings (values and map keys) must be valid UTF-8: an invalid one is an InvalidUtf8Error naming
 * its byte offset in the block, never replaced by U+FFFD. Names with `$` (Java's reflect API writes
 * `Outer$.Inner`), which avsc refuses, are given to avsc with each `$` as DOLLAR (see `avscNames`).
 */
import avro from 'avsc';
import { Decimal } from './decimal.js';

/** An Avro schema as JSON (a type name, a union array, or a type object). */
export type AvroSchema = string | AvroSchema[] | AvroSchemaObject;
export interface AvroSchemaObject {
  type: string | AvroSchema[] | AvroSchemaObject;
  name?: string;
  namespace?: string;
  fields?: AvroField[];
  symbols?: string[];
  items?: AvroSchema;
  values?: AvroSchema;
  size?: number;
  logicalType?: string;
  precision?: number;
  scale?: number;
  [extra: string]: unknown;
}
export interface AvroField {
  name: string;
  type: AvroSchema;
  default?: unknown;
  doc?: string;
  aliases?: string[];
  order?: string;
}

/** A value in the model above. */
export type AvroValue = null | boolean | number | bigint | string | Uint8Array | Decimal | AvroValue[] | { [key: string]: AvroValue };

/** One row: a record's fields by name. */
export type AvroRecord = { [field: string]: AvroValue };

interface Tap {
  buf: Buffer;
  pos: number;
  isValid(): boolean;
  readLong(): number;
  _invalidate(): void;
}

/** An Avro string (a value or a map key) that is not valid UTF-8, at `offset` in the decoded block. */
export class InvalidUtf8Error extends Error {
  constructor(
    /** Byte offset of the string's first byte in the block's decompressed bytes. */
    readonly offset: number,
    /** Offset of the first invalid byte within the string. */
    readonly at: number,
    readonly length: number,
    readonly bytes: string,
  ) {
    super(`invalid UTF-8 in a string of ${length} bytes at byte ${offset} of the block's decompressed bytes (its byte ${at}: ${bytes})`);
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The first invalid byte of a UTF-8 sequence (Unicode 15, Table 3-7), or -1. Only on the error path. */
function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const c = b[i]!;
    let n = 0;
    let lo = 0x80;
    let hi = 0xbf;
    if (c < 0x80) n = 0;
    else if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c === 0xe0) [n, lo] = [2, 0xa0];
    else if (c >= 0xe1 && c <= 0xef) [n, hi] = [2, c === 0xed ? 0x9f : 0xbf];
    else if (c === 0xf0) [n, lo] = [3, 0x90];
    else if (c >= 0xf1 && c <= 0xf3) n = 3;
    else if (c === 0xf4) [n, hi] = [3, 0x8f];
    else return i;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return -1;
}

/**
 * Reads a string as avsc's Tap.readString does, but refuses invalid UTF-8: Node's decoding (fast)
 * replaces invalid sequences by U+FFFD, so a result holding U+FFFD is decoded again with a fatal
 * TextDecoder, which throws on invalid bytes and accepts a genuine U+FFFD.
 */
function readUtf8(tap: Tap): string | undefined {
  const len = tap.readLong();
  if (len < 0) {
    tap._invalidate();
    return '';
  }
  const pos = tap.pos;
  const buf = tap.buf;
  tap.pos += len;
  if (tap.pos > buf.length) return undefined;
  const s = buf.toString('utf8', pos, pos + len);
  if (s.indexOf('\uFFFD') !== -1) {
    const bytes = buf.subarray(pos, pos + len);
    try {
      strictUtf8.decode(bytes);
    } catch {
      const at = Math.max(0, firstInvalidUtf8(bytes));
      const shown = [...bytes.subarray(at, at + 4)].map((x) => `0x${x.toString(16).padStart(2, '0')}`).join(' ');
      throw new InvalidUtf8Error(pos, at, len, shown);
    }
  }
  return s;
}

const LongType = (avro.types as unknown as { LongType: { __with(m: object, noUnpack?: boolean): object } }).LongType;
// avsc's abstract long class is not exported; take it from an instance to subclass it.
const AbstractLongType = Object.getPrototypeOf(
  LongType.__with({
    toBuffer: () => Buffer.alloc(8),
    fromBuffer: () => 0,
    fromJSON: Number,
    toJSON: Number,
    isValid: () => true,
    compare: () => 0,
  }),
).constructor as new (noUnpack: boolean) => object;

const TWO_POW_49 = 2 ** 49;

/** Zig-zag varint long read straight into a bigint (no intermediate buffer). */
function readBigLong(tap: Tap): bigint | undefined {
  const buf = tap.buf;
  let pos = tap.pos;
  let n = 0;
  let mul = 1;
  let b = 0;
  let i = 0;
  // Up to 7 bytes (49 bits) stay in exact float arithmetic.
  do {
    b = buf[pos++] as number;
    if (b === undefined) {
      tap.pos = pos;
      return undefined;
    }
    n += (b & 0x7f) * mul;
    mul *= 128;
    i++;
  } while (b & 0x80 && i < 7);
  if (!(b & 0x80)) {
    tap.pos = pos;
    return n % 2 ? -BigInt((n + 1) / 2) : BigInt(n / 2);
  }
  let big = BigInt(n);
  let shift = 49n;
  do {
    b = buf[pos++] as number;
    if (b === undefined) {
      tap.pos = pos;
      return undefined;
    }
    big |= BigInt(b & 0x7f) << shift;
    shift += 7n;
  } while (b & 0x80 && shift < 70n);
  tap.pos = pos;
  big = BigInt.asUintN(64, big);
  return BigInt.asIntN(64, (big >> 1n) ^ -(big & 1n));
}

function writeBigLong(tap: Tap, value: bigint): void {
  let z = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
  const buf = tap.buf;
  if (z < BigInt(TWO_POW_49)) {
    let n = Number(z);
    while (n >= 0x80) {
      buf[tap.pos++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    buf[tap.pos++] = n;
    return;
  }
  while (z >= 0x80n) {
    buf[tap.pos++] = Number(z & 0x7fn) | 0x80;
    z >>= 7n;
  }
  buf[tap.pos++] = Number(z);
}

const MIN_LONG = -(2n ** 63n);
const MAX_LONG = 2n ** 63n - 1n;

class BigIntLongType extends AbstractLongType {
  constructor() {
    super(false);
    const self = this as unknown as Record<string, unknown>;
    self._isValid = (v: unknown) => typeof v === 'bigint' && v >= MIN_LONG && v <= MAX_LONG;
    self._fromJSON = (v: unknown) => BigInt(v as string | number);
    self._toJSON = (v: bigint) => (v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v.toString());
    self._toBuffer = (v: bigint) => {
      const b = Buffer.alloc(8);
      b.writeBigInt64LE(v);
      return b;
    };
    self._fromBuffer = (b: Buffer) => b.readBigInt64LE();
    self.compare = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
    Object.freeze(this);
  }
  _read(tap: Tap): bigint | undefined {
    return readBigLong(tap);
  }
  _write(tap: Tap, v: unknown): void {
    if (typeof v === 'number' && Number.isSafeInteger(v)) v = BigInt(v);
    if (typeof v !== 'bigint' || v < MIN_LONG || v > MAX_LONG) throw new Error(`invalid "long": ${String(v)}`);
    writeBigLong(tap, v);
  }
}

const LogicalType = (avro.types as unknown as { LogicalType: new (schema: unknown, opts: unknown) => object }).LogicalType;

/**
 * A decimal logical type's precision and scale when they are valid (the specification: precision a
 * positive integer, scale from 0 to precision, and on a fixed no more digits than its bytes hold);
 * undefined otherwise, and then, as the specification says, the logical type is ignored: the value is
 * its bytes or fixed. Every part of src/data decides by this one function.
 */
export function decimalParams(s: AvroSchema): { precision: number; scale: number } | undefined {
  if (typeof s !== 'object' || Array.isArray(s)) return undefined;
  const precision = s.precision;
  const scale = s.scale ?? 0;
  if (typeof precision !== 'number' || !Number.isInteger(precision) || precision < 1) return undefined;
  if (typeof scale !== 'number' || !Number.isInteger(scale) || scale < 0 || scale > precision) return undefined;
  if (s.type === 'fixed') {
    const size = s.size ?? 0;
    const maxPrecision = Math.floor(Math.log10(2) * (8 * size - 1));
    if (precision > maxPrecision) return undefined;
  }
  return { precision, scale };
}

/** Avro decimal (on bytes or fixed) as an exact Decimal; an invalid one is refused here, and avsc reads the underlying type. */
class DecimalType extends LogicalType {
  readonly precision: number;
  readonly scale: number;
  readonly size: number | undefined;
  constructor(schema: AvroSchemaObject, opts: unknown) {
    super(schema, opts);
    this.precision = schema.precision ?? 0;
    this.scale = schema.scale ?? 0;
    this.size = schema.type === 'fixed' ? schema.size : undefined;
    if (!decimalParams(schema)) throw new Error('not a valid decimal: the logical type is ignored');
  }
  _fromValue(buf: Buffer): Decimal {
    return Decimal.fromTwosComplement(buf, this.scale);
  }
  _toValue(val: unknown): Buffer {
    const d = val instanceof Decimal ? val : typeof val === 'string' ? Decimal.parse(val) : undefined;
    if (!d) throw new Error(`not a decimal: ${String(val)}`);
    if (d.scale !== this.scale) throw new Error(`decimal ${d.toString()} has scale ${d.scale}, the type has scale ${this.scale}`);
    return Buffer.from(d.toTwosComplement(this.size));
  }
  _resolve(type: { typeName: string; scale?: number; precision?: number }): ((v: unknown) => unknown) | undefined {
    if (type instanceof DecimalType && type.scale === this.scale) return (v) => v;
    return undefined;
  }
}

/** The avsc type for a schema, reading into the value model above. */
export type AvroType = avro.Type;

function isNullBranch(s: AvroSchema): boolean {
  return s === 'null' || (typeof s === 'object' && !Array.isArray(s) && s.type === 'null');
}

/** `["null", T]` or `[T, "null"]`: the value or null. */
export function isNullableUnion(schema: AvroSchema): schema is [AvroSchema, AvroSchema] {
  return Array.isArray(schema) && schema.length === 2 && schema.some(isNullBranch) && !schema.every(isNullBranch);
}

const builtins = avro.types as unknown as {
  UnwrappedUnionType: new (schema: unknown, opts: unknown) => avro.Type;
  WrappedUnionType: new (schema: unknown, opts: unknown) => avro.Type;
  StringType: new () => object;
  MapType: new (schema: unknown, opts: unknown) => object;
};

/** avsc's string type reading strict UTF-8 (readUtf8). Resolution (string or bytes to string) reads through `_read` too. */
class StrictStringType extends builtins.StringType {
  _read(tap: Tap): string | undefined {
    return readUtf8(tap);
  }
}

/**
 * avsc's map type reading into an object with no prototype, so every key is an own entry: on a plain
 * object `__proto__` would set the prototype (the entry lost), and keys strictly UTF-8. Resolution
 * (map to map) reads through `_read` with the resolver as `this`, so it takes `this.valuesType`.
 */
class NullPrototypeMapType extends builtins.MapType {
  _read(this: { valuesType: { _read(tap: Tap): AvroValue } }, tap: Tap): { [key: string]: AvroValue } {
    const values = this.valuesType;
    const val = Object.create(null) as { [key: string]: AvroValue };
    for (;;) {
      let n = tap.readLong();
      if (n === 0) return val;
      if (n < 0) {
        n = -n;
        tap.readLong(); // the block's size in bytes
      }
      while (n--) {
        const key = readUtf8(tap);
        if (key === undefined) return val; // past the end: the tap is invalid, the caller says so
        val[key] = values._read(tap);
      }
    }
  }
}

/** The letters a `$` in a name is given to avsc as (avsc allows only `[A-Za-z_][A-Za-z0-9_]*` per name part). */
export const DOLLAR = '_x24_';

const NAMED = new Set(['record', 'error', 'enum', 'fixed']);

/**
 * The schema with each `$` in a type's name, namespace, aliases and references written as DOLLAR, for
 * avsc. Java's reflect API names nested classes `Outer$Inner` and Scala objects `Outer$`; Java's and
 * fastavro's readers accept them. The same schema is returned when it has no `$` (the common case).
 */
export function avscNames(schema: AvroSchema): AvroSchema {
  if (!JSON.stringify(schema).includes('$')) return schema;
  const fix = (n: string) => n.split('$').join(DOLLAR);
  const walk = (s: AvroSchema): AvroSchema => {
    if (typeof s === 'string') return fix(s);
    if (Array.isArray(s)) return s.map(walk);
    const out: AvroSchemaObject = { ...s, type: walk(s.type) as AvroSchemaObject['type'] };
    if (typeof s.type === 'string' && NAMED.has(s.type)) {
      if (s.name !== undefined) out.name = fix(s.name);
      if (s.namespace !== undefined) out.namespace = fix(s.namespace);
      if (Array.isArray(s.aliases)) out.aliases = (s.aliases as string[]).map(fix);
    }
    if (s.fields) out.fields = s.fields.map((f) => ({ ...f, type: walk(f.type) }));
    if (s.items !== undefined) out.items = walk(s.items);
    if (s.values !== undefined) out.values = walk(s.values);
    return out;
  };
  return walk(schema);
}

function typeHook(schema: unknown, opts: unknown): avro.Type | undefined {
  const type = typeof schema === 'object' && schema !== null && !Array.isArray(schema) ? (schema as AvroSchemaObject).type : schema;
  if (type === 'long') return new BigIntLongType() as unknown as avro.Type;
  if (type === 'string') return new StrictStringType() as unknown as avro.Type;
  if (type === 'map') return new NullPrototypeMapType(schema, opts) as unknown as avro.Type;
  if (Array.isArray(schema)) {
    const nullableOrSingle = isNullableUnion(schema as AvroSchema) || schema.length === 1;
    return nullableOrSingle ? new builtins.UnwrappedUnionType(schema, opts) : new builtins.WrappedUnionType(schema, opts);
  }
  return undefined;
}

/** Parses a schema into an avsc type using the value model. Throws avsc's error on an invalid schema. */
export function avroType(schema: AvroSchema): AvroType {
  return avro.Type.forSchema(avscNames(schema) as avro.Schema, {
    typeHook: typeHook as never,
    logicalTypes: { decimal: DecimalType as never },
    // An invalid decimal (scale above precision, more digits than its fixed holds) reads as its underlying type, as the specification says.
    assertLogicalTypes: false,
  });
}

/**
 * The name a union branch carries in the wrapped form `{ name: value }`: a primitive's name or a named
 * type's full name (a `$` in it written as DOLLAR, as avsc names the branch).
 */
export function branchName(schema: AvroSchema, namespace?: string): string {
  return unionBranchName(schema, namespace).split('$').join(DOLLAR);
}

function unionBranchName(schema: AvroSchema, namespace?: string): string {
  if (typeof schema === 'string') return schema.includes('.') || !namespace || isPrimitiveName(schema) ? schema : `${namespace}.${schema}`;
  if (Array.isArray(schema)) throw new Error('a union cannot directly contain a union');
  if (typeof schema.type === 'string' && ['record', 'error', 'enum', 'fixed'].includes(schema.type) && schema.name) {
    const ns = schema.namespace ?? namespace;
    return schema.name.includes('.') || !ns ? schema.name : `${ns}.${schema.name}`;
  }
  return typeof schema.type === 'string' ? schema.type : unionBranchName(schema.type, namespace);
}

function isPrimitiveName(name: string): boolean {
  return ['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'].includes(name);
}
