/**
 * The `agent` rule's parameters as the manifest's validation takes them (docs/rules/agent.md, the
 * parameter table): defaults, the names of variables that never reach an agent, the limits, and one
 * agent entry per manifest — each problem at its line.
 */
import { describe, expect, it } from '@jest/globals';
import type { AgentParams } from '../../src/manifest/change-rules.js';
import { parseManifest } from '../../src/manifest/load.js';
import { ValidationError, type Problem } from '../../src/util/errors.js';

const head = `apiVersion: fleetwave/v1
kind: DatasetMigration
metadata: { name: m, owner: me }
dataset:
  source: { uri: a/, format: avro, table: t_v1 }
  target: { uri: b/, format: parquet, table: t_v2 }
consumers:
  discover: [{ repos: [acme/x] }]
changes:
  - sql: { dialect: ansi }
`;

function agentOf(agent: string): AgentParams {
  const changes = parseManifest(`${head}  - agent: ${agent}\n`, 'm.yaml').manifest.changes as Record<string, unknown>[];
  return changes.find((c) => c.agent)!.agent as AgentParams;
}

function problemsOf(changes: string): Problem[] {
  try {
    parseManifest(`${head}${changes}`, 'm.yaml');
  } catch (err) {
    if (err instanceof ValidationError) return err.problems;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('the agent rule in a manifest', () => {
  it('fills the documented defaults', () => {
    expect(agentOf('{ command: my-agent, prompt: prompts/p.md, paths: ["src/**"] }')).toEqual({
      command: 'my-agent',
      prompt: 'prompts/p.md',
      paths: ['src/**'],
      for: 'blocked',
      maxTurns: 3,
      timeout: '20m',
      memoryMiB: 4096,
      maxChangedLines: 200,
      env: [],
      network: 'none',
    });
  });

  it('refuses in env a name of the code host, the cloud, the runner, npm, ssh or Fleetwave, at its line', () => {
    for (const name of [
      'GITHUB_TOKEN',
      'GH_TOKEN',
      'AWS_SECRET_ACCESS_KEY',
      'GOOGLE_APPLICATION_CREDENTIALS',
      'ACTIONS_RUNTIME_TOKEN',
      'RUNNER_TEMP',
      'INPUT_TOKEN',
      'NPM_TOKEN',
      'SSH_AUTH_SOCK',
      'FLEETWAVE_APP_PRIVATE_KEY',
      'PAGERDUTY_TOKEN',
      'GIT_ASKPASS',
    ]) {
      const problems = problemsOf(
        `  - agent:\n      command: a\n      prompt: p.md\n      paths: ["src/**"]\n      env: [ANTHROPIC_API_KEY, ${name}]\n`,
      );
      expect(problems).toEqual([
        expect.objectContaining({ line: 15, message: expect.stringContaining('a name that never reaches an agent') }),
      ]);
    }
    expect(agentOf('{ command: a, prompt: p.md, paths: ["src/**"], env: [ANTHROPIC_API_KEY, OPENAI_API_KEY] }').env).toEqual([
      'ANTHROPIC_API_KEY',
      'OPENAI_API_KEY',
    ]);
  });

  it('refuses a timeout over 2h, turns outside 1–10, a prompt outside the manifest repository, and no paths', () => {
    const one = (params: string) => problemsOf(`  - agent: { command: a, prompt: p.md, paths: ["src/**"], ${params} }\n`);
    expect(one('timeout: 3h')).toEqual([expect.objectContaining({ message: expect.stringContaining('at most 2h') })]);
    expect(one('maxTurns: 11')).toHaveLength(1);
    expect(one('maxTurns: 0')).toHaveLength(1);
    expect(one('memoryMiB: 32')).toHaveLength(1);
    expect(problemsOf('  - agent: { command: a, prompt: ../p.md, paths: ["src/**"] }\n')).toEqual([
      expect.objectContaining({ message: expect.stringContaining('a path inside the manifest repository') }),
    ]);
    expect(problemsOf('  - agent: { command: a, prompt: p.md, paths: [] }\n')).toHaveLength(1);
    expect(problemsOf('  - agent: { command: a, prompt: p.md }\n')).toHaveLength(1);
  });

  it('refuses a second agent entry at its line, naming the first', () => {
    const problems = problemsOf(
      '  - agent: { command: a, prompt: p.md, paths: ["src/**"] }\n  - agent: { command: b, prompt: p.md, paths: ["src/**"] }\n',
    );
    expect(problems).toEqual([
      expect.objectContaining({
        line: 12,
        message: expect.stringContaining('at most one agent rule (the first is changes[1])'),
      }),
    ]);
  });
});
