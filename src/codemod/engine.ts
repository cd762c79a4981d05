/**
 * The `ChangeApplier` the rollout uses: the codemod engine's edits for a repository, with the
 * findings of impact analysis (src/codemod/impact.ts) on the rewritten code added, so that a consumer
 * the migration would break comes back with blocking findings and gets no pull request.
 */
import { analyzeImpact } from './impact.js';
import type { ChangeApplier, ChangeContext, ChangeSet } from './port.js';
import { CodemodEngine, type EngineOptions } from './codemod-engine.js';

export { CodemodEngine, type EngineOptions } from './codemod-engine.js';

export function createChangeApplier(options: EngineOptions & { impact?: boolean } = {}): ChangeApplier {
  const engine = new CodemodEngine(options);
  return {
    async compute(ctx: ChangeContext): Promise<ChangeSet> {
      const set = await engine.compute(ctx);
      if (options.impact === false) return set;
      const impact = await analyzeImpact({ dir: ctx.dir, manifest: ctx.manifest, manifestDir: ctx.manifestDir, changes: set });
      return { ...set, findings: [...set.findings, ...impact] };
    },
  };
}
