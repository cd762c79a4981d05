/**
 * The value model every part of src/data agrees on (one record = a plain object, field name → value):
 *
 * | Avro type                                              | JS value                         |
 * | ------------------------------------------------------ | -------------------------------- |
 * | null                                                   | null                             |
 * | boolean                                                | boolean                          |
 * | int, date (days), time-millis                          | number (an integer)              |
 * | long, time-micros, timestamp-*, local-timestamp-*      | bigint (the raw count, exact)    |
 * | float, double                                          | number                           |
 * | string, uuid, enum                                     | string (an enum is its symbol)   |
 * | bytes, fixed                                           | Uint8Array (a Buffer is one)     |
 * | decimal (on bytes or fixed)                            | Decimal { unscaled: bigint, scale } |
 * | record                                                 | object                           |
 * | array                                                  | array                            |
 * | map                                                    | object (string keys)             |
 * | union                                                  | the branch's value (no wrapper)  |
 *
 * Longs are bigint even when small, so a value never changes type with its size. Readers that give a
 * safe-integer number for a long are accepted by the helpers below.
 */

/** A long from a bigint or a safe integer number. */
export function asBigInt(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  throw new CastFailure(`expected a long, got ${describeValue(v)}`);
}

/** A failure to convert one value; the transform turns it into a DataError naming the step and field. */
export class CastFailure extends Error {}

export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing (the field is missing)';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  if (typeof v === 'bigint') return `${v}`;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object' && 'unscaled' in v && 'scale' in v)
    return `decimal ${String((v as { unscaled: bigint }).unscaled)}e-${String((v as { scale: number }).scale)}`;
  return typeof v;
}

const MS_PER_DAY = 86_400_000n;

/** Floor division for bigints (toward negative infinity). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** `2024-01-31T12:00:00.123Z` (millis) or `…00.123456Z` (micros) for a UTC timestamp count. */
export function formatTimestamp(count: bigint, unit: 'millis' | 'micros'): string {
  const perMs = unit === 'micros' ? 1000n : 1n;
  const ms = floorDiv(count, perMs);
  if (ms > 8_640_000_000_000_000n || ms < -8_640_000_000_000_000n)
    throw new CastFailure(`timestamp ${count} is outside the representable range`);
  const iso = new Date(Number(ms)).toISOString(); // …SS.mmmZ
  if (unit === 'millis') return iso;
  const micros = count - ms * 1000n;
  return `${iso.slice(0, -1)}${micros.toString().padStart(3, '0')}Z`;
}

export function formatDate(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 for `YYYY-MM-DD`, refusing impossible dates (2024-02-30). */
export function parseDate(text: string): number | undefined {
  const m = isoDate.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) return undefined;
  return ms / 86_400_000;
}

const isoTimestamp = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An ISO-8601 timestamp with a zone (`Z` or `±HH:MM`) as a count of `unit` since the epoch, and
 * whether digits beyond the unit were dropped (floor).
 */
export function parseTimestamp(text: string, unit: 'millis' | 'micros'): { count: bigint; truncated: boolean } | undefined {
  const m = isoTimestamp.exec(text);
  if (!m) return undefined;
  const days = parseDate(m[1]!);
  const [h, mi, s] = [Number(m[2]), Number(m[3]), Number(m[4])];
  if (days === undefined || h > 23 || mi > 59 || s > 59) return undefined;
  const frac = (m[5] ?? '').padEnd(9, '0');
  const nanos = BigInt(frac);
  let offsetMinutes = 0;
  if (m[6] !== 'Z') {
    const sign = m[6]!.startsWith('-') ? -1 : 1;
    offsetMinutes = sign * (Number(m[6]!.slice(1, 3)) * 60 + Number(m[6]!.slice(4, 6)));
  }
  const seconds = BigInt(days) * 86_400n + BigInt(h * 3600 + mi * 60 + s) - BigInt(offsetMinutes * 60);
  const totalNanos = seconds * 1_000_000_000n + nanos;
  const perUnit = unit === 'millis' ? 1_000_000n : 1000n;
  const count = floorDiv(totalNanos, perUnit);
  return { count, truncated: count * perUnit !== totalNanos };
}

export function daysToTimestamp(days: number, unit: 'millis' | 'micros'): bigint {
  return BigInt(days) * MS_PER_DAY * (unit === 'micros' ? 1000n : 1n);
}

/** The day of a timestamp (floor) and whether it was exactly midnight. */
export function timestampToDays(count: bigint, unit: 'millis' | 'micros'): { days: number; exact: boolean } {
  const perDay = MS_PER_DAY * (unit === 'micros' ? 1000n : 1n);
  const days = floorDiv(count, perDay);
  return { days: Number(days), exact: days * perDay === count };
}
