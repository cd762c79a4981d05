/**
 * Golden trees: fixtures/codemod/<rule>/<case>/{case.yaml, before/, after/}. For every case the engine
 * must turn before/ into exactly after/, change exactly `changedLines` lines, leave a tree that
 * type-checks, report the expected findings, and change nothing when run again (idempotency).
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CodemodEngine } from '../../src/codemod/engine.js';
import { changedLineCount } from '../../src/codemod/diff.js';
import { typeCheckDir } from '../../src/codemod/ts/typecheck.js';
import { applyEdits, manifestWith, readTree, removeDir, tempCopy } from './helpers.js';

interface CaseSpec {
  changes: unknown[];
  dataset?: Record<string, unknown>;
  changedLines: number;
  findings?: { severity: string; file?: string; includes: string }[];
  /** Files whose type errors after the rewrite are expected (code the rule must leave to a human). */
  typeErrorsIn?: string[];
  /** Paths left out of the type check (a file that does not parse on purpose). */
  typecheckExclude?: string[];
  /** Use the case folder as the manifest repository (custom codemods, schemas). */
  manifestDir?: string;
}

const root = join(process.cwd(), 'fixtures/codemod');
const cases = readdirSync(root)
  .filter((rule) => !rule.includes('.'))
  .flatMap((rule) =>
    readdirSync(join(root, rule))
      .filter((c) => existsSync(join(root, rule, c, 'case.yaml')))
      .map((c) => [rule, c] as const),
  );
const temps: string[] = [];
afterAll(() => temps.forEach(removeDir));

describe.each(cases)('golden %s/%s', (rule, name) => {
  const caseDir = join(root, rule, name);
  const spec = parse(readFileSync(join(caseDir, 'case.yaml'), 'utf8')) as CaseSpec;
  const manifest = manifestWith(spec.changes, spec.dataset);
  const ctx = (dir: string) => ({
    manifest,
    repo: 'acme/golden',
    dir,
    manifestDir: spec.manifestDir ? join(caseDir, spec.manifestDir) : undefined,
  });

  it('rewrites before/ into exactly after/, with the expected findings, in a tree that type-checks, idempotently', async () => {
    const dir = tempCopy(join(caseDir, 'before'));
    temps.push(dir);
    const engine = new CodemodEngine();
    const set = await engine.compute(ctx(dir));
    applyEdits(dir, set.edits);
    expect(readTree(dir)).toEqual(readTree(join(caseDir, 'after')));

    const changed = set.edits.reduce((n, e) => n + changedLineCount(e.before ?? '', e.after ?? '').added, 0);
    expect(changed).toBe(spec.changedLines);

    for (const f of spec.findings ?? []) {
      expect(set.findings).toContainEqual(
        expect.objectContaining({
          severity: f.severity,
          ...(f.file ? { file: f.file } : {}),
          message: expect.stringContaining(f.includes),
        }),
      );
    }
    expect(set.findings.filter((f) => f.severity !== 'info')).toHaveLength(
      (spec.findings ?? []).filter((f) => f.severity !== 'info').length,
    );

    const errorFiles = new Set(typeCheckDir(dir, { exclude: spec.typecheckExclude }).errors.map((e) => e.split(':')[0]));
    expect([...errorFiles].sort()).toEqual([...(spec.typeErrorsIn ?? [])].sort());

    const again = await engine.compute(ctx(dir));
    expect(again.edits).toEqual([]);
  });

  it('the before/ tree type-checks too (the fixture is honest)', () => {
    expect(typeCheckDir(join(caseDir, 'before'), { exclude: spec.typecheckExclude }).errors).toEqual([]);
  });
});
