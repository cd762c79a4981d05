#!/usr/bin/env node
/**
 * `npm install`'s prepare step: points git at the repository's hooks (.githooks/, the pre-commit check
 * of the staged files' format and lint). Does nothing outside a git work tree, in CI (CI=true), or when
 * the hooks path is already set to something else (the developer's own choice is kept).
 */
import { execFileSync } from 'node:child_process';
import process from 'node:process';

const git = (...args) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();

if (process.env.CI) process.exit(0);
try {
  if (git('rev-parse', '--is-inside-work-tree') !== 'true') process.exit(0);
} catch {
  process.exit(0);
}
let current = '';
try {
  current = git('config', '--local', '--get', 'core.hooksPath');
} catch {
  current = '';
}
if (current && current !== '.githooks') {
  process.stdout.write(`git hooks: core.hooksPath is ${current}; not changed (Fleetwave's are in .githooks/)\n`);
  process.exit(0);
}
if (!current) git('config', '--local', 'core.hooksPath', '.githooks');
