/**
 * One codemod benchmark case in its own process, shared by the codemod benchmarks (codemod,
 * codemod-rename, codemod-sql, codemod-python): the child does its work after its warm-up and writes
 * its figures beside the generated repository; the parent runs it and turns the figures into a table
 * row (with the `tsc` errors of the rewritten repository where the child rewrote it).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChangeSet } from '../src/codemod/port.js';
import { typeCheckDir } from '../src/codemod/ts/typecheck.js';

/** What every child measures: wall and CPU time of the work after its warm-up, and the process's peak RSS. */
export interface RunTiming {
  ms: number;
  cpuMs: number;
  peakRssMiB: number;
}

export interface CodemodRunFigures extends RunTiming {
  changed: number;
  findings: Record<'blocking' | 'warning' | 'info', number>;
}

function cpuMsNow(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}

/**
 * In the child, after its warm-up: times `run` and writes the timing, with what `run` returns, to
 * `<dir>/.result-<mode>.json` for the parent (`runChild`).
 */
export async function recordRun<T extends object>(dir: string, mode: string, run: () => Promise<T> | T): Promise<void> {
  const cpuAtStart = cpuMsNow();
  const start = performance.now();
  const out = await run();
  const ms = performance.now() - start;
  const cpuMs = cpuMsNow() - cpuAtStart;
  const timing: RunTiming = { ms, cpuMs, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
  writeFileSync(join(dir, `.result-${mode}.json`), JSON.stringify({ ...out, ...timing }));
}

/** In the child, after its warm-up: times `compute` and writes the figures to `<dir>/.result-<mode>.json`. */
export async function recordCodemodRun(dir: string, mode: string, compute: () => Promise<ChangeSet>): Promise<void> {
  await recordRun(dir, mode, async () => {
    const set = await compute();
    const findings = { blocking: 0, warning: 0, info: 0 };
    for (const f of set.findings) findings[f.severity]++;
    return { changed: set.edits.length, findings };
  });
}

/** In the parent: runs `script <mode> <dir>` in a child process and reads what it recorded (`recordRun`). */
export function runChild<T extends RunTiming>(script: string, mode: string, dir: string, env?: NodeJS.ProcessEnv): T {
  execFileSync(process.execPath, [script, mode, dir], { stdio: 'inherit', ...(env ? { env } : {}) });
  return JSON.parse(readFileSync(join(dir, `.result-${mode}.json`), 'utf8')) as T;
}

/** In the parent: runs `script <mode> <dir>` in a child process and reads its figures. */
export function runCodemodChild(script: string, mode: string, dir: string): CodemodRunFigures {
  return runChild<CodemodRunFigures>(script, mode, dir);
}

/** The timing columns of one run over `files` files. */
export function timingColumns(files: number, r: RunTiming): Record<string, number> {
  return {
    'files/s': Math.round(files / (r.ms / 1000)),
    'wall s': Number((r.ms / 1000).toFixed(2)),
    'files/CPU-s': Math.round(files / (r.cpuMs / 1000)),
    'CPU s': Number((r.cpuMs / 1000).toFixed(2)),
    'peak RSS MiB': Math.round(r.peakRssMiB),
  };
}

/** The table columns of one run over `files` files. */
export function codemodRow(files: number, r: CodemodRunFigures): Record<string, number> {
  return {
    ...timingColumns(files, r),
    'files changed': r.changed,
    'blocking findings': r.findings.blocking,
    warnings: r.findings.warning,
  };
}

/** A child that rewrote the repository: the files it changed (path → new text). */
export interface RewriteRun extends RunTiming {
  changed: [string, string][];
}

/**
 * Each mode's child over the repository in `dir` (`script <mode> <dir>`, recorded with `recordRun`),
 * in turn: one row each with the timing over `files` files, the files changed, `more` of the run, and
 * the `tsc` errors of the whole repository as the mode rewrote it (the first few are printed).
 */
export function compareRewrites<T extends RewriteRun>(
  c: {
    script: string;
    dir: string;
    files: number;
    modes: string[];
    /** The environment of each mode's child (the parent's without it). */
    env?: (mode: string) => NodeJS.ProcessEnv;
    /** Run before each mode's child (e.g. to prepare what it reads). */
    before?: (mode: string) => void;
  },
  more: (r: T) => Record<string, string | number> = () => ({}),
): { rows: Record<string, string | number>[]; results: Map<string, T> } {
  const rows: Record<string, string | number>[] = [];
  const results = new Map<string, T>();
  for (const mode of c.modes) {
    c.before?.(mode);
    const r = runChild<T>(c.script, mode, c.dir, c.env?.(mode));
    results.set(mode, r);
    const errors = typeCheckDir(c.dir, { files: new Map(r.changed) }).errors;
    rows.push({ mode, ...timingColumns(c.files, r), 'files changed': r.changed.length, ...more(r), 'tsc errors after': errors.length });
    console.log(JSON.stringify(rows[rows.length - 1]));
    if (errors.length) console.log(`${mode}: first errors:\n  ${errors.slice(0, 5).join('\n  ')}`);
  }
  return { rows, results };
}

export interface ModeComparison {
  /** The benchmark's own script (run again as the child: `<script> <mode> <dir>`). */
  script: string;
  /** Shares of the files that read the dataset, one generated repository each. */
  shares: number[];
  /** The rule under test first, then its baseline. */
  modes: string[];
  /** Writes the repository into `dir`; says how many files read the dataset and how it describes itself. */
  generate(dir: string, share: number): { readers: number; described: string };
  /** Files the run goes over (files/s is counted on these). */
  files: number;
  /** The first columns of each row (`models: 2000`, `files: 2000`). */
  size: Record<string, number>;
}

/** Each share's repository, each mode in its own child process over it, one row per (share, mode). */
export function compareModes(c: ModeComparison): Record<string, string | number>[] {
  const rows: Record<string, string | number>[] = [];
  for (const share of c.shares) {
    const dir = mkdtempSync(join(tmpdir(), 'fw-bench-codemod-'));
    try {
      const { readers, described } = c.generate(dir, share);
      console.log(`generated ${described} (${readers} read the dataset) in ${dir}`);
      for (const mode of c.modes) {
        rows.push({ ...c.size, 'read the dataset': readers, mode, ...codemodRow(c.files, runCodemodChild(c.script, mode, dir)) });
        console.log(JSON.stringify(rows[rows.length - 1]));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}
