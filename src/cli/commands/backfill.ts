import { resolve } from 'node:path';
import { backfill, backfillStatus, planBackfill } from '../../data/backfill/backfill.js';
import { GITHUB_MATRIX_LIMIT, jobMatrix } from '../../data/backfill/partitions.js';
import { loadManifest } from '../../manifest/load.js';
import { InputError } from '../../util/errors.js';
import type { CliCommand } from '../command.js';
import { manifestRepoDir } from '../../util/repo-dir.js';

interface BackfillFlags {
  list?: boolean;
  pending?: boolean;
  partition?: string;
  maxJobs: string;
  root?: string;
  json?: boolean;
}

export const backfillCommand: CliCommand = {
  name: 'backfill',
  register(program, io, setExit) {
    program
      .command('backfill <manifest>')
      .description(
        "convert and verify the manifest's dataset.backfill window partition by partition (dt=YYYY-MM-DD[/hour=HH]), streamed from and to the dataset URIs (s3://, gs://, az://, abfss://, or folders); each partition is published with its commit (_fleetwave/commit.json, _SUCCESS), and one already committed for the same source objects, conversion and manifest is skipped",
      )
      .option('--list', 'print the partitions as a GitHub Actions job matrix, {"include":[{"partition":"…"}]}, and convert nothing')
      .option('--pending', 'with --list: only the partitions not done yet (read from what the target store holds)')
      .option('--partition <id>', 'work on one partition (2024-01-31, 2024-01-31T07) or a range first..last, as the matrix gives it')
      .option(
        '--max-jobs <n>',
        'with --list: at most this many matrix entries; more partitions are grouped into ranges',
        String(GITHUB_MATRIX_LIMIT),
      )
      .option(
        '--root <dir>',
        "the folder relative dataset URIs are inside (default: the manifest's folder); object-store URIs are used as they are",
      )
      .option('--json', 'print the result as JSON')
      .addHelpText('after', '\nExit codes: 0 every partition done, converted or without source data; 1 a partition failed; 2 bad input.')
      .action(async (manifestPath: string, flags: BackfillFlags) => {
        const maxJobs = Number(flags.maxJobs);
        if (!Number.isInteger(maxJobs) || maxJobs < 1)
          throw new InputError(`--max-jobs ${flags.maxJobs}: give a whole number of at least 1`);
        if (flags.pending && !flags.list) throw new InputError('--pending goes with --list');
        const loaded = await loadManifest(resolve(manifestPath));
        const plan = await planBackfill(loaded, {
          manifestDir: manifestRepoDir(loaded.path),
          ...(flags.root ? { root: flags.root } : {}),
          ...(flags.partition ? { partition: flags.partition } : {}),
        });
        if (flags.list) {
          let partitions = plan.partitions;
          if (flags.pending) {
            const status = await backfillStatus(plan);
            const pending = new Set(status.filter((s) => s.state === 'pending' || s.state === 'stale').map((s) => s.partition));
            partitions = partitions.filter((p) => pending.has(p.id));
          }
          io.out(JSON.stringify(jobMatrix(partitions, maxJobs)));
          setExit(0);
          return;
        }
        const results = await backfill(loaded, plan, (r) => {
          if (io.isTTY && !flags.json) io.err(`${r.partition}: ${r.state}${r.error ? ` (${r.error})` : ''}`);
        });
        const count = (state: string) => results.filter((r) => r.state === state).length;
        const summary = { converted: count('converted'), skipped: count('skipped'), failed: count('failed'), noSource: count('no-source') };
        if (flags.json)
          io.out(
            JSON.stringify(
              { manifest: loaded.path, source: plan.layout.sourceRoot, target: plan.layout.targetRoot, ...summary, partitions: results },
              null,
              2,
            ),
          );
        else {
          for (const r of results)
            io.out(
              `${r.partition}  ${r.state}${r.files.length ? `  ${r.files.map((f) => `${f.target} (${f.rows} rows${f.pass ? '' : ', verification failed'})`).join(', ')}` : ''}${r.error ? `  ${r.error}` : ''}`,
            );
          io.out(
            `\n${summary.converted} converted, ${summary.skipped} already done, ${summary.noSource} without source data, ${summary.failed} failed`,
          );
        }
        setExit(summary.failed > 0 ? 1 : 0);
      });
  },
};
