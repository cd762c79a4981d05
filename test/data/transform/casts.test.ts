import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { renderCastTable } from './cast-table.js';
import { castRules, type CastContext } from '../../../src/data/transform/casts.js';
import type { CastTarget } from '../../../src/data/transform/schema.js';
import { CastFailure } from '../../../src/data/transform/values.js';

const d = (unscaled: bigint, scale: number) => ({ unscaled, scale });

/** For every legal cast: the target, a value that converts (and to what), and for checked casts a value that fails. */
const examples: Record<string, { to?: Partial<CastTarget>; ok: [unknown, unknown][]; bad?: unknown[] }> = {
  'int→long': { ok: [[-5, -5n]] },
  'int→float': { ok: [[16_777_216, 16_777_216]], bad: [16_777_217] },
  'int→double': { ok: [[2_147_483_647, 2_147_483_647]] },
  'long→float': { ok: [[1024n, 1024]], bad: [16_777_217n] },
  'long→double': { ok: [[2n ** 60n, 2 ** 60]], bad: [2n ** 53n + 1n] },
  'float→double': { ok: [[0.5, 0.5]] },
  'long→int': { ok: [[-2_147_483_648n, -2_147_483_648]], bad: [2_147_483_648n] },
  'double→float': { ok: [[0.25, 0.25]], bad: [0.1] },
  'int→decimal': { to: { precision: 4, scale: 2 }, ok: [[12, d(1200n, 2)]], bad: [100] },
  'long→decimal': { to: { precision: 20, scale: 0 }, ok: [[2n ** 63n - 1n, d(2n ** 63n - 1n, 0)]], bad: [10n ** 20n] },
  'float→decimal': { to: { precision: 5, scale: 2 }, ok: [[Math.fround(0.1), d(10n, 2)]], bad: [Math.fround(0.125)] },
  'double→decimal': {
    to: { precision: 12, scale: 2 },
    ok: [
      [12.34, d(1234n, 2)],
      [0.1, d(10n, 2)],
    ],
    bad: [0.125, Number.NaN],
  },
  'decimal→decimal': { to: { precision: 6, scale: 3 }, ok: [[d(1234n, 2), d(12340n, 3)]], bad: [d(12345n, 4), d(1000000n, 2)] },
  'decimal→double': { ok: [[d(1234n, 2), 12.34]], bad: [d(10n ** 30n + 1n, 2)] },
  'int→string': { ok: [[-7, '-7']] },
  'long→string': { ok: [[2n ** 63n - 1n, '9223372036854775807']] },
  'float→string': { ok: [[Math.fround(0.1), '0.1']] },
  'double→string': { ok: [[0.1, '0.1']] },
  'decimal→string': { ok: [[d(-5n, 3), '-0.005']] },
  'boolean→string': { ok: [[false, 'false']] },
  'enum→string': { ok: [['PRO', 'PRO']] },
  'uuid→string': { ok: [['0b6e3f0e-0000-4000-8000-000000000000', '0b6e3f0e-0000-4000-8000-000000000000']] },
  'date→string': { ok: [[19_723, '2024-01-01']] },
  'timestamp-millis→string': { ok: [[1_704_067_200_123n, '2024-01-01T00:00:00.123Z']] },
  'timestamp-micros→string': { ok: [[-1n, '1969-12-31T23:59:59.999999Z']] },
  'string→string': { ok: [['x', 'x']] },
  'string→enum': { to: { symbols: ['A', 'B'] }, ok: [['B', 'B']], bad: ['C', 'a'] },
  'enum→enum': { to: { symbols: ['A'] }, ok: [['A', 'A']], bad: ['B'] },
  'string→int': { ok: [[' 42', 42]], bad: ['4.2', '2147483648', 'x'] },
  'string→long': { ok: [['-9223372036854775808', -(2n ** 63n)]], bad: ['9223372036854775808', '1e3'] },
  'string→double': {
    ok: [
      ['-2e3', -2000],
      ['NaN', Number.NaN],
    ],
    bad: ['12abc', ''],
  },
  'string→float': { ok: [['0.5', 0.5]], bad: ['0.1'] },
  'string→decimal': { to: { precision: 5, scale: 2 }, ok: [['12.3', d(1230n, 2)]], bad: ['1.234', 'abc'] },
  'string→boolean': { ok: [['true', true]], bad: ['TRUE', '1'] },
  'string→date': { ok: [['2024-02-29', 19_782]], bad: ['2023-02-29', '2024-1-1'] },
  'string→timestamp-millis': {
    ok: [['2024-01-01T01:00:00.5+01:00', 1_704_067_200_500n]],
    bad: ['2024-01-01T00:00:00.0001Z', '2024-01-01T00:00:00'],
  },
  'string→timestamp-micros': { ok: [['1970-01-01T00:00:00.000001Z', 1n]], bad: ['1970-01-01T00:00:00.0000001Z'] },
  'int→date': { ok: [[1, 1]] },
  'date→int': { ok: [[1, 1]] },
  'long→timestamp-millis': { ok: [[5n, 5n]] },
  'long→timestamp-micros': { ok: [[5n, 5n]] },
  'timestamp-millis→long': { ok: [[5n, 5n]] },
  'timestamp-micros→long': { ok: [[5n, 5n]] },
  'timestamp-millis→timestamp-micros': { ok: [[-3n, -3000n]] },
  'timestamp-micros→timestamp-millis': { ok: [[-3000n, -3n]], bad: [-3001n] },
  'timestamp-millis→date': { ok: [[86_400_000n, 1]], bad: [86_400_001n] },
  'timestamp-micros→date': { ok: [[-86_400_000_000n, -1]], bad: [-1n] },
  'date→timestamp-millis': { ok: [[-1, -86_400_000n]] },
  'date→timestamp-micros': { ok: [[1, 86_400_000_000n]] },
  'int→int': { ok: [[1, 1]] },
  'long→long': { ok: [[1n, 1n]] },
  'float→float': { ok: [[1, 1]] },
  'double→double': { ok: [[1, 1]] },
  'boolean→boolean': { ok: [[true, true]] },
  'date→date': { ok: [[1, 1]] },
  'timestamp-millis→timestamp-millis': { ok: [[1n, 1n]] },
  'timestamp-micros→timestamp-micros': { ok: [[1n, 1n]] },
};

