/**
 * Columnar builders: values in Fleetwave's value model (src/data/avro/types.ts) go in row by row,
 * Apache Arrow `Data` comes out, one row group at a time. Buffers are plain typed arrays that grow by
 * doubling and are dropped at `finish()`, so memory is bounded by one row group.
 */
import {
  Binary,
  Bool,
  DateDay,
  Decimal as ArrowDecimal,
  Field,
  FixedSizeBinary,
  Float32,
  Float64,
  Int32,
  Int64,
  List,
  Map_,
  Null,
  Struct,
  TimeMicrosecond,
  TimeMillisecond,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  Utf8,
  Data,
  makeData,
  type DataType,
} from 'apache-arrow';
import { Decimal } from '../avro/decimal.js';
import type { AvroValue } from '../avro/types.js';

/** Thrown with the column path when a value does not fit its column; the writer adds file and row. */
export class ValueError extends Error {}

export interface ColumnBuilder {
  readonly type: DataType;
  readonly nullable: boolean;
  /** Appends a value (null only when nullable). */
  append(value: AvroValue | undefined): void;
  /** Appends a placeholder under a null parent: null if nullable, else a zero value. */
  appendPlaceholder(): void;
  readonly length: number;
  /** Returns the column's Arrow data and resets the builder for the next row group. */
  finish(): Data;
}

class Bitmap {
  bytes = new Uint8Array(64);
  nulls = 0;
  set(i: number, valid: boolean): void {
    if (i >> 3 >= this.bytes.length) this.grow(i >> 3);
    if (valid) this.bytes[i >> 3]! |= 1 << (i & 7);
    else {
      this.bytes[i >> 3]! &= ~(1 << (i & 7));
      this.nulls++;
    }
  }
  private grow(min: number): void {
    const next = new Uint8Array(Math.max(min + 1, this.bytes.length * 2));
    next.set(this.bytes);
    this.bytes = next;
  }
  /** Copies out the first `length` bits; the buffer is kept for the next row group (every bit is rewritten by `set`). */
  take(length: number): { bitmap: Uint8Array; nulls: number } {
    const out = { bitmap: this.bytes.slice(0, (length + 7) >> 3), nulls: this.nulls };
    this.nulls = 0;
    return out;
  }
}

type TypedArray = Int32Array | BigInt64Array | Float32Array | Float64Array | Uint8Array | Uint32Array;
function grow<T extends TypedArray>(arr: T, min: number): T {
  const Ctor = arr.constructor as new (n: number) => T;
  const next = new Ctor(Math.max(min, arr.length * 2));
  next.set(arr as never);
  return next;
}

abstract class Base implements ColumnBuilder {
  length = 0;
  protected validity: Bitmap | undefined;
  constructor(
    readonly type: DataType,
    readonly nullable: boolean,
    protected readonly path: string,
  ) {
    if (nullable) this.validity = new Bitmap();
  }
  append(value: AvroValue | undefined): void {
    if (value === null || value === undefined) {
      if (!this.validity) throw new ValueError(`${this.path}: null in a column that does not allow null`);
      this.validity.set(this.length, false);
      this.pushZero();
    } else {
      this.validity?.set(this.length, true);
      this.push(value);
    }
    this.length++;
  }
  appendPlaceholder(): void {
    this.validity?.set(this.length, false);
    this.pushZero();
    this.length++;
  }
  protected abstract push(value: NonNullable<AvroValue>): void;
  protected abstract pushZero(): void;
  protected abstract data(length: number, nullBitmap: Uint8Array | undefined, nullCount: number): Data;
  finish(): Data {
    const length = this.length;
    const v = this.validity?.take(length);
    this.length = 0;
    return this.data(length, v && v.nulls ? v.bitmap : undefined, v?.nulls ?? 0);
  }
  protected fail(value: unknown, expected: string): never {
    const shown =
      typeof value === 'bigint' ? `${value}n` : typeof value === 'object' ? (value?.constructor?.name ?? 'object') : JSON.stringify(value);
    throw new ValueError(`${this.path}: expected ${expected}, got ${shown}`);
  }
}

