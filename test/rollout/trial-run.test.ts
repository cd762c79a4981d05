/**
 * `fleetwave trial` end to end on a real local fleet (bare git repositories, the consumers' own
 * `.fleetwave/check` run for real, SQLite): buildTestFleet's six consumers, acme/c05 red under the change.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { bufferIO } from '../../src/cli/io.js';
import { createLocalRepo, openLocalFleet } from '../../src/forge/local/index.js';
import type { TrialReport } from '../../src/rollout/trial.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runCli } from '../helpers/cli-process.js';
import { buildTestFleet, NEW, OLD, type TestFleet } from '../helpers/local-fleet.js';

const TRIAL = 'fleetwave-trial/events-v2';
jest.setTimeout(600_000);
const fleets: TestFleet[] = [];
afterEach(() => {
  for (const f of fleets.splice(0)) f.cleanup();
});

async function fleet(): Promise<TestFleet> {
  const f = await buildTestFleet();
  fleets.push(f);
  return f;
}

async function trial(f: TestFleet, extra: string[] = []): Promise<{ code: number; report: TrialReport; stderr: string }> {
  const io = bufferIO();
  const code = await main(['trial', f.manifestPath, '--fleet', f.fleet, '--state', f.state, '--json', ...extra], io);
  if (!io.stdout.length) throw new Error(`trial printed nothing; stderr: ${io.stderr.join('')}`);
  return { code, report: JSON.parse(io.stdout.join('')) as TrialReport, stderr: io.stderr.join('') };
}

/** No pull request, no trial branch, the default branch as it was: what a trial must leave. */
async function expectUntouched(f: TestFleet, heads: Map<string, string>, except: string[] = []) {
  const forge = await openLocalFleet(f.fleet);
  for (const repo of f.consumers) {
    expect(await forge.getPullRequest(repo, 1)).toBeNull();
    if (!except.includes(repo)) expect(await forge.getBranch(repo, TRIAL)).toBeNull();
    expect((await forge.getRepository(repo))!.headSha).toBe(heads.get(repo));
  }
}

async function defaultHeads(f: TestFleet): Promise<Map<string, string>> {
  const forge = await openLocalFleet(f.fleet);
  return new Map(await Promise.all(f.consumers.map(async (r) => [r, (await forge.getRepository(r))!.headSha] as [string, string])));
}

