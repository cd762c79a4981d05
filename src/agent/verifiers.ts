/**
 * The verifiers of a consumer, detected from what its repository holds, run on the agent's result
 * before any pull request (never with network, never with the agent's vendor key):
 *
 * - package.json scripts `typecheck` and `test` (npm's placeholder test script excepted): `npm run …`;
 * - a dbt project (dbt_project.yml) when `dbt` is on PATH: `dbt parse`;
 * - Python tests (pytest.ini, pyproject.toml or setup.cfg naming pytest, or a tests/ folder of
 *   test_*.py) when `pytest` is on PATH: `pytest -q`;
 * - the repository's own `.fleetwave/check` (run by sh when it is not executable).
 *
 * A verifier that is configured but cannot run here (dbt or pytest not installed) is reported as not
 * run, with the reason, rather than silently passed.
 */
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface VerifierSpec {
  name: string;
  command: string;
}

export interface Detected {
  verifiers: VerifierSpec[];
  /** Verifiers the repository asks for that cannot run on this host, with why. */
  skipped: string[];
}

function onPath(file: string, path: string): boolean {
  return path.split(delimiter).some((d) => {
    try {
      accessSync(join(d, file), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function read(dir: string, path: string): string | undefined {
  try {
    return readFileSync(join(dir, path), 'utf8');
  } catch {
    return undefined;
  }
}

const NPM_PLACEHOLDER = /no test specified/;

export function detectVerifiers(dir: string, path = process.env.PATH ?? ''): Detected {
  const verifiers: VerifierSpec[] = [];
  const skipped: string[] = [];
  const pkg = read(dir, 'package.json');
  if (pkg !== undefined) {
    let scripts: Record<string, string> = {};
    try {
      scripts = ((JSON.parse(pkg) as { scripts?: Record<string, string> }).scripts ?? {}) as Record<string, string>;
    } catch {
      skipped.push('package.json does not parse: its scripts were not run');
    }
    if (typeof scripts.typecheck === 'string') verifiers.push({ name: 'typecheck', command: 'npm run --silent typecheck' });
    if (typeof scripts.test === 'string' && !NPM_PLACEHOLDER.test(scripts.test))
      verifiers.push({ name: 'test', command: 'npm test --silent' });
  }
  if (existsSync(join(dir, 'dbt_project.yml'))) {
    if (onPath('dbt', path)) verifiers.push({ name: 'dbt parse', command: 'dbt parse' });
    else skipped.push('dbt_project.yml: dbt is not installed here, so `dbt parse` was not run');
  }
  if (wantsPytest(dir)) {
    if (onPath('pytest', path)) verifiers.push({ name: 'pytest', command: 'pytest -q' });
    else skipped.push('Python tests: pytest is not installed here, so they were not run');
  }
  if (existsSync(join(dir, '.fleetwave', 'check'))) {
    let executable = true;
    try {
      accessSync(join(dir, '.fleetwave', 'check'), constants.X_OK);
    } catch {
      executable = false;
    }
    verifiers.push({ name: '.fleetwave/check', command: executable ? './.fleetwave/check' : 'sh .fleetwave/check' });
  }
  return { verifiers, skipped };
}

function wantsPytest(dir: string): boolean {
  if (existsSync(join(dir, 'pytest.ini')) || existsSync(join(dir, 'conftest.py'))) return true;
  for (const f of ['pyproject.toml', 'setup.cfg', 'tox.ini']) if (/\bpytest\b/.test(read(dir, f) ?? '')) return true;
  for (const d of ['tests', 'test']) {
    try {
      if (readdirSync(join(dir, d)).some((n) => /^test_.*\.py$|_test\.py$/.test(n))) return true;
    } catch {
      // no such folder
    }
  }
  return false;
}
