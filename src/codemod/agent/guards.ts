/**
 * The deterministic guards on an agent's diff, whatever its verifiers say: it changes only `paths`, at
 * most `maxChangedLines` lines, deletes or skips or comments out no test, weakens no assertion,
 * downgrades no dependency or language version, and edits no CI file. Pure: edits in, violations out.
 */
import picomatch from 'picomatch';
import { changedLineCount, diffLines } from '../diff.js';
import type { Edit } from '../port.js';
import type { GuardViolation } from './port.js';

/** A file of tests, by the conventions of jest/vitest/mocha, pytest, Go and the common test folders. */
const TEST_FILE = [/(^|\/)(test|tests|__tests__|spec|specs)\//, /\.(test|spec)\.[cm]?[jt]sx?$/, /(^|\/)test_[^/]*\.py$/, /_test\.(py|go)$/];
export function isTestFile(path: string): boolean {
  return TEST_FILE.some((re) => re.test(path));
}

/** The files of the common CI systems: GitHub Actions, GitLab, CircleCI, Jenkins, Azure, Buildkite, Travis, Fleetwave's own `.ci/`. */
const CI_FILE = [
  /^\.github\/workflows\//,
  /^\.github\/actions\//,
  /^\.gitlab-ci\.ya?ml$/,
  /^\.circleci\//,
  /(^|\/)Jenkinsfile$/,
  /^azure-pipelines\.ya?ml$/,
  /^\.buildkite\//,
  /^\.travis\.ya?ml$/,
  /^\.ci\//,
];
export function isCiFile(path: string): boolean {
  return CI_FILE.some((re) => re.test(path));
}

/** A test case opened: jest/mocha/vitest `it(`/`test(`, pytest and unittest `def test_`, Go `func Test`. */
const TEST_CASE = /\b(?:it|test)(?:\.\w+)?\s*\(|\bdef\s+test_|\bfunc\s+Test[A-Z_]/g;
/** A skipped or focused test: `.skip(`, `xit(`, `xdescribe(`, `xtest(`, pytest's skip marks, unittest's skip, Go's t.Skip. */
const SKIP =
  /\.(?:skip|todo)\s*\(|\bx(?:it|describe|test)\s*\(|@pytest\.mark\.(?:skip|xfail)|\bpytest\.skip\s*\(|@unittest\.skip|\bt\.Skip(?:Now|f)?\s*\(/;
/** An assertion: `expect(`, `assert`, `assert_*`/`assertEqual`, chai's `.should`. */
const ASSERTION = /\bexpect\s*\(|\bassert\w*\b|\.should\b/g;
/** A line that is a comment in the common syntaxes. */
const COMMENT = /^\s*(?:\/\/|#|--|\/\*|\*)\s?(.*)$/;

/** Matches of `re` on the lines of `text` that are not comments. */
function count(text: string | null, re: RegExp): number {
  if (text === null) return 0;
  let n = 0;
  for (const line of text.split('\n')) if (!COMMENT.test(line)) n += (line.match(re) ?? []).length;
  return n;
}

function lines(text: string | null): string[] {
  if (!text) return [];
  const out = text.split('\n');
  if (out[out.length - 1] === '') out.pop();
  return out;
}

/** Added lines of an edit, with their 1-based line in the new text; removed lines' text. */
function delta(edit: Edit): { added: { line: number; text: string }[]; removed: string[] } {
  const added: { line: number; text: string }[] = [];
  const removed: string[] = [];
  let n = 0;
  for (const op of diffLines(lines(edit.before), lines(edit.after))) {
    if (op.kind !== 'del') n++;
    if (op.kind === 'add') added.push({ line: n, text: op.line });
    else if (op.kind === 'del') removed.push(op.line);
  }
  return { added, removed };
}

export interface GuardInput {
  /** The agent's edits, from the rules' result (before) to what it left (after). */
  edits: readonly Edit[];
  paths: readonly string[];
  maxChangedLines: number;
}

export function changedLines(edits: readonly Edit[]): number {
  let total = 0;
  for (const e of edits) {
    const { added, removed } = changedLineCount(e.before ?? '', e.after ?? '');
    total += added + removed;
  }
  return total;
}

export function checkGuards(input: GuardInput): GuardViolation[] {
  const out: GuardViolation[] = [];
  const inPaths = picomatch([...input.paths], { dot: true });
  for (const e of input.edits) {
    if (!inPaths(e.path)) out.push({ guard: 'paths', file: e.path, message: `${e.path} is outside paths (${input.paths.join(', ')})` });
    if (isCiFile(e.path)) out.push({ guard: 'ci', file: e.path, message: `${e.path} is a CI file: an agent never edits one` });
    if (isTestFile(e.path)) out.push(...testGuards(e));
    out.push(...downgrades(e));
  }
  const total = changedLines(input.edits);
  if (total > input.maxChangedLines)
    out.push({ guard: 'maxChangedLines', message: `${total} changed lines, more than maxChangedLines (${input.maxChangedLines})` });
  return out;
}

function testGuards(e: Edit): GuardViolation[] {
  const out: GuardViolation[] = [];
  if (e.after === null) return [{ guard: 'tests', file: e.path, message: `${e.path}: a test file was deleted` }];
  const cases = [count(e.before, TEST_CASE), count(e.after, TEST_CASE)] as const;
  if (cases[1] < cases[0]) out.push({ guard: 'tests', file: e.path, message: `${e.path}: ${cases[0] - cases[1]} test case(s) removed` });
  const { added, removed } = delta(e);
  const removedCode = new Set(removed.map((l) => l.trim()).filter((l) => l.length > 0 && !COMMENT.test(l)));
  for (const a of added) {
    if (SKIP.test(a.text))
      out.push({ guard: 'tests', file: e.path, line: a.line, message: `${e.path}:${a.line}: a test is skipped (${a.text.trim()})` });
    const commented = COMMENT.exec(a.text)?.[1]?.trim();
    if (commented && removedCode.has(commented))
      out.push({ guard: 'tests', file: e.path, line: a.line, message: `${e.path}:${a.line}: test code commented out (${commented})` });
  }
  const asserts = [count(e.before, ASSERTION), count(e.after, ASSERTION)] as const;
  if (asserts[1] < asserts[0])
    out.push({ guard: 'assertions', file: e.path, message: `${e.path}: ${asserts[0] - asserts[1]} assertion(s) removed or weakened` });
  return out;
}

/** `1.2.3`, `^1.2`, `>=3.10` → [1, 2, 3]; undefined for what is no plain version (a tag, a URL, a range with `||`). */
export function versionOf(spec: string): number[] | undefined {
  const m = /^\s*(?:[\^~]|[><]=?|==|~=)?\s*v?(\d+(?:\.\d+)*)/.exec(spec);
  if (!m || spec.includes('||')) return undefined;
  return m[1]!.split('.').map(Number);
}

function lower(after: number[], before: number[]): boolean {
  for (let i = 0; i < Math.max(after.length, before.length); i++) {
    const a = after[i] ?? 0;
    const b = before[i] ?? 0;
    if (a !== b) return a < b;
  }
  return false;
}

const VERSION_FILES = /(^|\/)(\.nvmrc|\.node-version|\.python-version|\.ruby-version|\.tool-versions|go\.mod|runtime\.txt)$/;

function downgrades(e: Edit): GuardViolation[] {
  if (e.before === null || e.after === null) return [];
  const out: GuardViolation[] = [];
  const say = (what: string, from: string, to: string) =>
    out.push({ guard: 'downgrade', file: e.path, message: `${e.path}: ${what} downgraded from ${from} to ${to}` });
  if (/(^|\/)package\.json$/.test(e.path)) {
    let before: Record<string, unknown>;
    let after: Record<string, unknown>;
    try {
      before = JSON.parse(e.before) as Record<string, unknown>;
      after = JSON.parse(e.after) as Record<string, unknown>;
    } catch {
      return out;
    }
    for (const section of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies', 'engines']) {
      const b = (before[section] ?? {}) as Record<string, string>;
      const a = (after[section] ?? {}) as Record<string, string>;
      for (const [name, spec] of Object.entries(b)) {
        const was = typeof spec === 'string' ? versionOf(spec) : undefined;
        const now = typeof a[name] === 'string' ? versionOf(a[name]) : undefined;
        if (was && now && lower(now, was)) say(`${section}.${name}`, spec, a[name]!);
      }
    }
    return out;
  }
  if (/(^|\/)requirements[^/]*\.txt$/.test(e.path) || /(^|\/)pyproject\.toml$/.test(e.path) || VERSION_FILES.test(e.path)) {
    const pins = (text: string) => {
      const m = new Map<string, string>();
      for (const line of text.split('\n')) {
        const p = /^\s*"?([A-Za-z0-9_.\-[\]]+)"?\s*(?:=\s*"?)?(==|>=|~=|\s)\s*v?(\d[\w.]*)/.exec(line);
        if (p) m.set(p[1]!.toLowerCase(), p[3]!);
        else if (/^\s*v?\d+(\.\d+)*\s*$/.test(line)) m.set('version', line.trim());
      }
      return m;
    };
    const before = pins(e.before);
    const after = pins(e.after);
    for (const [name, v] of before) {
      const now = after.get(name);
      const a = now === undefined ? undefined : versionOf(now);
      const b = versionOf(v);
      if (a && b && lower(a, b)) say(name, v, now!);
    }
  }
  return out;
}
