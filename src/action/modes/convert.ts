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
      (f) => `| \`${relative(base, f.target) || f.target}\` | ${f.rows.toLocaleString('en')} | ${f.rowGroups} | ${mib(f.bytes)} |`,
    ),
  ];
  if (r.warnings.length) lines.push('', ...r.warnings.map((w) => `> **warning:** ${w}`));
  return `${lines.join('\n')}\n`;
}

export async function convertMode(io: ActionIO): Promise<ModeOutcome> {
  const source = pathIn(io, requiredInput(io, 'source', 'convert'));
  const target = pathIn(io, requiredInput(io, 'target', 'convert'));
  const manifest = io.input('manifest');
  const options: ConvertOptions = manifest ? await convertOptionsFromManifest(await loadManifestFile(pathIn(io, manifest))) : {};
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
  io.info(`converted ${result.rows} rows into ${result.files.length} Parquet file(s), ${result.bytes} bytes`);
  io.setOutput('rows', result.rows);
  io.setOutput('files', result.files.length);
  io.setOutput('bytes', result.bytes);
  io.setOutput('target', result.target);
  io.setOutput('outputs', JSON.stringify(result.files.map((f) => f.target)));
  await io.summary(renderConvertMarkdown(result, workingDirectory(io)));
  return {};
}
