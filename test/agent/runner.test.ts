/**
 * The agent runner with real programs: scripted agents (fixtures/agents/scripted-agent.mjs) in a real
 * scratch git copy, sandboxed, with the consumer's own verifier (npm test) — no mock anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createAgentRunner } from '../../src/agent/runner.js';
import type { AgentContext } from '../../src/codemod/agent/context.js';
import type { AgentRequest } from '../../src/codemod/agent/port.js';
import { agentParams } from '../../src/manifest/change-rules.js';

const AGENT = resolve('fixtures/agents/scripted-agent.mjs');
const JUDGE = resolve('fixtures/agents/judge.mjs');

let root: string;
let consumer: string;

function context(): AgentContext {
  return {
    migration: 'play-events-v2',
    repo: 'acme/recs',
    dataset: {
      old: { uri: 'data/play-events/v1', format: 'avro', table: null },
      new: { uri: 'data/play-events/v2', format: 'parquet', table: null },
    },
    fieldMapping: [{ from: 'userId', to: 'user_id', dropped: false, cast: null, steps: ['dataset.transform[0]'] }],
    findings: [
      { severity: 'blocking', at: 'src/read.js:1', file: 'src/read.js', line: 1, field: 'userId', message: 'userId is renamed to user_id' },
    ],
    paths: ['src/**', 'test/**'],
    maxChangedLines: 50,
    turn: 1,
    maxTurns: 3,
    previousFailures: [],
  };
}

function request(command: string, more: Record<string, unknown> = {}, headSha?: string): AgentRequest {
  return {
    repo: 'acme/recs',
    dir: consumer,
    headSha,
    params: agentParams.parse({
      command,
      prompt: 'prompts/v2.md',
      paths: ['src/**', 'test/**'],
      maxChangedLines: 50,
      timeout: '30s',
      ...more,
    }),
    prompt: { path: 'prompts/v2.md', text: 'Rename userId to user_id.\n', hash: 'a'.repeat(64) },
    context: context(),
    baseEdits: [],
  };
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'agent-runner-test-'));
  consumer = join(root, 'consumer');
  mkdirSync(join(consumer, 'src'), { recursive: true });
  mkdirSync(join(consumer, 'test'), { recursive: true });
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'recs', type: 'module', scripts: { test: 'node test/read.test.js' } }),
  );
  writeFileSync(join(consumer, 'src/read.js'), 'export const user = (row) => row.userId;\n');
  writeFileSync(
    join(consumer, 'test/read.test.js'),
    "import { user } from '../src/read.js';\nif (user({ user_id: 'u1' }) !== 'u1') {\n  console.error('test/read.test.js:2 Error: expected u1, received ' + user({ user_id: 'u1' }));\n  process.exit(1);\n}\n",
  );
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the agent runner', () => {
  it('passes on turn 2 after a verifier failure, and the second turn sees the failure', async () => {
    const outcome = await createAgentRunner().run(request(`node ${AGENT} fix-on-retry`));
    expect(outcome.report.status).toBe('passed');
    expect(outcome.report.turns).toHaveLength(2);
    const [first, second] = outcome.report.turns;
    expect(first!.verifiers).toEqual([expect.objectContaining({ name: 'test', passed: false })]);
    expect(first!.verifiers[0]!.errors.join('\n')).toContain('expected u1, received undefined');
    expect(second!.verifiers).toEqual([expect.objectContaining({ name: 'test', passed: true })]);
    expect(outcome.edits).toEqual([
      { path: 'src/read.js', before: 'export const user = (row) => row.userId;\n', after: 'export const user = (row) => row.user_id;\n' },
    ]);
    expect(readFileSync(join(consumer, 'src/read.js'), 'utf8')).toContain('row.userId'); // the checkout is never touched
  }, 60_000);

  it('gives no change after maxTurns when the agent never passes', async () => {
    const outcome = await createAgentRunner().run(request(`node ${AGENT} never`, { maxTurns: 2 }));
    expect(outcome.report.status).toBe('failed');
    expect(outcome.report.turns).toHaveLength(2);
    expect(outcome.edits).toEqual([]);
    expect(outcome.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ severity: 'blocking', message: expect.stringContaining('did not pass after 2 turn(s)') }),
      ]),
    );
  }, 60_000);

  it('kills the whole process group at the time limit', async () => {
    const pidFile = join(root, 'grandchild.pid');
    const outcome = await createAgentRunner().run(request(`node ${AGENT} sleep ${pidFile}`, { maxTurns: 1, timeout: '2s' }));
    expect(outcome.report.status).toBe('failed');
    expect(outcome.report.turns[0]).toEqual(expect.objectContaining({ timedOut: true, exitCode: null }));
    expect(outcome.report.reason).toContain('ran out of time (2s)');
    // The grandchild it started (`sleep 317`, in its own PID namespace where unshare works, else in its
    // process group) is gone: no such process is left on the host.
    expect(Number(readFileSync(pidFile, 'utf8').trim())).toBeGreaterThan(0);
    expect(spawnSync('pgrep', ['-f', 'sleep 317']).status).toBe(1);
  }, 60_000);

  it('throws away what the agent wrote outside paths, reports it, and gives an agent that keeps straying no change', async () => {
    const outcome = await createAgentRunner().run(request(`node ${AGENT} stray`, { maxTurns: 2 }));
    expect(outcome.report.status).toBe('failed');
    expect(outcome.report.turns.map((t) => t.discarded)).toEqual([
      ['.github/workflows/x.yml', 'notes/agent.md'],
      ['.github/workflows/x.yml', 'notes/agent.md'],
    ]);
    expect(outcome.report.turns[0]!.guards).toEqual([
      expect.objectContaining({ guard: 'paths', message: expect.stringContaining('thrown away') }),
    ]);
    expect(outcome.edits).toEqual([]);
    expect(outcome.findings.filter((f) => f.severity === 'warning').map((f) => f.file)).toEqual([
      '.github/workflows/x.yml',
      'notes/agent.md',
      '.github/workflows/x.yml',
      'notes/agent.md',
    ]);
  }, 60_000);

  it('refuses a change that deletes a test, whatever the verifiers say', async () => {
    const outcome = await createAgentRunner().run(request(`node ${AGENT} delete-test test/read.test.js`, { maxTurns: 1 }));
    expect(outcome.report.status).toBe('failed');
    expect(outcome.report.turns[0]!.guards).toEqual([expect.objectContaining({ guard: 'tests', file: 'test/read.test.js' })]);
    expect(outcome.edits).toEqual([]);
  }, 60_000);

  it('gives the agent no secret of ours, only what the manifest names', async () => {
    const envFile = join(root, 'env.json');
    const from = {
      PATH: process.env.PATH,
      HOME: '/root',
      LANG: 'C.UTF-8',
      AWS_SECRET_ACCESS_KEY: 'aws-secret',
      GITHUB_TOKEN: 'ghs_secret',
      FLEETWAVE_APP_PRIVATE_KEY: 'pk',
      FLEETWAVE_WEBHOOK_SECRET: 'whs',
      NPM_TOKEN: 'npm',
      ANTHROPIC_API_KEY: 'vendor-key',
      OTHER_SETTING: 'x',
    };
    const outcome = await createAgentRunner({ env: from }).run(
      request(`node ${AGENT} print-env ${envFile} ${process.pid}`, { env: ['ANTHROPIC_API_KEY'] }),
    );
    expect(outcome.report.status).toBe('passed');
    const { env: seen, procEnviron } = JSON.parse(readFileSync(envFile, 'utf8')) as {
      env: Record<string, string>;
      procEnviron: string | null;
    };
    // Where the host allows a /proc of its own (here it does: unshare -r works), our process is not even visible.
    if (outcome.report.isolation.pidNamespace) expect(outcome.report.isolation.privateProc).toBe(true);
    if (outcome.report.isolation.privateProc) expect(procEnviron).toBeNull();
    for (const secret of ['aws-secret', 'ghs_secret', 'pk', 'whs', 'npm']) expect(Object.values(seen)).not.toContain(secret);
    expect(seen.ANTHROPIC_API_KEY).toBe('vendor-key');
    expect(seen.OTHER_SETTING).toBeUndefined();
    expect(seen.HOME).not.toBe('/root');
    expect(
      Object.keys(seen)
        .filter((k) => k.startsWith('FLEETWAVE_'))
        .sort(),
    ).toEqual(['FLEETWAVE_AGENT_CONTEXT', 'FLEETWAVE_AGENT_CONTEXT_FILE', 'FLEETWAVE_AGENT_PROMPT', 'FLEETWAVE_AGENT_TURN']);
  }, 60_000);

  it("lets the judge veto a change that passed the verifiers, and says the judge's reason", async () => {
    const outcome = await createAgentRunner().run(request(`node ${AGENT} fix`, { judge: `node ${JUDGE} lib/` }));
    expect(outcome.report.status).toBe('vetoed');
    expect(outcome.report.judge).toEqual({ pass: false, reason: 'the diff strays from the prompt: src/read.js' });
    expect(outcome.edits).toEqual([]);
    expect(outcome.findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ severity: 'blocking', message: expect.stringContaining('the judge vetoed') })]),
    );
    const passed = await createAgentRunner().run(request(`node ${AGENT} fix`, { judge: `node ${JUDGE} src/` }));
    expect(passed.report).toEqual(expect.objectContaining({ status: 'passed', judge: { pass: true, reason: 'only src/ changed' } }));
  }, 60_000);

  it('calls the agent once per (head, prompt, command): a re-run and a resumed run use what was saved', async () => {
    const cacheDir = join(root, 'cache');
    const calls = join(root, 'calls.txt');
    const req = request(`node ${AGENT} count ${calls}`, {}, 'c0ffee');
    const first = await createAgentRunner({ cacheDir }).run(req);
    const again = await createAgentRunner({ cacheDir }).run(req);
    expect(readFileSync(calls, 'utf8')).toBe('1\n');
    expect(first.report.cached).toBe(false);
    expect(again.report.cached).toBe(true);
    expect(again.edits).toEqual(first.edits);
    // A crash after the agent's turn was saved but before the outcome was: the turn is replayed.
    const key =
      readFileSync(calls, 'utf8') &&
      (await import('node:fs')).readdirSync(join(cacheDir, (await import('node:fs')).readdirSync(cacheDir)[0]!))[0]!;
    rmSync(join(cacheDir, key.slice(0, 2), key, 'outcome.json'));
    const resumed = await createAgentRunner({ cacheDir }).run(req);
    expect(readFileSync(calls, 'utf8')).toBe('1\n');
    expect(resumed.report.turns[0]!.replayed).toBe(true);
    expect(resumed.edits).toEqual(first.edits);
    // Another head is another key: the agent runs.
    await createAgentRunner({ cacheDir }).run({ ...req, headSha: 'beef' });
    expect(readFileSync(calls, 'utf8')).toBe('1\n1\n');
    expect(existsSync(cacheDir)).toBe(true);
    // So is another prompt (its hash), another command, and other rules' edits.
    await createAgentRunner({ cacheDir }).run({ ...req, prompt: { ...req.prompt, text: 'Rename it.\n', hash: 'b'.repeat(64) } });
    expect(readFileSync(calls, 'utf8')).toBe('1\n1\n1\n');
    await createAgentRunner({ cacheDir }).run(request(`node ${AGENT} count ${calls} --again`, {}, 'c0ffee'));
    expect(readFileSync(calls, 'utf8')).toBe('1\n1\n1\n1\n');
    await createAgentRunner({ cacheDir }).run({ ...req, baseEdits: [{ path: 'src/other.js', before: null, after: 'export {};\n' }] });
    expect(readFileSync(calls, 'utf8')).toBe('1\n1\n1\n1\n1\n');
    // And the first key still answers from the cache.
    await createAgentRunner({ cacheDir }).run(req);
    expect(readFileSync(calls, 'utf8')).toBe('1\n1\n1\n1\n1\n');
  }, 60_000);

  it("gives the verifiers what the operator configured for checks (FLEETWAVE_LAKE), not the agent's key", async () => {
    const lake = join(root, 'lake');
    mkdirSync(lake, { recursive: true });
    writeFileSync(join(lake, 'ready'), '');
    const dir = join(root, 'lake-consumer');
    mkdirSync(join(dir, 'src'), { recursive: true });
    mkdirSync(join(dir, '.fleetwave'), { recursive: true });
    writeFileSync(join(dir, 'src/read.js'), 'export const user = (row) => row.userId;\n');
    writeFileSync(
      join(dir, '.fleetwave/check'),
      '#!/bin/sh\n[ -f "$FLEETWAVE_LAKE/ready" ] || { echo "error: no lake at FLEETWAVE_LAKE"; exit 1; }\n[ -z "$ANTHROPIC_API_KEY" ] || { echo "error: the vendor key reached a verifier"; exit 1; }\n',
    );
    const req = { ...request(`node ${AGENT} fix`, { maxTurns: 1, env: ['ANTHROPIC_API_KEY'] }), dir };
    const from = { PATH: process.env.PATH, ANTHROPIC_API_KEY: 'vendor-key' };
    const without = await createAgentRunner({ env: from }).run(req);
    expect(without.report.turns[0]!.verifiers[0]!.errors).toEqual(['error: no lake at FLEETWAVE_LAKE']);
    const withLake = await createAgentRunner({ env: from, verifierEnv: { FLEETWAVE_LAKE: lake, GITHUB_TOKEN: 'x' } }).run(req);
    expect(withLake.report.status).toBe('passed');
  }, 60_000);

  it('gives no change to a repository without a verifier, and says so; a verifier this host cannot run is said, not passed', async () => {
    const bare = join(root, 'no-verifier');
    mkdirSync(join(bare, 'src'), { recursive: true });
    writeFileSync(join(bare, 'src/read.js'), 'export const user = (row) => row.userId;\n');
    const none = await createAgentRunner().run({ ...request(`node ${AGENT} fix`), dir: bare });
    expect(none.report.status).toBe('failed');
    expect(none.report.turns).toHaveLength(1); // no second turn: another would not help
    expect(none.report.reason).toContain('no verifier found in the repository');
    expect(none.edits).toEqual([]);
    writeFileSync(join(bare, 'dbt_project.yml'), 'name: recs\n');
    const dbt = await createAgentRunner({ env: { PATH: `${dirname(process.execPath)}:/usr/bin:/bin` } }).run({
      ...request(`node ${AGENT} fix`),
      dir: bare,
    });
    expect(dbt.report.status).toBe('failed');
    expect(dbt.report.reason).toContain('dbt is not installed here');
    expect(dbt.findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ severity: 'info', message: expect.stringContaining('`dbt parse` was not run') })]),
    );
  }, 60_000);

  it('gives a context over 100 KiB without its findings in the environment (truncated: true), and whole in the file', async () => {
    const envFile = join(root, 'env-big.json');
    const copy = join(root, 'context-big.json');
    const req = request(`cp "$FLEETWAVE_AGENT_CONTEXT_FILE" ${copy}; node ${AGENT} print-env ${envFile}`, { maxTurns: 1 });
    const many = Array.from({ length: 1500 }, (_, i) => ({ ...req.context.findings[0]!, message: `finding ${i} ${'x'.repeat(80)}` }));
    await createAgentRunner().run({ ...req, context: { ...req.context, findings: [req.context.findings[0]!, ...many] } });
    const { env } = JSON.parse(readFileSync(envFile, 'utf8')) as { env: Record<string, string> };
    expect(env.FLEETWAVE_AGENT_CONTEXT!.length).toBeLessThan(100 * 1024);
    expect(JSON.parse(env.FLEETWAVE_AGENT_CONTEXT!)).toEqual(expect.objectContaining({ findings: [], truncated: true, turn: 1 }));
    const whole = JSON.parse(readFileSync(copy, 'utf8')) as { findings: unknown[]; truncated?: boolean };
    expect(whole.findings).toHaveLength(1501);
    expect(whole.truncated).toBeUndefined();
  }, 60_000);

  it("links the toolchain's node_modules into a package.json copy that has none, never as part of the change", async () => {
    const toolchain = join(root, 'toolchain');
    mkdirSync(join(toolchain, 'some-tool'), { recursive: true });
    const seen = join(root, 'modules-seen.txt');
    const outcome = await createAgentRunner({ nodeModules: toolchain }).run(request(`ls node_modules > ${seen}; node ${AGENT} fix`));
    expect(readFileSync(seen, 'utf8').trim()).toBe('some-tool');
    expect(outcome.report.status).toBe('passed');
    expect(outcome.edits.map((e) => e.path)).toEqual(['src/read.js']);
  }, 60_000);

  it('reads the change of an agent that deletes .git: the repository is named explicitly, beside the copy', async () => {
    const outcome = await createAgentRunner().run(request(`node ${AGENT} break-git`, { maxTurns: 1 }));
    expect(outcome.report.status).toBe('passed');
    expect(outcome.edits.map((e) => e.path)).toEqual(['src/read.js']);
  }, 60_000);
});
