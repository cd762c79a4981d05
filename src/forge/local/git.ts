/**
 * Running git for the local forge: one spawn per call, stdin when asked, an environment cleaned of
 * anything an outer git (a hook, a worktree) could leak in. Plumbing goes through here; porcelain
 * work on working copies (clones for checkouts and checks) goes through simple-git.
 */
import { spawn } from 'node:child_process';
import { ForgeError } from '../../util/errors.js';

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface GitOptions {
  /** The repository: a bare repository's folder (passed as `--git-dir`) … */
  gitDir?: string;
  /** … or a working copy (`-C`). */
  cwd?: string;
  input?: string | Buffer;
  env?: Record<string, string>;
  /** Exit codes that are answers, not failures (e.g. 1 for `git grep`, `merge-base --is-ancestor`). */
  okCodes?: number[];
}

/** An identity for commits, as git's environment variables carry it. */
export interface GitIdentity {
  name: string;
  email: string;
}

const LEAKY = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_PREFIX',
];

export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of LEAKY) delete env[key];
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_CONFIG_NOSYSTEM = '1';
  return { ...env, ...extra };
}

/** Author and committer variables for a commit made now (or at `date`). */
export function commitEnv(author: GitIdentity, committer: GitIdentity, date: Date): Record<string, string> {
  const when = `${Math.floor(date.getTime() / 1000)} +0000`;
  return {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_AUTHOR_DATE: when,
    GIT_COMMITTER_NAME: committer.name,
    GIT_COMMITTER_EMAIL: committer.email,
    GIT_COMMITTER_DATE: when,
  };
}

function isTransient(stderr: string): boolean {
  return /Unable to create '.*\.lock'|cannot lock ref|index\.lock|Resource temporarily unavailable/i.test(stderr);
}

/** Git calls made through `git()` in this process and the time they took (summed; calls overlap). */
export const gitStats = { calls: 0, ms: 0 };

/** Run git; a non-zero exit not listed in `okCodes` becomes a ForgeError (transient for lock contention). */
export function git(args: string[], options: GitOptions = {}): Promise<GitResult> {
  const full = [
    ...(options.gitDir ? ['--git-dir', options.gitDir] : []),
    ...(options.cwd ? ['-C', options.cwd] : []),
    // Never sign, never run a pager: the forge's commits are made unattended.
    '-c',
    'commit.gpgSign=false',
    '-c',
    'core.pager=cat',
    ...args,
  ];
  const t0 = performance.now();
  gitStats.calls++;
  return new Promise((resolve, reject) => {
    const child = spawn('git', full, { env: gitEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) =>
      reject(new ForgeError(`could not run git (${e.message}); is git installed and on PATH?`, false, { cause: e })),
    );
    child.on('close', (code) => {
      gitStats.ms += performance.now() - t0;
      const result = { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code: code ?? 1 };
      if (result.code === 0 || options.okCodes?.includes(result.code)) resolve(result);
      else {
        const where = options.gitDir ?? options.cwd ?? process.cwd();
        const detail = result.stderr.trim() || result.stdout.trim() || `exit code ${result.code}`;
        reject(new ForgeError(`git ${args[0]} failed in ${where}: ${detail}`, isTransient(result.stderr)));
      }
    });
    child.stdin.on('error', () => undefined); // git may exit before reading all of stdin
    child.stdin.end(options.input ?? '');
  });
}

/** The sha a ref or revision names, or null when it names nothing. */
export async function revParse(gitDir: string, rev: string): Promise<string | null> {
  const r = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], { gitDir, okCodes: [1, 128] });
  return r.code === 0 ? r.stdout.trim() : null;
}

export const ZERO_SHA = '0000000000000000000000000000000000000000';
