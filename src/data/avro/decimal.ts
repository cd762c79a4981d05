/**
 * An exact decimal: `unscaled × 10^-scale`. Avro decimals (bytes or fixed) are read into this and
 * never into a JS number, so no digit is lost. `toString()` gives the plain decimal text
 * (`-12.30` for unscaled -1230, scale 2), and JSON renders the same text.
 */
export class Decimal {
  constructor(
    readonly unscaled: bigint,
    readonly scale: number,
  ) {
    if (!Number.isInteger(scale) || scale < 0) throw new RangeError(`decimal scale must be a non-negative integer, got ${scale}`);
  }

  /** Parses `-12.30` (the scale is the number of digits after the point). */
  static parse(text: string): Decimal {
    const m = /^([+-]?)(\d+)(?:\.(\d*))?$/.exec(text.trim());
    if (!m) throw new RangeError(`not a decimal number: ${JSON.stringify(text)}`);
    const frac = m[3] ?? '';
    const digits = BigInt(`${m[2]}${frac}`);
    return new Decimal(m[1] === '-' ? -digits : digits, frac.length);
  }

  /** Decodes a big-endian two's-complement integer, as Avro stores a decimal's unscaled value. */
  static fromTwosComplement(bytes: Uint8Array, scale: number): Decimal {
    return new Decimal(twosComplementToBigInt(bytes), scale);
  }

  /** Big-endian two's complement in the fewest bytes (`size` given: sign-extended to exactly `size`). */
  toTwosComplement(size?: number): Uint8Array {
    return bigIntToTwosComplement(this.unscaled, size);
  }

  /** Same number and same scale. (1.0 and 1.00 are different values of different decimal types.) */
  equals(other: Decimal): boolean {
    return this.unscaled === other.unscaled && this.scale === other.scale;
  }

  /** Number of significant digits of the unscaled value (0 has 1). */
  get precision(): number {
    const abs = this.unscaled < 0n ? -this.unscaled : this.unscaled;
    return abs.toString().length;
  }

  toString(): string {
    const neg = this.unscaled < 0n;
    let digits = (neg ? -this.unscaled : this.unscaled).toString();
    if (this.scale === 0) return `${neg ? '-' : ''}${digits}`;
    if (digits.length <= this.scale) digits = digits.padStart(this.scale + 1, '0');
    const cut = digits.length - this.scale;
    return `${neg ? '-' : ''}${digits.slice(0, cut)}.${digits.slice(cut)}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

export function twosComplementToBigInt(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  if ((bytes[0] as number) & 0x80) n -= 1n << BigInt(bytes.length * 8);
  return n;
}

export function bigIntToTwosComplement(value: bigint, size?: number): Uint8Array {
  let len = 1;
  // The smallest length whose signed range holds the value.
  while (value < -(1n << BigInt(len * 8 - 1)) || value >= 1n << BigInt(len * 8 - 1)) len++;
  if (size !== undefined) {
    if (len > size) throw new RangeError(`decimal unscaled value ${value} does not fit in ${size} bytes`);
    len = size;
  }
  const out = new Uint8Array(len);
  let v = BigInt.asUintN(len * 8, value);
  for (let i = len - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}
