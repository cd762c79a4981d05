/**
 * The table of legal casts: for each (source kind, target type), how one value converts, and whether
 * the cast is exact for every value (`exact`) or checks each value and fails on one it cannot carry
 * exactly (`checked`). docs/transforms.md is generated from the same words; a test keeps them equal.
 * A pair that is not in the table is refused when the manifest is compiled, before any record is read.
 */
import type { CastTarget } from './schema.js';
import type { ValueKind } from './avro-schema.js';
import {
  decimalFromNumber,
  decimalToNumber,
  digitCount,
  formatDecimal,
  isDecimal,
  parseDecimal,
  rescale,
  type Decimal,
} from './decimal.js';
import {
  CastFailure,
  asBigInt,
  daysToTimestamp,
  describeValue,
  floorDiv,
  formatDate,
  formatTimestamp,
  parseDate,
  parseTimestamp,
  timestampToDays,
} from './values.js';

export type CastTargetKind = CastTarget['type'];
export type Convert = (v: unknown) => unknown;

/** What a cast needs to know when it is compiled. */
export interface CastContext {
  /** The cast's target as the manifest wrote it. */
  to: CastTarget;
  /** The source's decimal parameters, when the source is a decimal. */
  sourceDecimal?: { precision: number; scale: number };
  /** The source's enum symbols, when the source is an enum. */
  sourceSymbols?: string[];
  /** The target decimal's precision and scale (resolved: defaults filled in). */
  targetDecimal?: { precision: number; scale: number };
}

export interface CastRule {
  from: ValueKind;
  to: CastTargetKind;
  /** `exact`: every value converts without loss. `checked`: each value is checked; one that cannot be carried exactly fails the run. */
  exactness: 'exact' | 'checked';
  /** One line for the docs table. */
  note: string;
  compile(ctx: CastContext): Convert;
}

const INT_MIN = -2_147_483_648;
const INT_MAX = 2_147_483_647;
const TWO_POW_53 = 2n ** 53n;

function int(v: unknown): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  throw new CastFailure(`expected an int, got ${describeValue(v)}`);
}
function num(v: unknown): number {
  if (typeof v === 'number') return v;
  throw new CastFailure(`expected a number, got ${describeValue(v)}`);
}
function str(v: unknown): string {
  if (typeof v === 'string') return v;
  throw new CastFailure(`expected a string, got ${describeValue(v)}`);
}
function dec(v: unknown): Decimal {
  if (isDecimal(v)) return v;
  throw new CastFailure(`expected a decimal, got ${describeValue(v)}`);
}

function checkIntRange(n: bigint | number): number {
  if (n < INT_MIN || n > INT_MAX) throw new CastFailure(`${n} does not fit in an int (−2^31 … 2^31−1)`);
  return Number(n);
}

/** Fits a decimal to the target precision and scale, refusing to round unless told. */
function toTargetDecimal(d: Decimal, ctx: CastContext): Decimal {
  const target = ctx.targetDecimal!;
  const r = rescale(d, target.scale, ctx.to.round === true);
  if (!r)
    throw new CastFailure(`${formatDecimal(d)} has more than ${target.scale} digits after the point; set round: true to round half-even`);
  if (digitCount(r.unscaled) > target.precision)
    throw new CastFailure(
      `${formatDecimal(r)} has more than ${target.precision} digits (precision ${target.precision}, scale ${target.scale})`,
    );
  return r;
}

/** The shortest decimal text that reads back as the same float32 value. */
function float32Text(n: number): string {
  for (let p = 1; p <= 9; p++) {
    const s = n.toPrecision(p);
    if (Math.fround(Number(s)) === n) return String(Number(s));
  }
  return String(n);
}

function exactLongToDouble(v: bigint): number {
  const d = Number(v);
  if ((v > TWO_POW_53 || v < -TWO_POW_53) && BigInt(d) !== v)
    throw new CastFailure(`${v} cannot be held exactly by a double (it would become ${BigInt(d)})`);
  return d;
}

