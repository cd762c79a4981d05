import { basename } from 'node:path';
import { CodemodEngine } from '../../codemod/engine.js';
import { loadManifest } from '../../manifest/load.js';
import { analyzeImpact } from '../../codemod/impact.js';
import type { CliCommand } from '../command.js';
import { checkRepoDir, manifestRepoDir } from '../../util/repo-dir.js';
import { formatFinding } from './codemod.js';

export const impactCommand: CliCommand = {
  name: 'impact',
  register(program, io, setExit) {
    program
      .command('impact <manifest> <repo-dir>')
      .description('which fields one consumer checkout reads that the migration drops, renames without a rule, or changes incompatibly')
      .option('--json', 'print {blocked, findings: [{severity, file, line, field, message}]}')
      .option('--manifest-dir <dir>', 'the manifest repository (custom codemods, schemas); default: the git work tree holding the manifest')
      .addHelpText(
        'after',
        '\nThe change rules run first (in memory): a read a rule rewrites is not a problem.\nExit status: 0 no blocking finding, 1 blocked, 2 bad input.',
      )
      .action(async (manifestPath: string, repoDir: string, opts: { json?: boolean; manifestDir?: string }) => {
        const loaded = await loadManifest(manifestPath);
        const dir = checkRepoDir(repoDir);
        const manifestDir = manifestRepoDir(manifestPath, opts.manifestDir);
        const changes = await new CodemodEngine({ onProgress: io.isTTY ? (m) => io.err(m) : undefined }).compute({
          manifest: loaded.manifest,
          repo: basename(dir),
          dir,
          manifestDir,
        });
        const findings = [
          ...changes.findings.filter((f) => f.severity !== 'info'),
          ...(await analyzeImpact({ dir, manifest: loaded.manifest, manifestDir, changes })),
        ];
        const blocked = findings.some((f) => f.severity === 'blocking');
        if (opts.json) io.out(JSON.stringify({ blocked, findings }, null, 2));
        else {
          for (const f of findings) io.out(formatFinding(f));
          io.out(
            blocked
              ? `blocked: ${findings.filter((f) => f.severity === 'blocking').length} blocking finding(s)`
              : 'ok: no blocking finding',
          );
        }
        setExit(blocked ? 1 : 0);
      });
  },
};
