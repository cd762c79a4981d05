import { describe, expect, it } from '@jest/globals';
import { compareDecimals, decimalFromNumber, formatDecimal, parseDecimal, rescale } from '../../../src/data/transform/decimal.js';

describe('decimal', () => {
  it.each([
    ['12.34', 1234n, 2],
    ['-0.05', -5n, 2],
    ['7', 7n, 0],
    ['1.5e3', 1500n, 0],
    ['2.5e-2', 25n, 3],
  ])('parses %s exactly', (text, unscaled, scale) => {
    expect(parseDecimal(text)).toEqual({ unscaled, scale });
  });

  it.each(['', 'abc', '1.', '.5', '1,5', '0x10'])('refuses %p', (text) => expect(parseDecimal(text)).toBeUndefined());

  it('formats with exactly scale digits after the point', () => {
    expect(formatDecimal({ unscaled: 5n, scale: 3 })).toBe('0.005');
    expect(formatDecimal({ unscaled: -12345n, scale: 2 })).toBe('-123.45');
    expect(formatDecimal({ unscaled: 123n, scale: 0 })).toBe('123');
  });

  it('raises the scale exactly and refuses to drop digits unless told', () => {
    expect(rescale({ unscaled: 1234n, scale: 2 }, 4, false)).toEqual({ unscaled: 123400n, scale: 4 });
    expect(rescale({ unscaled: 123400n, scale: 4 }, 2, false)).toEqual({ unscaled: 1234n, scale: 2 });
    expect(rescale({ unscaled: 12345n, scale: 3 }, 2, false)).toBeUndefined();
  });

  it.each([
    [125n, 3, 12n], // 0.125 → 0.12 (tie, even)
    [135n, 3, 14n], // 0.135 → 0.14 (tie, even)
    [126n, 3, 13n],
    [-125n, 3, -12n],
    [-126n, 3, -13n],
    [-135n, 3, -14n],
  ])('rounds %d e-%d half-even to %d e-2', (unscaled, scale, expected) => {
    expect(rescale({ unscaled, scale }, 2, true)).toEqual({ unscaled: expected, scale: 2 });
  });

  it('takes a double as its shortest decimal text', () => {
    expect(decimalFromNumber(0.1)).toEqual({ unscaled: 1n, scale: 1 });
    expect(decimalFromNumber(1e21)).toEqual({ unscaled: 10n ** 21n, scale: 0 });
    expect(decimalFromNumber(Number.NaN)).toBeUndefined();
  });

  it('compares across scales', () => {
    expect(compareDecimals({ unscaled: 10n, scale: 1 }, { unscaled: 100n, scale: 2 })).toBe(0);
    expect(compareDecimals({ unscaled: -1n, scale: 0 }, { unscaled: 1n, scale: 5 })).toBe(-1);
  });
});
