/**
 * The TypeScript compiler's code cache (src/composition/compiler-code-cache.ts), observed from fresh
 * processes as the CLI runs it: the cache file a run leaves in XDG_CACHE_HOME, the next run compiling
 * from it, a corrupt file falling back and written again, a run that used more of the compiler
 * writing a larger cache, and FLEETWAVE_COMPILE_CACHE=0. The probe is bundled from src/ with esbuild
 * like test/helpers/cli-process.ts (packages external: ts-morph and its compiler load from node_modules).
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { compilerTieringFlags } from '../../src/composition/compiler-tiering.js';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');

/**
 * The probe: installs the cache as bin/fleetwave.js does, then uses the compiler — `parse` only
 * parses a line, `check` also type-checks a program (much more of the compiler's code runs).
 */
const PROBE = `
import { installCompilerCodeCache } from '${join(root, 'src', 'composition', 'compiler-code-cache.ts')}';
const cache = installCompilerCodeCache();
const before = cache.state;
const { ts } = await import('ts-morph');
const parsed = ts.createSourceFile('a.ts', 'const answer: number = 42;', ts.ScriptTarget.ES2022);
const output = ts.isVariableStatement(parsed.statements[0]) ? 'VariableStatement' : 'other';
let diagnostics = -1;
if (process.argv[2] === 'check') {
  const text = 'interface Play { user_id: string }\\nexport const p: Play = { user_id: 1 };\\n';
  const host = ts.createCompilerHost({ noLib: true });
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (f, v) => (f === 'a.ts' ? ts.createSourceFile(f, text, v) : getSourceFile(f, v));
  const program = ts.createProgram({ rootNames: ['a.ts'], options: { noLib: true, types: [] }, host });
  diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === 'a.ts').length;
}
console.log(JSON.stringify({ before, state: cache.state, output, diagnostics, tiering: cache.tiering ?? null }));
`;

let probe: string;

interface ProbeResult {
  before: string;
  state: string;
  output: string;
  diagnostics: number;
  tiering: string | null;
}

/** The tier-up flags this Node's V8 gets when the compiler loads (none on a V8 it was not measured on). */
const tiering = compilerTieringFlags({}) ?? null;

function runProbe(cacheHome: string, mode: 'parse' | 'check' = 'parse', env: Record<string, string> = {}): ProbeResult {
  const base = { ...process.env };
  delete base.FLEETWAVE_COMPILE_CACHE;
  delete base.NODE_COMPILE_CACHE;
  delete base.FLEETWAVE_COMPILER_TIERING;
  const r = spawnSync(process.execPath, [probe, mode], {
    encoding: 'utf8',
    env: { ...base, XDG_CACHE_HOME: cacheHome, ...env },
  });
  if (r.status !== 0) throw new Error(`probe failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ProbeResult;
}

function cacheFiles(cacheHome: string): string[] {
  const dir = join(cacheHome, 'fleetwave', 'code-cache');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.v8cache'))
    .map((f) => join(dir, f));
}

const work = join(root, 'test-output', `compiler-code-cache-${process.pid}`);
const freshHome = () => mkdtempSync(join(work, 'home-'));

describe('the compiler code cache', () => {
  beforeAll(async () => {
    mkdirSync(work, { recursive: true });
    const entry = join(work, 'probe.ts');
    writeFileSync(entry, PROBE);
    probe = join(work, 'probe.mjs');
    await build({
      entryPoints: [entry],
      outfile: probe,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'error',
    });
  });

  it('is written by a first run, then used by the next one', () => {
    const home = freshHome();
    const first = runProbe(home);
    expect(first).toEqual({ before: 'waiting', state: 'cold', output: 'VariableStatement', diagnostics: -1, tiering });
    const files = cacheFiles(home);
    expect(files).toHaveLength(1);
    expect(statSync(files[0]!).size).toBeGreaterThan(100_000);
    // code the next process runs: folders only the user can write to
    expect(statSync(join(home, 'fleetwave')).mode & 0o777).toBe(0o700);
    expect(statSync(join(home, 'fleetwave', 'code-cache')).mode & 0o777).toBe(0o700);

    const second = runProbe(home);
    expect(second).toEqual({ before: 'waiting', state: 'warm', output: 'VariableStatement', diagnostics: -1, tiering });
    expect(cacheFiles(home)).toEqual(files);
  });

  it('holds the functions a run compiled while it worked: a run that type-checks writes a larger cache', () => {
    const home = freshHome();
    runProbe(home, 'parse');
    const [file] = cacheFiles(home);
    const small = statSync(file!).size;
    const checked = runProbe(home, 'check');
    expect(checked.state).toBe('warm');
    expect(checked.diagnostics).toBe(1); // `user_id: 1` is not a string: the checker ran
    const large = statSync(file!).size;
    expect(large).toBeGreaterThan(small * 1.1);
    // the next run loads it whole and leaves it as it is
    expect(runProbe(home, 'check')).toMatchObject({ state: 'warm', diagnostics: 1 });
    expect(statSync(file!).size).toBe(large);
  });

  it('falls back to a plain compile when the cache is corrupt, and writes it again', () => {
    const home = freshHome();
    runProbe(home);
    const [file] = cacheFiles(home);
    writeFileSync(file!, 'not a V8 code cache');
    expect(runProbe(home)).toEqual({ before: 'waiting', state: 'rejected', output: 'VariableStatement', diagnostics: -1, tiering });
    expect(readFileSync(file!).length).toBeGreaterThan(100_000);
    expect(runProbe(home).state).toBe('warm');
  });

  it('is keyed by the V8 flags: a run with other flags neither uses nor overwrites the first one', () => {
    const home = freshHome();
    runProbe(home);
    const [file] = cacheFiles(home);
    const written = readFileSync(file!);
    expect(runProbe(home, 'parse', { NODE_OPTIONS: '--max-semi-space-size=32' }).state).toBe('cold');
    expect(cacheFiles(home)).toHaveLength(2);
    expect(readFileSync(file!).equals(written)).toBe(true);
  });

  it('is off with FLEETWAVE_COMPILE_CACHE=0: nothing read or written (the tier-up budget still set)', () => {
    const home = freshHome();
    expect(runProbe(home, 'parse', { FLEETWAVE_COMPILE_CACHE: '0' })).toEqual({
      before: 'disabled',
      state: 'disabled',
      output: 'VariableStatement',
      diagnostics: -1,
      tiering,
    });
    expect(existsSync(join(home, 'fleetwave'))).toBe(false);
  });

  it('leaves V8 its own tier-up budget with FLEETWAVE_COMPILER_TIERING=0, and keys the cache apart', () => {
    const home = freshHome();
    runProbe(home);
    const plain = runProbe(home, 'parse', { FLEETWAVE_COMPILER_TIERING: '0' });
    expect(plain).toMatchObject({ state: tiering ? 'cold' : 'warm', tiering: null });
    expect(cacheFiles(home)).toHaveLength(tiering ? 2 : 1);
    expect(runProbe(home, 'parse', { FLEETWAVE_COMPILER_TIERING: '0' })).toMatchObject({ state: 'warm', tiering: null });
  });
});
