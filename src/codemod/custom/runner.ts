/**
 * Runs a custom codemod in a child process with a timeout and a heap limit. A module that throws,
 * loops or runs out of memory fails the whole rule (a `CodemodError` naming the cause); nothing it
 * produced is kept. The child is a robustness boundary, not a security sandbox: the module is code from
 * the manifest's own repository at the manifest's commit (docs/codemods.md, trust model).
 */
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ts } from 'ts-morph';
import type { CustomJob, CustomResult } from './protocol.js';

export interface RunLimits {
  timeoutMs: number;
  memoryMiB: number;
}

export class CustomCodemodFailure extends Error {}

const here = dirname(fileURLToPath(import.meta.url));

/** The worker as JavaScript: compiled beside this file, or transpiled from worker.ts when run from source. */
function workerScript(): { path: string; cleanup(): void } {
  const compiled = join(here, 'worker.js');
  if (existsSync(compiled)) return { path: compiled, cleanup: () => undefined };
  const source = readFileSync(join(here, 'worker.ts'), 'utf8');
  const js = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
  }).outputText;
  const dir = mkdtempSync(join(tmpdir(), 'fw-codemod-worker-'));
  const path = join(dir, 'worker.mjs');
  writeFileSync(path, js);
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * ts-morph for the child: the module compiled or bundled beside this code (build/, the Action's dist/,
 * which has no node_modules), else the installed package (running from source).
 */
function tsMorphModuleUrl(): string {
  const beside = join(here, 'ts-morph-module.js');
  if (existsSync(beside)) return pathToFileURL(beside).href;
  return pathToFileURL(createRequire(import.meta.url).resolve('ts-morph')).href;
}

export async function runCustomCodemod(
  job: Omit<CustomJob, 'tsMorphUrl'>,
  limits: RunLimits,
): Promise<Extract<CustomResult, { ok: true }>> {
  const tsMorphUrl = tsMorphModuleUrl();
  const worker = workerScript();
  try {
    return await new Promise((resolve, reject) => {
      const child = fork(worker.path, [], {
        execArgv: [`--max-old-space-size=${limits.memoryMiB}`],
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        serialization: 'advanced',
      });
      let stderr = '';
      let settled = false;
      let result: CustomResult | undefined;
      const finish = (err: Error | undefined, value?: Extract<CustomResult, { ok: true }>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        if (err) reject(err);
        else resolve(value!);
      };
      const timer = setTimeout(
        () => finish(new CustomCodemodFailure(`timed out after ${limits.timeoutMs / 1000}s (it may loop); no change was kept`)),
        limits.timeoutMs,
      );
      child.stderr?.on('data', (d: Buffer) => {
        stderr = (stderr + d.toString()).slice(-4000);
      });
      child.on('message', (m: CustomResult) => {
        result = m;
      });
      child.on('error', (err) => finish(new CustomCodemodFailure(`could not start: ${err.message}`)));
      child.on('close', (code, signal) => {
        if (result?.ok) return finish(undefined, result);
        if (result && !result.ok) return finish(new CustomCodemodFailure(`threw: ${result.error}`));
        if (/heap out of memory|Allocation failed/i.test(stderr))
          return finish(new CustomCodemodFailure(`exceeded its memory limit of ${limits.memoryMiB} MiB; no change was kept`));
        finish(
          new CustomCodemodFailure(
            `exited with ${signal ?? `code ${code}`} before answering${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' ')}` : ''}`,
          ),
        );
      });
      child.send({ ...job, tsMorphUrl } satisfies CustomJob);
    });
  } finally {
    worker.cleanup();
  }
}
