/**
 * A crash mid-run, for real (issue 19, "Tests": the next run resumes without a second agent call where
 * the result was saved): the CLI runs a migration whose agent passes on its second turn; while the agent
 * is in that turn the CLI process is SIGKILLed. The agent it started does not outlive it. The next run
 * replays turn 1 from the state folder's cache (the agent is not called for it again), calls the agent
 * for turn 2, and opens the draft PR.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalRepo, openLocalFleet } from '../../src/forge/local/index.js';
import type { MigrationSummary } from '../../src/rollout/model.js';
import { runCli, startCli } from '../helpers/cli-process.js';
import { agentMigration, LEGACY_CHECK, LEGACY_SQL } from '../helpers/agent-migration.js';
import { hostProcesses, leftBehind, until } from '../helpers/host-processes.js';

jest.setTimeout(300_000);

/** A short reconcile lease (docs/store.md, "The reconcile lease"), so the run after the crash need not wait a minute. */
const LEASE = { FLEETWAVE_LEASE_SECONDS: '5' };

let root: string;
let fleet: string;
let manifestPath: string;
let state: string;
let calls: string;
let hung: string;

/**
 * Turn 1: a change that still reads the dropped column (the check fails). Turn 2, the first time: says
 * so in `hung` and waits (the test kills the CLI then); the next time: drops the column.
 */
const AGENT = `
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
const [calls, hung] = process.argv.slice(2);
const turn = Number(process.env.FLEETWAVE_AGENT_TURN);
appendFileSync(calls, turn + '\\n');
const file = 'jobs/legacy.sql';
const text = readFileSync(file, 'utf8');
if (turn === 1) writeFileSync(file, text.replace('  legacy_flag,', '  COALESCE(legacy_flag, FALSE) AS legacy_flag,'));
else if (!existsSync(hung)) {
  writeFileSync(hung, '');
  setInterval(() => undefined, 1000);
} else writeFileSync(file, text.split('\\n').filter((l) => !l.includes('legacy_flag')).join('\\n'));
`;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'fleetwave-agent-crash-'));
  fleet = join(root, 'fleet');
  state = join(root, 'state', 'state.sqlite');
  calls = join(root, 'calls.txt');
  hung = join(root, 'hung');
  mkdirSync(join(root, 'state'));
  mkdirSync(join(root, 'prompts'));
  writeFileSync(join(root, 'agent.mjs'), AGENT);
  writeFileSync(join(root, 'prompts', 'v2.md'), 'legacy_flag is dropped: stop reading it.\n');
  await createLocalRepo(fleet, 'acme/jobs', {
    'jobs/legacy.sql': LEGACY_SQL,
    '.fleetwave/check': LEGACY_CHECK,
  });
  manifestPath = join(root, 'events-v2.yaml');
  writeFileSync(
    manifestPath,
    agentMigration({
      agent: `
      command: node ${join(root, 'agent.mjs')} ${calls} ${hung}
      prompt: prompts/v2.md
      paths: ["jobs/**"]
      maxTurns: 2
      timeout: 120s`,
      sqlFiles: ['jobs/**/*.sql'],
      rollout: ['canary: 0', 'automerge: true'],
    }),
  );
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Host processes whose command line names this test's agent. */
const agentProcesses = () => hostProcesses(join(root, 'agent.mjs'));

describe('an agent run that crashes mid-turn', () => {
  it('resumes from the saved turn without calling the agent for it again, and the agent died with the CLI', async () => {
    const cli = await startCli(['run', manifestPath, '--fleet', fleet, '--state', state, '--json'], LEASE);
    await until(() => existsSync(hung), 120_000);
    expect(readFileSync(calls, 'utf8')).toBe('1\n2\n');
    expect(agentProcesses().length).toBeGreaterThan(0);
    cli.child.kill('SIGKILL');
    expect((await cli.exited).signal).toBe('SIGKILL');
    // What the crashed CLI started goes with it: no agent process is left on the host.
    expect(await leftBehind(join(root, 'agent.mjs'))).toEqual([]);

    // The crashed run's reconcile lease stands until it expires: 5 s here (60 s by default).
    const r = await runCli(['run', manifestPath, '--fleet', fleet, '--state', state, '--json'], LEASE);
    expect(r.code).toBe(0);
    // Turn 1 was saved before the crash: replayed, not called again; turn 2 is called once more.
    expect(readFileSync(calls, 'utf8')).toBe('1\n2\n2\n');
    const summary = JSON.parse(r.stdout) as MigrationSummary;
    expect(summary.targets[0]).toEqual(expect.objectContaining({ repo: 'acme/jobs', state: 'open', agentWritten: true }));
    const pr = (await (await openLocalFleet(fleet)).getPullRequest('acme/jobs', summary.targets[0]!.prNumber!))!;
    expect(pr.draft).toBe(true);
    expect(pr.body).toMatch(/\| 1 \| replayed, [^|]*\| ❌ `\.\/\.fleetwave\/check` \|/);
    expect(pr.body).toMatch(/\| 2 \| exit 0, [^|]*\| ✅ `\.\/\.fleetwave\/check` \|/);
  });
});
