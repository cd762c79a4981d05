/**
 * The local forge is its own CI: a commit's checks are the repository's own test command, run for
 * real in a temporary clone of that commit. The convention, first match wins:
 *
 *   1. `.fleetwave/check` (executable) runs as is;
 *   2. `package.json` with `scripts.test` → `npm test`;
 *   3. neither → no checks (state `none`).
 *
 * Results are cached by commit under `.forge/checks/<owner>/<name>/<sha>.json` (the output's tail in
 * `<sha>.log`): a commit is checked once; delete the file to run it again. Infrastructure failures
 * (git, a missing `npm`) are not cached; they surface as a transient ForgeError.
 *
 * A check is the consumer's code, so it runs as untrusted code (docs/local-forge.md, "What a check
 * can reach"): an environment from an allow list (src/util/untrusted-env.ts; the operator's `env` is
 * added, minus any name that looks like a secret), HOME and TMPDIR of its own beside the clone, a
 * memory limit for each of its processes (`memoryMiB`, RLIMIT_DATA), its whole process group killed
 * when it ends or times out (src/util/confine.ts). The toolchain's node_modules is never linked into
 * the checkout: the link sits beside it (`<clone root>/node_modules`, which Node's resolution reaches
 * from the checkout, for `require` and `import` alike), and where the host allows user namespaces the
 * toolchain is mounted read-only for the check. Its network stays (a test may serve on loopback).
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { mkdir, readFile, realpath, rename, stat, symlink } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { simpleGit } from 'simple-git';
import { z } from 'zod';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { confinedSpawn, killTree } from '../../util/confine.js';
import { ForgeError } from '../../util/errors.js';
import type { Logger } from '../../util/log.js';
import { untrustedEnv } from '../../util/untrusted-env.js';
import type { CheckRun, CheckState, RepoName } from '../port.js';
import { Limiter } from './concurrency.js';
import type { FleetLayout } from './layout.js';
import { cloneAt } from './working-copy.js';

export const CHECK_SCRIPT = '.fleetwave/check';
const SUMMARY_LINES = 20;
const DEFAULT_MEMORY_MIB = 4096;
/** Bytes of output kept (the tail) for the log file. */
const LOG_BYTES = 64 * 1024;

export interface CheckRunnerOptions {
  layout: FleetLayout;
  timeoutMs: number;
  concurrency: number;
  toolchainNodeModules?: string;
  env?: Record<string, string>;
  /** RLIMIT_DATA of each process of a check, in MiB (default 4096). */
  memoryMiB?: number;
  logger: Logger;
  now(): Date;
}

const resultSchema = z.object({
  version: z.literal(1),
  repo: z.string(),
  sha: z.string(),
  state: z.enum(['success', 'failure', 'none']),
  command: z.string().nullable(),
  exitCode: z.number().nullable(),
  timedOut: z.boolean(),
  startedAt: z.string(),
  durationMs: z.number(),
  runs: z.array(
    z.object({
      name: z.string(),
      state: z.enum(['pending', 'success', 'failure', 'none']),
      summary: z.string().optional(),
      url: z.string().optional(),
    }),
  ),
});
export type CheckResult = z.infer<typeof resultSchema>;

export interface CheckSummary {
  state: CheckState;
  runs: CheckRun[];
}

/** What the convention says to run in a working copy, or null for no checks. */
export async function detectCheckCommand(
  dir: string,
): Promise<{ name: string; file: string; args: string[] } | { invalid: string } | null> {
  const script = join(dir, CHECK_SCRIPT);
  const info = await stat(script).catch(() => null);
  if (info?.isFile()) {
    if ((info.mode & 0o111) === 0)
      return { invalid: `${CHECK_SCRIPT} is not executable: run \`git update-index --chmod=+x ${CHECK_SCRIPT}\` and commit` };
    return { name: CHECK_SCRIPT, file: script, args: [] };
  }
  const pkgText = await readFile(join(dir, 'package.json'), 'utf8').catch(() => null);
  if (pkgText !== null) {
    let pkg: unknown;
    try {
      pkg = JSON.parse(pkgText);
    } catch (err) {
      return { invalid: `package.json is not valid JSON: ${(err as Error).message}` };
    }
    const test = (pkg as { scripts?: Record<string, unknown> } | null)?.scripts?.test;
    if (typeof test === 'string' && test.trim()) return { name: 'npm test', file: 'npm', args: ['test'] };
  }
  return null;
}

/**
 * Where a commit's checks run: the deepest folder that holds every file the commit changed (against its
 * first parent) and a check of its own (`.fleetwave/check`, or a package.json with `scripts.test`), as
 * a monorepo's CI tests the package a change is in; the root otherwise (and for a first commit). So a
 * workspace's pull request (src/plan/workspaces.ts) runs its folder's test command.
 */
