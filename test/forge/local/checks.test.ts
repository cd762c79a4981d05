import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalRepo, type LocalForge } from '../../../src/forge/local/index.js';
import { edit, forgeFor, tempFleet, type TempFleet } from './fleet-helpers.js';

let t: TempFleet;
let forge: LocalForge;
let ranLog: string;
let running: string;
let toolchain: string;
const BRANCH = 'fleetwave/events-v2';

/** A check that logs each run (repo and sha) to $RAN_LOG, then passes only when config.yaml says v2. */
const loggingCheck =
  '#!/bin/sh\necho "$FLEETWAVE_REPO $FLEETWAVE_SHA" >> "$RAN_LOG"\ngrep -q v2 config.yaml || { echo "config.yaml still reads v1"; exit 1; }\necho ok\n';

async function pullRequestOn(
  repo: string,
  files: Record<string, string>,
  change: Record<string, string> = { 'config.yaml': 'dataset: v2\n' },
) {
  const { sha: base } = await createLocalRepo(t.fleet, repo, files);
  const { sha } = await forge.pushChanges({
    repo,
    branch: BRANCH,
    baseSha: base,
    message: 'change',
    edits: Object.entries(change).map(([p, text]) => edit(p, null, text)),
  });
  await forge.openPullRequest({ repo, branch: BRANCH, base: 'main', title: 't', body: 'b' });
  return { base, head: sha };
}

const runsOf = () => (existsSync(ranLog) ? readFileSync(ranLog, 'utf8').trim().split('\n').filter(Boolean) : []);

beforeAll(async () => {
  t = tempFleet();
  ranLog = join(t.root, 'ran.log');
  running = join(t.root, 'running');
  mkdirSync(running);
  // A stand-in toolchain: a library and a tool, as Fleetwave's own node_modules provides tsc and friends.
  toolchain = join(t.root, 'toolchain', 'node_modules');
  mkdirSync(join(toolchain, 'fake-lib'), { recursive: true });
  writeFileSync(join(toolchain, 'fake-lib', 'index.js'), 'module.exports = 42;\n');
  writeFileSync(join(toolchain, 'fake-lib', 'package.json'), '{"name":"fake-lib","main":"index.js"}\n');
  mkdirSync(join(toolchain, '.bin'));
  writeFileSync(join(toolchain, '.bin', 'fake-tool'), '#!/bin/sh\necho fake-tool says hi\n');
  chmodSync(join(toolchain, '.bin', 'fake-tool'), 0o755);
  await createLocalRepo(t.fleet, 'acme/seed', { 'a.txt': 'a\n' });
  forge = await forgeFor(t.fleet, {
    checkEnv: { RAN_LOG: ranLog, RUNNING: running },
    toolchainNodeModules: toolchain,
    checkTimeoutMs: 20_000,
  });
});
afterAll(() => t.cleanup());

