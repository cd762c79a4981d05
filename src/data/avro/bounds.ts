/**
 * Bounds for Avro data from an untrusted file, checked on a block's bytes before avsc decodes them
 * (Apache Avro CVE-2023-39410 class): a count or length larger than the bytes left could encode
 * would make the decoder allocate or loop without limit (a 150-byte file ran out of memory or spun).
 *
 * - a string, bytes or fixed longer than the bytes left is refused;
 * - an array or map block of n items is refused when n × (the least bytes one item takes) exceeds the
 *   bytes left;
 * - records, array items and map entries are counted across the block and refused past
 *   `avroLimits.maxValuesPerBlock` (items that take no bytes, such as null, are bounded only by this);
 * - a union branch index out of range is refused.
 *
 * So the work to check and decode a block is linear in its size, and its rows are bounded. The checker walks the writer's avsc type (names already resolved).
 */
import { avroLimits } from './limits.js';
import type { AvroType } from './types.js';

/** A bound broken at `offset` (in the block's decompressed bytes), in record `record` of the block. */
export class AvroBoundsError extends Error {
  record?: number;
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'AvroBoundsError';
  }
}

/**
 * Thrown at a fault that is no bound (a union index out of range): the check stops there and the
 * decoder, which reads the same bytes the same way, reports the fault in its own words.
 */
class LeaveToDecoder extends Error {}

/** The state of a walk over one block. */
export class BlockCursor {
  pos = 0;
  values = 0;
  constructor(readonly buf: Uint8Array) {}

  get left(): number {
    return this.buf.length - this.pos;
  }

  need(n: number, what: string): void {
    if (n > this.left) throw new AvroBoundsError(`${what} needs ${n} bytes but only ${this.left} remain in the block`, this.pos);
  }

  long(what: string): number {
    const start = this.pos;
    let n = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw new AvroBoundsError(`the block ends inside ${what}`, start);
      const b = this.buf[this.pos++]!;
      n += (b & 0x7f) * mul;
      if (!(b & 0x80)) return n % 2 ? -(n + 1) / 2 : n / 2;
      mul *= 128;
    }
    throw new AvroBoundsError(`${what} is a varint longer than 10 bytes`, start);
  }

  /** Counts `n` items of at least `minBytes` each against the bytes left and the block's value budget. */
  items(n: number, minBytes: number, what: string, at: number): void {
    if (n * minBytes > this.left) {
      throw new AvroBoundsError(
        `${what} says ${n} items of at least ${minBytes} byte${minBytes === 1 ? '' : 's'} each, but only ${this.left} bytes remain in the block`,
        at,
      );
    }
    this.values += n;
    if (this.values > avroLimits.maxValuesPerBlock) {
      throw new AvroBoundsError(
        `${what} says ${n} items, which brings the block's values to ${this.values}, over the limit of ${avroLimits.maxValuesPerBlock}`,
        at,
      );
    }
  }
}

type Check = (c: BlockCursor) => void;

interface Compiled {
  check: Check;
  /** A lower bound of the bytes one value takes. */
  minBytes: number;
}

interface TypeView {
  typeName: string;
  fields?: { type: TypeView }[];
  itemsType?: TypeView;
  valuesType?: TypeView;
  types?: TypeView[];
  size?: number;
  symbols?: string[];
  underlyingType?: TypeView;
}

function varint(what: string): Check {
  return (c) => {
    c.long(what);
  };
}

function lengthPrefixed(what: string): Check {
  return (c) => {
    const at = c.pos;
    const len = c.long(`the length of ${what}`);
    if (len < 0) throw new AvroBoundsError(`${what} has a negative length (${len})`, at);
    c.need(len, `${what} of length ${len}`);
    c.pos += len;
  };
}

