import { userInfo } from 'node:os';
import { loadManifest } from '../../manifest/load.js';
import { reconcileOnce } from '../../rollout/reconcile.js';
import { writeEvent } from '../../store/journal-events.js';
import type { CliCommand } from '../command.js';
import { detectManifestRepo, openLocalContext } from '../local-context.js';
import { stateOption } from '../options.js';
import { openStore } from '../../composition/open-store.js';
import { lastRunOf } from '../last-run.js';
import { repoOf } from '../../plan/workspaces.js';

/**
 * `rollback`: revert every merged target of a migration, newest wave first, and pause it so nothing
 * new opens. The fleet and the manifest are those of the migration's last run.
 */
export const rollbackCommand: CliCommand = {
  name: 'rollback',
  register(program, io, setExit) {
    program
      .command('rollback <migration>')
      .description('revert every merged target of a migration, newest wave first, and pause the migration')
      .addOption(stateOption())
      .option('--by <name>', 'who rolls back (journalled)', userInfo().username)
      .option('--dry-run', 'list what would be reverted')
      .option('--json', 'print the reverted targets as JSON')
      .action(async (name: string, opts: { state: string; by: string; dryRun?: boolean; json?: boolean }) => {
        const lookup = await openStore(opts.state, { mustExist: true });
        const run = await (async () => {
          try {
            return await lastRunOf(lookup, name);
          } finally {
            await lookup.close();
          }
        })();
        const loaded = await loadManifest(run.manifestPath);
        const ctx = await openLocalContext({ fleet: run.fleet, state: opts.state });
        try {
          const options = { fleet: run.fleet, dryRun: true, ...detectManifestRepo(loaded.path, run.fleet) };
          const { decision, observation } = await reconcileOnce(ctx.deps, loaded, options);
          const views = new Map(observation.views.map((v) => [v.repo, v]));
          const merged = decision.targets
            .filter((t) => t.state === 'merged')
            .sort((a, b) => (b.wave ?? -1) - (a.wave ?? -1) || a.repo.localeCompare(b.repo));
          const reverted: { repo: string; wave: number | null; pr: number; sha?: string }[] = [];
          for (const t of merged) {
            const pr = views.get(t.repo)!.pr!;
            if (opts.dryRun) {
              reverted.push({ repo: t.repo, wave: t.wave, pr: pr.number });
              continue;
            }
            const { sha } = await ctx.forge.revertPullRequest(repoOf(t.repo), pr.number, `rollback of ${name} by ${opts.by}`);
            await writeEvent(
              ctx.store,
              { at: new Date().toISOString(), migration: name, manifestHash: loaded.hash },
              { target: t.repo, action: 'revert', outcome: 'ok', detail: { pr: pr.number, sha, reason: 'rollback', by: opts.by } },
            );
            reverted.push({ repo: t.repo, wave: t.wave, pr: pr.number, sha });
            if (io.isTTY) io.err(`reverted ${t.repo} (wave ${t.wave})`);
          }
          if (!opts.dryRun) {
            const control = await ctx.store.getControl(name);
            await ctx.store.setControl({ ...control, pausedBy: opts.by, pausedReason: 'rolled back', updatedAt: new Date().toISOString() });
          }
          io.out(
            opts.json
              ? JSON.stringify({ migration: name, dryRun: Boolean(opts.dryRun), reverted }, null, 2)
              : `${opts.dryRun ? 'would revert' : 'reverted'} ${reverted.length} target${reverted.length === 1 ? '' : 's'} of ${name}${reverted.map((r) => `\n  ${r.repo} (wave ${r.wave}, #${r.pr})`).join('')}`,
          );
          setExit(0);
        } finally {
          ctx.close();
        }
      });
  },
};
