/** Mode `convert`: Avro → Parquet (src/data/convert), outputs and a job-summary table. */
import { relative } from 'node:path';
import { convertDataset, convertOptionsFromManifest, type ConvertOptions, type ConvertResult } from '../../data/convert.js';
import type { ParquetCompression } from '../../data/parquet/writer.js';
import { InputError } from '../../util/errors.js';
import { type ActionIO, type ModeOutcome, numberInput, pathIn, requiredInput, workingDirectory } from '../io.js';
import { loadManifestFile } from '../manifest.js';

const COMPRESSIONS: readonly ParquetCompression[] = ['zstd', 'snappy', 'gzip', 'none'];

function mib(bytes: number): string {
  return bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

export function renderConvertMarkdown(r: ConvertResult, base: string): string {
  const lines = [
    '## Fleetwave: convert',
    '',
    `Converted **${r.rows.toLocaleString('en')} rows** from ${r.files.reduce((n, f) => n + f.sources.length, 0)} Avro file(s) (${mib(r.sourceBytes)}) into ${r.files.length} Parquet file(s) (${mib(r.bytes)}, ${r.compression}, row groups of ${r.rowGroupSize.toLocaleString('en')}) in ${(r.durationMs / 1000).toFixed(1)} s.`,
    '',
    '| Parquet file | rows | row groups | size |',
    '| --- | ---: | ---: | ---: |',
    ...r.files.map(
      (f) =>
        `| \`${(f.target.startsWith('/') && relative(base, f.target)) || f.target}\` | ${f.rows.toLocaleString('en')} | ${f.rowGroups} | ${mib(f.bytes)} |`,
    ),
  ];
  if (r.published) {
    lines.push(
      '',
      r.published.skipped
        ? `\`${r.published.uri}\` was already committed for this source and conversion (attempt ${r.published.attempt}): nothing converted.`
        : `Published \`${r.published.uri}\` (attempt ${r.published.attempt}): \`_fleetwave/commit.json\` and \`_SUCCESS\` written last.`,
    );
  }
  if (r.warnings.length) lines.push('', ...r.warnings.map((w) => `> **warning:** ${w}`));
  return `${lines.join('\n')}\n`;
}

/** An object-store URI as given; a path (or file://) relative to the working directory. */
function uriIn(io: ActionIO, value: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) && !/^file:/i.test(value) ? value : pathIn(io, value.replace(/^file:\/\//i, ''));
}

export async function convertMode(io: ActionIO): Promise<ModeOutcome> {
  const manifest = io.input('manifest');
  const loaded = manifest ? await loadManifestFile(pathIn(io, manifest)) : undefined;
  const sourceInput = loaded ? io.input('source') || loaded.manifest.dataset.source.uri : requiredInput(io, 'source', 'convert');
  const targetInput = loaded ? io.input('target') || loaded.manifest.dataset.target.uri : requiredInput(io, 'target', 'convert');
  const source = uriIn(io, sourceInput);
  const target = uriIn(io, targetInput);
  const options: ConvertOptions = loaded ? await convertOptionsFromManifest(loaded) : {};
  if (loaded) options.manifestHash = loaded.hash;
  const compression = io.input('compression');
  if (compression) {
    if (!COMPRESSIONS.includes(compression as ParquetCompression))
      throw new InputError(`input \`compression\`: "${compression}" is not one of ${COMPRESSIONS.join(', ')}`);
    options.compression = compression as ParquetCompression;
  }
  const rowGroupSize = numberInput(io, 'row-group-size', { min: 1, integer: true });
  if (rowGroupSize !== undefined) options.rowGroupSize = rowGroupSize;
  const workers = numberInput(io, 'workers', { min: 0, max: 16, integer: true });
  if (workers !== undefined) options.workers = workers;

  const result = await convertDataset(source, target, options);
  for (const w of result.warnings) io.warning(w);
  if (result.published?.skipped) io.info(`${result.published.uri}: already committed for this source and conversion; nothing to do`);
  else io.info(`converted ${result.rows} rows into ${result.files.length} Parquet file(s), ${result.bytes} bytes`);
  io.setOutput('rows', result.rows);
  io.setOutput('files', result.files.length);
  io.setOutput('bytes', result.bytes);
  io.setOutput('target', result.target);
  io.setOutput('outputs', JSON.stringify(result.files.map((f) => f.target)));
  io.setOutput('published', result.published ? (result.published.skipped ? 'skipped' : 'committed') : 'file');
  await io.summary(renderConvertMarkdown(result, workingDirectory(io)));
  return {};
}
