/**
 * The agent rule in a whole rollout on a real local fleet (bare git repositories, real checks, SQLite):
 * the consumer the sql rule leaves blocked (it reads a dropped column) is migrated by a scripted agent
 * and gets a DRAFT pull request marked as the agent's, which Fleetwave never merges although the
 * manifest says `automerge: true`; the consumer the rule migrates is merged as usual. The agent is
 * called once: the dry run's outcome is cached in the state folder and the real run reuses it.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/main.js';
import { bufferIO } from '../../src/cli/io.js';
import { createLocalRepo, openLocalFleet } from '../../src/forge/local/index.js';
import type { MigrationSummary } from '../../src/rollout/model.js';
import { parseMarker } from '../../src/rollout/marker.js';
import { agentMigration, LEGACY_CHECK, LEGACY_SQL } from '../helpers/agent-migration.js';

jest.setTimeout(600_000);
const AGENT = resolve('fixtures/agents/scripted-agent.mjs');

let root: string;
let fleet: string;
let manifestPath: string;
let state: string;
let calls: string;

async function buildFleet(dir: string, agent: string): Promise<{ fleet: string; manifestPath: string; state: string }> {
  const fleetDir = join(dir, 'fleet');
  mkdirSync(join(dir, 'state'), { recursive: true });
  await createLocalRepo(fleetDir, 'acme/jobs-a', {
    'jobs/plays.sql': 'SELECT\n  country,\n  COUNT(*) AS plays\nFROM events_v1\nGROUP BY country\n',
    '.fleetwave/check': LEGACY_CHECK,
  });
  await createLocalRepo(fleetDir, 'acme/jobs-b', {
    'jobs/legacy.sql': LEGACY_SQL,
    '.fleetwave/check': LEGACY_CHECK,
  });
  mkdirSync(join(dir, 'prompts'));
  writeFileSync(join(dir, 'prompts', 'events-v2.md'), 'legacy_flag is dropped from events_v2: stop reading it.\n');
  const path = join(dir, 'events-v2.yaml');
  writeFileSync(
    path,
    agentMigration({
      agent: `\n${agent}`,
      metadata: ['description: Move events to v2.', 'sunset: 2027-03-01'],
      sqlFiles: ['jobs/**/*.sql'],
      rollout: ['canary: 1', 'waves: [100%]', 'soak: 0s', 'automerge: true'],
    }),
  );
  return { fleet: fleetDir, manifestPath: path, state: join(dir, 'state', 'state.sqlite') };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'fleetwave-agent-rollout-'));
  calls = join(root, 'calls.txt');
  ({ fleet, manifestPath, state } = await buildFleet(
    root,
    `      command: node ${AGENT} count ${calls}
      prompt: prompts/events-v2.md
      paths: ["jobs/**"]
      maxTurns: 2
      timeout: 60s`,
  ));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function run(extra: string[] = [], where = { manifestPath, fleet, state }): Promise<MigrationSummary> {
  const io = bufferIO();
  await main(['run', where.manifestPath, '--fleet', where.fleet, '--state', where.state, '--json', ...extra], io);
  if (!io.stdout.length) throw new Error(`run printed nothing; stderr: ${io.stderr.join('')}`);
  return JSON.parse(io.stdout.join('')) as MigrationSummary;
}