describe('fleetwave trial on a local fleet', () => {
  it('reports 5 passed and 1 failed with its check tail, opens no PR, deletes the branches, journals the result', async () => {
    const f = await fleet();
    const heads = await defaultHeads(f);
    const { code, report } = await trial(f);
    expect(code).toBe(1);
    expect(report.aggregate).toEqual({ total: 6, passed: 5, failed: 1, noCi: 0, errors: 0 });
    expect(report.branch).toBe(TRIAL);
    expect(report.results.filter((r) => r.state === 'passed').map((r) => r.repo)).toEqual(f.consumers.filter((r) => r !== f.broken));
    const failed = report.results.find((r) => r.state === 'failed')!;
    expect(failed.repo).toBe(f.broken);
    expect(failed.failing).toEqual([
      { name: '.fleetwave/check', tail: expect.stringContaining('config.yaml does not point at a dataset this consumer reads') },
    ]);
    expect(report.notDeleted).toEqual([]);
    await expectUntouched(f, heads);

    const store = openSqliteStore(f.state);
    try {
      const events = (await store.events({ migration: 'events-v2' })).filter((e) => e.action === 'trial');
      expect(events).toHaveLength(1);
      expect(events[0]!.detail).toMatchObject({
        branch: TRIAL,
        passed: report.results.filter((r) => r.state === 'passed').map((r) => r.repo),
        noCi: [],
        errors: {},
      });
      expect((events[0]!.detail.failed as Record<string, string>)[f.broken]).toMatch(/config.yaml does not point at a dataset/);
    } finally {
      await store.close();
    }

    // The text says the same.
    const io = bufferIO();
    expect(await main(['trial', f.manifestPath, '--fleet', f.fleet, '--state', f.state], io)).toBe(1);
    const text = io.stdout.join('');
    expect(text).toContain('5 passed, 1 failed, 0 without CI');
    expect(text).toContain(`failed: ${f.broken}`);
    expect(text).toContain('| config.yaml does not point at a dataset this consumer reads');
    expect(text).toContain('trial branches deleted');
    await expectUntouched(f, heads);
  });

  it("replaces a trial branch an interrupted trial left, never one with a person's commit; the canary rule prefers what passed", async () => {
    const f = await fleet();
    const heads = await defaultHeads(f);
    const forge = await openLocalFleet(f.fleet);
    // An interrupted trial left its branch on c02 (the bot's commit).
    await forge.pushChanges({
      repo: 'acme/c02',
      branch: TRIAL,
      baseSha: heads.get('acme/c02')!,
      edits: [{ path: 'leftover.txt', before: null, after: 'x\n' }],
      message: 'left by a crash',
    });
    // A person committed on c01's trial branch.
    const bare = join(f.fleet, 'acme/c01.git');
    const work = join(f.root, 'c01-work');
    execFileSync('git', ['clone', '-q', bare, work]);
    execFileSync('git', ['-C', work, 'checkout', '-q', '-b', TRIAL]);
    writeFileSync(join(work, 'config.yaml'), `${NEW}\n`);
    execFileSync('git', ['-C', work, '-c', 'user.name=Pat Person', '-c', 'user.email=pat@example.com', 'commit', '-qam', 'mine']);
    execFileSync('git', ['-C', work, 'push', '-q', 'origin', TRIAL]);
    const personal = (await forge.getBranch('acme/c01', TRIAL))!.sha;

    const { report } = await trial(f);
    expect(report.aggregate).toEqual({ total: 6, passed: 4, failed: 1, noCi: 0, errors: 1 });
    expect(report.results.find((r) => r.repo === 'acme/c01')).toMatchObject({
      state: 'error',
      reason: expect.stringMatching(/by Pat Person: a person's branch is never replaced/),
    });
    expect(report.results.find((r) => r.repo === 'acme/c02')!.state).toBe('passed');
    expect((await forge.getBranch('acme/c01', TRIAL))!.sha).toBe(personal);
    await expectUntouched(f, heads, ['acme/c01']);

    // Twice is safe: the same answer, and still nothing left behind but the person's branch.
    const again = await trial(f, ['--sample', '3']);
    expect(again.report.results.map((r) => [r.repo, r.state])).toEqual([
      ['acme/c01', 'error'],
      ['acme/c02', 'passed'],
      ['acme/c03', 'passed'],
    ]);
    await expectUntouched(f, heads, ['acme/c01']);

    // rollout.canary: 1 — by risk and name c01 would be the canary; the trial says c02 passed and c01 was not tried.
    const io = bufferIO();
    expect(await main(['plan', f.manifestPath, '--fleet', f.fleet, '--state', f.state, '--json'], io)).toBe(0);
    const plan = JSON.parse(io.stdout.join('')) as { waves: { index: number; repos: string[] }[] };
    expect(plan.waves.find((w) => w.index === 0)!.repos).toEqual(['acme/c02']);
  });

  it('tries a sample: the lowest-risk n, or n drawn with a seed, the same for the same seed', async () => {
    const f = await fleet();
    const first = await trial(f, ['--sample', '2']);
    expect(first.code).toBe(0);
    expect(first.report.results.map((r) => r.repo)).toEqual(['acme/c01', 'acme/c02']);
    expect(first.report).toMatchObject({ sample: 2, candidates: 6 });
    const seeded = await trial(f, ['--sample', '2', '--seed', '7']);
    const again = await trial(f, ['--sample', '2', '--seed', '7']);
    expect(seeded.report.results.map((r) => r.repo)).toEqual(again.report.results.map((r) => r.repo));
    expect(seeded.report.results).toHaveLength(2);
  });

  it('says no CI at once for a consumer without any check (the local forge runs checks when asked)', async () => {
    const f = await fleet();
    await createLocalRepo(f.fleet, 'acme/c07', { 'config.yaml': `${OLD}\n` });
    const { report } = await trial(f, ['--timeout', '2m']);
    expect(report.aggregate).toEqual({ total: 7, passed: 5, failed: 1, noCi: 1, errors: 0 });
    // Not after a grace or the 2 min timeout: the local forge's answer is final.
    expect(report.results.find((r) => r.repo === 'acme/c07')).toMatchObject({ state: 'no-ci', reason: 'no check on the trial head' });
    expect(await (await openLocalFleet(f.fleet)).getBranch('acme/c07', TRIAL)).toBeNull();
  });

  it('a trial killed between its deletions (a power cut) leaves bot branches the next trial replaces and deletes', async () => {
    const f = await fleet();
    const heads = await defaultHeads(f);
    // Mutating calls: six pushes, then six deletions; killed right after the second deletion.
    const killed = await runCli(['trial', f.manifestPath, '--fleet', f.fleet, '--state', f.state, '--json'], {
      FLEETWAVE_CRASH_AT: '8:after',
    });
    expect(killed.signal).toBe('SIGKILL');
    const forge = await openLocalFleet(f.fleet);
    const left = [];
    for (const repo of f.consumers) if (await forge.getBranch(repo, TRIAL)) left.push(repo);
    expect(left).toEqual(['acme/c03', 'acme/c04', 'acme/c05', 'acme/c06']);
    const { report } = await trial(f);
    expect(report.aggregate).toEqual({ total: 6, passed: 5, failed: 1, noCi: 0, errors: 0 });
    expect(report.notDeleted).toEqual([]);
    await expectUntouched(f, heads);
  });
});
