import { describe, expect, it } from '@jest/globals';
import { replaceRule } from '../../../src/codemod/rules/replace.js';
import { replaceParams } from '../../../src/manifest/change-rules.js';

const params = (p: Record<string, unknown>) => replaceParams.parse(p);

describe('replace rule', () => {
  it('replaces every literal occurrence and counts them', () => {
    const p = params({ from: 'data/play-events/v1', to: 'data/play-events/v2' });
    const r = replaceRule.rewrite(p, 'a = \'data/play-events/v1/x\'; b = "data/play-events/v1"', 'a.ts');
    expect(r).toEqual({ text: 'a = \'data/play-events/v2/x\'; b = "data/play-events/v2"', count: 2 });
  });

  it('treats the pattern literally unless regex is set', () => {
    const p = params({ from: 'a.b', to: 'X' });
    expect(replaceRule.rewrite(p, 'a.b aXb', 'f').text).toBe('X aXb');
    const rx = params({ from: 'v(\\d)', to: 'version-$1', regex: true });
    expect(replaceRule.rewrite(rx, 'v1 v2', 'f')).toEqual({ text: 'version-1 version-2', count: 2 });
  });

  it('is idempotent even when `to` contains `from`', () => {
    const p = params({ from: 'events/v1', to: 'events/v1-next' });
    const once = replaceRule.rewrite(p, 'events/v1 and events/v1', 'f');
    expect(once.text).toBe('events/v1-next and events/v1-next');
    expect(replaceRule.rewrite(p, once.text, 'f')).toEqual({ text: once.text, count: 0 });
  });

  it('applies only to files matching its globs', () => {
    const p = params({ from: 'x', to: 'y', files: ['**/*.sql', 'config/*.yaml'] });
    expect(replaceRule.appliesTo(p, 'db/q.sql')).toBe(true);
    expect(replaceRule.appliesTo(p, 'config/app.yaml')).toBe(true);
    expect(replaceRule.appliesTo(p, 'src/a.ts')).toBe(false);
  });
});
