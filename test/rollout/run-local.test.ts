/**
 * The engine end to end on a real local fleet (bare git repositories, real checks, real SQLite):
 * a whole run, idempotency, crash and resume at seeded random points, store loss, human commits.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { bufferIO } from '../../src/cli/io.js';
import { openLocalFleet } from '../../src/forge/local/index.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { MigrationSummary } from '../../src/rollout/model.js';
import { mulberry32 } from '../../src/simulate/prng.js';
import { runCli } from '../helpers/cli-process.js';
import { NEW, buildTestFleet, manifestText, type TestFleet } from '../helpers/local-fleet.js';

const BRANCH = 'fleetwave/events-v2';
// Real git and real processes: generous on a loaded 2-core machine.
jest.setTimeout(600_000);
const fleets: TestFleet[] = [];
afterEach(() => {
  for (const f of fleets.splice(0)) f.cleanup();
});

async function fleet(manifest?: string): Promise<TestFleet> {
  const f = await buildTestFleet(manifest);
  fleets.push(f);
  return f;
}

async function run(f: TestFleet, extra: string[] = []): Promise<{ code: number; summary: MigrationSummary }> {
  const io = bufferIO();
  const code = await main(['run', f.manifestPath, '--fleet', f.fleet, '--state', f.state, '--json', ...extra], io);
  if (!io.stdout.length) throw new Error(`run printed nothing; stderr: ${io.stderr.join('')}`);
  return { code, summary: JSON.parse(io.stdout.join('')) as MigrationSummary };
}

/** What the forge holds, independent of commit hashes: per repo, PR states, PR count, default-branch tree, bot commits. */
async function forgeFacts(f: TestFleet) {
  const forge = await openLocalFleet(f.fleet);
  const facts: Record<string, unknown> = {};
  for (const repo of [...f.consumers, 'acme/unrelated']) {
    const gitDir = join(f.fleet, `${repo}.git`);
    const prs: string[] = [];
    for (let n = 1; ; n++) {
      const pr = await forge.getPullRequest(repo, n);
      if (!pr) break;
      prs.push(`${pr.branch}:${pr.state}`);
    }
    const tree = execFileSync('git', ['-C', gitDir, 'rev-parse', 'main^{tree}'], { encoding: 'utf8' }).trim();
    const botCommits = execFileSync(
      'git',
      ['-C', gitDir, 'log', '--all', '--no-merges', `--author=${forge.botIdentity.email}`, '--format=%s'],
      { encoding: 'utf8' },
    )
      .trim()
      .split('\n')
      .filter(Boolean).length;
    facts[repo] = { prs, tree, botCommits };
  }
  return facts;
}

const states = (s: MigrationSummary) => Object.fromEntries(s.targets.map((t) => [t.repo, t.state]));

describe('run on a local fleet', () => {
  it('rolls out canary first, then waves; merges green PRs; the consumer that breaks fails; the bystander is no target', async () => {
    const f = await fleet();
    const { code, summary } = await run(f);
    expect(code).toBe(0);
    expect(summary).toMatchObject({ migration: 'events-v2', state: 'completed', fleet: f.fleet, store: f.state });
    expect(summary.targets.map((t) => t.repo)).toEqual(f.consumers);
    expect(states(summary)).toEqual({
      'acme/c01': 'merged',
      'acme/c02': 'merged',
      'acme/c03': 'merged',
      'acme/c04': 'merged',
      'acme/c05': 'failed',
      'acme/c06': 'merged',
    });
    expect(summary.targets.find((t) => t.repo === 'acme/c01')!.wave).toBe(0);
    expect(summary.targets.find((t) => t.repo === 'acme/c05')!.reason).toMatch(/checks failed/);
    // The merge is real: the default branch now points at the new dataset.
    const forge = await openLocalFleet(f.fleet);
    expect(await forge.readFile('acme/c02', 'config.yaml')).toContain(NEW);
    expect(await forge.readFile('acme/c05', 'config.yaml')).not.toContain(NEW);
    // Progress is measured by a rescan after each merge: no reference to the old dataset is left.
    const store = openSqliteStore(f.state);
    const rescans = (await store.events({ migration: 'events-v2' })).filter((e) => e.action === 'rescan');
    await store.close();
    expect(rescans.map((e) => e.target).sort()).toEqual(['acme/c01', 'acme/c02', 'acme/c03', 'acme/c04', 'acme/c06']);
    expect(rescans.every((e) => e.detail.references === 0)).toBe(true);
  });

  it('is idempotent: a second run opens no PR, makes no commit, and reports the same state', async () => {
    const f = await fleet();
    const first = await run(f);
    const before = await forgeFacts(f);
    const refs = execFileSync(
      'sh',
      ['-c', `for r in ${f.fleet}/acme/*.git; do git -C $r for-each-ref --format='%(refname) %(objectname)'; done`],
      { encoding: 'utf8' },
    );
    const second = await run(f);
    expect(second.summary.targets).toEqual(first.summary.targets);
    expect(await forgeFacts(f)).toEqual(before);
    expect(
      execFileSync('sh', ['-c', `for r in ${f.fleet}/acme/*.git; do git -C $r for-each-ref --format='%(refname) %(objectname)'; done`], {
        encoding: 'utf8',
      }),
    ).toBe(refs);
  });

  it('pauses the fleet when the canary fails, and goes on after resume', async () => {
    const f = await fleet(manifestText().replace('canary: 1', 'canary: [acme/c05]'));
    const first = await run(f);
    expect(first.code).toBe(3);
    expect(first.summary.state).toBe('paused');
    expect(first.summary.reason).toMatch(/wave 0 failed 1 of 1 .* above the failure threshold of 50%/);
    expect(first.summary.targets.filter((t) => t.state !== 'planned').map((t) => t.repo)).toEqual(['acme/c05']);
    const io = bufferIO();
    expect(await main(['resume', 'events-v2', '--state', f.state], io)).toBe(0);
    expect(io.stdout.join('')).toMatch(/accepted the failures of wave 0/);
    const second = await run(f);
    expect(second.summary.state).toBe('completed');
    expect(second.summary.counts).toMatchObject({ merged: 5, failed: 1 });
  });
});