class FixedWidthBuilder<A extends Int32Array | Float32Array | Float64Array> extends Base {
  private values: A;
  constructor(
    type: DataType,
    nullable: boolean,
    path: string,
    private readonly make: (n: number) => A,
    private readonly check: (v: unknown) => v is number,
    private readonly expected: string,
  ) {
    super(type, nullable, path);
    this.values = make(1024);
  }
  protected push(value: NonNullable<AvroValue>): void {
    if (!this.check(value)) this.fail(value, this.expected);
    if (this.length >= this.values.length) this.values = grow(this.values, this.length + 1);
    this.values[this.length] = value;
  }
  protected pushZero(): void {
    if (this.length >= this.values.length) this.values = grow(this.values, this.length + 1);
    this.values[this.length] = 0;
  }
  protected data(length: number, nullBitmap: Uint8Array | undefined, nullCount: number): Data {
    const values = this.values.slice(0, length);
    return makeData({ type: this.type as never, length, nullCount, nullBitmap, data: values } as never);
  }
}

const isInt32 = (v: unknown): v is number => typeof v === 'number' && (v | 0) === v;
const isNumber = (v: unknown): v is number => typeof v === 'number';

class Int64Builder extends Base {
  private values = new BigInt64Array(1024);
  protected push(value: NonNullable<AvroValue>): void {
    if (this.length >= this.values.length) this.values = grow(this.values, this.length + 1);
    if (typeof value === 'bigint') {
      if (value !== BigInt.asIntN(64, value)) this.fail(value, 'a 64-bit integer');
      this.values[this.length] = value;
    } else if (typeof value === 'number' && Number.isSafeInteger(value)) this.values[this.length] = BigInt(value);
    else this.fail(value, 'a 64-bit integer (bigint)');
  }
  protected pushZero(): void {
    if (this.length >= this.values.length) this.values = grow(this.values, this.length + 1);
    this.values[this.length] = 0n;
  }
  protected data(length: number, nullBitmap: Uint8Array | undefined, nullCount: number): Data {
    const values = this.values.slice(0, length);
    return makeData({ type: this.type as never, length, nullCount, nullBitmap, data: values } as never);
  }
}

class BoolBuilder extends Base {
  private bits = new Bitmap();
  protected push(value: NonNullable<AvroValue>): void {
    if (typeof value !== 'boolean') this.fail(value, 'a boolean');
    this.bits.set(this.length, value);
  }
  protected pushZero(): void {
    this.bits.set(this.length, false);
  }
  protected data(length: number, nullBitmap: Uint8Array | undefined, nullCount: number): Data {
    const { bitmap } = this.bits.take(length);
    return makeData({ type: this.type as Bool, length, nullCount, nullBitmap, data: bitmap });
  }
}

/** Utf8 (strings, enums, uuids) and Binary (bytes). */
class VarBinaryBuilder extends Base {
  private offsets = new Int32Array(1024);
  private bytes = Buffer.allocUnsafe(1 << 16);
  private end = 0;
  constructor(
    type: DataType,
    nullable: boolean,
    path: string,
    private readonly text: boolean,
    private readonly symbols?: ReadonlySet<string>,
  ) {
    super(type, nullable, path);
  }
  private ensure(extra: number): void {
    if (this.end + extra > this.bytes.length) {
      const next = Buffer.allocUnsafe(Math.max(this.end + extra, this.bytes.length * 2));
      this.bytes.copy(next, 0, 0, this.end);
      this.bytes = next;
    }
  }
  protected push(value: NonNullable<AvroValue>): void {
    if (this.length + 1 >= this.offsets.length) this.offsets = grow(this.offsets, this.length + 2);
    if (this.text) {
      if (typeof value !== 'string') this.fail(value, this.symbols ? 'an enum symbol (string)' : 'a string');
      if (this.symbols && !this.symbols.has(value)) this.fail(value, `one of the enum symbols ${[...this.symbols].join(', ')}`);
      this.ensure(value.length * 3);
      this.end += this.bytes.write(value, this.end, 'utf8');
    } else {
      if (!(value instanceof Uint8Array)) this.fail(value, 'bytes (Uint8Array)');
      this.ensure(value.length);
      this.bytes.set(value, this.end);
      this.end += value.length;
    }
    this.offsets[this.length + 1] = this.end;
  }
  protected pushZero(): void {
    if (this.length + 1 >= this.offsets.length) this.offsets = grow(this.offsets, this.length + 2);
    this.offsets[this.length + 1] = this.end;
  }
  protected data(length: number, nullBitmap: Uint8Array | undefined, nullCount: number): Data {
    const valueOffsets = this.offsets.slice(0, length + 1);
    const data = new Uint8Array(this.bytes.subarray(0, this.end));
    this.end = 0;
    return makeData({ type: this.type as Utf8, length, nullCount, nullBitmap, valueOffsets, data });
  }
}

