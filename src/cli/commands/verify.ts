import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { loadManifest } from '../../manifest/load.js';
import { convertOptionsFromManifest } from '../../data/convert.js';
import { verifyOptionsFrom } from '../../data/verify/options.js';
import { verifyDataset, verifyDatasetObjects } from '../../data/verify/verify.js';
import { verifyAndRecord, workflowRunUrl } from '../../data/verification-store.js';
import { VERSION } from '../../version.js';
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
      .command('verify [source] [target]')
      .description(
        "compare a source Avro dataset (a file, folder or object-store prefix: path, file://, s3://, gs://, az://, abfss://), with the manifest's transform applied, against its converted Parquet dataset (its committed files): row counts, per-column checksums, null counts, min/max, and a keyed diff of differing rows (each side as one dataset, however its rows are split between files). Objects are streamed, never copied locally. With --manifest and no paths: dataset.source.uri against dataset.target.uri, and the verification record is written to <target>/_fleetwave/verification.json (docs/verify.md)",
      )
      .option(
        '--manifest <file>',
        'take dataset.transform and dataset.verify (key, rowCount, checksums, sample, maxMismatchRatio) from this manifest, and write the verification record beside the target',
      )
      .option('--key <column>', 'match rows on this column for the diff (overrides verify.key)')
      .option('--max-mismatch-ratio <ratio>', 'pass when at most this share of rows differ, 0 to 1 (overrides verify.maxMismatchRatio)')
      .option('--markdown <file>', 'also append the Markdown report to this file (e.g. $GITHUB_STEP_SUMMARY)')
      .option('--json', 'print the report as JSON (pass, sourceRows, targetRows, mismatchRatio, columns, diff, …)')
      .addHelpText(
        'after',
        '\nExit codes: 0 the target matches (within maxMismatchRatio), 1 it differs, 2 bad input (a missing, corrupt or unreadable file, a bad manifest).',
      )
      .action(async (sourceArg: string | undefined, targetArg: string | undefined, flags: VerifyFlags) => {
        let ratio: number | undefined;
        if (flags.maxMismatchRatio !== undefined) {
          ratio = Number(flags.maxMismatchRatio);
          if (!(ratio >= 0 && ratio <= 1))
            throw new InputError(`--max-mismatch-ratio ${flags.maxMismatchRatio}: give a number from 0 to 1`);
        }
        if ((sourceArg === undefined) !== (targetArg === undefined))
          throw new InputError(
            'give both the source and the target, or neither with --manifest (dataset.source.uri and dataset.target.uri)',
          );
        if (sourceArg === undefined && !flags.manifest)
          throw new InputError('give the source and the target, or --manifest to verify dataset.source.uri against dataset.target.uri');
        const loaded = flags.manifest ? await loadManifest(resolve(flags.manifest)) : undefined;
        const manifest = loaded?.manifest;
        const source = sourceArg ?? manifest!.dataset.source.uri;
        const target = targetArg ?? manifest!.dataset.target.uri;
        const overrides: Parameters<typeof verifyOptionsFrom>[1] = {};
        const schema = loaded ? (await convertOptionsFromManifest(loaded, manifestRepoDir(loaded.path))).schema : undefined;
        if (schema !== undefined) overrides.schema = schema;
        if (flags.key !== undefined) overrides.key = flags.key;
        if (ratio !== undefined) overrides.maxMismatchRatio = ratio;
        const options = verifyOptionsFrom(manifest, overrides);
        let recordLine: string | undefined;
        let report;
        try {
          if (loaded) {
            const recordInput = {
              migration: loaded.manifest.metadata.name,
              manifestHash: loaded.hash,
              sourceUri: source,
              targetUri: target,
              maxMismatchRatio: options.maxMismatchRatio ?? 0,
              reportUrl: process.env.GITHUB_ACTIONS === 'true' ? workflowRunUrl() : null,
              fleetwaveVersion: VERSION,
            };
            const done = await verifyAndRecord(recordInput, () => verifyDatasetObjects(source, target, options));
            report = done.verified.report;
            recordLine = `Verification record (${done.record.pass ? 'pass' : 'FAIL'}) written to ${done.recordUri}`;
          } else {
            report = await verifyDataset(source, target, options);
          }
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
        io.out(flags.json ? JSON.stringify(report, null, 2) : recordLine ? `${markdown}\n\n${recordLine}` : markdown);
        setExit(report.pass ? 0 : 1);
      });
  },
};
