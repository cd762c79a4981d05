import { Option } from 'commander';
import { convertDataset, convertOptionsFromManifest, type ConvertOptions, type ConvertResult } from '../../data/convert.js';
import type { ParquetCompression } from '../../data/parquet/writer.js';
import { loadManifest } from '../../manifest/load.js';
import { DataError, InputError } from '../../util/errors.js';
import type { CliCommand } from '../command.js';
import { manifestRepoDir } from '../../util/repo-dir.js';

interface ConvertFlags {
  manifest?: string;
  compression?: ParquetCompression;
  rowGroupSize?: string;
  workers?: string;
  rerun?: boolean;
  json?: boolean;
}

function mib(bytes: number): string {
  return bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

function render(r: ConvertResult): string {
  if (r.published?.skipped) {
    return `${r.published.uri}: already committed for this source and conversion (attempt ${r.published.attempt}, ${r.rows.toLocaleString('en')} rows in ${r.files.length} Parquet file(s)); nothing to do (--rerun converts again)`;
  }
  const lines = [
    `converted ${r.rows.toLocaleString('en')} rows from ${r.files.reduce((n, f) => n + f.sources.length, 0)} Avro file(s) into ${r.files.length} Parquet file(s): ${mib(r.bytes)} (${r.compression}, row groups of ${r.rowGroupSize.toLocaleString('en')}) in ${(r.durationMs / 1000).toFixed(1)} s`,
    ...r.files.map((f) => `  ${f.target}  ${f.rows.toLocaleString('en')} rows, ${f.rowGroups} row group(s), ${mib(f.bytes)}`),
    ...(r.published ? [`published ${r.published.uri} (attempt ${r.published.attempt}): _fleetwave/commit.json and _SUCCESS written`] : []),
    ...r.warnings.map((w) => `warning: ${w}`),
  ];
  return lines.join('\n');
}

export const convertCommand: CliCommand = {
  name: 'convert',
  register(program, io, setExit) {
    program
      .command('convert [src] [dst]')
      .description(
        'convert Avro to Parquet: <src> an .avro file or a folder (prefix) of them; <dst> a .parquet file (all rows in one file) or a folder (one .parquet per .avro, published atomically with _fleetwave/commit.json and _SUCCESS). Each is a path, file://, s3://bucket/prefix/, gs://bucket/prefix/, az://account/container/prefix/ or abfss://; objects are streamed, never copied locally. With --manifest and no paths: dataset.source.uri → dataset.target.uri (docs/data.md)',
      )
      .option('--manifest <file>', "apply the manifest's dataset.transform and use its target compression, rowGroupSize and dataset.schema")
      .addOption(
        new Option('--compression <codec>', 'Parquet compression (overrides the manifest; default zstd)').choices([
          'zstd',
          'snappy',
          'gzip',
          'none',
        ]),
      )
      .option('--row-group-size <rows>', 'rows per row group (overrides the manifest; default 100000)')
      .option(
        '--workers <n>',
        'worker threads that decode and build columns while the main thread encodes Parquet (default 0: all in one thread)',
      )
      .option('--rerun', 'convert and publish again even when the target is already committed for the same source objects and conversion')
      .option('--json', 'print {source, target, rows, files, bytes, sourceBytes, durationMs, compression, rowGroupSize, outputs, warnings}')
      .addHelpText(
        'after',
        '\nExit codes: 0 converted, 2 bad input (a missing or corrupt file, a schema mismatch, a bad manifest): no output file is left, 1 other failures.',
      )
      .action(async (srcArg: string | undefined, dstArg: string | undefined, flags: ConvertFlags) => {
        if ((srcArg === undefined) !== (dstArg === undefined))
          throw new InputError(
            'give both the source and the target, or neither with --manifest (dataset.source.uri and dataset.target.uri)',
          );
        if (srcArg === undefined && !flags.manifest)
          throw new InputError('give the source and the target, or --manifest to convert dataset.source.uri into dataset.target.uri');
        const loaded = flags.manifest ? await loadManifest(flags.manifest) : undefined;
        const options: ConvertOptions = loaded ? await convertOptionsFromManifest(loaded, manifestRepoDir(flags.manifest!)) : {};
        if (loaded) options.manifestHash = loaded.hash;
        if (flags.rerun) options.rerun = true;
        const src = srcArg ?? loaded!.manifest.dataset.source.uri;
        const dst = dstArg ?? loaded!.manifest.dataset.target.uri;
        if (flags.compression) options.compression = flags.compression;
        if (flags.rowGroupSize !== undefined) {
          const n = Number(flags.rowGroupSize);
          if (!Number.isInteger(n) || n < 1) {
            io.err(`fleetwave: --row-group-size must be a positive integer, got ${flags.rowGroupSize}`);
            setExit(2);
            return;
          }
          options.rowGroupSize = n;
        }
        if (flags.workers !== undefined) {
          const n = Number(flags.workers);
          if (!Number.isInteger(n) || n < 0 || n > 16) {
            io.err(`fleetwave: --workers must be an integer from 0 to 16, got ${flags.workers}`);
            setExit(2);
            return;
          }
          options.workers = n;
        }
        if (io.isTTY) {
          let last = 0;
          options.onProgress = (p) => {
            const now = Date.now();
            if (now - last < 1000) return;
            last = now;
            io.err(`converting: ${p.rows.toLocaleString('en')} rows, file ${p.filesDone + 1}/${p.files} (${p.file})`);
          };
        }
        let result: ConvertResult;
        try {
          result = await convertDataset(src, dst, options);
        } catch (err) {
          // Corrupt or mismatching input data is bad input too: exit 2 (no output was left).
          if (err instanceof DataError) {
            io.err(`fleetwave: ${err.message}`);
            setExit(2);
            return;
          }
          throw err;
        }
        if (flags.json) {
          const { files, ...rest } = result;
          io.out(JSON.stringify({ ...rest, files: files.length, outputs: files }, null, 2));
        } else io.out(render(result));
        setExit(0);
      });
  },
};
