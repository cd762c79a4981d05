import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleGit } from 'simple-git';
import type { ChangeSet } from '../../src/codemod/port.js';

/** Fleetwave's own node_modules (avsc, hyparquet, fzstd, typescript, @types/node), which consumer checks link to. */
export const PROJECT_NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));

/** Clone `repo` of the fleet into `dir`, as the codemod engine sees it (no node_modules, no build). */
export async function cloneConsumer(fleetDir: string, repo: string, dir: string): Promise<string> {
  await simpleGit().clone(join(fleetDir, `${repo}.git`), dir, ['--quiet']);
  return dir;
}

/** Link Fleetwave's node_modules into a clone, as a check would see it. */
export function linkToolchain(dir: string): void {
  symlinkSync(PROJECT_NODE_MODULES, join(dir, 'node_modules'), 'dir');
}

/** Write a change set's edits into a working copy, as the migration's pull request would. Returns the files changed. */
export function applyChangeSet(dir: string, set: ChangeSet): number {
  for (const edit of set.edits) {
    const path = join(dir, edit.path);
    if (edit.after === null) rmSync(path, { force: true });
    else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, edit.after);
    }
  }
  return set.edits.length;
}

export interface CheckOutcome {
  passed: boolean;
  exitCode: number | null;
  output: string;
  ms: number;
}

/**
 * Run the consumer's own check with FLEETWAVE_LAKE pointing at the demo's lake, as the local forge
 * picks it (src/forge/local/checks.ts): `.fleetwave/check` when the repository has one (the Python
 * consumers), else `npm test`.
 */
export function runCheck(dir: string, lakeDir: string): Promise<CheckOutcome> {
  const started = performance.now();
  const script = join(dir, '.fleetwave/check');
  const [file, args] = existsSync(script) ? [script, []] : ['npm', ['test']];
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd: dir, env: { ...process.env, FLEETWAVE_LAKE: lakeDir }, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const exitCode = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({ passed: !err, exitCode, output: `${stdout}\n${stderr}`, ms: Math.round(performance.now() - started) });
      },
    );
  });
}
