import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { changedLineCount, unifiedDiff } from '../../src/codemod/diff.js';
import { applySpanEdits } from '../../src/codemod/span-edits.js';
import { removeDir, tempDir } from './helpers.js';

const temps: string[] = [];
afterAll(() => temps.forEach(removeDir));

const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n') + '\n';

describe('unified diff', () => {
  it('is a patch git apply accepts and that reproduces the edit', () => {
    const before = lines(40, (i) => `line ${i}`);
    const after = before.replace('line 3\n', 'line three\n').replace('line 20\n', '').replace('line 30\n', 'line 30\nline 30b\n');
    const dir = tempDir('fw-diff-');
    temps.push(dir);
    execFileSync('git', ['init', '-q', dir]);
    writeFileSync(join(dir, 'f.txt'), before);
    writeFileSync(join(dir, 'p.diff'), unifiedDiff({ path: 'f.txt', before, after }));
    execFileSync('git', ['-C', dir, 'apply', 'p.diff']);
    expect(readFileSync(join(dir, 'f.txt'), 'utf8')).toBe(after);
    expect(changedLineCount(before, after)).toEqual({ removed: 2, added: 2 });
  });

  it('span edits change only their spans and refuse overlaps', () => {
    expect(applySpanEdits('a.user_id + b', [{ start: 2, end: 9, text: 'userId' }])).toBe('a.userId + b');
    expect(() =>
      applySpanEdits('abcdef', [
        { start: 0, end: 3, text: 'x' },
        { start: 2, end: 4, text: 'y' },
      ]),
    ).toThrow('overlapping');
  });
});
