/**
 * Values written in a manifest (`default: { field, value }`) or as a field's `default` in an Avro
 * schema (JSON), converted to the value model of src/data/transform/values.ts, and back to the JSON an
 * Avro schema's `default` holds.
 */
import type { ValueKind } from './avro-schema.js';
import { Decimal as AvroDecimal } from '../avro/decimal.js';
import { digitCount, decimalFromNumber, isDecimal, parseDecimal, rescale } from './decimal.js';
import { CastFailure, describeValue, parseDate, parseTimestamp } from './values.js';

export type Literal = string | number | boolean | null;

export interface LiteralTarget {
  kind: ValueKind;
  symbols?: string[];
  decimal?: { precision: number; scale: number };
}

const INT_MIN = -2_147_483_648;
const INT_MAX = 2_147_483_647;

/** A manifest literal as a value of `target`'s kind; throws CastFailure saying why it does not fit. */
export function literalToValue(literal: Literal, target: LiteralTarget): unknown {
  const v = literal;
  const fail = (what: string): never => {
    throw new CastFailure(`${describeValue(v)} is not ${what}`);
  };
  switch (target.kind) {
    case 'string':
    case 'uuid':
      return typeof v === 'string' ? v : fail('a string');
    case 'enum':
      if (typeof v === 'string' && target.symbols?.includes(v)) return v;
      return fail(`one of the enum's symbols (${(target.symbols ?? []).join(', ')})`);
    case 'boolean':
      return typeof v === 'boolean' ? v : fail('true or false');
    case 'int':
    case 'time-millis':
      return typeof v === 'number' && Number.isInteger(v) && v >= INT_MIN && v <= INT_MAX ? v : fail('an int');
    case 'long':
    case 'time-micros':
    case 'local-timestamp-millis':
    case 'local-timestamp-micros':
      if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
      if (typeof v === 'string' && /^[+-]?\d+$/.test(v)) return BigInt(v);
      return fail('a long (an integer, or digits in quotes beyond 2^53)');
    case 'float':
    case 'double':
      return typeof v === 'number' ? v : fail('a number');
    case 'date': {
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      const d = typeof v === 'string' ? parseDate(v) : undefined;
      return d ?? fail('a date (YYYY-MM-DD)');
    }
    case 'timestamp-millis':
    case 'timestamp-micros': {
      const unit = target.kind === 'timestamp-micros' ? 'micros' : 'millis';
      if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
      const t = typeof v === 'string' ? parseTimestamp(v, unit) : undefined;
      if (!t || t.truncated) return fail(`an ISO-8601 timestamp with a zone, at most ${unit} precise`);
      return t.count;
    }
    case 'decimal': {
      const d = typeof v === 'string' ? parseDecimal(v) : typeof v === 'number' ? decimalFromNumber(v) : undefined;
      if (!d) return fail('a decimal number');
      const { precision, scale } = target.decimal!;
      const r = rescale(d, scale, false);
      if (!r) return fail(`a decimal with at most ${scale} digits after the point`);
      if (digitCount(r.unscaled) > precision) return fail(`a decimal of at most ${precision} digits`);
      return r;
    }
    case 'null':
      return v === null ? null : fail('null');
    default:
      return fail(
        `a value Fleetwave can write for a ${target.kind} (give defaults for strings, numbers, booleans, enums, decimals, dates and timestamps)`,
      );
  }
}

/** The JSON form of a value for an Avro schema's `default` (Avro's JSON encoding). */
export function valueToSchemaDefault(value: unknown, kind: ValueKind): unknown {
  if (value === null) return null;
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new CastFailure(`${value} cannot be written as a JSON default exactly`);
    }
    return Number(value);
  }
  if (kind === 'decimal' && isDecimal(value)) return bytesToJsonString(twosComplement(value.unscaled));
  if (value instanceof Uint8Array) return bytesToJsonString(value);
  return value;
}

/** A schema's JSON default as a value of `kind` (the inverse of valueToSchemaDefault). */
export function schemaDefaultToValue(json: unknown, target: LiteralTarget): unknown {
  if (json === null) return null;
  switch (target.kind) {
    case 'decimal': {
      if (typeof json !== 'string') throw new CastFailure(`decimal default ${describeValue(json)} is not a byte string`);
      return new AvroDecimal(fromTwosComplement(jsonStringToBytes(json)), target.decimal!.scale);
    }
    case 'bytes':
    case 'fixed':
      if (typeof json !== 'string') throw new CastFailure(`bytes default ${describeValue(json)} is not a byte string`);
      return jsonStringToBytes(json);
    case 'long':
    case 'time-micros':
    case 'timestamp-millis':
    case 'timestamp-micros':
    case 'local-timestamp-millis':
    case 'local-timestamp-micros':
      if (typeof json === 'number' && Number.isInteger(json)) return BigInt(json);
      throw new CastFailure(`long default ${describeValue(json)} is not an integer`);
    default:
      return json;
  }
}

/** Big-endian two's complement, the fewest bytes that hold the value (Avro's decimal bytes). */
export function twosComplement(n: bigint): Uint8Array {
  let bytes = 1;
  while (n >= 1n << BigInt(8 * bytes - 1) || n < -(1n << BigInt(8 * bytes - 1))) bytes++;
  const out = new Uint8Array(bytes);
  let x = BigInt.asUintN(8 * bytes, n);
  for (let i = bytes - 1; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

export function fromTwosComplement(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let x = 0n;
  for (const b of bytes) x = (x << 8n) | BigInt(b);
  return BigInt.asIntN(8 * bytes.length, x);
}

function bytesToJsonString(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

function jsonStringToBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}
