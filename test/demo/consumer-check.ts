import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleGit } from 'simple-git';
import { replaceParams, replaceRule } from '../../src/codemod/rules/replace.js';
import type { ChangeRule } from '../../src/manifest/types.js';

/** Fleetwave's own node_modules (avsc, typescript, @types/node), which consumer checks link to. */
export const PROJECT_NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));

/** Clone `repo` of the fleet into `dir` with Fleetwave's node_modules linked in, as a check would see it. */
export async function checkoutConsumer(fleetDir: string, repo: string, dir: string): Promise<string> {
  await simpleGit().clone(join(fleetDir, `${repo}.git`), dir, ['--quiet']);
  symlinkSync(PROJECT_NODE_MODULES, join(dir, 'node_modules'), 'dir');
  return dir;
}

function filesUnder(dir: string, root = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === '.git' || e.name === 'node_modules' || e.name === 'build') return [];
    const path = join(dir, e.name);
    return e.isDirectory() ? filesUnder(path, root) : [relative(root, path).split('\\').join('/')];
  });
}

/** Apply the manifest's `replace` rules to a working copy, as the migration's pull request would. Returns the edit count. */
export function applyReplaceRules(dir: string, changes: ChangeRule[]): number {
  let count = 0;
  for (const change of changes) {
    if (!('replace' in change)) continue;
    const params = replaceParams.parse(change.replace);
    for (const path of filesUnder(dir)) {
      if (!replaceRule.appliesTo(params, path)) continue;
      const text = readFileSync(join(dir, path), 'utf8');
      if (!replaceRule.prefilter(params, text)) continue;
      const out = replaceRule.rewrite(params, text, path);
      if (out.count > 0) writeFileSync(join(dir, path), out.text);
      count += out.count;
    }
  }
  return count;
}

export interface CheckOutcome {
  passed: boolean;
  exitCode: number | null;
  output: string;
  ms: number;
}

/** Run the consumer's own check, `npm test`, with FLEETWAVE_LAKE pointing at the demo's lake. */
export function runNpmTest(dir: string, lakeDir: string): Promise<CheckOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile('npm', ['test'], { cwd: dir, env: { ...process.env, FLEETWAVE_LAKE: lakeDir }, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const exitCode = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ passed: !err, exitCode, output: `${stdout}\n${stderr}`, ms: Math.round(performance.now() - started) });
    });
  });
}
