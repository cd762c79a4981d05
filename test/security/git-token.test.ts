/**
 * Threat: the installation token on git's command line, which every local user can read with `ps`
 * (issue #14, low finding; Deliver 6). A fake `git` first on PATH records the argv of every git the
 * GitHub forge's checkout starts, and whether the header came through the environment instead.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { simpleGit } from 'simple-git';
import { makeForge } from '../forge/github/setup.js';

const TOKEN = 'ghs_fake_installation_token';
const BASIC = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
let root: string;
let log: string;
let savedPath: string | undefined;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'fleetwave-git-token-'));
  const work = join(root, 'work');
  await simpleGit().init(['--initial-branch=main', work]);
  const w = simpleGit(work).addConfig('user.name', 'T').addConfig('user.email', 't@example.com');
  writeFileSync(join(work, 'a.txt'), 'one\n');
  await w.add('a.txt').commit('one');
  await simpleGit().clone(work, join(root, 'acme', 'recs.git'), ['--bare']);
  // The fake git: one line per call with its argv, and whether the extra header came by environment.
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const bin = join(root, 'bin');
  log = join(root, 'argv.log');
  mkdirSync(bin);
  writeFileSync(
    join(bin, 'git'),
    `#!/bin/sh\nprintf 'argv: %s\\n' "$*" >> '${log}'\n` +
      `[ "$GIT_CONFIG_VALUE_0" = 'Authorization: Basic ${BASIC}' ] && echo 'env: header' >> '${log}'\n` +
      `exec '${realGit}' "$@"\n`,
  );
  chmodSync(join(bin, 'git'), 0o755);
  savedPath = process.env.PATH;
  process.env.PATH = `${bin}${delimiter}${process.env.PATH ?? ''}`;
});

afterAll(() => {
  process.env.PATH = savedPath;
  rmSync(root, { recursive: true, force: true });
});

describe("the installation token never reaches git's command line", () => {
  it('checkout passes the token through the environment only, and leaves it nowhere in the clone', async () => {
    const { forge } = makeForge({ gitBaseUrl: `file://${root}`, token: async () => TOKEN });
    const copy = await forge.checkout('acme/recs');
    try {
      const calls = readFileSync(log, 'utf8');
      expect(calls).toMatch(/^argv: fetch /m);
      expect(calls).toContain('env: header');
      for (const line of calls.split('\n').filter((l) => l.startsWith('argv:'))) {
        expect(line).not.toContain(TOKEN);
        expect(line).not.toContain(BASIC);
        expect(line.toLowerCase()).not.toContain('extraheader');
      }
      const config = readFileSync(join(copy.dir, '.git', 'config'), 'utf8');
      expect(config).not.toContain(BASIC);
      expect(config.toLowerCase()).not.toContain('extraheader');
    } finally {
      await copy.dispose();
    }
  });
});
