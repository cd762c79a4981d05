import { resolve } from 'node:path';
import { loadManifest } from '../../manifest/load.js';
import { renderTrial } from '../../report/trial.js';
import { runTrial } from '../../rollout/trial-run.js';
import { InputError } from '../../util/errors.js';
import { parseDuration } from '../../util/duration.js';
import type { CliCommand } from '../command.js';
import { detectManifestRepo, openLocalContext } from '../local-context.js';
import { stateOption } from '../options.js';

function positiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InputError(`${flag} ${value}: give a whole number (0 or more)`);
  return n;
}

export const trialCommand: CliCommand = {
  name: 'trial',
  register(program, io, setExit) {
    program
      .command('trial <manifest>')
      .description(
        "push each target's change to a short-lived fleetwave-trial/<migration> branch, wait for its checks, report passed / failed / no CI, delete the branches; opens no pull request",
      )
      .requiredOption('--fleet <dir>', 'the fleet: a folder of git repositories <owner>/<name>.git')
      .addOption(stateOption('the store the result is journalled in (the canary rule reads it): a file (SQLite) or a postgres:// URL'))
      .option('--manifest-repo <owner/name>', 'the fleet repository that holds the manifest')
      .option('--sample <n>', 'try only n targets: the lowest-risk ones, or drawn with --seed')
      .option('--seed <n>', 'draw the sample at random with this seed (the same seed, the same draw)')
      .option('--timeout <duration>', 'how long to wait for the checks (e.g. 30m, 1h)', '30m')
      .option('--json', 'print the report as JSON')
      .action(
        async (
          manifestPath: string,
          opts: { fleet: string; state: string; manifestRepo?: string; sample?: string; seed?: string; timeout: string; json?: boolean },
        ) => {
          const timeoutMs = parseDuration(opts.timeout);
          if (timeoutMs === undefined) throw new InputError(`--timeout ${opts.timeout}: give a duration such as 30m, 1h or 90s`);
          const sample = positiveInt('--sample', opts.sample);
          const seed = positiveInt('--seed', opts.seed);
          if (seed !== undefined && sample === undefined) throw new InputError('--seed draws a sample: give --sample <n> too');
          const loaded = await loadManifest(resolve(manifestPath));
          const ctx = await openLocalContext({ fleet: opts.fleet, state: opts.state });
          try {
            const report = await runTrial(
              ctx.deps,
              loaded,
              { fleet: resolve(opts.fleet), ...detectManifestRepo(loaded.path, opts.fleet, opts.manifestRepo) },
              // The local forge runs a head's checks when asked for them: a head without any has no CI, at once.
              { timeoutMs, graceMs: 0, ...(sample !== undefined ? { sample } : {}), ...(seed !== undefined ? { seed } : {}) },
            );
            io.out(opts.json ? JSON.stringify(report, null, 2) : renderTrial(report));
            // 0 when every tried target passed (or none was tried); 1 when one failed, had no CI, could not be tried or kept its branch.
            const a = report.aggregate;
            setExit(a.failed + a.noCi + a.errors + report.notDeleted.length === 0 ? 0 : 1);
          } finally {
            ctx.close();
          }
        },
      );
  },
};
