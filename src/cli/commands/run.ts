import { resolve } from 'node:path';
import { loadManifest } from '../../manifest/load.js';
import { renderProgress, renderRunSummary } from '../../report/run-summary.js';
import { runMigration } from '../../rollout/run.js';
import type { CliCommand } from '../command.js';
import { detectManifestRepo, openLocalContext } from '../local-context.js';
import { exitCodeForState, stateOption } from '../options.js';
import { openQueue, sharedQueue } from '../../composition/open-queue.js';
import { InputError } from '../../util/errors.js';

interface RunOptions {
  fleet: string;
  state: string;
  json?: boolean;
  dryRun?: boolean;
  manifestRepo?: string;
  lake?: string;
  enqueue?: boolean;
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
      .option('--enqueue', 'record the reconcile as a job for `fleetwave worker`s on the --state database instead of running it')
      .action(async (manifestPath: string, opts: RunOptions) => {
        const loaded = await loadManifest(resolve(manifestPath));
        if (opts.enqueue) {
          io.out(await enqueueLocal(loaded.manifest.metadata.name, manifestPath, opts));
          setExit(0);
          return;
        }
        const summary = await runLocal(loaded, opts, io);
        io.out(opts.json ? JSON.stringify(summary, null, 2) : renderRunSummary(summary));
        setExit(exitCodeForState(summary.state));
      });
  },
};

/** `run --enqueue`: a reconcile-local job on the shared queue; says which job, or that a waiting one takes it in. */
async function enqueueLocal(migration: string, manifestPath: string, opts: RunOptions): Promise<string> {
  if (!sharedQueue(opts.state)) {
    throw new InputError(
      `--enqueue needs a store other processes share: --state ${opts.state} is a file, whose queue lives in one process; give --state postgres://… (the workers' database), or leave --enqueue out`,
    );
  }
  const queue = await openQueue(opts.state);
  try {
    const result = await queue.enqueue({
      kind: 'reconcile-local',
      key: migration,
      payload: {
        manifest: resolve(manifestPath),
        fleet: resolve(opts.fleet),
        ...(opts.manifestRepo ? { manifestRepo: opts.manifestRepo } : {}),
        ...(opts.lake ? { lake: resolve(opts.lake) } : {}),
      },
      reason: 'fleetwave run --enqueue',
    });
    return result.folded ? `${migration}: a job waiting for it takes this request in` : `${migration}: queued as job ${result.id}`;
  } finally {
    await queue.close();
  }
}

export async function runLocal(
  loaded: Awaited<ReturnType<typeof loadManifest>>,
  opts: Omit<RunOptions, 'enqueue'>,
  io: { err(t: string): void; isTTY: boolean },
  shared: Pick<Parameters<typeof openLocalContext>[0], 'store' | 'logger' | 'queue' | 'changeFanOut' | 'changes'> = {},
) {
  const checkEnv = opts.lake ? { FLEETWAVE_LAKE: resolve(opts.lake) } : undefined;
  const ctx = await openLocalContext({ fleet: opts.fleet, state: opts.state, checkEnv, lake: opts.lake, ...shared });
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
