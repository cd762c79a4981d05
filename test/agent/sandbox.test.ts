/**
 * The agent's sandbox (src/agent/sandbox.ts) with real programs: no network unless `network: host`, a
 * memory limit per process, nothing it started left running after it ends — and, where namespaces are
 * off (`FLEETWAVE_NO_NAMESPACES=1`, as on a host without `unshare -r`), what is then NOT isolated, as
 * docs/rules/agent.md ("The sandbox") says. The namespace assertions hold where this host gives the
 * namespaces (the report's `isolation` says; on this build machine it does, as root).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSandboxed, sandboxEnv, type SandboxRun } from '../../src/agent/sandbox.js';

let root: string;
let server: Server;
let port: number;
let connections = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'fleetwave-sandbox-'));
  for (const d of ['home', 'tmp', 'repo']) mkdirSync(join(root, d));
  server = createServer((socket) => {
    connections++;
    socket.end('hello\n');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((ok) => server.close(ok));
  rmSync(root, { recursive: true, force: true });
});
afterEach(() => {
  delete process.env.FLEETWAVE_NO_NAMESPACES;
});

function run(command: string, more: Partial<SandboxRun> = {}) {
  const { env } = sandboxEnv({ home: join(root, 'home'), tmp: join(root, 'tmp'), from: { PATH: process.env.PATH } });
  return runSandboxed({ command, cwd: join(root, 'repo'), env, timeoutMs: 30_000, memoryMiB: 1024, network: 'none', ...more });
}

/** A node program that connects to our server on the host's loopback and says what happened. */
const connect = () =>
  `node -e "require('net').connect(${port}, '127.0.0.1').on('data', () => { console.log('connected'); process.exit(0); }).on('error', (e) => { console.log('refused ' + e.code); process.exit(1); })"`;

/** Whether a process whose command line holds `marker` runs on this host. */
const running = (marker: string) => spawnSync('pgrep', ['-f', marker]).status === 0;

/** Whether `unshare -r <flags> true` works here: then the sandbox must have applied those namespaces. */
const unshares = (...flags: string[]) => spawnSync('unshare', ['-r', ...flags, 'true'], { stdio: 'ignore', timeout: 5000 }).status === 0;

/** The pid a program wrote to `file` (to end it by its id). */
const pidIn = (file: string) => Number(readFileSync(file, 'utf8').trim());

describe('the agent sandbox', () => {
  it('gives no network with network: none, where the host allows it, and the host network with network: host', async () => {
    const none = await run(connect());
    if (unshares('-n')) expect(none.isolation.network).toBe('none');
    if (none.isolation.network === 'none') {
      expect(none.stdout).toMatch(/^refused E[A-Z]+/);
      expect(none.exitCode).toBe(1);
      expect(connections).toBe(0);
    }
    const host = await run(connect(), { network: 'host' });
    expect(host.isolation.network).toBe('host');
    expect(host.stdout.trim()).toBe('connected');
    expect(connections).toBe(1);
  }, 60_000);

  it('limits the memory of each of its processes (RLIMIT_DATA)', async () => {
    // 320 MiB of Buffers: refused under a 160 MiB limit, allowed under 1 GiB.
    const hog = `node -e "const a = []; for (let i = 0; i < 20; i++) a.push(Buffer.alloc(16 * 1024 * 1024, 1)); console.log('allocated')"`;
    const limited = await run(hog, { memoryMiB: 160 });
    expect(limited.isolation.memory).toBe('RLIMIT_DATA 160 MiB per process (ulimit -d)');
    expect(limited.exitCode).not.toBe(0);
    expect(limited.stdout).not.toContain('allocated');
    const roomy = await run(hog, { memoryMiB: 1024 });
    expect(roomy.stdout.trim()).toBe('allocated');
  }, 60_000);

  it('leaves nothing running after the agent ends: its process group is killed, and its PID namespace with a process that left the group', async () => {
    process.env.FLEETWAVE_NO_NAMESPACES = '1';
    const plain = await run(`sleep 321 & echo started`);
    expect(plain.isolation.pidNamespace).toBe(false);
    expect(plain.stdout.trim()).toBe('started');
    expect(plain.timedOut).toBe(false); // its end ends the run: the sleep holding its stdout does not keep it to the timeout
    expect(running('sleep 321')).toBe(false); // the group's kill alone takes it
    delete process.env.FLEETWAVE_NO_NAMESPACES;
    const escaped = await run(`setsid sleep 322 & echo started`);
    if (unshares('-p', '--fork')) expect(escaped.isolation.pidNamespace).toBe(true);
    if (escaped.isolation.pidNamespace) expect(running('sleep 322')).toBe(false);
  }, 60_000);

  it('where namespaces are off, says so, and the agent has the host network and can read our environment through /proc', async () => {
    process.env.FLEETWAVE_NO_NAMESPACES = '1';
    const pidFile = join(root, 'escaped.pid');
    const r = await run(
      `${connect()}; cat /proc/${process.pid}/environ | tr '\\0' '\\n' | grep -c '^PATH=' || true; setsid sh -c 'echo $$ > ${pidFile}; exec sleep 323' </dev/null >/dev/null 2>&1 & sleep 0.2`,
    );
    expect(r.isolation).toEqual(expect.objectContaining({ network: 'host', pidNamespace: false, privateProc: false }));
    expect(r.stdout.split('\n')).toEqual(['connected', '1', '']);
    // A process that left its group (setsid) outlives the kill: ended here by its id.
    const escaped = pidIn(pidFile);
    expect(running('sleep 323')).toBe(true);
    process.kill(escaped, 'SIGKILL');
  }, 60_000);
});
