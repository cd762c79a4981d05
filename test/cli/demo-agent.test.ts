/**
 * `fleetwave demo --agent`, the demo's second mode: the manifest's agent rule (a scripted agent,
 * src/demo/demo-agent.ts) migrates acme/legacy-clients, which the rules leave blocked, through a draft
 * PR that passed the job's own check and that Fleetwave does not merge; acme/legacy-audit, which the
 * agent may not change, gets an annotate-only draft. Every other consumer merges as in the default demo
 * (test/cli/demo.test.ts, where both stay blocked). Slow: a whole demo.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bufferIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { openLocalFleet } from '../../src/forge/local/index.js';
import type { MigrationSummary } from '../../src/rollout/model.js';
import { parseMarker } from '../../src/rollout/marker.js';

jest.setTimeout(15 * 60_000);

let root: string;
let exitCode: number;
let io: ReturnType<typeof bufferIO>;
let result: MigrationSummary & { demo: { dir: string } };

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'fleetwave-cli-demo-agent-'));
  io = bufferIO();
  exitCode = await main(['demo', '--dir', join(root, 'demo'), '--agent', '--json'], io);
  result = JSON.parse(io.stdout.join('')) as typeof result;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('fleetwave demo --agent', () => {
  it('completes: every consumer merged but the two agent drafts, which wait for people', () => {
    expect({ exitCode, state: result.state, stderr: io.stderr.join('') }).toEqual({ exitCode: 0, state: 'completed', stderr: '' });
    expect(result.reason).toContain('2 pull requests written by an agent wait for people');
    const states = Object.fromEntries(result.targets.map((t) => [t.repo, t.state]));
    expect(Object.entries(states).filter(([, s]) => s !== 'merged')).toEqual([
      ['acme/legacy-audit', 'open'],
      ['acme/legacy-clients', 'open'],
    ]);
    expect(result.agent).toEqual({ opened: 2, merged: 0, passedVerifiers: 1, vetoed: 0, failed: 1 });
  });

  it("migrates legacy-clients in a draft PR that passed the job's own check, and annotates legacy-audit", async () => {
    const forge = await openLocalFleet(join(result.demo.dir, 'fleet'));
    const clients = (await forge.findPullRequests(['acme/legacy-clients'], 'fleetwave/play-events-v2')).get('acme/legacy-clients')!;
    expect(clients).toEqual(expect.objectContaining({ state: 'open', draft: true }));
    expect(clients.checks.state).toBe('success');
    expect(parseMarker(clients.body)).toEqual(expect.objectContaining({ agent: true }));
    expect(parseMarker(clients.body)?.annotate).toBeUndefined();
    const job = await forge.readFile('acme/legacy-clients', 'jobs/legacy_share.sql', clients.branch);
    expect(job).toContain('SELECT country, 0 AS legacy_plays, COUNT(*) AS plays');
    expect(job).toContain('play_events_v2');

    const audit = (await forge.findPullRequests(['acme/legacy-audit'], 'fleetwave/play-events-v2')).get('acme/legacy-audit')!;
    expect(audit).toEqual(expect.objectContaining({ state: 'open', draft: true }));
    expect(parseMarker(audit.body)).toEqual(expect.objectContaining({ agent: true, annotate: true }));
    expect(audit.body).toContain('This change migrates nothing');
  });
});