/** A checker for values of `type`; recursive types are compiled once (their cycle through a union or collection). */
function compile(type: TypeView, seen: Map<TypeView, Compiled>): Compiled {
  const known = seen.get(type);
  if (known) return known;
  const name = type.typeName;
  const fixed = (bytes: number, what: string): Compiled => ({
    minBytes: bytes,
    check: (c) => {
      c.need(bytes, what);
      c.pos += bytes;
    },
  });
  if (name.startsWith('logical:') && type.underlyingType) return compile(type.underlyingType, seen);
  switch (name) {
    case 'null':
      return { minBytes: 0, check: () => undefined };
    case 'boolean':
      return fixed(1, 'a boolean');
    case 'float':
      return fixed(4, 'a float');
    case 'double':
      return fixed(8, 'a double');
    case 'fixed':
      return fixed(type.size ?? 0, `a fixed of size ${type.size ?? 0}`);
    case 'int':
    case 'long':
    case 'abstract:long':
      return { minBytes: 1, check: varint(`an ${name.replace('abstract:', '')}`) };
    case 'enum':
      return { minBytes: 1, check: varint('an enum index') };
    case 'bytes':
    case 'string':
      return { minBytes: 1, check: lengthPrefixed(name === 'bytes' ? 'a bytes value' : 'a string') };
    case 'record':
    case 'error': {
      // Registered before its fields, so a field referring back to the record finds it (with a lower bound of 0).
      const self: Compiled = { minBytes: 0, check: () => undefined };
      seen.set(type, self);
      const fields = (type.fields ?? []).map((f) => compile(f.type, seen));
      self.minBytes = fields.reduce((sum, f) => sum + f.minBytes, 0);
      const checks = fields.map((f) => f.check);
      self.check = (c) => {
        for (const check of checks) check(c);
      };
      return self;
    }
    case 'array':
    case 'map': {
      const self: Compiled = { minBytes: 1, check: () => undefined };
      seen.set(type, self);
      const inner = compile((name === 'array' ? type.itemsType : type.valuesType)!, seen);
      const key = name === 'map' ? lengthPrefixed('a map key') : undefined;
      const itemBytes = inner.minBytes + (key ? 1 : 0);
      const what = `${name === 'array' ? 'an array' : 'a map'} block`;
      self.check = (c) => {
        for (;;) {
          const at = c.pos;
          let n = c.long(`the item count of ${what}`);
          if (n === 0) return;
          if (n < 0) {
            n = -n;
            const size = c.long(`the byte size of ${what}`);
            if (size < 0) throw new AvroBoundsError(`${what} has a negative byte size (${size})`, at);
            c.need(size, `${what} of ${size} bytes`);
          }
          c.items(n, itemBytes, what, at);
          for (let i = 0; i < n; i++) {
            key?.(c);
            inner.check(c);
          }
        }
      };
      return self;
    }
    default:
      if (name.startsWith('union') && type.types) {
        const self: Compiled = { minBytes: 1, check: () => undefined };
        seen.set(type, self);
        const branches = type.types.map((t) => compile(t, seen));
        self.check = (c) => {
          const at = c.pos;
          const index = c.long('a union branch index');
          const branch = branches[index];
          if (!branch) throw new LeaveToDecoder(`union index ${index} at byte ${at}`);
          branch.check(c);
        };
        return self;
      }
      throw new Error(`no bounds check for the Avro type ${name}`);
  }
}

/** Checks the `count` values of a block against the writer's type; throws AvroBoundsError. */
export function blockChecker(writerType: AvroType): (data: Uint8Array, count: number) => void {
  const record = compile(writerType as unknown as TypeView, new Map());
  return (data, count) => {
    const c = new BlockCursor(data);
    c.items(count, record.minBytes, 'the block header', 0);
    for (let i = 0; i < count; i++) {
      try {
        record.check(c);
      } catch (err) {
        if (err instanceof LeaveToDecoder) return;
        if (err instanceof AvroBoundsError) err.record = i;
        throw err;
      }
    }
  };
}
