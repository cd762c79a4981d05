import { resolve } from 'node:path';
import { loadManifest } from '../../manifest/load.js';
import { renderProgress, renderRunSummary } from '../../report/run-summary.js';
import { runMigration } from '../../rollout/run.js';
import type { CliCommand } from '../command.js';
import { detectManifestRepo, openLocalContext } from '../local-context.js';
import { exitCodeForState, stateOption } from '../options.js';

interface RunOptions {
  fleet: string;
  state: string;
  json?: boolean;
  dryRun?: boolean;
  manifestRepo?: string;
  lake?: string;
}

export const runCommand: CliCommand = {
  name: 'run',
  register(program, io, setExit) {
    program
      .command('run <manifest>')
      .description(
        'reconcile a migration on a local fleet until every target is done or the migration pauses (exit 0 completed, 3 paused, 4 still waiting, 1 failed, 2 bad input)',
      )
      .requiredOption('--fleet <dir>', 'the fleet: a folder of git repositories <owner>/<name>.git')
      .addOption(stateOption())
      .option(
        '--manifest-repo <owner/name>',
        'the fleet repository that holds the manifest (detected when the manifest is in a clone of it)',
      )
      .option(
        '--lake <dir>',
        "the data lake: the consumers' checks read it (FLEETWAVE_LAKE), and the dataset gate reads the manifest's relative dataset URIs under it",
      )
      .option('--dry-run', 'print what would be done, change nothing')
      .option('--json', 'one JSON object: migration, state, fleet, manifest, store, targets [{repo, wave, state, pr}] …')
      .action(async (manifestPath: string, opts: RunOptions) => {
        const loaded = await loadManifest(resolve(manifestPath));
        const summary = await runLocal(loaded, opts, io);
        io.out(opts.json ? JSON.stringify(summary, null, 2) : renderRunSummary(summary));
        setExit(exitCodeForState(summary.state));
      });
  },
};

export async function runLocal(
  loaded: Awaited<ReturnType<typeof loadManifest>>,
  opts: RunOptions,
  io: { err(t: string): void; isTTY: boolean },
) {
  const checkEnv = opts.lake ? { FLEETWAVE_LAKE: resolve(opts.lake) } : undefined;
  const ctx = await openLocalContext({ fleet: opts.fleet, state: opts.state, checkEnv, lake: opts.lake });
  try {
    const options = {
      fleet: resolve(opts.fleet),
      dryRun: opts.dryRun,
      ...detectManifestRepo(loaded.path, opts.fleet, opts.manifestRepo),
    };
    return await runMigration(ctx.deps, loaded, options, {
      onTick: (tick, decision, executed) => {
        if (!io.isTTY) return;
        const counts = { planned: 0, blocked: 0, open: 0, merged: 0, failed: 0, reverted: 0, skipped: 0 };
        for (const t of decision.targets) counts[t.state]++;
        io.err(renderProgress(tick, { counts, state: decision.state }, executed));
      },
    });
  } finally {
    ctx.close();
  }
}
