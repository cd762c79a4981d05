/**
 * Jest global setup of the full tier (`npm test`): the Action bundle, built once per test run from
 * the working tree by scripts/bundle.mjs into build/action/. dist/ is not kept on main
 * (scripts/release.mjs puts it on release commits only); the tests in test/action/ run this build as
 * a runner runs dist/index.js (test/action/run-action.ts).
 */
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export default function bundleAction() {
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'bundle.mjs'), '--outdir', join(repoRoot, 'build', 'action'), '--quiet'], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}
