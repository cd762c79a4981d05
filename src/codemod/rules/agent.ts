/**
 * `agent`: a coding agent (any CLI program) migrates the consumers the deterministic rules leave
 * blocked or with findings. The engine's loop skips it; the change applier (src/codemod/engine.ts)
 * runs it through the agent port (src/codemod/agent/port.ts) after impact analysis. docs/rules/agent.md.
 */
import { agentParams, type AgentParams } from '../../manifest/change-rules.js';
import type { AgentRule } from './rule.js';

export const agentRule: AgentRule<AgentParams> = {
  name: 'agent',
  kind: 'agent',
  params: agentParams,
  describe: (p) => `agent \`${p.command.split(/\s+/)[0] ?? p.command}\` with ${p.prompt} (for ${p.for}, at most ${p.maxTurns} turns)`,
};
