/**
 * The Aider command line docs/rules/agent.md gives, run as written through the agent runner, against an
 * `aider` stand-in on PATH (the real Aider is a Python program this build machine cannot install: the
 * docs say so). The stand-in does what Aider's source says it does with these flags (aider/args.py and
 * aider/repomap.py of 0.86.3.dev): it takes the message from `--message-file`, writes its chat and input
 * history (`.aider.chat.history.md`, `.aider.input.history`) and its repository map's cache
 * (`.aider.tags.cache.v4/`) at the repository's root, and edits the code. What this checks is the line's
 * shell: the prompt file reaches it, those files do not become writes outside `paths` (which would fail
 * every turn), and Aider's exit status is kept.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createAgentRunner } from '../../src/agent/runner.js';
import type { AgentRequest } from '../../src/codemod/agent/port.js';
import { agentParams } from '../../src/manifest/change-rules.js';

const docs = readFileSync('docs/rules/agent.md', 'utf8');
/** The documented line: the `command:` under the Aider item. */
const AIDER = /^- \*\*Aider\*\*[\s\S]*?^ {2}command: (.+)$/m.exec(docs)![1]!;

/** Aider as its source describes it, for the flags the line passes; exits with $AIDER_STAND_IN_EXIT. */
const STAND_IN = `#!/usr/bin/env node
const { readFileSync, writeFileSync, mkdirSync } = require('node:fs');
const args = process.argv.slice(2);
for (const flag of ['--yes-always', '--no-auto-commits', '--no-gitignore']) if (!args.includes(flag)) { console.error('missing ' + flag); process.exit(2); }
const message = readFileSync(args[args.indexOf('--message-file') + 1], 'utf8');
if (!message.includes('legacy_flag')) { console.error('the message is not the prompt'); process.exit(2); }
writeFileSync('.aider.chat.history.md', '# aider chat started\\n' + message);
writeFileSync('.aider.input.history', '');
mkdirSync('.aider.tags.cache.v4', { recursive: true });
writeFileSync('.aider.tags.cache.v4/cache.db', 'x');
const sql = readFileSync('jobs/legacy.sql', 'utf8');
writeFileSync('jobs/legacy.sql', sql.split('\\n').filter((l) => !l.includes('legacy_flag')).join('\\n'));
process.exit(Number(process.env.AIDER_STAND_IN_EXIT ?? 0));
`;

let root: string;
let consumer: string;
let bin: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'fleetwave-aider-line-'));
  consumer = join(root, 'consumer');
  bin = join(root, 'bin');
  mkdirSync(join(consumer, 'jobs'), { recursive: true });
  mkdirSync(join(consumer, '.fleetwave'));
  mkdirSync(bin);
  writeFileSync(join(consumer, 'jobs', 'legacy.sql'), 'SELECT\n  legacy_flag,\n  country\nFROM events_v2\n');
  writeFileSync(join(consumer, '.fleetwave', 'check'), '#!/bin/sh\n! grep -n legacy_flag jobs/*.sql\n');
  writeFileSync(join(bin, 'aider'), STAND_IN);
  chmodSync(join(bin, 'aider'), 0o755);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function request(): AgentRequest {
  return {
    repo: 'acme/jobs',
    dir: consumer,
    params: agentParams.parse({
      command: AIDER,
      prompt: 'prompts/v2.md',
      paths: ['jobs/**'],
      maxTurns: 1,
      timeout: '60s',
      env: ['AIDER_STAND_IN_EXIT'], // how the test tells the stand-in its exit status
    }),
    prompt: { path: 'prompts/v2.md', text: 'legacy_flag is dropped: stop reading it.\n', hash: 'c'.repeat(64) },
    context: {
      migration: 'events-v2',
      repo: 'acme/jobs',
      dataset: { old: { uri: 'a', format: 'avro', table: null }, new: { uri: 'b', format: 'parquet', table: null } },
      fieldMapping: [],
      findings: [],
      paths: ['jobs/**'],
      maxChangedLines: 200,
      turn: 1,
      maxTurns: 1,
      previousFailures: [],
    },
    baseEdits: [],
  };
}

const env = (exit: number) => ({ PATH: `${bin}${delimiter}${process.env.PATH}`, AIDER_STAND_IN_EXIT: String(exit) });

describe('the documented Aider line', () => {
  it('is the one the docs give', () => {
    expect(AIDER).toContain('aider --yes-always --no-auto-commits --no-gitignore');
    expect(AIDER).toContain('--message-file "$FLEETWAVE_AGENT_PROMPT"');
  });

  it("passes a turn with only Aider's edit: its history and cache files are not writes outside paths", async () => {
    const outcome = await createAgentRunner({ env: env(0) }).run(request());
    expect(outcome.report.turns[0]).toEqual(expect.objectContaining({ exitCode: 0, discarded: [], guards: [] }));
    expect(outcome.report.status).toBe('passed');
    expect(outcome.edits.map((e) => e.path)).toEqual(['jobs/legacy.sql']);
  }, 60_000);

  it("keeps Aider's exit status", async () => {
    const outcome = await createAgentRunner({ env: env(3) }).run(request());
    expect(outcome.report.turns[0]!.exitCode).toBe(3);
  }, 60_000);
});