describe('the agent rule in a rollout', () => {
  it('opens a draft agent PR for the blocked consumer and never merges it; calls the agent once', async () => {
    const planned = await run(['--dry-run']);
    expect(Object.fromEntries(planned.targets.map((t) => [t.repo, t.state]))).toEqual({
      'acme/jobs-a': 'planned',
      'acme/jobs-b': 'planned',
    });
    expect(readFileSync(calls, 'utf8')).toBe('1\n');
    expect(planned.agent).toEqual({ opened: 0, merged: 0, passedVerifiers: 1, vetoed: 0, failed: 0 });

    const summary = await run();
    expect(readFileSync(calls, 'utf8')).toBe('1\n'); // the dry run's outcome, from the cache
    const byRepo = Object.fromEntries(summary.targets.map((t) => [t.repo, t]));
    expect(byRepo['acme/jobs-a']!.state).toBe('merged');
    expect(byRepo['acme/jobs-b']).toEqual(
      expect.objectContaining({ state: 'open', agentWritten: true, reason: expect.stringContaining('written by an agent') }),
    );
    expect(summary.agent).toEqual({ opened: 1, merged: 0, passedVerifiers: 1, vetoed: 0, failed: 0 });

    const forge = await openLocalFleet(fleet);
    const pr = await forge.getPullRequest('acme/jobs-b', 1);
    expect(pr).toEqual(expect.objectContaining({ state: 'open', draft: true }));
    expect(pr!.checks.state).toBe('success');
    expect(parseMarker(pr!.body)?.agent).toBe(true);
    expect(pr!.title).toContain('[fleetwave, agent]');
    expect(pr!.body).toContain('A coding agent wrote this change');
    expect(pr!.body).toContain(`node ${AGENT} count ${calls}`);
    expect(pr!.body).toMatch(/sha256 `[0-9a-f]{64}`/);
    expect(await forge.readFile('acme/jobs-b', 'jobs/legacy.sql', pr!.branch)).toBe('SELECT\n  country\nFROM events_v2\n');

    // Another run: still open, still not merged, the agent not called.
    const again = await run();
    expect(again.targets.find((t) => t.repo === 'acme/jobs-b')!.state).toBe('open');
    expect(readFileSync(calls, 'utf8')).toBe('1\n');
  });

  it('opens no PR for a consumer the agent never fixes; with fallback: annotate, a draft that only adds comments', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'fleetwave-agent-never-'));
    const annotated = mkdtempSync(join(tmpdir(), 'fleetwave-agent-annotate-'));
    try {
      const agent = `      command: node ${AGENT} never
      prompt: prompts/events-v2.md
      paths: ["jobs/**"]
      maxTurns: 2
      timeout: 60s`;
      const a = await buildFleet(plain, agent);
      const none = await run([], a);
      const b = none.targets.find((t) => t.repo === 'acme/jobs-b')!;
      expect(b).toEqual(expect.objectContaining({ state: 'blocked', pr: null }));
      expect(b.findings.map((f) => f.message)).toEqual(
        expect.arrayContaining([expect.stringContaining('the agent did not pass after 2 turn(s)')]),
      );
      expect(none.agent).toEqual({ opened: 0, merged: 0, passedVerifiers: 0, vetoed: 0, failed: 1 });

      const c = await buildFleet(annotated, `${agent}\n      fallback: annotate\n      guide: https://wiki.acme.example/events-v2`);
      const offered = await run([], c);
      expect(offered.targets.find((t) => t.repo === 'acme/jobs-b')).toEqual(
        expect.objectContaining({ state: 'open', agentWritten: true, reason: expect.stringContaining('annotations only') }),
      );
      const forge = await openLocalFleet(c.fleet);
      const pr = (await forge.getPullRequest('acme/jobs-b', 1))!;
      expect(pr).toEqual(expect.objectContaining({ state: 'open', draft: true }));
      expect(pr.title).toContain('[fleetwave, annotate]');
      expect(parseMarker(pr.body)).toEqual(expect.objectContaining({ agent: true, annotate: true }));
      expect(await forge.readFile('acme/jobs-b', 'jobs/legacy.sql', pr.branch)).toBe(
        'SELECT\n  -- fleetwave: legacy_flag is dropped on 2027-03-01, see https://wiki.acme.example/events-v2\n  legacy_flag,\n  country\nFROM events_v1\n',
      );
      // Another run changes nothing: still open, never merged.
      expect((await run([], c)).targets.find((t) => t.repo === 'acme/jobs-b')!.state).toBe('open');
    } finally {
      rmSync(plain, { recursive: true, force: true });
      rmSync(annotated, { recursive: true, force: true });
    }
  });
});
