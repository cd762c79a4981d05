/**
 * Exact decimals: an unscaled integer and a scale, value = unscaled × 10^-scale (Avro's decimal
 * logical type). Never a JS float: every operation here is exact or says it would not be. Values are
 * made as the Avro reader's Decimal class (src/data/avro/decimal.ts), which the writers accept; any
 * object with a bigint `unscaled` and a number `scale` is read as a decimal.
 */
import { Decimal as AvroDecimal } from '../avro/decimal.js';

export interface Decimal {
  readonly unscaled: bigint;
  readonly scale: number;
}

function make(unscaled: bigint, scale: number): Decimal {
  return new AvroDecimal(unscaled, scale);
}

export function isDecimal(v: unknown): v is Decimal {
  return typeof v === 'object' && v !== null && typeof (v as Decimal).unscaled === 'bigint' && typeof (v as Decimal).scale === 'number';
}

const decimalText = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** Parses `-12.340`, `7`, `1.5e3`; undefined when the text is not a decimal number. The scale is the text's own. */
export function parseDecimal(text: string): Decimal | undefined {
  const m = decimalText.exec(text.trim());
  if (!m) return undefined;
  const [, sign, int, frac = '', exp = '0'] = m;
  let unscaled = BigInt(int! + frac);
  let scale = frac.length - Number(exp);
  if (scale < 0) {
    unscaled *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return make(sign === '-' ? -unscaled : unscaled, scale);
}

/** The plain decimal text of a decimal, with exactly `scale` digits after the point. */
export function formatDecimal(d: Decimal): string {
  const negative = d.unscaled < 0n;
  const digits = (negative ? -d.unscaled : d.unscaled).toString();
  if (d.scale <= 0) return (negative ? '-' : '') + digits + '0'.repeat(-d.scale);
  const padded = digits.padStart(d.scale + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -d.scale)}.${padded.slice(-d.scale)}`;
}

/** How many decimal digits the unscaled value has (0 has one). */
export function digitCount(unscaled: bigint): number {
  return (unscaled < 0n ? -unscaled : unscaled).toString().length;
}

/**
 * The same value at another scale. Raising the scale is exact. Lowering it is exact only when the
 * dropped digits are zeros; otherwise undefined, or rounded half-even when `round` is set.
 */
export function rescale(d: Decimal, scale: number, round: boolean): Decimal | undefined {
  if (scale === d.scale) return d instanceof AvroDecimal ? d : make(d.unscaled, scale);
  if (scale > d.scale) return make(d.unscaled * 10n ** BigInt(scale - d.scale), scale);
  const divisor = 10n ** BigInt(d.scale - scale);
  const quotient = d.unscaled / divisor; // truncates toward zero
  const remainder = d.unscaled % divisor;
  if (remainder === 0n) return make(quotient, scale);
  if (!round) return undefined;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  const awayFromZero = twice > divisor || (twice === divisor && quotient % 2n !== 0n);
  const step = d.unscaled < 0n ? -1n : 1n;
  return make(awayFromZero ? quotient + step : quotient, scale);
}

/**
 * A finite double as a decimal: the shortest decimal text that reads back as the same double
 * (ECMAScript's Number::toString), so 0.1 is 0.1 and not 0.1000000000000000055511151231257827.
 */
export function decimalFromNumber(n: number): Decimal | undefined {
  if (!Number.isFinite(n)) return undefined;
  return parseDecimal(String(n));
}

/** A decimal as the nearest double (for display and for casts that say they round). */
export function decimalToNumber(d: Decimal): number {
  return Number(formatDecimal(d));
}

export function compareDecimals(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.scale, b.scale);
  const x = a.unscaled * 10n ** BigInt(scale - a.scale);
  const y = b.unscaled * 10n ** BigInt(scale - b.scale);
  return x < y ? -1 : x > y ? 1 : 0;
}
