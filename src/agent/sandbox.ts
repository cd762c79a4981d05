/**
 * Running an agent, a verifier or a judge: untrusted programs, each in its own process group, confined
 * as far as the host allows (src/util/confine.ts), with an environment built from an allow list.
 *
 * - Environment: PATH, LANG, LC_*, TZ, TERM, CI and the CA bundle variables from ours; HOME and TMPDIR
 *   in the scratch folder (src/util/untrusted-env.ts); GIT_CONFIG_NOSYSTEM=1, so git run by the agent
 *   reads no /etc/gitconfig (credential helpers, extra headers); then only the names the manifest's `env` lists
 *   (an agent's own vendor key), never one of AGENT_ENV_DENIED (code host, cloud, runner, Fleetwave
 *   settings), whatever the manifest says; then the run's own FLEETWAVE_AGENT_* variables.
 * - Time: at the limit the whole process group gets SIGTERM, then SIGKILL GRACE_MS later; at the end
 *   of every run the group is killed, so nothing it started outlives it.
 * - Memory: RLIMIT_DATA (`ulimit -d`) of every process (per process, not per tree).
 * - Processes: where `unshare -r` works, a PID namespace and a /proc of its own (a mount namespace
 *   with a fresh proc mount), so it sees none of our processes and cannot read our environment
 *   through /proc/<pid>/environ.
 * - Network: none where `unshare -rn` works (Linux with unprivileged user namespaces, or root), asked
 *   for the verifiers always and for the agent unless `network: host`. `isolation` says what applied.
 */
import { confinedSpawn, killTree } from '../util/confine.js';
import { untrustedEnv } from '../util/untrusted-env.js';
import { AGENT_ENV_DENIED } from '../manifest/change-rules.js';
import type { AgentIsolation } from '../codemod/agent/port.js';

/** From SIGTERM to SIGKILL at a timeout. */
export const GRACE_MS = 2000;
/** Output kept (the tail), per run. */
const OUTPUT_BYTES = 256 * 1024;

export interface SandboxEnvInput {
  home: string;
  tmp: string;
  /** Names the manifest passes through (`agent.env`). */
  pass?: readonly string[];
  /** The run's own variables (FLEETWAVE_AGENT_*): set last. */
  own?: Record<string, string>;
  /** Our environment (default process.env). */
  from?: NodeJS.ProcessEnv;
}

export function sandboxEnv(input: SandboxEnvInput): { env: Record<string, string>; refused: string[] } {
  const from = input.from ?? process.env;
  const { env } = untrustedEnv({ home: input.home, tmp: input.tmp, from });
  // git run by it reads no system configuration (/etc/gitconfig may name a credential helper or an
  // http.extraHeader); its global configuration is $HOME's, the run's empty folder.
  env.GIT_CONFIG_NOSYSTEM = '1';
  const refused: string[] = [];
  for (const name of input.pass ?? []) {
    if (AGENT_ENV_DENIED.test(name)) refused.push(name);
    else if (from[name] !== undefined) env[name] = from[name]!;
  }
  for (const [k, v] of Object.entries(input.own ?? {})) env[k] = v;
  return { env, refused };
}

export interface SandboxRun {
  /** A shell command line, run by /bin/sh -c. */
  command: string;
  cwd: string;
  env: Record<string, string>;
  stdin?: string;
  timeoutMs: number;
  memoryMiB: number;
  network: 'none' | 'host';
}

export interface SandboxResult {
  exitCode: number | null;
  timedOut: boolean;
  ms: number;
  /** stdout (the tail). */
  stdout: string;
  /** stdout and stderr interleaved as they came (the tail). */
  output: string;
  isolation: AgentIsolation;
}

function keepTail(buf: string, add: string): string {
  const s = buf + add;
  return s.length > OUTPUT_BYTES ? s.slice(s.length - OUTPUT_BYTES) : s;
}

export function runSandboxed(run: SandboxRun): Promise<SandboxResult> {
  const started = Date.now();
  const { child, isolation } = confinedSpawn(
    '/bin/sh',
    ['-c', run.command],
    { cwd: run.cwd, env: run.env, stdio: ['pipe', 'pipe', 'pipe'] },
    // A /proc of its own: our environment is not readable through /proc/<our pid>/environ.
    // Killed with us: a crashed Fleetwave leaves no agent running (with no timer left to stop it).
    { memoryMiB: run.memoryMiB, noNetwork: run.network === 'none', privateProc: true, dieWithParent: true },
  );
  return new Promise((resolve, reject) => {
    let stdout = '';
    let output = '';
    let timedOut = false;
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      stdout = keepTail(stdout, d);
      output = keepTail(output, d);
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (output = keepTail(output, d)));
    child.stdin!.on('error', () => undefined); // a program that does not read its stdin
    child.stdin!.end(run.stdin ?? '');
    let kill: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      kill = setTimeout(() => killTree(child), GRACE_MS);
    }, run.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      if (kill) clearTimeout(kill);
      reject(err);
    });
    // Its end is the end of the run: what it left in its group goes now, not when the last holder of
    // its stdout closes it (a background process would keep the run until the timeout).
    child.on('exit', () => killTree(child));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (kill) clearTimeout(kill);
      killTree(child); // whatever it left running in its group
      resolve({
        exitCode: timedOut ? null : code,
        timedOut,
        ms: Date.now() - started,
        stdout,
        output,
        isolation: {
          network: isolation.network,
          memory: `RLIMIT_DATA ${run.memoryMiB} MiB per process (ulimit -d)`,
          pidNamespace: isolation.pidNamespace,
          privateProc: isolation.privateProc,
        },
      });
    });
  });
}