export async function checkFolder(dir: string, sha: string): Promise<string> {
  const diff = await simpleGit(dir)
    .raw(['diff', '--name-only', '--no-renames', `${sha}^1`, sha])
    .catch(() => null);
  const files = diff?.split('\n').filter(Boolean) ?? [];
  if (files.length === 0) return '';
  const parts = files.map((f) => f.split('/').slice(0, -1));
  const common: string[] = [];
  for (let i = 0; parts.every((p) => i < p.length && p[i] === parts[0]![i]); i++) common.push(parts[0]![i]!);
  for (let n = common.length; n >= 1; n--) {
    const folder = common.slice(0, n).join('/');
    if (await detectCheckCommand(join(dir, folder))) return folder;
  }
  return '';
}

/** The last `n` lines of `text`, without trailing blank lines. */
export function tailLines(text: string, n: number): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  return lines.slice(-n).join('\n');
}

export class CheckRunner {
  /** Checks run by this runner (clone included) and answers served from the cache. */
  readonly stats = { runs: 0, ms: 0, cached: 0 };
  private readonly inflight = new Map<string, Promise<CheckResult>>();
  private readonly limiter: Limiter;
  /** Said once per runner: what this host could not confine, the operator variables refused. */
  private warned = false;

  constructor(private readonly options: CheckRunnerOptions) {
    this.limiter = new Limiter(options.concurrency);
  }

  resultFile(repo: RepoName, sha: string): string {
    return join(this.options.layout.checksDir(repo), `${sha}.json`);
  }

  logFile(repo: RepoName, sha: string): string {
    return join(this.options.layout.checksDir(repo), `${sha}.log`);
  }

  /** The cached result of `sha`, or null when it has not been checked (or the file is unreadable). */
  async cached(repo: RepoName, sha: string): Promise<CheckResult | null> {
    const text = await readFile(this.resultFile(repo, sha), 'utf8').catch(() => null);
    if (text === null) return null;
    try {
      const parsed = resultSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
    } catch {
      // fall through: an unreadable result is run again
    }
    this.options.logger.warn({ repo, sha, file: this.resultFile(repo, sha) }, 'unreadable check result; running the checks again');
    return null;
  }

  /**
   * Forget the result of `sha` so that its checks run again when next asked (a re-run). The old
   * result and log are kept beside it as `<sha>.run<k>.json` / `.log`, k = 1, 2, …; returns k, or 0
   * when there was no result to forget.
   */
  async forget(repo: RepoName, sha: string): Promise<number> {
    const result = this.resultFile(repo, sha);
    if (!existsSync(result)) return 0;
    let k = 1;
    while (existsSync(result.replace(/\.json$/, `.run${k}.json`))) k++;
    const log = this.logFile(repo, sha);
    if (existsSync(log)) await rename(log, log.replace(/\.log$/, `.run${k}.log`));
    // The result file goes last: it is the commit point of a check run.
    await rename(result, result.replace(/\.json$/, `.run${k}.json`));
    return k;
  }

