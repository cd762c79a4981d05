import { describe, expect, it } from '@jest/globals';
import { checkGuards, versionOf } from '../../../src/codemod/agent/guards.js';
import { parseJudgeAnswer } from '../../../src/codemod/agent/judge.js';
import { reduceOutput } from '../../../src/codemod/agent/reduce-output.js';
import type { Edit } from '../../../src/codemod/port.js';

const guards = (edits: Edit[], maxChangedLines = 100) =>
  checkGuards({ edits, paths: ['src/**', 'test/**', 'tests/**', 'package.json'], maxChangedLines });
const kinds = (edits: Edit[], max?: number) => guards(edits, max).map((g) => g.guard);

const TEST = "test('a', () => {\n  expect(f(1)).toBe(2);\n});\ntest('b', () => {\n  expect(f(2)).toBe(3);\n});\n";

describe('the guards on an agent diff', () => {
  it('pass a change inside paths that keeps the tests', () => {
    expect(guards([{ path: 'src/a.ts', before: 'x.userId\n', after: 'x.user_id\n' }])).toEqual([]);
    expect(guards([{ path: 'test/a.test.ts', before: TEST, after: TEST.replace('f(1)', 'g(1)') }])).toEqual([]);
  });

  it('refuse files outside paths and CI files', () => {
    expect(kinds([{ path: 'lib/a.ts', before: 'a\n', after: 'b\n' }])).toEqual(['paths']);
    expect(kinds([{ path: '.github/workflows/ci.yml', before: 'a\n', after: 'b\n' }])).toEqual(['paths', 'ci']);
  });

  it('count added plus removed lines against maxChangedLines', () => {
    const edit = { path: 'src/a.ts', before: 'a\nb\nc\n', after: 'a\nB\nC\n' };
    expect(kinds([edit], 4)).toEqual([]);
    expect(guards([edit], 3)).toEqual([{ guard: 'maxChangedLines', message: '4 changed lines, more than maxChangedLines (3)' }]);
  });

  it('refuse a deleted test, a removed case, a skipped test, commented-out test code and fewer assertions', () => {
    expect(kinds([{ path: 'test/a.test.ts', before: TEST, after: null }])).toEqual(['tests']);
    expect(kinds([{ path: 'test/a.test.ts', before: TEST, after: TEST.split("test('b'")[0]! }])).toEqual(
      expect.arrayContaining(['tests', 'assertions']),
    );
    expect(kinds([{ path: 'test/a.test.ts', before: TEST, after: TEST.replace("test('b'", "test.skip('b'") }])).toEqual(['tests']);
    expect(
      kinds([{ path: 'src/a.spec.ts', before: TEST, after: TEST.replace('  expect(f(2)).toBe(3);', '  // expect(f(2)).toBe(3);') }]),
    ).toEqual(['tests', 'assertions']);
    expect(
      kinds([
        {
          path: 'tests/test_x.py',
          before: 'def test_a():\n    assert f(1) == 2\n',
          after: '@pytest.mark.skip\ndef test_a():\n    assert f(1) == 2\n',
        },
      ]),
    ).toEqual(['tests']);
  });

  it('refuse dependency and language-version downgrades, not upgrades', () => {
    const pkg = (dep: string, node: string) => JSON.stringify({ dependencies: { zod: dep }, engines: { node } });
    expect(kinds([{ path: 'package.json', before: pkg('^4.1.0', '>=20'), after: pkg('^4.2.0', '>=22') }])).toEqual([]);
    expect(guards([{ path: 'package.json', before: pkg('^4.1.0', '>=20'), after: pkg('^3.9.0', '>=18') }]).map((g) => g.message)).toEqual([
      'package.json: dependencies.zod downgraded from ^4.1.0 to ^3.9.0',
      'package.json: engines.node downgraded from >=20 to >=18',
    ]);
    expect(kinds([{ path: 'src/.python-version', before: '3.12\n', after: '3.10\n' }])).toEqual(['downgrade']);
    expect(kinds([{ path: 'src/requirements.txt', before: 'pandas==2.2.0\n', after: 'pandas==1.5.3\n' }])).toEqual(['downgrade']);
    expect(versionOf('workspace:*')).toBeUndefined();
  });
});

describe("the judge's answer", () => {
  it('reads pass/fail lines and JSON, and takes anything else as a veto', () => {
    expect(parseJudgeAnswer('\nPASS: stays on the prompt\nmore', 0)).toEqual({ pass: true, reason: 'stays on the prompt' });
    expect(parseJudgeAnswer('fail', 0)).toEqual({ pass: false, reason: '' });
    expect(parseJudgeAnswer('{"pass": true, "reason": "ok"}', 0)).toEqual({ pass: true, reason: 'ok' });
    expect(parseJudgeAnswer('looks good to me', 0).pass).toBe(false);
    expect(parseJudgeAnswer('pass: fine', 1)).toEqual({ pass: false, reason: 'the judge exited with 1: pass: fine' });
  });
});

describe('verifier output', () => {
  it('keeps the lines that name errors and places, without colours', () => {
    const out = reduceOutput(
      '\u001b[32mPASS\u001b[0m a\n> jest\n\u001b[31m● sum › adds\u001b[0m\n    Expected: 3\n    Received: 2\n      at src/sum.test.ts:4:5\nTests: 1 failed\n',
    );
    expect(out).toEqual(['● sum › adds', '    Expected: 3', '    Received: 2', '      at src/sum.test.ts:4:5', 'Tests: 1 failed']);
    expect(reduceOutput('one\ntwo\n')).toEqual(['one', 'two']);
  });
});
