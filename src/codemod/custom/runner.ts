/**
 * Runs a custom codemod in a child process with a timeout and a memory limit. A module that throws,
 * loops or runs out of memory fails the whole rule (a `CodemodError` naming the cause); nothing it
 * produced is kept.
 *
 * The module is code from the manifest's repository, which is not the consumer's and need not be
 * ours: it runs as untrusted code (docs/codemods.md, trust model). The child gets an environment built
 * from an allow list (src/util/untrusted-env.ts: no token, key, INPUT_* or ACTIONS_*), a working folder,
 * HOME and TMPDIR of its own (removed afterwards), a memory limit for the whole process (RLIMIT_DATA:
 * Buffers and ArrayBuffers count, not only the V8 heap), and its whole process group is killed when it
 * answers, fails or times out. Where the host allows user namespaces it also runs without network, in
 * a PID namespace of its own (no grandchild survives it) and with the manifest repository read-only
 * (src/util/confine.ts). It can still read the files its user can read: see docs/codemods.md.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ts } from 'ts-morph';
import { confinedSpawn, killTree } from '../../util/confine.js';
import { untrustedEnv } from '../../util/untrusted-env.js';
import type { CustomJob, CustomResult } from './protocol.js';

export interface RunLimits {
  timeoutMs: number;
  memoryMiB: number;
}

export class CustomCodemodFailure extends Error {}

/**
 * Writable memory Node and ts-morph need beside the codemod's heap (measured: an idle worker with
 * ts-morph loaded and one small edit made needs a data limit
 * of 192 MiB; 160 MiB is not enough): the process's RLIMIT_DATA is memoryMiB + this.
 */
export const RUNTIME_MIB = 256;

const OUT_OF_MEMORY = /heap out of memory|Allocation failed|out of memory|Cannot allocate memory|\bOOM\b/i;

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
  // A folder of its own: its working directory, HOME and TMPDIR; gone with it.
  const work = mkdtempSync(join(tmpdir(), 'fw-codemod-run-'));
  const home = join(work, 'home');
  const tmp = join(work, 'tmp');
  mkdirSync(home);
  mkdirSync(tmp);
  try {
    return await new Promise((resolve, reject) => {
      const { child } = confinedSpawn(
        process.execPath,
        [`--max-old-space-size=${limits.memoryMiB}`, worker.path],
        {
          cwd: work,
          env: untrustedEnv({ home, tmp }).env,
          stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
          serialization: 'advanced',
        },
        // Killed with us: a crashed Fleetwave leaves no codemod running (no timer is left to stop it).
        { memoryMiB: limits.memoryMiB + RUNTIME_MIB, noNetwork: true, readOnly: [job.rootDir], dieWithParent: true },
      );
      let stderr = '';
      let settled = false;
      let result: CustomResult | undefined;
      const memoryFailure = () => new CustomCodemodFailure(`exceeded its memory limit of ${limits.memoryMiB} MiB; no change was kept`);
      const finish = (err: Error | undefined, value?: Extract<CustomResult, { ok: true }>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        killTree(child);
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
      // What it left running goes when it exits, so that a grandchild holding stderr open cannot keep
      // the run waiting for 'close' (which comes after the last IPC message).
      child.on('exit', () => killTree(child));
      child.on('close', (code, signal) => {
        if (result?.ok) return finish(undefined, result);
        if (result && !result.ok) {
          if (/^RangeError: (Array buffer allocation failed|Invalid array length)/.test(result.error) || OUT_OF_MEMORY.test(result.error))
            return finish(memoryFailure());
          return finish(new CustomCodemodFailure(`threw: ${result.error}`));
        }
        if (OUT_OF_MEMORY.test(stderr)) return finish(memoryFailure());
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
    rmSync(work, { recursive: true, force: true, maxRetries: 3 });
  }
}
