/**
 * The pull request body's agent section (docs/rules/agent.md, "Reviewed by people"): it says an agent
 * wrote the change and that people merge it, with the command, the prompt and its hash, each turn
 * (exit, time, lines, verifiers, guards, what was thrown away), the sandbox as applied and the judge's
 * reason; an annotate-only change says it migrates nothing. Pure.
 */
import { describe, expect, it } from '@jest/globals';
import type { AgentReport } from '../../src/codemod/agent/report.js';
import { renderAgentSection } from '../../src/report/pr-body-agent.js';

const report: AgentReport = {
  command: 'claude -p --allowedTools "Edit,Read"',
  prompt: 'prompts/play-events-v2.md',
  promptHash: 'ab'.repeat(32),
  status: 'passed',
  turns: [
    {
      turn: 1,
      exitCode: 0,
      timedOut: false,
      ms: 61_200,
      replayed: false,
      discarded: ['notes/agent.md'],
      changedLines: 4,
      verifiers: [],
      guards: [{ guard: 'paths', message: 'the agent wrote outside paths (src/**), thrown away: notes/agent.md' }],
      output: '',
    },
    {
      turn: 2,
      exitCode: 0,
      timedOut: false,
      ms: 30_000,
      replayed: true,
      discarded: [],
      changedLines: 3,
      verifiers: [
        { name: 'typecheck', command: 'npm run --silent typecheck', passed: true, errors: [], ms: 900 },
        { name: 'test', command: 'npm test --silent', passed: true, errors: [], ms: 1200 },
      ],
      guards: [],
      output: '',
    },
  ],
  judge: { pass: true, reason: 'stays on the prompt: only `src/` changed' },
  isolation: { network: 'none', memory: 'RLIMIT_DATA 4096 MiB per process (ulimit -d)', pidNamespace: true, privateProc: true },
  cached: false,
  reason: null,
};

describe("an agent PR's body", () => {
  it('says an agent wrote it and people merge it, with command, prompt hash, sandbox, judge and each turn', () => {
    const body = renderAgentSection(report);
    expect(body).toContain('**A coding agent wrote this change.**');
    expect(body).toContain('Fleetwave never merges it, whatever `automerge` says');
    expect(body).toContain(`- Command: \`claude -p --allowedTools "Edit,Read"\``);
    expect(body).toContain(`- Prompt: \`prompts/play-events-v2.md\` (sha256 \`${'ab'.repeat(32)}\`)`);
    expect(body).toContain('- Turns: 2\n');
    expect(body).toContain(
      '- Sandbox: network none; memory RLIMIT_DATA 4096 MiB per process (ulimit -d); a PID namespace and /proc of its own',
    );
    // A backtick of the judge's reason cannot break the Markdown.
    expect(body).toContain("- Judge: pass — stays on the prompt: only 'src/' changed");
    expect(body).toContain(
      '| 1 | exit 0, 61.2 s, 4 lines | — | ❌ the agent wrote outside paths (src/**), thrown away: notes/agent.md | `notes/agent.md` |',
    );
    expect(body).toContain(
      '| 2 | replayed, 30.0 s, 3 lines | ✅ `npm run --silent typecheck`<br>✅ `npm test --silent` | ✅ all passed | — |',
    );
  });

  it('says when the outcome came from the cache, when the agent was killed, and where it ran without namespaces', () => {
    const body = renderAgentSection({
      ...report,
      cached: true,
      turns: [{ ...report.turns[0]!, exitCode: null, timedOut: true }],
      judge: undefined,
      isolation: { network: 'host', memory: 'RLIMIT_DATA 4096 MiB per process (ulimit -d)', pidNamespace: false, privateProc: false },
    });
    expect(body).toContain('- Turns: 1 (from the cache: the agent was not called again in this run)');
    expect(body).toContain('| 1 | timed out, 61.2 s');
    expect(body).toContain('- Sandbox: network host; memory RLIMIT_DATA 4096 MiB per process (ulimit -d); its own process group');
    expect(body).not.toContain('- Judge:');
  });

  it('an annotate-only change says it migrates nothing, why the agent did not pass, and how many comments', () => {
    const body = renderAgentSection({ ...report, status: 'failed', reason: 'the agent did not pass after 3 turn(s)', annotated: 2 });
    expect(body).toContain('**This change migrates nothing.**');
    expect(body).toContain('(the agent did not pass after 3 turn(s))');
    expect(body).toContain('it adds 2 comments above the reads that break');
    expect(body).not.toContain('A coding agent wrote this change');
  });
});
