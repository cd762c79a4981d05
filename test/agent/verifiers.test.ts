/**
 * Which verifiers a consumer gets, detected from its repository (docs/rules/agent.md, "Verifiers"): the
 * package.json scripts, dbt and pytest where installed (else said, never passed silently), and
 * `.fleetwave/check`. Files only: nothing is run here (test/agent/runner.test.ts runs them).
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { detectVerifiers } from '../../src/agent/verifiers.js';

const root = mkdtempSync(join(tmpdir(), 'fleetwave-verifiers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

function repo(files: Record<string, string>, executable: string[] = []): string {
  const dir = join(root, `r${n++}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  mkdirSync(dir, { recursive: true });
  for (const path of executable) chmodSync(join(dir, path), 0o755);
  return dir;
}

/** A PATH holding executables of these names (what detection looks for), and nothing else. */
function pathWith(...tools: string[]): string {
  const bin = join(root, `bin${n++}`);
  mkdirSync(bin);
  for (const t of tools) {
    writeFileSync(join(bin, t), '#!/bin/sh\n');
    chmodSync(join(bin, t), 0o755);
  }
  return bin;
}

describe('the verifiers of a repository', () => {
  it('package.json: typecheck and test scripts, not npm’s placeholder test', () => {
    const pkg = (scripts: Record<string, string>) => repo({ 'package.json': JSON.stringify({ scripts }) });
    expect(detectVerifiers(pkg({ typecheck: 'tsc --noEmit', test: 'jest', lint: 'eslint .' }), pathWith())).toEqual({
      verifiers: [
        { name: 'typecheck', command: 'npm run --silent typecheck' },
        { name: 'test', command: 'npm test --silent' },
      ],
      skipped: [],
    });
    expect(detectVerifiers(pkg({ test: 'echo "Error: no test specified" && exit 1' }), pathWith()).verifiers).toEqual([]);
    expect(detectVerifiers(repo({ 'package.json': '{ not json' }), pathWith())).toEqual({
      verifiers: [],
      skipped: ['package.json does not parse: its scripts were not run'],
    });
  });

  it('dbt: `dbt parse` where dbt is installed, else said', () => {
    const dir = repo({ 'dbt_project.yml': 'name: x\n' });
    expect(detectVerifiers(dir, pathWith('dbt')).verifiers).toEqual([{ name: 'dbt parse', command: 'dbt parse' }]);
    expect(detectVerifiers(dir, pathWith())).toEqual({
      verifiers: [],
      skipped: ['dbt_project.yml: dbt is not installed here, so `dbt parse` was not run'],
    });
  });

  it('pytest: from pytest.ini, conftest.py, pyproject/setup.cfg/tox.ini naming it, or tests/test_*.py; where installed', () => {
    const python: Record<string, string>[] = [
      { 'pytest.ini': '[pytest]\n' },
      { 'conftest.py': '' },
      { 'pyproject.toml': '[tool.pytest.ini_options]\n' },
      { 'setup.cfg': '[tool:pytest]\n' },
      { 'tox.ini': 'commands = pytest\n' },
      { 'tests/test_read.py': 'def test_a(): pass\n' },
      { 'test/read_test.py': 'def test_a(): pass\n' },
    ];
    for (const files of python) {
      expect(detectVerifiers(repo(files), pathWith('pytest')).verifiers).toEqual([{ name: 'pytest', command: 'pytest -q' }]);
      expect(detectVerifiers(repo(files), pathWith()).skipped).toEqual([
        'Python tests: pytest is not installed here, so they were not run',
      ]);
    }
    expect(detectVerifiers(repo({ 'pyproject.toml': '[project]\nname = "x"\n', 'src/read.py': '' }), pathWith('pytest'))).toEqual({
      verifiers: [],
      skipped: [],
    });
  });

  it('.fleetwave/check: run directly when executable, by sh when not', () => {
    expect(detectVerifiers(repo({ '.fleetwave/check': '#!/bin/sh\n' }, ['.fleetwave/check']), pathWith()).verifiers).toEqual([
      { name: '.fleetwave/check', command: './.fleetwave/check' },
    ]);
    expect(detectVerifiers(repo({ '.fleetwave/check': 'true\n' }), pathWith()).verifiers).toEqual([
      { name: '.fleetwave/check', command: 'sh .fleetwave/check' },
    ]);
  });

  it('all of them together, in order; none for a repository with none', () => {
    const dir = repo({
      'package.json': JSON.stringify({ scripts: { test: 'node t.js' } }),
      'dbt_project.yml': '',
      'pytest.ini': '',
      '.fleetwave/check': 'true\n',
    });
    expect(detectVerifiers(dir, pathWith('dbt', 'pytest')).verifiers.map((v) => v.name)).toEqual([
      'test',
      'dbt parse',
      'pytest',
      '.fleetwave/check',
    ]);
    expect(detectVerifiers(repo({ 'README.md': 'hi\n' }), pathWith())).toEqual({ verifiers: [], skipped: [] });
  });
});
