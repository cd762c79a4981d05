/**
 * The pull request body's agent section (the `agent` rule, docs/rules/agent.md): says plainly that an
 * agent wrote the change and that people review and merge it, with the command, the prompt and its
 * hash, each turn (exit, time, what was thrown away, verifiers, guards), the sandbox as applied, and the
 * judge's reason. Pure.
 */
import type { AgentReport } from '../codemod/agent/report.js';

function md(text: string): string {
  return text.replace(/`/g, "'").replace(/\r?\n/g, ' ');
}

export function renderAgentSection(report: AgentReport): string {
  const lines: string[] = [];
  if (report.annotated)
    lines.push(
      '### Annotations only',
      '',
      `**This change migrates nothing.** A coding agent tried and did not pass (${md(report.reason ?? report.status)}), so, as the manifest asks (\`fallback: annotate\`), it adds ${report.annotated} comment${report.annotated === 1 ? '' : 's'} above the reads that break. It is a draft Fleetwave never merges: a person decides.`,
      '',
    );
  else
    lines.push(
      '### Written by an agent',
      '',
      '**A coding agent wrote this change.** It passed the checks below, but it is opened as a draft and Fleetwave never merges it, whatever `automerge` says: a person reviews it, marks it ready and merges it.',
      '',
    );
  lines.push(
    `- Command: \`${md(report.command)}\``,
    `- Prompt: \`${md(report.prompt)}\` (sha256 \`${report.promptHash}\`)`,
    `- Turns: ${report.turns.length}${report.cached ? ' (from the cache: the agent was not called again in this run)' : ''}`,
    `- Sandbox: network ${report.isolation.network}; memory ${report.isolation.memory}; ${report.isolation.pidNamespace ? `a PID namespace${report.isolation.privateProc ? ' and /proc' : ''} of its own` : 'its own process group'}`,
  );
  if (report.judge)
    lines.push(`- Judge: ${report.judge.pass ? 'pass' : 'fail'}${report.judge.reason ? ` — ${md(report.judge.reason)}` : ''}`);
  lines.push('', '| turn | agent | verifiers | guards | thrown away |', '|---|---|---|---|---|');
  for (const t of report.turns) {
    const agent = `${t.replayed ? 'replayed' : t.timedOut ? 'timed out' : `exit ${t.exitCode ?? 'signal'}`}, ${(t.ms / 1000).toFixed(1)} s, ${t.changedLines} lines`;
    const verifiers = t.verifiers.length ? t.verifiers.map((v) => `${v.passed ? '✅' : '❌'} \`${md(v.command)}\``).join('<br>') : '—';
    const guards = t.guards.length ? t.guards.map((g) => `❌ ${md(g.message)}`).join('<br>') : '✅ all passed';
    const discarded = t.discarded.length ? t.discarded.map((p) => `\`${md(p)}\``).join(', ') : '—';
    lines.push(`| ${t.turn} | ${agent} | ${verifiers} | ${guards} | ${discarded} |`);
  }
  return lines.join('\n');
}
