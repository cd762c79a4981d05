/**
 * Starting untrusted code (a custom codemod, a consumer's local check) confined as far as the host
 * allows, and killing all of it afterwards. What every host gets:
 *
 *   - its own process group (spawned detached) so that `killTree` takes the whole tree with one
 *     SIGKILL, at the end and on timeout;
 *   - a memory limit for every process of the tree: RLIMIT_DATA (`ulimit -d`, set by a `/bin/sh`
 *     wrapper before it execs the command). Since Linux 4.7 it counts every private writable mapping
 *     (the JS heap, Buffers, ArrayBuffers, malloc), not the address space V8 reserves by the GiB, so
 *     a Buffer.alloc loop fails at the limit while Node itself starts (RLIMIT_AS would need ~800 MiB
 *     for an idle `node`). It is per process, not per tree: a tree can hold N × the limit.
 *
 * Where Linux lets an unprivileged user create namespaces (`unshare -r` works; probed once per
 * process, FLEETWAVE_NO_NAMESPACES=1 turns it off), it also runs under `unshare`:
 *
 *   - a PID namespace (`-p --fork --kill-child`) unless asked not to: when the group is killed, its
 *     first process dies and the kernel kills everything left in the namespace, even a grandchild that
 *     called setsid();
 *   - no network (`-n`, an empty network namespace) when asked: no socket leaves the host;
 *   - read-only folders (`-m` and a read-only bind mount) when asked, e.g. our own node_modules.
 *
 * Where it cannot (macOS, containers without user namespaces, Ubuntu 24.04's default AppArmor rule
 * for unprivileged user namespaces), the process group and the memory limit remain, and `isolation`
 * says what was not applied so the caller can log it once.
 */
import { spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import { tmpdir } from 'node:os';

export interface ConfineOptions {
  /** RLIMIT_DATA of each process, in MiB. */
  memoryMiB: number;
  /** No network for it, where the host allows. */
  noNetwork?: boolean;
  /** Folders made read-only for it, where the host allows. */
  readOnly?: string[];
  /**
   * A PID namespace of its own, where the host allows (default true). Off for scripts that name
   * shared files after `$$`, which is 1 in every PID namespace (a consumer's checks).
   */
  pidNamespace?: boolean;
  /**
   * A /proc of its own (a mount namespace and a fresh proc mount inside its PID namespace), where the
   * host allows: it then cannot read our environment through /proc/<pid>/environ or see our processes.
   */
  privateProc?: boolean;
  /**
   * Killed with us, even when we are SIGKILLed (our timers and `killTree` then never run): a watcher in
   * its process group (outside any namespace) reads a pipe only we hold the other end of, and at its end
   * (our exit, however it came) SIGKILLs the group; with a PID namespace, `unshare --kill-child` takes
   * the namespace with it. Needs `stdio` as an array (the pipe is the next descriptor).
   */
  dieWithParent?: boolean;
}

export interface Isolation {
  /** It runs in a PID namespace of its own: nothing it starts outlives it. */
  pidNamespace: boolean;
  network: 'none' | 'host';
  /** The `readOnly` folders are read-only for it. */
  readOnly: boolean;
  /** It has a /proc of its own (asked with `privateProc`). */
  privateProc: boolean;
}

export interface SpawnOptions {
  cwd: string;
  env: Record<string, string>;
  stdio: StdioOptions;
  serialization?: 'json' | 'advanced';
}

/** util-linux's `unshare(1)`, from PATH. */
const UNSHARE = 'unshare';

const probes = new Map<string, boolean>();

function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Whether `unshare <flags>` (and, with -m, a read-only bind mount) works here; asked once per flag set. */
function unshareWorks(flags: string[], proc = false): boolean {
  if (process.platform !== 'linux' || process.env.FLEETWAVE_NO_NAMESPACES === '1') return false;
  const key = `${flags.join(' ')}${proc ? ' +proc' : ''}`;
  let ok = probes.get(key);
  if (ok === undefined) {
    const dir = shq(tmpdir());
    const bind = `mount --bind ${dir} ${dir} && mount -o remount,bind,ro ${dir}`;
    const script = flags.includes('-m') ? (proc ? `${bind} && mount -t proc proc /proc` : bind) : 'true';
    const res = spawnSync(UNSHARE, [...flags, '/bin/sh', '-c', script], { stdio: 'ignore', timeout: 5000 });
    ok = res.status === 0;
    probes.set(key, ok);
  }
  return ok;
}

/** The namespace flags that work here for what is asked, most first; [] when none. */
function namespaceFlags(options: ConfineOptions): string[] {
  const base = [...(options.pidNamespace === false ? [] : ['-p', '--fork', '--kill-child']), ...(options.noNetwork ? ['-n'] : [])];
  const wantsMount = Boolean(options.readOnly?.length) || (options.privateProc === true && options.pidNamespace !== false);
  const candidates = [...(wantsMount ? [[...base, '-m']] : []), base].filter((flags) => flags.length > 0);
  const proc = options.privateProc === true && options.pidNamespace !== false;
  return candidates.map((flags) => ['-r', ...flags]).find((flags) => unshareWorks(flags, proc && flags.includes('-m'))) ?? [];
}

/** Spawn `file args` confined; the child leads its own process group. */
export function confinedSpawn(
  file: string,
  args: string[],
  spawnOptions: SpawnOptions,
  options: ConfineOptions,
): { child: ChildProcess; isolation: Isolation } {
  const flags = namespaceFlags(options);
  const readOnly = flags.includes('-m') ? (options.readOnly ?? []) : [];
  const privateProc = options.privateProc === true && flags.includes('-m') && flags.includes('-p');
  const lines = [
    'set -e',
    ...(privateProc ? ['mount -t proc proc /proc'] : []),
    ...readOnly.map((p) => `mount --bind ${shq(p)} ${shq(p)}; mount -o remount,bind,ro ${shq(p)}`),
    `ulimit -d ${Math.max(1, Math.floor(options.memoryMiB)) * 1024}`,
    'exec "$@"',
  ];
  const wrapped = ['/bin/sh', '-c', lines.join('\n'), 'sh', file, ...args];
  let argv = flags.length ? [UNSHARE, ...flags, ...wrapped] : wrapped;
  let stdio = spawnOptions.stdio;
  if (options.dieWithParent) {
    if (!Array.isArray(stdio)) throw new Error('confinedSpawn: dieWithParent needs stdio as an array');
    const fd = stdio.length;
    stdio = [...stdio, 'pipe'];
    // The watcher, then the command without the pipe (only the watcher holds it on this side).
    const watch = `(cat <&${fd} >/dev/null 2>&1; kill -KILL 0) &\nexec ${fd}<&-\nexec "$@"`;
    argv = ['/bin/sh', '-c', watch, 'sh', ...argv];
  }
  const [command, ...rest] = argv;
  const child = spawn(command!, rest, { ...spawnOptions, stdio, detached: true });
  return {
    child,
    isolation: {
      pidNamespace: flags.includes('-p'),
      network: flags.includes('-n') ? 'none' : 'host',
      readOnly: (options.readOnly?.length ?? 0) === 0 || readOnly.length > 0,
      privateProc,
    },
  };
}

/** SIGKILL the child's whole process group (and so its PID namespace); quiet when it is gone. */
export function killTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}
