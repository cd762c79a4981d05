import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadManifest } from '../../manifest/load.js';
import { convertOptionsFromManifest } from '../../data/convert.js';
import { verifyOptionsFrom } from '../../data/verify/options.js';
import { verifyDataset } from '../../data/verify/verify.js';
import { renderVerificationMarkdown } from '../../report/verification-markdown.js';
import { FleetwaveError, InputError } from '../../util/errors.js';
import type { CliCommand } from '../command.js';
import { manifestRepoDir } from '../../util/repo-dir.js';

interface VerifyFlags {
  manifest?: string;
  key?: string;
  maxMismatchRatio?: string;
  json?: boolean;
  markdown?: string;
}

export const verifyCommand: CliCommand = {
  name: 'verify',
  register(program, io, setExit) {
    program
      .command('verify <source> <target>')
      .description(
        "compare a source Avro file or folder of them, with the manifest's transform applied, against its converted Parquet file or folder: row counts, per-column checksums, null counts, min/max, and a keyed diff of differing rows (each side as one dataset, however its rows are split between files)",
      )
      .option(
        '--manifest <file>',
        'take dataset.transform and dataset.verify (key, rowCount, checksums, sample, maxMismatchRatio) from this manifest',
      )
      .option('--key <column>', 'match rows on this column for the diff (overrides verify.key)')
      .option('--max-mismatch-ratio <ratio>', 'pass when at most this share of rows differ, 0 to 1 (overrides verify.maxMismatchRatio)')
      .option('--markdown <file>', 'also append the Markdown report to this file (e.g. $GITHUB_STEP_SUMMARY)')
      .option('--json', 'print the report as JSON (pass, sourceRows, targetRows, mismatchRatio, columns, diff, …)')
      .addHelpText(
        'after',
        '\nExit codes: 0 the target matches (within maxMismatchRatio), 1 it differs, 2 bad input (a missing, corrupt or unreadable file, a bad manifest).',
      )
      .action(async (source: string, target: string, flags: VerifyFlags) => {
        let ratio: number | undefined;
        if (flags.maxMismatchRatio !== undefined) {
          ratio = Number(flags.maxMismatchRatio);
          if (!(ratio >= 0 && ratio <= 1))
            throw new InputError(`--max-mismatch-ratio ${flags.maxMismatchRatio}: give a number from 0 to 1`);
        }
        const loaded = flags.manifest ? await loadManifest(resolve(flags.manifest)) : undefined;
        const manifest = loaded?.manifest;
        const overrides: Parameters<typeof verifyOptionsFrom>[1] = {};
        const schema = loaded ? (await convertOptionsFromManifest(loaded, manifestRepoDir(loaded.path))).schema : undefined;
        if (schema !== undefined) overrides.schema = schema;
        if (flags.key !== undefined) overrides.key = flags.key;
        if (ratio !== undefined) overrides.maxMismatchRatio = ratio;
        let report;
        try {
          report = await verifyDataset(source, target, verifyOptionsFrom(manifest, overrides));
        } catch (err) {
          // Anything that stops the comparison (a corrupt file, a value the transform refuses) is bad input: exit 2.
          if (err instanceof FleetwaveError && err.kind === 'data') {
            io.err(`fleetwave: ${err.message}`);
            setExit(2);
            return;
          }
          throw err;
        }
        const markdown = renderVerificationMarkdown(report);
        if (flags.markdown) await appendFile(flags.markdown, `${markdown}\n`);
        io.out(flags.json ? JSON.stringify(report, null, 2) : markdown);
        setExit(report.pass ? 0 : 1);
      });
  },
};
