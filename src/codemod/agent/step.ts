/**
 * The agent step of the change applier: after the rules and impact analysis, for the targets the
 * manifest's `agent` rule wants (`for:`), ask the agent port for a change; when it passed, the
 * consumer as the agent leaves it is checked again by impact analysis (a read it did not fix still
 * blocks) and the change set is marked as the agent's (src/rollout: a draft PR, never merged by
 * Fleetwave). When it did not pass, its findings say why and the target keeps its blocking findings.
 */
import type { AgentParams } from '../../manifest/change-rules.js';
import type { ChangeContext, ChangeSet, Edit, Finding, RuleSummary } from '../port.js';
import { readTextFile } from '../repo-files.js';
import { annotateBlockingReads } from './annotate.js';
import { agentContext, agentWanted } from './context.js';
import { changedLines } from './guards.js';
import type { AgentStep } from './port.js';
import { readAgentPrompt } from './prompt.js';

/**
 * `fallback: annotate`: the consumer's code as it is, plus a comment above each blocking read; its
 * blocking findings become warnings (they are what the comments say), so the draft PR can be offered.
 * When no comment can be placed (no `file:line`, an unknown comment syntax) the target stays blocked.
 */
function annotated(ctx: ChangeContext, params: AgentParams, failed: ChangeSet): ChangeSet {
  const safeRead = (path: string) => {
    try {
      return readTextFile(ctx.dir, path);
    } catch {
      return undefined;
    }
  };
  const note = annotateBlockingReads(ctx.manifest, failed.findings, safeRead, params.guide);
  const report = { ...failed.agent!, annotated: note.count };
  const skipped = note.skipped.map((path): Finding => ({
    severity: 'warning',
    file: path,
    message: 'agent fallback: no comment added (unknown comment syntax)',
  }));
  if (note.edits.length === 0) return { ...failed, findings: [...failed.findings, ...skipped], agent: report };
  const annotatedFiles = new Set(note.edits.map((e) => e.path));
  return {
    edits: note.edits,
    summaries: [
      {
        rule: 'agent',
        description: `annotate: a comment above each blocking read (the agent did not pass: ${failed.agent!.status})`,
        files: note.edits.map((e) => ({ path: e.path, count: changedLines([e]) })),
      },
    ],
    findings: [
      ...failed.findings.map((f): Finding =>
        f.severity === 'blocking' && (!f.file || annotatedFiles.has(f.file))
          ? { ...f, severity: 'warning', message: `annotated, not migrated: ${f.message}` }
          : f,
      ),
      ...skipped,
    ],
    agent: report,
  };
}

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
  if (outcome.report.status !== 'passed') {
    const failed: ChangeSet = { ...before, findings: [...before.findings, ...outcome.findings], agent: outcome.report };
    return params.fallback === 'annotate' ? annotated(ctx, params, failed) : failed;
  }
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
