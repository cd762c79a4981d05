import { dirname, resolve } from 'node:path';
import { loadManifest } from '../../manifest/load.js';
import { checkReferencedFiles } from '../../manifest/referenced-files.js';
import { FleetwaveError, ValidationError, formatProblem, type Problem } from '../../util/errors.js';
import type { CliCommand } from '../command.js';
import { detectManifestRepo } from '../local-context.js';

/** What `validate --json` prints for one file. */
export interface ValidatedFile {
  file: string;
  ok: boolean;
  /** metadata.name, when valid. */
  migration?: string;
  /** sha256 of the file's bytes, when valid. */
  hash?: string;
  problems: Problem[];
  /** Set when the file could not be read at all (missing, a directory). */
  error?: string;
}

async function validateOne(file: string): Promise<ValidatedFile> {
  try {
    const loaded = await loadManifest(file);
    // The files it names (schema, codemod modules, agent prompts) must be in its repository, as `run` reads them.
    const problems = checkReferencedFiles(loaded, () => detectManifestRepo(file, '.').manifestDir ?? dirname(resolve(file)));
    return { file, ok: problems.length === 0, migration: loaded.manifest.metadata.name, hash: loaded.hash, problems };
  } catch (err) {
    if (err instanceof ValidationError) return { file, ok: false, problems: err.problems };
    if (err instanceof FleetwaveError && err.kind === 'input') return { file, ok: false, problems: [], error: err.message };
    throw err;
  }
}

export const validateCommand: CliCommand = {
  name: 'validate',
  register(program, io, setExit) {
    program
      .command('validate <manifest...>')
      .description(
        'check manifests against the schema (docs/manifest.md) and that the files they name (dataset.schema, codemod modules, agent prompts) are in the manifest repository; prints `ok <file>` or every problem as file:line:col: message',
      )
      .option('--json', 'print {ok, files: [{file, ok, migration, hash, problems: [{file, line, col, path, message}], error}]}')
      .addHelpText('after', '\nExit status: 0 when every manifest is valid, 2 when any is not.')
      .action(async (files: string[], opts: { json?: boolean }) => {
        const results: ValidatedFile[] = [];
        for (const file of files) results.push(await validateOne(file));
        const ok = results.every((r) => r.ok);
        if (opts.json) io.out(JSON.stringify({ ok, files: results }, null, 2));
        else {
          for (const r of results) {
            if (r.ok) io.out(`ok ${r.file}`);
            else if (r.error) io.out(`${r.file}: ${r.error}`);
            else for (const p of r.problems) io.out(formatProblem(p));
          }
        }
        setExit(ok ? 0 : 2);
      });
  },
};
