/**
 * Skimming (src/codemod/ts/skim.ts): the bodies of functions with a stated return type that do not
 * spell what the rule looks for are blanked before parsing; offsets and lines stay, and what the
 * lexical scan gets wrong is caught by checking the parsed tree.
 */
import { describe, expect, it } from '@jest/globals';
import { ts } from 'ts-morph';
import { skimBodies, skimmable, verifySkim } from '../../../src/codemod/ts/skim.js';

const keep = (body: string) => body.includes('user_id');
const parse = (text: string) => ts.createSourceFile('/x.ts', text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);

/** The bodies left in the skimmed text, by the name of the function. */
function skim(text: string): { text: string; blanked: string[] } {
  const out = skimBodies(text, keep);
  if (!out) return { text, blanked: [] };
  expect(out.text).toHaveLength(text.length);
  expect([...out.text].map((c, i) => (c === '\n' ? i : -1)).filter((i) => i >= 0)).toEqual(
    [...text].map((c, i) => (c === '\n' ? i : -1)).filter((i) => i >= 0),
  );
  expect(verifySkim(parse(out.text), out.ranges)).toBe(true);
  // the name at the start of the line that opens each blanked body
  const nameAt = (s: number) =>
    /^\w+/.exec(text.slice(text.lastIndexOf('\n', s) + 1, s).replace(/^\s*(export\s+)?(function\s+|const\s+|get\s+)?/, ''))?.[0];
  return { text: out.text, blanked: out.ranges.map(([s]) => nameAt(s) ?? '?') };
}

describe('skimming a TypeScript file', () => {
  it('blanks the bodies of annotated functions and methods that do not name the field, keeping offsets and lines', () => {
    const text = [
      'export function total(values: number[]): number {',
      '  let t = 0;',
      '  for (const v of values) t += v;',
      '  return t;',
      '}',
      'export function who(e: { user_id: string }): string {',
      '  return e.user_id;',
      '}',
      'export const api = {',
      '  size(s: string): number {',
      "    return s.length + '}'.length;",
      '  },',
      '};',
      'export class Box {',
      '  constructor(private n: number) {',
      '    this.n = n * 2;',
      '  }',
      '  set v(x: number) {',
      '    this.n = x;',
      '  }',
      '  get v(): number {',
      '    return this.n;',
      '  }',
      '}',
      'export const twice = (n: number): number => {',
      '  return n * 2;',
      '};',
      '',
    ].join('\n');
    const { text: out, blanked } = skim(text);
    expect(blanked).toEqual(['total', 'size', 'v', 'twice']);
    expect(out).toContain('return e.user_id;');
    expect(out).toContain('this.n = n * 2;'); // a constructor states no return type
    expect(out).toContain('this.n = x;'); // nor does a setter
    expect(out).not.toContain('return t;');
    expect(out).not.toContain("'}'.length");
  });

  it('leaves functions without a return type, functions inside others, and files with a module-level let or var', () => {
    expect(skimBodies('export function f(a: number) {\n  return a;\n}\n', keep)).toBeUndefined();
    const nested =
      'export function f(e: { user_id: string }): string {\n  const g = (): number => {\n    return 1;\n  };\n  return e.user_id + g();\n}\n';
    expect(skimBodies(nested, keep)).toBeUndefined();
    // an assignment in a body changes how TypeScript narrows a module-level variable elsewhere
    const counter = 'let n = 0;\nexport function bump(): void {\n  n++;\n}\n';
    expect(skimBodies(counter, keep)).toBeUndefined();
    expect(skimBodies(counter.replace('let', 'const').replace('n++', 'void n'), keep)).toBeDefined();
  });

  it('reads object types in return types, strings, templates, comments and regular expressions', () => {
    const text = [
      'export function a(): Promise<{ ok: boolean }> {',
      '  return Promise.resolve({ ok: true });',
      '}',
      'export function b(): Base & { extra: string } {',
      '  const s = `${"{"} ${`}`}`; // }',
      '  return { ...base(), extra: s.replace(/[{}]/g, "") };',
      '}',
      'export function c(x: unknown): x is { user_id: string } {',
      "  return typeof x === 'object' && x !== null && 'user_id' in x;",
      '}',
      '/* } */',
      'export function d(): { n: number } {',
      '  return { n: 1 };',
      '}',
      'declare function base(): Base;',
      'type Base = { id: string };',
      '',
    ].join('\n');
    const { text: out, blanked } = skim(text);
    expect(blanked).toEqual(['a', 'b', 'd']);
    expect(out).toContain("'user_id' in x");
  });

  it('checks the parsed result: a block that is not a function body is not taken for one', () => {
    // `case f(): x` then a block: lexically like `(): T {`, but the block is a statement
    const text =
      'export function s(k: number): void {\n  switch (k) {\n    case f(): x\n    {\n      k++;\n    }\n  }\n}\ndeclare function f(): number;\ndeclare const x: number;\n';
    const sf = parse(text);
    const at = text.indexOf('{\n      k++');
    expect(verifySkim(sf, [[at, text.indexOf('}', at)]])).toBe(false);
    const body = text.indexOf('{\n  switch');
    expect(verifySkim(sf, [[body, text.lastIndexOf('}\ndeclare')]])).toBe(true);
    // a syntax error is never hidden behind a skimmed body: the file is then parsed whole
    expect(verifySkim(parse('export function f(): number {\n  return 1 +;\n}\n'), [])).toBe(false);
  });

  it('only skims TypeScript sources (not declarations, JSX or JavaScript)', () => {
    expect(['a.ts', 'a.mts', 'a.cts', 'a.d.ts', 'a.tsx', 'a.js', 'a.d.css.ts'].filter(skimmable)).toEqual(['a.ts', 'a.mts', 'a.cts']);
  });
});