class FixedBinaryBuilder extends Base {
  private bytes: Uint8Array;
  constructor(
    type: DataType,
    nullable: boolean,
    path: string,
    private readonly size: number,
  ) {
    super(type, nullable, path);
    this.bytes = new Uint8Array(size * 1024);
  }
  protected push(value: NonNullable<AvroValue>): void {
    if (!(value instanceof Uint8Array) || value.length !== this.size) this.fail(value, `${this.size} bytes (fixed)`);
    if ((this.length + 1) * this.size > this.bytes.length) this.bytes = grow(this.bytes, (this.length + 1) * this.size);
    this.bytes.set(value, this.length * this.size);
  }
  protected pushZero(): void {
    if ((this.length + 1) * this.size > this.bytes.length) this.bytes = grow(this.bytes, (this.length + 1) * this.size);
    this.bytes.fill(0, this.length * this.size, (this.length + 1) * this.size);
  }
  protected data(length: number, nullBitmap: Uint8Array | undefined, nullCount: number): Data {
    const data = this.bytes.slice(0, length * this.size);
    return makeData({ type: this.type as FixedSizeBinary, length, nullCount, nullBitmap, data });
  }
}

/** Decimal128 (precision up to 38) or Decimal256 (up to 76): 16 or 32-byte little-endian two's complement per value. */
class DecimalBuilder extends Base {
  /** 64-bit words per value: 2 (Decimal128) or 4 (Decimal256). */
  private readonly width: number;
  private words: BigUint64Array;
  constructor(
    type: DataType,
    nullable: boolean,
    path: string,
    private readonly precision: number,
    private readonly scale: number,
  ) {
    super(type, nullable, path);
    this.width = (type as ArrowDecimal).bitWidth / 64;
    this.words = new BigUint64Array(1024 * this.width);
  }
  protected push(value: NonNullable<AvroValue>): void {
    if (!(value instanceof Decimal)) this.fail(value, `a Decimal(${this.precision}, ${this.scale})`);
    if (value.scale !== this.scale)
      throw new ValueError(`${this.path}: decimal ${value.toString()} has scale ${value.scale}, the column has scale ${this.scale}`);
    if (value.precision > this.precision)
      throw new ValueError(`${this.path}: decimal ${value.toString()} has more than ${this.precision} digits`);
    const w = this.width;
    if ((this.length + 1) * w > this.words.length)
      this.words = grow(this.words as unknown as Uint32Array, (this.length + 1) * w) as unknown as BigUint64Array;
    let u = BigInt.asUintN(64 * w, value.unscaled);
    for (let i = 0; i < w; i++, u >>= 64n) this.words[this.length * w + i] = u & 0xffffffffffffffffn;
  }
  protected pushZero(): void {
    const w = this.width;
    if ((this.length + 1) * w > this.words.length)
      this.words = grow(this.words as unknown as Uint32Array, (this.length + 1) * w) as unknown as BigUint64Array;
    this.words.fill(0n, this.length * w, (this.length + 1) * w);
  }
  protected data(length: number, nullBitmap: Uint8Array | undefined, nullCount: number): Data {
    const data = new Uint32Array(this.words.buffer.slice(0, length * 8 * this.width));
    return makeData({ type: this.type as ArrowDecimal, length, nullCount, nullBitmap, data });
  }
}

class NullBuilder implements ColumnBuilder {
  readonly type = new Null();
  readonly nullable = true;
  length = 0;
  constructor(private readonly path: string) {}
  append(value: AvroValue | undefined): void {
    if (value !== null && value !== undefined) throw new ValueError(`${this.path}: expected null, got a value`);
    this.length++;
  }
  appendPlaceholder(): void {
    this.length++;
  }
  finish(): Data {
    const length = this.length;
    this.length = 0;
    // With an all-zero validity bitmap: Arrow JS's slice() (which its IPC writer applies to a list's or a
    // map's children) marks a slice's null count unknown (-1) and recomputes it only from a bitmap, so a
    // Null array without one went out inside a list with a null count of -1, which the Rust reader refuses.
    return new Data(this.type, 0, length, length, [undefined, undefined, new Uint8Array((length + 7) >> 3)] as never);
  }
}