function toFloat32(d: number, what: string): number {
  if (Number.isNaN(d)) return d;
  const f = Math.fround(d);
  if (f !== d) throw new CastFailure(`${what} cannot be held exactly by a float (it would become ${f})`);
  return f;
}

const integerText = /^[+-]?\d+$/;
const numberText = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^[+-]?Infinity$|^NaN$/;

function enumCheck(ctx: CastContext): Convert {
  const symbols = new Set(ctx.to.symbols ?? []);
  return (v) => {
    const s = str(v);
    if (!symbols.has(s)) throw new CastFailure(`${describeValue(s)} is not one of the enum's symbols (${[...symbols].join(', ')})`);
    return s;
  };
}

function timestampUnit(kind: ValueKind | CastTargetKind): 'millis' | 'micros' {
  return kind === 'timestamp-micros' ? 'micros' : 'millis';
}

const rules: CastRule[] = [];
function rule(from: ValueKind, to: CastTargetKind, exactness: CastRule['exactness'], note: string, compile: CastRule['compile']): void {
  rules.push({ from, to, exactness, note, compile });
}

// Widening numbers.
rule('int', 'long', 'exact', 'widening', () => (v) => BigInt(int(v)));
rule(
  'int',
  'float',
  'checked',
  'exact up to ±2^24; a larger int that a float would round fails',
  () => (v) => toFloat32(int(v), `int ${String(v)}`),
);
rule('int', 'double', 'exact', 'widening', () => (v) => int(v));
rule('long', 'float', 'checked', 'a long a float cannot hold exactly fails', () => (v) => {
  const b = asBigInt(v);
  return toFloat32(exactLongToDouble(b), `long ${b}`);
});
rule('long', 'double', 'checked', 'exact up to ±2^53; a long a double would round fails', () => (v) => exactLongToDouble(asBigInt(v)));
rule('float', 'double', 'exact', 'widening', () => (v) => num(v));
// Narrowing, checked per value.
rule('long', 'int', 'checked', 'a long outside the int range fails', () => (v) => checkIntRange(asBigInt(v)));
rule('double', 'float', 'checked', 'a double a float cannot hold exactly fails', () => (v) => toFloat32(num(v), `double ${String(v)}`));
// Decimals.
rule(
  'int',
  'decimal',
  'checked',
  'fails when the digits exceed the precision',
  (ctx) => (v) => toTargetDecimal(parseDecimal(String(int(v)))!, ctx),
);
rule(
  'long',
  'decimal',
  'checked',
  'fails when the digits exceed the precision',
  (ctx) => (v) => toTargetDecimal(parseDecimal(asBigInt(v).toString())!, ctx),
);
rule(
  'float',
  'decimal',
  'checked',
  "the float's shortest decimal text (0.1f is 0.1); more digits than the scale fail unless round: true",
  (ctx) => (v) => {
    const n = num(v);
    if (!Number.isFinite(n)) throw new CastFailure(`${n} is not a finite number`);
    return toTargetDecimal(parseDecimal(float32Text(n))!, ctx);
  },
);
rule(
  'double',
  'decimal',
  'checked',
  "the double's shortest decimal text (0.1 is 0.1); more digits than the scale fail unless round: true",
  (ctx) => (v) => {
    const d = decimalFromNumber(num(v));
    if (!d) throw new CastFailure(`${String(v)} is not a finite number`);
    return toTargetDecimal(d, ctx);
  },
);
rule(
  'decimal',
  'decimal',
  'checked',
  'rescale: a larger scale is exact; a smaller one fails on lost digits unless round: true (half-even); fails when the digits exceed the precision',
  (ctx) => (v) => toTargetDecimal(dec(v), ctx),
);
rule('decimal', 'double', 'checked', 'a decimal a double cannot hold exactly fails unless round: true (nearest double)', (ctx) => (v) => {
  const d = dec(v);
  const n = decimalToNumber(d);
  if (ctx.to.round !== true) {
    const back = decimalFromNumber(n);
    if (!back || rescale(back, d.scale, false)?.unscaled !== d.unscaled || back.scale > d.scale) {
      throw new CastFailure(`${formatDecimal(d)} cannot be held exactly by a double; set round: true to take the nearest double`);
    }
  }
  return n;
});
// Text.
rule('int', 'string', 'exact', 'decimal digits', () => (v) => String(int(v)));
rule('long', 'string', 'exact', 'decimal digits', () => (v) => asBigInt(v).toString());
rule('float', 'string', 'exact', 'shortest text that reads back as the same float', () => (v) => float32Text(num(v)));
rule('double', 'string', 'exact', 'shortest text that reads back as the same double', () => (v) => String(num(v)));
rule('decimal', 'string', 'exact', 'plain text with exactly `scale` digits after the point', () => (v) => formatDecimal(dec(v)));
rule('boolean', 'string', 'exact', '`true` / `false`', () => (v) => String(v === true));
rule('enum', 'string', 'exact', 'the symbol', () => (v) => str(v));
rule('uuid', 'string', 'exact', 'the uuid text', () => (v) => str(v));
rule('date', 'string', 'exact', '`YYYY-MM-DD`', () => (v) => formatDate(int(v)));
rule('timestamp-millis', 'string', 'exact', 'ISO-8601 in UTC with milliseconds', () => (v) => formatTimestamp(asBigInt(v), 'millis'));
rule('timestamp-micros', 'string', 'exact', 'ISO-8601 in UTC with microseconds', () => (v) => formatTimestamp(asBigInt(v), 'micros'));
rule('string', 'string', 'exact', 'no change', () => (v) => str(v));
rule('string', 'enum', 'checked', 'a string that is not one of `symbols` fails', enumCheck);
rule('enum', 'enum', 'checked', 'exact when the new symbols include the old; otherwise a value outside the new symbols fails', enumCheck);
rule('string', 'int', 'checked', 'decimal digits only (`42`, `-7`); other text or an out-of-range value fails', () => (v) => {
  const s = str(v).trim();
  if (!integerText.test(s)) throw new CastFailure(`${describeValue(v)} is not an integer`);
  return checkIntRange(BigInt(s));
});
rule('string', 'long', 'checked', 'decimal digits only; other text or an out-of-range value fails', () => (v) => {
  const s = str(v).trim();
  if (!integerText.test(s)) throw new CastFailure(`${describeValue(v)} is not an integer`);
  const b = BigInt(s);
  if (b < -(2n ** 63n) || b >= 2n ** 63n) throw new CastFailure(`${s} does not fit in a long`);
  return b;
});
rule('string', 'double', 'checked', 'a number in JSON or JS notation (`1.5`, `-2e3`, `NaN`, `Infinity`); other text fails', () => (v) => {
  const s = str(v).trim();
  if (!numberText.test(s)) throw new CastFailure(`${describeValue(v)} is not a number`);
  return Number(s);
});
rule('string', 'float', 'checked', 'a number a float holds exactly; other text fails', () => (v) => {
  const s = str(v).trim();
  if (!numberText.test(s)) throw new CastFailure(`${describeValue(v)} is not a number`);
  return toFloat32(Number(s), describeValue(v));
});
rule('string', 'decimal', 'checked', 'decimal text (`12.34`, `1e3`); more digits than the scale fail unless round: true', (ctx) => (v) => {
  const d = parseDecimal(str(v));
  if (!d) throw new CastFailure(`${describeValue(v)} is not a decimal number`);
  return toTargetDecimal(d, ctx);
});
rule('string', 'boolean', 'checked', '`true` or `false` exactly; other text fails', () => (v) => {
  const s = str(v);
  if (s === 'true') return true;
  if (s === 'false') return false;
  throw new CastFailure(`${describeValue(v)} is neither "true" nor "false"`);
});
rule('string', 'date', 'checked', '`YYYY-MM-DD`; other text or an impossible date fails', () => (v) => {
  const d = parseDate(str(v));
  if (d === undefined) throw new CastFailure(`${describeValue(v)} is not a date (YYYY-MM-DD)`);
  return d;
});
for (const to of ['timestamp-millis', 'timestamp-micros'] as const) {
  rule(
    'string',
    to,
    'checked',
    'ISO-8601 with a zone (`Z` or `±HH:MM`); digits finer than the unit fail unless round: true (floor)',
    (ctx) => (v) => {
      const t = parseTimestamp(str(v), timestampUnit(to));
      if (!t) throw new CastFailure(`${describeValue(v)} is not an ISO-8601 timestamp with a zone`);
      if (t.truncated && ctx.to.round !== true)
        throw new CastFailure(`${describeValue(v)} is finer than ${timestampUnit(to)}; set round: true to drop the extra digits`);
      return t.count;
    },
  );
}
// Dates and times.
rule('int', 'date', 'exact', 'the int read as days since 1970-01-01', () => (v) => int(v));
rule('date', 'int', 'exact', 'days since 1970-01-01', () => (v) => int(v));
rule('long', 'timestamp-millis', 'exact', 'the long read as milliseconds since the epoch', () => (v) => asBigInt(v));
rule('long', 'timestamp-micros', 'exact', 'the long read as microseconds since the epoch', () => (v) => asBigInt(v));
rule('timestamp-millis', 'long', 'exact', 'milliseconds since the epoch', () => (v) => asBigInt(v));
rule('timestamp-micros', 'long', 'exact', 'microseconds since the epoch', () => (v) => asBigInt(v));
rule('timestamp-millis', 'timestamp-micros', 'exact', '× 1000', () => (v) => asBigInt(v) * 1000n);
rule('timestamp-micros', 'timestamp-millis', 'checked', 'sub-millisecond digits fail unless round: true (floor)', (ctx) => (v) => {
  const b = asBigInt(v);
  const ms = floorDiv(b, 1000n);
  if (ms * 1000n !== b && ctx.to.round !== true)
    throw new CastFailure(`${formatTimestamp(b, 'micros')} has sub-millisecond digits; set round: true to drop them`);
  return ms;
});
for (const from of ['timestamp-millis', 'timestamp-micros'] as const) {
  rule(from, 'date', 'checked', 'a time other than midnight UTC fails unless round: true (floor to the day)', (ctx) => (v) => {
    const b = asBigInt(v);
    const { days, exact } = timestampToDays(b, timestampUnit(from));
    if (!exact && ctx.to.round !== true)
      throw new CastFailure(`${formatTimestamp(b, timestampUnit(from))} is not midnight UTC; set round: true to keep only the day`);
    return days;
  });
}
rule('date', 'timestamp-millis', 'exact', 'midnight UTC', () => (v) => daysToTimestamp(int(v), 'millis'));
rule('date', 'timestamp-micros', 'exact', 'midnight UTC', () => (v) => daysToTimestamp(int(v), 'micros'));
// Identity for the remaining target types (a cast that restates the type changes nothing).
for (const kind of ['int', 'long', 'float', 'double', 'boolean', 'date', 'timestamp-millis', 'timestamp-micros'] as const) {
  rule(kind, kind, 'exact', 'no change', () => (v) => v);
}

/** Every legal cast, in the order of the docs table. */
export const castRules: readonly CastRule[] = rules;

export function findCast(from: ValueKind, to: CastTargetKind): CastRule | undefined {
  return rules.find((r) => r.from === from && r.to === to);
}

/** The target kinds a source kind can be cast to (for error messages). */
export function castsFrom(from: ValueKind): CastTargetKind[] {
  return rules.filter((r) => r.from === from).map((r) => r.to);
}
