/**
 * `fleetwave agent <manifest> <repo-dir>`: the agent step on one checkout, with a scripted agent that
 * fixes the SQL only after the consumer's own check (.fleetwave/check) failed on its first turn.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bufferIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { agentMigration, LEGACY_SQL } from '../helpers/agent-migration.js';

const AGENT = resolve('fixtures/agents/scripted-agent.mjs');
let root: string;
let manifest: string;
let consumer: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'fleetwave-agent-cli-'));
  mkdirSync(join(root, 'manifests', 'prompts'), { recursive: true });
  writeFileSync(join(root, 'manifests', 'prompts', 'v2.md'), 'legacy_flag is dropped: stop reading it.\n');
  manifest = join(root, 'manifests', 'events-v2.yaml');
  writeFileSync(
    manifest,
    agentMigration({ agent: `{ command: "node ${AGENT} fix-on-retry", prompt: prompts/v2.md, paths: ["jobs/**"], timeout: 60s }` }),
  );
  consumer = join(root, 'consumer');
  mkdirSync(join(consumer, 'jobs'), { recursive: true });
  mkdirSync(join(consumer, '.fleetwave'));
  writeFileSync(join(consumer, 'jobs', 'legacy.sql'), LEGACY_SQL);
  writeFileSync(
    join(consumer, '.fleetwave', 'check'),
    '#!/bin/sh\nif grep -n legacy_flag jobs/*.sql; then echo "jobs/legacy.sql: error: legacy_flag is not a column of events_v2"; exit 1; fi\n',
  );
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('fleetwave agent', () => {
  it('shows the turns, the verifier output and the diff, and changes nothing with --dry-run', async () => {
    const io = bufferIO();
    expect(await main(['agent', manifest, consumer, '--dry-run'], io)).toBe(0);
    const err = io.stderr.join('\n');
    expect(err).toContain('agent: passed');
    expect(err).toMatch(
      /turn 1: exit 0[^\n]*\n {2}verifier \.fleetwave\/check \(sh \.fleetwave\/check\): failed\n {4}[^\n]*legacy_flag is not a column of events_v2/,
    );
    expect(err).toMatch(/turn 2: exit 0[^\n]*\n {2}verifier \.fleetwave\/check \(sh \.fleetwave\/check\): passed/);
    expect(io.stdout.join('\n')).toContain('-  legacy_flag,');
    expect(io.stdout.join('\n')).toContain('+FROM events_v2');
    expect(readFileSync(join(consumer, 'jobs', 'legacy.sql'), 'utf8')).toBe(LEGACY_SQL);
  }, 120_000);

  it('writes a passed change into the checkout without --dry-run', async () => {
    const io = bufferIO();
    expect(await main(['agent', manifest, consumer], io)).toBe(0);
    expect(readFileSync(join(consumer, 'jobs', 'legacy.sql'), 'utf8')).toBe('SELECT\n  country\nFROM events_v2\n');
  }, 120_000);
});
