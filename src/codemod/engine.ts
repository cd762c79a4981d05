/**
 * The `ChangeApplier` the rollout uses: the codemod engine's edits for a repository, with the
 * findings of impact analysis (src/codemod/impact.ts) on the rewritten code added, so that a consumer
 * the migration would break comes back with blocking findings and gets no pull request. Given an agent
 * port, the manifest's `agent` rule then runs on the targets they leave blocked or with findings
 * (src/codemod/agent/step.ts).
 */
import { analyzeImpact } from './impact.js';
import type { ChangeApplier, ChangeContext, ChangeSet } from './port.js';
import { CodemodEngine, type EngineOptions } from './codemod-engine.js';
import type { AgentStep } from './agent/port.js';
import { runAgentStep } from './agent/step.js';

export { CodemodEngine, type EngineOptions } from './codemod-engine.js';

export function createChangeApplier(options: EngineOptions & { impact?: boolean; agent?: AgentStep } = {}): ChangeApplier {
  const engine = new CodemodEngine(options);
  return {
    async compute(ctx: ChangeContext): Promise<ChangeSet> {
      const set = await engine.compute(ctx);
      if (options.impact === false) return set;
      const impactOf = (changes: ChangeSet) =>
        analyzeImpact({ dir: ctx.dir, manifest: ctx.manifest, manifestDir: ctx.manifestDir, changes });
      const impact = await impactOf(set);
      if (!options.agent) return { ...set, findings: [...set.findings, ...impact] };
      // The agent (the manifest's `agent` rule) on what the rules leave blocked or with findings.
      return runAgentStep(options.agent, {
        ctx,
        rules: set,
        impact,
        recheck: (edits) => impactOf({ edits, summaries: [], findings: [] }),
      });
    },
  };
}