describe('checks by convention', () => {
  it('runs an executable .fleetwave/check at the pull request head: success, and failure with the output tail', async () => {
    await pullRequestOn('acme/pass', { '.fleetwave/check': loggingCheck, 'config.yaml': 'dataset: v1\n' });
    await pullRequestOn(
      'acme/fail',
      { '.fleetwave/check': loggingCheck, 'config.yaml': 'dataset: v1\n' },
      { 'config.yaml': 'dataset: v1 still\n' },
    );
    const prs = await forge.findPullRequests(['acme/pass', 'acme/fail'], BRANCH);
    const pass = prs.get('acme/pass')!;
    expect(pass.checks.state).toBe('success');
    expect(pass.checks.runs).toEqual([expect.objectContaining({ name: '.fleetwave/check', state: 'success', summary: 'ok' })]);
    const fail = prs.get('acme/fail')!;
    expect(fail.checks.state).toBe('failure');
    expect(fail.checks.runs[0]!.summary).toBe('exited with code 1\nconfig.yaml still reads v1');
    const log = fileURLToPath(fail.checks.runs[0]!.url!);
    expect(readFileSync(log, 'utf8')).toContain('config.yaml still reads v1');
    expect(runsOf()).toEqual(expect.arrayContaining([`acme/pass ${pass.headSha}`, `acme/fail ${fail.headSha}`]));
  });

  it('summarises a failure with the last 20 lines of its output', async () => {
    await pullRequestOn('acme/long', { '.fleetwave/check': '#!/bin/sh\nseq 1 40\nexit 3\n', 'config.yaml': 'v1\n' });
    const pr = (await forge.findPullRequests(['acme/long'], BRANCH)).get('acme/long')!;
    expect(pr.checks.runs[0]!.summary).toBe(['exited with code 3', ...Array.from({ length: 20 }, (_, i) => String(21 + i))].join('\n'));
  });

  it('runs npm test when package.json has a test script', async () => {
    await pullRequestOn('acme/npm-fail', {
      'package.json': JSON.stringify({ name: 'x', private: true, scripts: { test: 'node -e "process.exit(1)"' } }),
      'config.yaml': 'v1\n',
    });
    await pullRequestOn('acme/npm-pass', {
      'package.json': JSON.stringify({ name: 'y', private: true, scripts: { test: 'node -e "process.exit(0)"' } }),
      'config.yaml': 'v1\n',
    });
    const prs = await forge.findPullRequests(['acme/npm-fail', 'acme/npm-pass'], BRANCH);
    expect(prs.get('acme/npm-fail')!.checks).toMatchObject({ state: 'failure', runs: [{ name: 'npm test', state: 'failure' }] });
    expect(prs.get('acme/npm-pass')!.checks).toMatchObject({ state: 'success', runs: [{ name: 'npm test', state: 'success' }] });
  });

  it('reports no checks when the repository has neither, and fails a .fleetwave/check that is not executable', async () => {
    await pullRequestOn('acme/none', { 'config.yaml': 'v1\n', 'package.json': '{"name":"z","scripts":{"build":"tsc"}}' });
    await pullRequestOn('acme/not-exec', { '.fleetwave/check': 'exit 0\n', 'config.yaml': 'v1\n' });
    const prs = await forge.findPullRequests(['acme/none', 'acme/not-exec'], BRANCH);
    expect(prs.get('acme/none')!.checks).toEqual({ state: 'none', runs: [] });
    expect(prs.get('acme/not-exec')!.checks.state).toBe('failure');
    expect(prs.get('acme/not-exec')!.checks.runs[0]!.summary).toMatch(/not executable.*chmod=\+x/);
  });

  it('links the toolchain as node_modules and puts its .bin on PATH, without touching the toolchain', async () => {
    const check = '#!/bin/sh\nset -e\nfake-tool\nnode -e "process.exit(require(\'fake-lib\') === 42 ? 0 : 1)"\n';
    await pullRequestOn('acme/toolchain', { '.fleetwave/check': check, 'config.yaml': 'v1\n' });
    const pr = (await forge.findPullRequests(['acme/toolchain'], BRANCH)).get('acme/toolchain')!;
    expect(pr.checks).toMatchObject({ state: 'success', runs: [{ summary: 'fake-tool says hi' }] });
    expect(readFileSync(join(toolchain, 'fake-lib', 'index.js'), 'utf8')).toBe('module.exports = 42;\n');
  });

  it('fails a check that runs past the timeout', async () => {
    const slow = await forgeFor(t.fleet, { checkTimeoutMs: 1500 });
    await pullRequestOn('acme/slow', { '.fleetwave/check': '#!/bin/sh\necho started\nsleep 30\n', 'config.yaml': 'v1\n' });
    const pr = (await slow.findPullRequests(['acme/slow'], BRANCH)).get('acme/slow')!;
    expect(pr.checks.state).toBe('failure');
    expect(pr.checks.runs[0]!.summary).toMatch(/^timed out after 1\.5 s/);
  });

  it('checks a default-branch commit with getCommitChecks', async () => {
    const { sha } = await createLocalRepo(t.fleet, 'acme/main-checks', {
      '.fleetwave/check': '#!/bin/sh\necho "main is $FLEETWAVE_SHA"\n',
    });
    expect(await forge.getCommitChecks('acme/main-checks', sha)).toMatchObject({ state: 'success', runs: [{ summary: `main is ${sha}` }] });
    await expect(forge.getCommitChecks('acme/main-checks', 'f'.repeat(40))).rejects.toThrow(/no commit/);
  });
});

describe('check results are cached by commit', () => {
  it('runs a commit once, across calls and forge instances; again only when the result file is gone', async () => {
    const { head } = await pullRequestOn('acme/cached', { '.fleetwave/check': loggingCheck, 'config.yaml': 'dataset: v1\n' });
    const mine = () => runsOf().filter((l) => l === `acme/cached ${head}`).length;
    const [a, b] = await Promise.all([forge.findPullRequests(['acme/cached'], BRANCH), forge.findPullRequests(['acme/cached'], BRANCH)]);
    expect(a.get('acme/cached')!.checks.state).toBe('success');
    expect(b.get('acme/cached')!.checks.state).toBe('success');
    await forge.findPullRequests(['acme/cached'], BRANCH);
    const other = await forgeFor(t.fleet, { checkEnv: { RAN_LOG: ranLog } });
    expect((await other.findPullRequests(['acme/cached'], BRANCH)).get('acme/cached')!.checks.state).toBe('success');
    expect(other.stats().checks).toMatchObject({ runs: 0, cached: 1 });
    expect(mine()).toBe(1);
    rmSync(join(t.fleet, '.forge', 'checks', 'acme', 'cached', `${head}.json`));
    await forge.findPullRequests(['acme/cached'], BRANCH);
    expect(mine()).toBe(2);
  });

  it('runs checks for many pull requests at most two at a time', async () => {
    const check = '#!/bin/sh\ntouch "$RUNNING/$$"\nls "$RUNNING" | wc -l >> "$RUNNING.counts"\nsleep 0.3\nrm "$RUNNING/$$"\n';
    const repos = ['acme/p1', 'acme/p2', 'acme/p3', 'acme/p4', 'acme/p5'];
    for (const repo of repos) await pullRequestOn(repo, { '.fleetwave/check': check, 'config.yaml': 'v1\n' });
    const prs = await forge.findPullRequests(repos, BRANCH);
    expect(repos.map((r) => prs.get(r)!.checks.state)).toEqual(repos.map(() => 'success'));
    const counts = readFileSync(`${running}.counts`, 'utf8').trim().split('\n').map(Number);
    expect(counts).toHaveLength(repos.length);
    expect(Math.max(...counts)).toBeLessThanOrEqual(2);
    expect(readdirSync(running)).toEqual([]);
  });
});
