import { stateLocation } from '../../composition/open-store.js';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadManifest } from '../../manifest/load.js';
import { renderPlan, type PlanReport } from '../../report/plan.js';
import { reconcileOnce, summarize } from '../../rollout/reconcile.js';
import type { CliCommand } from '../command.js';
import { detectManifestRepo, openLocalContext } from '../local-context.js';
import { STATE_HELP, stateOption } from '../options.js';

export const planCommand: CliCommand = {
  name: 'plan',
  register(program, io, setExit) {
    program
      .command('plan <manifest>')
      .description('show the targets, their waves, and the blocked targets with reasons; changes nothing')
      .requiredOption('--fleet <dir>', 'the fleet: a folder of git repositories <owner>/<name>.git')
      .addOption(stateOption(`${STATE_HELP} (read for pauses and accepted waves, when it exists)`))
      .option('--manifest-repo <owner/name>', 'the fleet repository that holds the manifest')
      .option('--json', 'print the plan as JSON')
      .action(async (manifestPath: string, opts: { fleet: string; state: string; manifestRepo?: string; json?: boolean }) => {
        const loaded = await loadManifest(resolve(manifestPath));
        // Planning never writes: without a store, a throwaway one answers "no overrides".
        const scratch =
          stateLocation(opts.state).kind === 'postgres' || existsSync(opts.state) ? null : mkdtempSync(join(tmpdir(), 'fleetwave-plan-'));
        const ctx = await openLocalContext({ fleet: opts.fleet, state: scratch ? join(scratch, 'plan.sqlite') : opts.state });
        try {
          const options = {
            fleet: resolve(opts.fleet),
            dryRun: true,
            ...detectManifestRepo(loaded.path, opts.fleet, opts.manifestRepo),
          };
          const { decision, observation } = await reconcileOnce(ctx.deps, loaded, options);
          const summary = summarize(loaded, options, ctx.store, decision, observation, ctx.deps.now());
          const report: PlanReport = {
            migration: summary.migration,
            manifest: summary.manifest,
            fleet: summary.fleet,
            state: summary.state,
            waves: summary.waves.map((w) => ({
              index: w.index,
              size: w.size,
              repos: summary.targets.filter((t) => t.wave === w.index).map((t) => t.repo),
            })),
            targets: summary.targets.map((t) => ({ ...t, edits: observation.edits.get(t.repo) ?? null })),
            blocked: summary.targets.filter((t) => t.state === 'blocked').map((t) => ({ repo: t.repo, findings: t.findings })),
            excluded: observation.discovery.excluded,
            warnings: observation.discovery.warnings,
          };
          io.out(opts.json ? JSON.stringify(report, null, 2) : renderPlan(report));
          setExit(0);
        } finally {
          ctx.close();
          if (scratch) rmSync(scratch, { recursive: true, force: true });
        }
      });
  },
};
