/**
 * One codemod benchmark case in its own process, shared by the rule benchmarks (codemod-sql,
 * codemod-python): the child computes the change set after its warm-up and writes its figures beside
 * the generated repository; the parent runs it and turns the figures into a table row.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
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
