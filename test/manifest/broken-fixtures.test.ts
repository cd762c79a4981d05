import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadManifest } from '../../src/manifest/load.js';
import { ValidationError, type Problem } from '../../src/util/errors.js';

/**
 * Every broken manifest in fixtures/manifests/broken/ with its expected problems (expected.json:
 * file → [{line, col, message}], message being a part of the reported text), exactly: the same
 * number of problems, each at the same line and column.
 */
const dir = 'fixtures/manifests/broken';
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<
  string,
  { line: number; col: number; message: string }[]
>;
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

async function problemsOf(file: string): Promise<Problem[]> {
  try {
    await loadManifest(join(dir, file));
  } catch (err) {
    if (err instanceof ValidationError) return err.problems;
    throw err;
  }
  return [];
}

describe('broken manifests', () => {
  it('has at least 25 fixtures, each with its expectation and no expectation without a fixture', () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
    expect(Object.keys(expected).sort()).toEqual(files);
  });

  it.each(files)('%s', async (file) => {
    const problems = await problemsOf(file);
    const want = expected[file] ?? [];
    expect(problems.map((p) => `${p.line}:${p.col}`)).toEqual(want.map((w) => `${w.line}:${w.col}`));
    want.forEach((w, i) => {
      expect(problems[i]?.message).toContain(w.message);
      expect(problems[i]?.file).toBe(join(dir, file));
    });
  });
});