describe('rollback', () => {
  it('reverts every merged target, newest wave first, and pauses the migration', async () => {
    const f = await fleet();
    await run(f);
    const io = bufferIO();
    expect(await main(['rollback', 'events-v2', '--state', f.state, '--json'], io)).toBe(0);
    const out = JSON.parse(io.stdout.join('')) as { reverted: { repo: string; wave: number }[] };
    expect(out.reverted).toHaveLength(5);
    const waves = out.reverted.map((r) => r.wave);
    expect(waves).toEqual([...waves].sort((a, b) => b - a));
    const forge = await openLocalFleet(f.fleet);
    expect(await forge.readFile('acme/c02', 'config.yaml')).not.toContain(NEW);
    const after = await run(f);
    expect(after.summary.state).toBe('paused');
    expect(after.summary.counts).toMatchObject({ reverted: 5, failed: 1, open: 0 });
  });
});

describe('crash and resume', () => {
  it.each([1, 2, 3])('a run killed at seeded random points ends like an uninterrupted one (seed %i)', async (seed) => {
    const baseline = await fleet();
    const expected = await run(baseline);
    const expectedFacts = await forgeFacts(baseline);
    const f = await fleet();
    const random = mulberry32(seed);
    // Kill the process twice at random changes to the forge (before or after the change), then let it finish.
    let killed = 0;
    for (let i = 0; i < 2; i++) {
      const at = 1 + Math.floor(random() * 8);
      const when = random() < 0.5 ? 'before' : 'after';
      const r = await runCli(['run', f.manifestPath, '--fleet', f.fleet, '--state', f.state, '--json'], {
        FLEETWAVE_CRASH_AT: `${at}:${when}`,
      });
      if (r.signal === 'SIGKILL') killed++;
      else expect(r.code).toBe(0);
    }
    expect(killed).toBeGreaterThan(0);
    const final = await run(f);
    expect(states(final.summary)).toEqual(states(expected.summary));
    expect(await forgeFacts(f)).toEqual(expectedFacts);
  });

  it('deleting the store in the middle of a migration loses history, not correctness', async () => {
    const baseline = await fleet();
    await run(baseline);
    const expectedFacts = await forgeFacts(baseline);
    const f = await fleet();
    const r = await runCli(['run', f.manifestPath, '--fleet', f.fleet, '--state', f.state], { FLEETWAVE_CRASH_AT: '5:after' });
    expect(r.signal).toBe('SIGKILL');
    rmSync(f.state, { force: true });
    rmSync(`${f.state}-wal`, { force: true });
    rmSync(`${f.state}-shm`, { force: true });
    const final = await run(f);
    expect(final.summary.state).toBe('completed');
    expect(await forgeFacts(f)).toEqual(expectedFacts);
  });
});

describe('a human commit on a bot branch', () => {
  it('is never pushed over: the target is handed to a human and not merged', async () => {
    const f = await fleet(manifestText().replace('automerge: true', 'automerge: false'));
    const first = await run(f);
    expect(first.summary.state).toBe('running');
    expect(first.code).toBe(4);
    const c01 = first.summary.targets.find((t) => t.repo === 'acme/c01')!;
    expect(c01.state).toBe('open');
    // A developer pushes a fix to the bot branch.
    const work = mkdtempSync(join(tmpdir(), 'fleetwave-human-'));
    try {
      execFileSync('git', ['clone', '-q', '-b', BRANCH, join(f.fleet, 'acme/c01.git'), work]);
      writeFileSync(join(work, 'NOTES.md'), 'reviewed by a human\n');
      execFileSync('git', ['-C', work, 'add', '.']);
      execFileSync('git', ['-C', work, '-c', 'user.name=Ada Human', '-c', 'user.email=ada@acme.example', 'commit', '-qm', 'human fix']);
      execFileSync('git', ['-C', work, 'push', '-q', 'origin', BRANCH]);
      const humanHead = execFileSync('git', ['-C', work, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
      const second = await run(f);
      const t = second.summary.targets.find((x) => x.repo === 'acme/c01')!;
      expect(t).toMatchObject({ state: 'failed', needsHuman: true });
      expect(t.reason).toMatch(/Ada Human/);
      expect(execFileSync('git', ['-C', join(f.fleet, 'acme/c01.git'), 'rev-parse', BRANCH], { encoding: 'utf8' }).trim()).toBe(humanHead);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
