/**
 * One codemod benchmark case in its own process, shared by the rule benchmarks (codemod-sql,
 * codemod-python): the child computes the change set after its warm-up and writes its figures beside
 * the generated repository; the parent runs it and turns the figures into a table row.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChangeSet } from '../src/codemod/port.js';

export interface CodemodRunFigures {
  ms: number;
  cpuMs: number;
  peakRssMiB: number;
  changed: number;
  findings: Record<'blocking' | 'warning' | 'info', number>;
}

function cpuMsNow(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}

/** In the child, after its warm-up: times `compute` and writes the figures to `<dir>/.result-<mode>.json`. */
export async function recordCodemodRun(dir: string, mode: string, compute: () => Promise<ChangeSet>): Promise<void> {
  const cpuAtStart = cpuMsNow();
  const start = performance.now();
  const set = await compute();
  const ms = performance.now() - start;
  const cpuMs = cpuMsNow() - cpuAtStart;
  const findings = { blocking: 0, warning: 0, info: 0 };
  for (const f of set.findings) findings[f.severity]++;
  const figures: CodemodRunFigures = { ms, cpuMs, peakRssMiB: process.resourceUsage().maxRSS / 1024, changed: set.edits.length, findings };
  writeFileSync(join(dir, `.result-${mode}.json`), JSON.stringify(figures));
}

/** In the parent: runs `script <mode> <dir>` in a child process and reads its figures. */
export function runCodemodChild(script: string, mode: string, dir: string): CodemodRunFigures {
  execFileSync(process.execPath, [script, mode, dir], { stdio: 'inherit' });
  return JSON.parse(readFileSync(join(dir, `.result-${mode}.json`), 'utf8')) as CodemodRunFigures;
}

/** The table columns of one run over `files` files. */
export function codemodRow(files: number, r: CodemodRunFigures): Record<string, number> {
  return {
    'files/s': Math.round(files / (r.ms / 1000)),
    'wall s': Number((r.ms / 1000).toFixed(2)),
    'files/CPU-s': Math.round(files / (r.cpuMs / 1000)),
    'peak RSS MiB': Math.round(r.peakRssMiB),
    'files changed': r.changed,
    'blocking findings': r.findings.blocking,
    warnings: r.findings.warning,
  };
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
