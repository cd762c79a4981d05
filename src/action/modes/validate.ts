/**
 * Mode `validate`: every manifest named by `manifest` (files, or folders whose *.yaml / *.yml files
 * are all checked) against the schema (src/manifest). Each problem becomes an error annotation at its
 * file, line and column; the job summary lists them in a table; the step fails when any is invalid.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { loadManifest } from '../../manifest/load.js';
import { FleetwaveError, ValidationError, type Problem } from '../../util/errors.js';
import { type ActionIO, type ModeOutcome, pathIn, requiredInput } from '../io.js';

interface Checked {
  file: string;
  migration?: string;
  problems: Problem[];
  /** The file could not be read at all. */
  error?: string;
}

/** The manifest files named by the input: whitespace- or comma-separated files and folders. */
export function manifestFiles(io: ActionIO, raw: string): string[] {
  const files: string[] = [];
  for (const name of raw.split(/[\s,]+/).filter(Boolean)) {
    const abs = pathIn(io, name);
    const info = statSync(abs, { throwIfNoEntry: false });
    if (info?.isDirectory()) {
      files.push(
        ...readdirSync(abs)
          .filter((f) => /\.ya?ml$/.test(f))
          .sort()
          .map((f) => join(abs, f)),
      );
    } else files.push(abs);
  }
  return files;
}

async function check(file: string): Promise<Checked> {
  try {
    const loaded = await loadManifest(file);
    return { file, migration: loaded.manifest.metadata.name, problems: [] };
  } catch (err) {
    if (err instanceof ValidationError) return { file, problems: err.problems };
    if (err instanceof FleetwaveError && err.kind === 'input') return { file, problems: [], error: err.message };
    throw err;
  }
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export async function validateMode(io: ActionIO): Promise<ModeOutcome> {
  const files = manifestFiles(io, requiredInput(io, 'manifest', 'validate'));
  if (files.length === 0) return { failed: `no manifest (*.yaml, *.yml) in ${io.input('manifest')}` };
  const root = resolve(io.env.GITHUB_WORKSPACE ?? process.cwd());
  const shown = (file: string) => relative(root, resolve(file)) || file;
  const results: Checked[] = [];
  for (const file of files) results.push(await check(file));

  const rows: string[] = [];
  let problems = 0;
  for (const r of results) {
    if (r.error) {
      problems++;
      io.error(r.error, { file: shown(r.file), title: 'Fleetwave manifest' });
      rows.push(`| \`${cell(shown(r.file))}\` | ❌ | | ${cell(r.error)} |`);
    }
    for (const p of r.problems) {
      problems++;
      io.error(p.message, { file: shown(p.file || r.file), startLine: p.line, startColumn: p.col, title: 'Fleetwave manifest' });
      rows.push(`| \`${cell(shown(p.file || r.file))}\` | ❌ | ${p.line}:${p.col} | ${cell(p.message)} |`);
    }
    if (!r.error && r.problems.length === 0)
      rows.push(`| \`${cell(shown(r.file))}\` | ✅ | | valid: migration \`${cell(r.migration ?? '')}\` |`);
  }
  const invalid = results.filter((r) => r.error || r.problems.length).length;
  const summary = [
    '## Fleetwave: validate',
    '',
    invalid
      ? `**${invalid} of ${results.length} manifest(s) invalid**, ${problems} problem(s).`
      : `All ${results.length} manifest(s) valid.`,
    '',
    '| file | result | line:col | problem |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
  await io.summary(summary);
  io.setOutput('valid', invalid === 0);
  io.setOutput('problems', problems);
  io.setOutput('migrations', JSON.stringify(results.filter((r) => r.migration).map((r) => r.migration)));
  return invalid ? { failed: `${invalid} invalid manifest(s), ${problems} problem(s): see the annotations` } : {};
}
