#!/usr/bin/env node
/**
 * Holds the agent command lines that docs/rules/agent.md recommends to the real agent programs: each is
 * installed from npm (the versions below) into a throwaway folder and run through `fleetwave agent
 * --dry-run --json` on a one-file consumer, without a vendor key. A line passes when the program accepted
 * its arguments, read the prompt and got as far as its vendor: what it printed shows the prompt or its
 * missing credential, not a usage error. (No key and no network here: what the agent would then do is not
 * checked.) test/scripts/agent-command-lines.test.ts keeps the docs and this list the same.
 *
 * Usage: npm run build && node scripts/check-agent-command-lines.mjs [--agents claude,codex] [--keep]
 * Needs the npm registry. Exit 0 when every line passes, 1 otherwise (each line says why).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import process, { stdout } from 'node:process';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PROMPT = 'Rename the field user_id to userId in src/.';

/** The documented command lines (docs/rules/agent.md, "Tested command lines") and how each shows it started. */
export const AGENTS = [
  {
    name: 'claude',
    package: '@anthropic-ai/claude-code@2.1.337',
    command:
      'claude -p --output-format json --max-turns 30 --permission-mode acceptEdits --allowedTools "Read,Edit,Write,Glob,Grep,Bash(npm test:*)"',
    env: 'ANTHROPIC_API_KEY',
    // Its JSON result when it reached the API stage without a key.
    started: (out) => /"api_error":"no_credential"/.test(out) || /Not logged in/.test(out),
  },
  {
    name: 'codex',
    package: '@openai/codex@0.171.0',
    command: 'codex exec --sandbox workspace-write --ephemeral --skip-git-repo-check -',
    env: 'OPENAI_API_KEY',
    // Its session header echoes the prompt it read from stdin, then it dials its vendor.
    started: (out) => out.includes(`user\n${PROMPT}`) && !/unexpected argument/.test(out),
  },
];

/** A line of the check's report. */
function say(line) {
  stdout.write(`${line}\n`);
}

function manifest(agent) {
  return [
    'apiVersion: fleetwave/v1',
    'kind: DatasetMigration',
    `metadata: { name: try-${agent.name}, owner: me }`,
    'dataset:',
    '  source: { uri: data/v1/, format: avro }',
    '  target: { uri: data/v2/, format: parquet }',
    'consumers:',
    '  discover: [{ repos: [acme/consumer] }]',
    'changes:',
    '  - agent:',
    `      command: ${agent.command}`,
    '      prompt: prompts/v2.md',
    '      for: all',
    '      maxTurns: 1',
    '      timeout: 20s',
    '      paths: ["src/**"]',
    `      env: [${agent.env}]`,
    '      network: host',
    '',
  ].join('\n');
}

function git(dir, args) {
  execFileSync('git', ['-C', dir, ...args], { stdio: 'ignore' });
}

function main() {
  const args = process.argv.slice(2);
  const only = args.includes('--agents') ? args[args.indexOf('--agents') + 1].split(',') : null;
  const agents = AGENTS.filter((a) => !only || only.includes(a.name));
  const work = mkdtempSync(join(tmpdir(), 'fleetwave-agent-lines-'));
  let failed = 0;
  try {
    const tools = join(work, 'tools');
    mkdirSync(tools);
    writeFileSync(join(tools, 'package.json'), '{"private":true}\n');
    say(`installing ${agents.map((a) => a.package).join(', ')} …`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', ...agents.map((a) => a.package)], { cwd: tools, stdio: 'ignore' });

    const consumer = join(work, 'consumer');
    mkdirSync(join(consumer, 'src'), { recursive: true });
    writeFileSync(join(consumer, 'src/read.js'), 'export const read = (e) => e.user_id;\n');
    git(consumer, ['init', '-q', '-b', 'main']);
    git(consumer, ['add', '-A']);
    git(consumer, ['-c', 'user.email=check@fleetwave.invalid', '-c', 'user.name=check', 'commit', '-qm', 'init']);
    const owners = join(work, 'owners');
    mkdirSync(join(owners, 'prompts'), { recursive: true });
    writeFileSync(join(owners, 'prompts/v2.md'), `${PROMPT}\n`);

    // No vendor key reaches them; a home of their own, so no login of this machine's user is read.
    const env = { ...process.env, HOME: join(work, 'home'), PATH: `${join(tools, 'node_modules/.bin')}:${process.env.PATH}` };
    for (const a of AGENTS) delete env[a.env];
    mkdirSync(env.HOME);
    for (const agent of agents) {
      writeFileSync(join(owners, `${agent.name}.yaml`), manifest(agent));
      const run = spawnSync(
        process.execPath,
        [join(root, 'bin/fleetwave.js'), 'agent', join(owners, `${agent.name}.yaml`), consumer, '--dry-run', '--json'],
        { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      );
      let output = '';
      try {
        output = JSON.parse(run.stdout).report.turns[0]?.output ?? '';
      } catch {
        output = `${run.stdout}\n${run.stderr}`;
      }
      const version = spawnSync(agent.name, ['--version'], { env, encoding: 'utf8' }).stdout.trim();
      if (agent.started(output)) say(`ok   ${agent.name} (${version}): ${agent.command}`);
      else {
        failed++;
        say(`FAIL ${agent.name} (${version}): ${agent.command}\n${output.slice(0, 2000)}`);
      }
    }
  } finally {
    if (!args.includes('--keep')) rmSync(work, { recursive: true, force: true });
    else say(`kept ${work}`);
  }
  process.exitCode = failed === 0 ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
