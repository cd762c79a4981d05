/**
 * Issue #14: a manifest with more keys than any real one is refused fast, and validation is linear in
 * size. A 1 MiB manifest of 105k unknown keys took over 90 s (quadratic duplicate-key checks and
 * position lookups); the App parses every manifest it finds.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseManifest } from '../../src/manifest/load.js';
import { yamlLimits } from '../../src/manifest/yaml-document.js';
import { ValidationError, type Problem } from '../../src/util/errors.js';

const valid = readFileSync('manifests/play-events-v2.yaml', 'utf8');

function timed(text: string): { ms: number; problems: Problem[] } {
  const started = process.hrtime.bigint();
  let problems: Problem[] = [];
  try {
    parseManifest(text, 'm.yaml');
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    problems = err.problems;
  }
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, problems };
}

const unknownKeys = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `k${from + i}: 1`).join('\n');

describe('manifest size', () => {
  it('refuses a 1 MiB manifest of 105k unknown keys fast, at the first key past the limit', () => {
    const text = `${valid}${unknownKeys(105_000)}\n`;
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(yamlLimits.maxBytes);
    const { ms, problems } = timed(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(new RegExp(`more than ${yamlLimits.maxNodes} keys and values`));
    expect(problems[0]!.line).toBeGreaterThan(valid.split('\n').length);
    expect(ms).toBeLessThan(10_000);
  });

  it('validates a manifest just under the limit in time linear in its size', () => {
    const keys = Math.floor((yamlLimits.maxNodes - 400) / 2);
    const small = timed(`${valid}${unknownKeys(keys / 4)}\n`);
    const large = timed(`${valid}${unknownKeys(keys)}\n`);
    expect(large.problems).toHaveLength(keys);
    expect(large.problems[0]!.message).toMatch(/unknown key 'k0'/);
    // Four times the keys: about four times the work (quadratic was sixteen).
    expect(large.ms).toBeLessThan(Math.max(8 * small.ms, 3_000));
  });

  it('reports thousands of duplicate keys each with its first definition, in linear time', () => {
    const keys = 2_000;
    const text = `${valid}${unknownKeys(keys)}\n${unknownKeys(keys).replace(/: 1/g, ': 2')}\n`;
    const { ms, problems } = timed(text);
    const duplicates = problems.filter((p) => /^duplicate key/.test(p.message));
    expect(duplicates).toHaveLength(keys);
    expect(duplicates[0]!.message).toMatch(/duplicate key 'k0' \(first defined at line \d+, col 1\); keep one/);
    expect(ms).toBeLessThan(5_000);
  });

  it('refuses a file over the byte cap before parsing it', () => {
    const { ms, problems } = timed(`${valid}#${'x'.repeat(yamlLimits.maxBytes)}\n`);
    expect(problems[0]!.message).toMatch(/at most 1048576 bytes \(1 MiB\)/);
    expect(ms).toBeLessThan(500);
  });
});