function compile(from: string, to: string, extra: Partial<CastTarget> = {}, round = false) {
  const rule = castRules.find((r) => `${r.from}→${r.to}` === `${from}→${to}`)!;
  const target = { type: to, ...extra, ...(round ? { round } : {}) } as CastTarget;
  const ctx: CastContext = { to: target };
  if (to === 'decimal') ctx.targetDecimal = { precision: target.precision!, scale: target.scale ?? 0 };
  return rule.compile(ctx);
}

describe('the table of legal casts', () => {
  it('has an example for every rule and no example without a rule', () => {
    expect(Object.keys(examples).sort()).toEqual(castRules.map((r) => `${r.from}→${r.to}`).sort());
  });

  for (const r of castRules) {
    const key = `${r.from}→${r.to}`;
    it(`${key} (${r.exactness})`, () => {
      const ex = examples[key]!;
      const convert = compile(r.from, r.to, ex.to);
      for (const [input, output] of ex.ok) expect(convert(input)).toEqual(output);
      if (r.exactness === 'checked') {
        expect(ex.bad?.length).toBeGreaterThan(0);
        for (const input of ex.bad!) expect(() => convert(input)).toThrow(CastFailure);
      } else {
        expect(ex.bad).toBeUndefined();
      }
    });
  }

  it('rounds only when told', () => {
    expect(compile('timestamp-micros', 'timestamp-millis', {}, true)(-3001n)).toBe(-4n);
    expect(compile('double', 'decimal', { precision: 5, scale: 2 }, true)(0.125)).toEqual(d(12n, 2));
    expect(compile('decimal', 'double', {}, true)(d(10n ** 30n + 1n, 2))).toBe(1e28);
  });

  it('is the table docs/transforms.md shows', () => {
    const doc = readFileSync(new URL('../../../docs/transforms.md', import.meta.url), 'utf8');
    expect(doc).toContain(renderCastTable());
  });
});
