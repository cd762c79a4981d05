/**
 * Issue #14, "bounded work for hostile input": a manifest's regular expression runs in a linear-time
 * engine. `(a+)+$` on a 36-byte file stalled V8's backtracking engine for hours.
 */
import { describe, expect, it } from '@jest/globals';
import { replaceRule } from '../../src/codemod/rules/replace.js';
import { replaceParams } from '../../src/manifest/change-rules.js';
import { parseManifest } from '../../src/manifest/load.js';
import { ValidationError, type Problem } from '../../src/util/errors.js';
import { readFileSync } from 'node:fs';

const valid = readFileSync('manifests/play-events-v2.yaml', 'utf8');

function problemsOf(text: string): Problem[] {
  try {
    parseManifest(text, 'm.yaml');
  } catch (err) {
    if (err instanceof ValidationError) return err.problems;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

/** The example manifest with its `changes:` replaced by one replace rule of pattern `from`. */
function withRegex(from: string): string {
  const at = valid.indexOf('\nchanges:');
  const rest = valid.slice(at + 1).replace(/^changes:\n(?:[ -].*\n|\n)*/, '');
  return `${valid.slice(0, at + 1)}changes:\n  - replace:\n      from: '${from}'\n      to: x\n      regex: true\n${rest}`;
}

describe('user regular expressions', () => {
  it('runs a catastrophic pattern on a 36-byte file in linear time', () => {
    const p = replaceParams.parse({ from: '(a+)+$', to: 'b', regex: true });
    const text = `${'a'.repeat(35)}!`;
    const started = process.hrtime.bigint();
    expect(replaceRule.prefilter!(p, text)).toBe(false);
    expect(replaceRule.rewrite(p, text, 'f.txt')).toEqual({ text, count: 0 });
    // A 64 KiB file of the same shape too (V8 would never return).
    const big = `${'a'.repeat(65_536)}!`;
    expect(replaceRule.rewrite(p, big, 'f.txt').count).toBe(0);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(2_000);
  });

  it('keeps $1, $& and $$ in the replacement, and empty matches as JavaScript does', () => {
    const p = replaceParams.parse({ from: 's3://(\\w+)/v(\\d)', to: '$$ $& gs://$1/v$2', regex: true });
    expect(replaceRule.rewrite(p, 'a s3://lake/v1 b', 'f')).toEqual({ text: 'a $ s3://lake/v1 gs://lake/v1 b', count: 1 });
    const empty = replaceParams.parse({ from: 'x*', to: '-', regex: true });
    expect(replaceRule.rewrite(empty, 'abc', 'f').text).toBe('abc'.replace(/x*/g, '-'));
  });

  it.each([
    ['a backreference', '(a)\\1'],
    ['a lookahead', 'foo(?=bar)'],
    ['a lookbehind', '(?<!x)foo'],
  ])('refuses %s with a manifest error at the field', (_what, pattern) => {
    const text = withRegex(pattern);
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    const [problem] = problems;
    expect(problem!.path).toBe('changes[0].replace.from');
    expect(problem!.message).toMatch(/linear-time engine/);
    expect(problem!.message).toMatch(/backreferences/);
    const line = text.split('\n').findIndex((l) => l === `      from: '${pattern}'`) + 1;
    expect(problem!.line).toBe(line);
    expect(problem!.col).toBe(13);
  });

  it('accepts a pattern RE2 runs, and a literal that would not compile as one', () => {
    expect(() => parseManifest(withRegex('data/play-events/(v\\d)'), 'm.yaml')).not.toThrow();
    expect(replaceParams.safeParse({ from: '(?=x)', to: 'y' }).success).toBe(true);
  });
});