class ListBuilder extends Base {
  private offsets = new Int32Array(1024);
  constructor(
    type: DataType,
    nullable: boolean,
    path: string,
    private readonly child: ColumnBuilder,
  ) {
    super(type, nullable, path);
  }
  protected push(value: NonNullable<AvroValue>): void {
    if (!Array.isArray(value)) this.fail(value, 'an array');
    for (const item of value) this.child.append(item);
    if (this.length + 1 >= this.offsets.length) this.offsets = grow(this.offsets, this.length + 2);
    this.offsets[this.length + 1] = this.child.length;
  }
  protected pushZero(): void {
    if (this.length + 1 >= this.offsets.length) this.offsets = grow(this.offsets, this.length + 2);
    this.offsets[this.length + 1] = this.child.length;
  }
  protected data(length: number, nullBitmap: Uint8Array | undefined, nullCount: number): Data {
    const valueOffsets = this.offsets.slice(0, length + 1);
    return makeData({ type: this.type as List, length, nullCount, nullBitmap, valueOffsets, child: this.child.finish() });
  }
}

class MapBuilder extends Base {
  private offsets = new Int32Array(1024);
  constructor(
    type: DataType,
    nullable: boolean,
    path: string,
    private readonly keys: ColumnBuilder,
    private readonly values: ColumnBuilder,
    private readonly entryType: DataType,
  ) {
    super(type, nullable, path);
  }
  protected push(value: NonNullable<AvroValue>): void {
    if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array || value instanceof Decimal)
      this.fail(value, 'a map (object)');
    for (const key in value) {
      this.keys.append(key);
      this.values.append((value as Record<string, AvroValue>)[key]);
    }
    if (this.length + 1 >= this.offsets.length) this.offsets = grow(this.offsets, this.length + 2);
    this.offsets[this.length + 1] = this.keys.length;
  }
  protected pushZero(): void {
    if (this.length + 1 >= this.offsets.length) this.offsets = grow(this.offsets, this.length + 2);
    this.offsets[this.length + 1] = this.keys.length;
  }
  protected data(length: number, nullBitmap: Uint8Array | undefined, nullCount: number): Data {
    const valueOffsets = this.offsets.slice(0, length + 1);
    const entries = this.keys.length;
    const child = makeData({
      type: this.entryType as Struct,
      length: entries,
      nullCount: 0,
      children: [this.keys.finish(), this.values.finish()],
    });
    return makeData({ type: this.type as Map_, length, nullCount, nullBitmap, valueOffsets, child });
  }
}

export class StructBuilder extends Base {
  private readonly names: string[];
  constructor(
    type: DataType,
    nullable: boolean,
    path: string,
    readonly children: { name: string; builder: ColumnBuilder }[],
  ) {
    super(type, nullable, path);
    this.names = children.map((c) => c.name);
  }
  protected push(value: NonNullable<AvroValue>): void {
    if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array || value instanceof Decimal)
      this.fail(value, 'a record (object)');
    const rec = value as Record<string, AvroValue>;
    const children = this.children;
    for (let i = 0; i < children.length; i++) children[i]!.builder.append(rec[this.names[i]!]);
  }
  protected pushZero(): void {
    for (const c of this.children) c.builder.appendPlaceholder();
  }
  protected data(length: number, nullBitmap: Uint8Array | undefined, nullCount: number): Data {
    return makeData({ type: this.type as Struct, length, nullCount, nullBitmap, children: this.children.map((c) => c.builder.finish()) });
  }
}

