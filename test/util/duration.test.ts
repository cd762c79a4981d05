import { describe, expect, it } from '@jest/globals';
import { parseDuration, parseFraction } from '../../src/util/duration.js';

describe('parseDuration', () => {
  it.each([
    ['30m', 1_800_000],
    ['1h30m', 5_400_000],
    ['45s', 45_000],
    ['2d', 172_800_000],
    ['500ms', 500],
    ['0', 0],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '30', 'm30', '1x', '30m extra', '-5m'])('refuses %p', (text) => expect(parseDuration(text)).toBeUndefined());
});

describe('parseFraction', () => {
  it('reads percentages and fractions', () => {
    expect(parseFraction('20%')).toBeCloseTo(0.2);
    expect(parseFraction(0.5)).toBe(0.5);
    expect(parseFraction('100%')).toBe(1);
  });
  it('refuses out-of-range and malformed values', () => {
    expect(parseFraction('120%')).toBeUndefined();
    expect(parseFraction(1.5)).toBeUndefined();
    expect(parseFraction('twenty')).toBeUndefined();
  });
});