  /** The checks of `sha`: the cached result, or a run now (one run per commit even when asked concurrently). */
  async checksFor(repo: RepoName, gitDir: string, sha: string): Promise<CheckSummary> {
    const key = `${repo}@${sha}`;
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = (async () => {
        const hit = (await this.cached(repo, sha)) ?? undefined;
        if (hit) this.stats.cached++;
        return hit ?? this.limiter.run(async () => (await this.cached(repo, sha)) ?? this.run(repo, gitDir, sha));
      })();
      this.inflight.set(key, pending);
      void pending.then(
        () => this.inflight.delete(key),
        () => this.inflight.delete(key),
      );
    }
    const result = await pending;
    return { state: result.state, runs: result.runs };
  }

  private async run(repo: RepoName, gitDir: string, sha: string): Promise<CheckResult> {
    const { logger } = this.options;
    const started = this.options.now();
    const t0 = performance.now();
    const copy = await cloneAt(gitDir, sha, 'check');
    try {
      const folder = await checkFolder(copy.dir, sha);
      const found = await detectCheckCommand(join(copy.dir, folder));
      const command = found && 'name' in found && folder ? { ...found, name: `${found.name} (${folder})` } : found;
      const base = { version: 1 as const, repo, sha, startedAt: started.toISOString() };
      let result: CheckResult;
      if (command === null) {
        result = { ...base, state: 'none', command: null, exitCode: null, timedOut: false, durationMs: performance.now() - t0, runs: [] };
      } else if ('invalid' in command) {
        result = {
          ...base,
          state: 'failure',
          command: null,
          exitCode: null,
          timedOut: false,
          durationMs: performance.now() - t0,
          runs: [{ name: 'fleetwave check', state: 'failure', summary: command.invalid }],
        };
      } else {
        const toolchain = await this.linkToolchain(copy.root);
        logger.debug({ repo, sha, command: command.name }, 'running checks');
        const outcome = await this.exec(command.file, command.args, join(copy.dir, folder), copy.root, toolchain, repo, sha);
        const state = outcome.exitCode === 0 && !outcome.timedOut ? 'success' : 'failure';
        const reason = outcome.timedOut
          ? `timed out after ${Number((this.options.timeoutMs / 1000).toFixed(1))} s`
          : state === 'failure'
            ? `exited with code ${outcome.exitCode ?? `signal ${outcome.signal}`}`
            : null;
        const tail = tailLines(outcome.output, SUMMARY_LINES);
        const summary = [reason, tail].filter(Boolean).join('\n');
        await writeFileAtomic(this.logFile(repo, sha), `$ ${command.name}\n${outcome.output}${reason ? `\n[fleetwave] ${reason}\n` : ''}`);
        result = {
          ...base,
          state,
          command: command.name,
          exitCode: outcome.exitCode,
          timedOut: outcome.timedOut,
          durationMs: performance.now() - t0,
          runs: [{ name: command.name, state, summary: summary || undefined, url: pathToFileURL(this.logFile(repo, sha)).href }],
        };
        logger.info({ repo, sha, command: command.name, state, ms: Math.round(result.durationMs) }, 'checks finished');
      }
      // The result file is the commit point: written last, whole or not at all.
      await writeFileAtomic(this.resultFile(repo, sha), `${JSON.stringify(result, null, 2)}\n`);
      this.stats.runs++;
      this.stats.ms += performance.now() - t0;
      return result;
    } finally {
      await copy.dispose();
    }
  }

  /**
   * Stand-in for `npm ci` from a warm cache: the toolchain's node_modules, linked beside the checkout
   * (`<root>/node_modules`, never inside it); its real path, to be mounted read-only, or undefined.
   */
  private async linkToolchain(root: string): Promise<string | undefined> {
    const modules = this.options.toolchainNodeModules;
    if (!modules || !existsSync(modules)) return undefined;
    const real = await realpath(modules);
    await symlink(real, join(root, 'node_modules'), 'dir');
    return real;
  }

  private env(repo: RepoName, sha: string, root: string, toolchain: string | undefined): Record<string, string> {
    const { env, refused } = untrustedEnv({
      home: join(root, 'home'),
      tmp: join(root, 'tmp'),
      extra: {
        CI: 'true',
        npm_config_update_notifier: 'false',
        npm_config_fund: 'false',
        npm_config_audit: 'false',
        ...this.options.env,
      },
      pathPrefix: toolchain ? [join(toolchain, '.bin')] : [],
    });
    if (refused.length && !this.warned)
      this.options.logger.warn({ refused }, 'check environment: variables that look like secrets are not passed to checks');
    return { ...env, FLEETWAVE_REPO: repo, FLEETWAVE_SHA: sha };
  }

  private async exec(
    file: string,
    args: string[],
    cwd: string,
    root: string,
    toolchain: string | undefined,
    repo: RepoName,
    sha: string,
  ): Promise<{ exitCode: number | null; signal: string | null; timedOut: boolean; output: string }> {
    const env = this.env(repo, sha, root, toolchain);
    await mkdir(env.HOME!, { recursive: true });
    await mkdir(env.TMPDIR!, { recursive: true });
    // The wrapper shell would turn a missing command into exit code 127, a failed check: say it is ours.
    if (!file.includes('/') && !onPath(file, env.PATH ?? ''))
      throw new ForgeError(`could not start the checks of ${repo} at ${sha} (${file}): not found on PATH`, true);
    return new Promise((resolve, reject) => {
      // Its own process group, so a timeout kills the whole tree (npm → sh → node …), and what it
      // leaves running goes at its end.
      const { child, isolation } = confinedSpawn(
        file,
        args,
        { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] },
        {
          memoryMiB: this.options.memoryMiB ?? DEFAULT_MEMORY_MIB,
          readOnly: toolchain ? [toolchain] : [],
          // No PID namespace: a check's `$$` would be 1, and scripts name shared files after it.
          pidNamespace: false,
          // Killed with us: a crashed Fleetwave leaves no check running (no timer is left to stop it).
          dieWithParent: true,
        },
      );
      if (!this.warned) {
        this.warned = true;
        if (!isolation.readOnly)
          this.options.logger.warn(
            { isolation },
            'checks: this host allows no user namespace, so the toolchain is not read-only for checks (it is linked beside the checkout, not inside)',
          );
      }
      let output = Buffer.alloc(0);
      const keep = (b: Buffer) => {
        output = Buffer.concat([output, b]);
        if (output.length > 2 * LOG_BYTES) output = output.subarray(output.length - LOG_BYTES);
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        killTree(child);
      }, this.options.timeoutMs);
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(new ForgeError(`could not start the checks of ${repo} at ${sha} (${file}): ${err.message}`, true, { cause: err }));
      });
      child.on('exit', () => {
        clearTimeout(timer);
        // Whatever the check left running in the background goes with it (and frees its pipes).
        killTree(child);
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        const text = output.subarray(Math.max(0, output.length - LOG_BYTES)).toString('utf8');
        resolve({ exitCode: code, signal, timedOut, output: text });
      });
    });
  }
}

/** Whether `command` names an executable file in one of `path`'s folders. */
function onPath(command: string, path: string): boolean {
  return path
    .split(delimiter)
    .filter(Boolean)
    .some((dir) => {
      try {
        accessSync(join(dir, command), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}
