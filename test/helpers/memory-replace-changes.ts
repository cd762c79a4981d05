/** A change applier for MemoryForge fleets: replaces `from` with `to` in every file of the checked-out commit. */
import type { ChangeApplier, Edit } from '../../src/codemod/port.js';
import type { MemoryForge } from '../../src/forge/memory/memory-forge.js';

export function replaceChanges(forge: MemoryForge, from: string, to: string): ChangeApplier {
  return {
    async compute(ctx) {
      const [, repo, sha] = /^memory:\/\/(.+)@([0-9a-f]+)$/.exec(ctx.dir)!;
      const edits: Edit[] = [];
      for (const [path, text] of forge.filesAt(repo!, sha!))
        if (text.includes(from)) edits.push({ path, before: text, after: text.replaceAll(from, to) });
      return { edits, summaries: [], findings: [] };
    },
  };
}