/** A multi-type union as a struct of nullable members `member0…memberN`, exactly one set per value (parquet-avro's layout). */
class UnionBuilder extends Base {
  constructor(
    type: DataType,
    nullable: boolean,
    path: string,
    private readonly members: { branch: string; builder: ColumnBuilder }[],
  ) {
    super(type, nullable, path);
  }
  protected push(value: NonNullable<AvroValue>): void {
    if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array || value instanceof Decimal)
      this.fail(value, 'a union value { branch: value }');
    const keys = Object.keys(value);
    const branch = keys[0];
    const index = keys.length === 1 ? this.members.findIndex((m) => m.branch === branch) : -1;
    if (index < 0) this.fail(value, `one of the union branches { ${this.members.map((m) => m.branch).join(' | ')} }`);
    for (let i = 0; i < this.members.length; i++) {
      const m = this.members[i]!;
      if (i === index) m.builder.append((value as Record<string, AvroValue>)[branch!]);
      else m.builder.appendPlaceholder();
    }
  }
  protected pushZero(): void {
    for (const m of this.members) m.builder.appendPlaceholder();
  }
  protected data(length: number, nullBitmap: Uint8Array | undefined, nullCount: number): Data {
    return makeData({ type: this.type as Struct, length, nullCount, nullBitmap, children: this.members.map((m) => m.builder.finish()) });
  }
}

/** Factories used by the schema mapping (./mapping.ts). */
export const builders = {
  int32: (nullable: boolean, path: string, type: DataType = new Int32()) =>
    new FixedWidthBuilder(type, nullable, path, (n) => new Int32Array(n), isInt32, 'a 32-bit integer'),
  float32: (nullable: boolean, path: string) =>
    new FixedWidthBuilder(new Float32(), nullable, path, (n) => new Float32Array(n), isNumber, 'a number'),
  float64: (nullable: boolean, path: string) =>
    new FixedWidthBuilder(new Float64(), nullable, path, (n) => new Float64Array(n), isNumber, 'a number'),
  int64: (nullable: boolean, path: string, type: DataType = new Int64()) => new Int64Builder(type, nullable, path),
  bool: (nullable: boolean, path: string) => new BoolBuilder(new Bool(), nullable, path),
  utf8: (nullable: boolean, path: string, symbols?: readonly string[]) =>
    new VarBinaryBuilder(new Utf8(), nullable, path, true, symbols ? new Set(symbols) : undefined),
  binary: (nullable: boolean, path: string) => new VarBinaryBuilder(new Binary(), nullable, path, false),
  fixed: (nullable: boolean, path: string, size: number) => new FixedBinaryBuilder(new FixedSizeBinary(size), nullable, path, size),
  decimal: (nullable: boolean, path: string, precision: number, scale: number) =>
    new DecimalBuilder(new ArrowDecimal(scale, precision, precision > 38 ? 256 : 128), nullable, path, precision, scale),
  null: (path: string) => new NullBuilder(path),
  date: (nullable: boolean, path: string) => builders.int32(nullable, path, new DateDay()),
  timeMillis: (nullable: boolean, path: string) => builders.int32(nullable, path, new TimeMillisecond()),
  timeMicros: (nullable: boolean, path: string) => builders.int64(nullable, path, new TimeMicrosecond()),
  timestampMillis: (nullable: boolean, path: string, utc: boolean) =>
    builders.int64(nullable, path, new TimestampMillisecond(utc ? 'UTC' : null)),
  timestampMicros: (nullable: boolean, path: string, utc: boolean) =>
    builders.int64(nullable, path, new TimestampMicrosecond(utc ? 'UTC' : null)),
  timestampNanos: (nullable: boolean, path: string, utc: boolean) =>
    builders.int64(nullable, path, new TimestampNanosecond(utc ? 'UTC' : null)),
  list: (nullable: boolean, path: string, item: ColumnBuilder) =>
    new ListBuilder(new List(new Field('element', item.type, item.nullable)), nullable, path, item),
  map: (nullable: boolean, path: string, values: ColumnBuilder) => {
    const keys = builders.utf8(false, `${path}.key`);
    const entryType = new Struct([new Field('key', keys.type, false), new Field('value', values.type, values.nullable)]);
    return new MapBuilder(new Map_(new Field('key_value', entryType, false)), nullable, path, keys, values, entryType);
  },
  struct: (nullable: boolean, path: string, children: { name: string; builder: ColumnBuilder }[]) =>
    new StructBuilder(new Struct(children.map((c) => new Field(c.name, c.builder.type, c.builder.nullable))), nullable, path, children),
  union: (nullable: boolean, path: string, members: { branch: string; builder: ColumnBuilder }[]) =>
    new UnionBuilder(new Struct(members.map((m, i) => new Field(`member${i}`, m.builder.type, true))), nullable, path, members),
};
