/**
 * The agent step of the change applier: after the rules and impact analysis, for the targets the
 * manifest's `agent` rule wants (`for:`), ask the agent port for a change; when it passed, the
 * consumer as the agent leaves it is checked again by impact analysis (a read it did not fix still
 * blocks) and the change set is marked as the agent's (src/rollout: a draft PR, never merged by
 * Fleetwave). When it did not pass, its findings say why and the target keeps its blocking findings.
 */
import type { AgentParams } from '../../manifest/change-rules.js';
import type { ChangeContext, ChangeSet, Edit, Finding, RuleSummary } from '../port.js';
import { agentContext, agentWanted } from './context.js';
import { changedLines } from './guards.js';
import type { AgentStep } from './port.js';
import { readAgentPrompt } from './prompt.js';

/** The manifest's agent rule's parameters, when it has one (a manifest has at most one agent step). */
export function agentParamsOf(manifest: ChangeContext['manifest']): AgentParams | undefined {
  for (const change of manifest.changes as Record<string, unknown>[]) if (change.agent) return change.agent as AgentParams;
  return undefined;
}

export interface AgentStepInput {
  ctx: ChangeContext;
  /** The rules' change set, findings of the rules alone. */
  rules: ChangeSet;
  /** Impact analysis of the rules' result. */
  impact: Finding[];
  /** Impact analysis of another result (the agent's). */
  recheck(edits: Edit[]): Promise<Finding[]>;
}

export async function runAgentStep(step: AgentStep, input: AgentStepInput): Promise<ChangeSet> {
  const { ctx, rules, impact } = input;
  const before: ChangeSet = { ...rules, findings: [...rules.findings, ...impact] };
  const params = agentParamsOf(ctx.manifest);
  if (!params || !agentWanted(params, before.findings)) return before;
  if (!ctx.manifestDir) {
    return {
      ...before,
      findings: [
        ...before.findings,
        {
          severity: 'warning',
          message: 'the agent rule was not run: its prompt lives in the manifest repository, which this run has no copy of',
        },
      ],
    };
  }
  const prompt = readAgentPrompt(ctx.manifestDir, params.prompt);
  const outcome = await step.run({
    repo: ctx.repo,
    dir: ctx.dir,
    headSha: ctx.headSha,
    params,
    prompt,
    context: agentContext(ctx.manifest, ctx.repo, before.findings, params),
    baseEdits: rules.edits,
  });
  if (outcome.report.status !== 'passed') return { ...before, findings: [...before.findings, ...outcome.findings], agent: outcome.report };
  const after = await input.recheck(outcome.edits);
  // The rules' own blocking findings were about the code before the agent: kept, as warnings, for the reviewer.
  const ruleFindings = rules.findings.map((f): Finding =>
    f.severity === 'blocking' ? { ...f, severity: 'warning', message: `before the agent: ${f.message}` } : f,
  );
  const rulesAfter = new Map(rules.edits.map((e) => [e.path, e.after]));
  const agentFiles = outcome.edits
    .filter((e) => rulesAfter.get(e.path) !== e.after)
    .map((e) => ({
      path: e.path,
      count: changedLines([{ path: e.path, before: rulesAfter.has(e.path) ? rulesAfter.get(e.path)! : e.before, after: e.after }]),
    }));
  const summary: RuleSummary = {
    rule: 'agent',
    description: `agent \`${params.command}\` with ${params.prompt} (sha256 ${prompt.hash.slice(0, 12)}), ${outcome.report.turns.length} turn(s)`,
    files: agentFiles,
  };
  return {
    edits: outcome.edits,
    summaries: [...rules.summaries, summary],
    findings: [...ruleFindings, ...after, ...outcome.findings],
    agent: outcome.report,
  };
}
