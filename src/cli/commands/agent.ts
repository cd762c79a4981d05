/**
 * `fleetwave agent <manifest> <repo-dir>`: the manifest's agent step on one consumer checkout, for
 * prompt authors — the rules, impact analysis, then the agent in its sandbox (docs/rules/agent.md);
 * prints each turn (the agent's exit, what it threw away, the guards, the verifiers' error lines), the
 * judge's answer and the diff. Without --dry-run a passed change is written into <repo-dir>.
 */
import { execFileSync } from 'node:child_process';
import { basename, resolve } from 'node:path';
import { agentParamsOf } from '../../codemod/agent/step.js';
import type { AgentReport } from '../../codemod/agent/report.js';
import { unifiedDiff } from '../../codemod/diff.js';
import { writeEditsAtomically } from '../../codemod/write-edits.js';
import { agentChangeApplier } from '../../composition/engine-deps.js';
import { loadManifest } from '../../manifest/load.js';
import { InputError } from '../../util/errors.js';
import { createLogger } from '../../util/log.js';
import { checkRepoDir, manifestRepoDir } from '../../util/repo-dir.js';
import type { CliCommand } from '../command.js';
import type { CliIO } from '../io.js';
import { toolchainNodeModules } from '../local-context.js';
import { formatFinding } from './codemod.js';

function headOf(dir: string): string | undefined {
  try {
    return execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

export function renderAgentReport(report: AgentReport, io: CliIO): void {
  io.err(`agent: ${report.status}${report.reason ? ` — ${report.reason}` : ''}`);
  io.err(`command: ${report.command}`);
  io.err(`prompt: ${report.prompt} (sha256 ${report.promptHash})${report.cached ? '; from the cache' : ''}`);
  io.err(
    `sandbox: network ${report.isolation.network}; ${report.isolation.memory}; ${report.isolation.pidNamespace ? `PID namespace${report.isolation.privateProc ? ', own /proc' : ''}` : 'process group'}`,
  );
  for (const t of report.turns) {
    const how = t.replayed ? 'replayed from the saved turn' : t.timedOut ? 'timed out' : `exit ${t.exitCode ?? 'signal'}`;
    io.err(`turn ${t.turn}: ${how}, ${(t.ms / 1000).toFixed(1)} s, ${t.changedLines} changed lines`);
    for (const p of t.discarded) io.err(`  thrown away (outside paths): ${p}`);
    for (const g of t.guards) io.err(`  guard ${g.guard}: ${g.message}`);
    for (const v of t.verifiers) {
      io.err(`  verifier ${v.name} (${v.command}): ${v.passed ? 'passed' : 'failed'}`);
      for (const line of v.errors) io.err(`    ${line}`);
    }
    if (t.output.trim())
      io.err(
        `  output (tail):\n${t.output
          .trimEnd()
          .split('\n')
          .slice(-10)
          .map((l) => `    ${l}`)
          .join('\n')}`,
      );
  }
  if (report.judge) io.err(`judge: ${report.judge.pass ? 'pass' : 'fail'}${report.judge.reason ? ` — ${report.judge.reason}` : ''}`);
}

export const agentCommand: CliCommand = {
  name: 'agent',
  register(program, io, setExit) {
    program
      .command('agent <manifest> <repo-dir>')
      .description("run the manifest's agent step on one consumer checkout and show its turns, verifiers and diff (docs/rules/agent.md)")
      .option('--dry-run', 'change nothing in <repo-dir>: print the diff')
      .option('--all', 'run the agent whatever `for:` says (also on a consumer the rules leave unblocked)')
      .option('--json', 'print {status, report, edits, findings}')
      .option('--manifest-dir <dir>', 'the manifest repository (the prompt); default: the git work tree holding the manifest')
      .option('--lake <dir>', "the data lake the consumer's verifiers read (FLEETWAVE_LAKE), as `run --lake` gives its checks")
      .addHelpText(
        'after',
        '\nNothing is cached: each call runs the agent.\nExit status: 0 the agent passed (or was not wanted), 1 it did not pass, 2 bad input.',
      )
      .action(
        async (
          manifestPath: string,
          repoDir: string,
          opts: { dryRun?: boolean; all?: boolean; json?: boolean; manifestDir?: string; lake?: string },
        ) => {
          const loaded = await loadManifest(manifestPath);
          const params = agentParamsOf(loaded.manifest);
          if (!params) throw new InputError(`${manifestPath}: changes: has no agent rule; add one (docs/rules/agent.md)`);
          if (opts.all) params.for = 'all';
          const dir = checkRepoDir(repoDir);
          const changes = agentChangeApplier({
            logger: createLogger({ level: process.env.LOG_LEVEL ?? 'warn' }),
            env: {},
            nodeModules: toolchainNodeModules(),
            verifierEnv: opts.lake ? { FLEETWAVE_LAKE: resolve(opts.lake) } : undefined,
            onProgress: io.isTTY ? (m) => io.err(m) : undefined,
          });
          const set = await changes.compute({
            manifest: loaded.manifest,
            repo: basename(dir),
            dir,
            manifestDir: manifestRepoDir(manifestPath, opts.manifestDir),
            headSha: headOf(dir),
          });
          const report = set.agent;
          if (opts.json)
            io.out(
              JSON.stringify(
                { status: report?.status ?? 'not-wanted', report: report ?? null, edits: set.edits, findings: set.findings },
                null,
                2,
              ),
            );
          else {
            if (report) renderAgentReport(report, io);
            else
              io.err(
                `agent: not run — the manifest says for: ${params.for}, and the rules leave this checkout ${set.findings.some((f) => f.severity === 'blocking') ? 'blocked' : 'without such findings'} (--all runs it anyway)`,
              );
            for (const f of set.findings) if (f.severity !== 'info') io.err(formatFinding(f));
            if (report?.status === 'passed') for (const e of set.edits) io.out(unifiedDiff(e).replace(/\n$/, ''));
          }
          if (report?.status === 'passed' && !opts.dryRun) {
            writeEditsAtomically(dir, set.edits);
            if (!opts.json) io.err(`wrote ${set.edits.length} file${set.edits.length === 1 ? '' : 's'} in ${dir}`);
          }
          setExit(report && report.status !== 'passed' ? 1 : 0);
        },
      );
  },
};
