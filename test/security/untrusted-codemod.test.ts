/**
 * Threat: a custom codemod is code from the manifest's repository, run for every consumer (issue #14,
 * finding 4). It must not see our secrets, outlive its timeout through a grandchild, or take more
 * memory than `memoryMiB` with Buffers (which --max-old-space-size does not count); where the host
 * allows user namespaces it has no network either.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { CodemodEngine } from '../../src/codemod/engine.js';
import { CodemodError } from '../../src/codemod/errors.js';
import { manifestSchema } from '../../src/manifest/schema.js';
import { manifestWith, removeDir, tempDir, writeTree } from '../codemod/helpers.js';

const SECRETS = {
  GITHUB_TOKEN: 'ghs_fake_github_token',
  INPUT_TOKEN: 'ghs_fake_input_token',
  PRIVATE_KEY: '-----BEGIN FAKE KEY-----',
  AWS_SECRET_ACCESS_KEY: 'fake-aws-secret',
  PAGERDUTY_ROUTING_KEY: 'fake-pagerduty-key',
  FLEETWAVE_APP_PRIVATE_KEY: 'fake-app-key',
};
const saved = new Map<string, string | undefined>();
const temps: string[] = [];

beforeAll(() => {
  for (const [k, v] of Object.entries(SECRETS)) {
    saved.set(k, process.env[k]);
    process.env[k] = v;
  }
});
afterAll(() => {
  for (const [k, v] of saved) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  temps.forEach(removeDir);
});

function setup(moduleText: string, options: Record<string, unknown> = {}) {
  const repo = tempDir();
  const manifestDir = tempDir('fw-manifest-');
  temps.push(repo, manifestDir);
  writeTree(repo, { 'src/a.ts': 'export const a = 1;\n' });
  writeTree(manifestDir, { 'codemods/t.ts': moduleText });
  return { manifest: manifestWith([{ codemod: { module: './codemods/t.ts', ...options } }]), repo: 'acme/recs', dir: repo, manifestDir };
}

async function failure(p: Promise<unknown>): Promise<CodemodError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CodemodError);
  return err as CodemodError;
}

/** The command lines of the processes running now that contain `marker`. */
function running(marker: string): string[] {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(marker));
}

const UNSHARE = 'unshare';
const hostNamespaces =
  process.platform === 'linux' && spawnSync(UNSHARE, ['-r', '-p', '--fork', '--kill-child', '-n', 'true']).status === 0;

describe.each([
  ['with the namespaces this host allows', false],
  ['without namespaces (FLEETWAVE_NO_NAMESPACES=1, as on a host without user namespaces)', true],
])('a custom codemod runs with nothing it does not need, %s', (_, off) => {
  const namespaces = hostNamespaces && !off;
  beforeAll(() => {
    if (off) process.env.FLEETWAVE_NO_NAMESPACES = '1';
  });
  afterAll(() => {
    delete process.env.FLEETWAVE_NO_NAMESPACES;
  });

  it('sees none of our secrets, and a HOME and working folder of its own', async () => {
    const ctx = setup(
      `export default function (file) { file.insertText(0, '// ' + JSON.stringify({ env: process.env, cwd: process.cwd() }) + '\\n'); }`,
    );
    const set = await new CodemodEngine().compute(ctx);
    const seen = JSON.parse(set.edits[0]!.after!.split('\n')[0]!.slice(3)) as { env: Record<string, string>; cwd: string };
    for (const [name, value] of Object.entries(SECRETS)) {
      expect(seen.env[name]).toBeUndefined();
      expect(JSON.stringify(seen.env)).not.toContain(value);
    }
    expect(Object.keys(seen.env).filter((k) => /^(INPUT|ACTIONS|RUNNER|GITHUB|NODE_OPTIONS|npm_)/i.test(k))).toEqual([]);
    expect(seen.env.HOME).not.toBe(process.env.HOME);
    expect(seen.env.HOME).toContain('fw-codemod-run-');
    expect(seen.cwd).toContain('fw-codemod-run-');
    expect(seen.cwd).not.toBe(process.cwd());
  });

  it('is killed at its timeout with every process it started, even one that left its process group', async () => {
    const marker = `${Math.floor(Math.random() * 1e6) + 1000}.${process.pid}`;
    const ctx = setup(
      `const { spawn } = require('node:child_process');
       export default function () {
         spawn('sleep', ['${marker}1'], { stdio: 'ignore' }).unref();
         if (${namespaces}) spawn('sleep', ['${marker}2'], { stdio: 'ignore', detached: true }).unref();
         const until = Date.now() + 60_000; while (Date.now() < until) {}
       }`,
      { timeout: '2s' },
    );
    const err = await failure(new CodemodEngine().compute(ctx));
    expect(err.message).toContain('timed out after 2s');
    let left = running(marker);
    for (let i = 0; i < 20 && left.length; i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = running(marker);
    }
    expect(left).toEqual([]);
  });

  it('dies at its memory limit when it allocates Buffers, with a clear CodemodError', async () => {
    const ctx = setup(`export default function () { const keep = []; for (;;) keep.push(Buffer.alloc(32 * 1024 * 1024, 1)); }`, {
      memoryMiB: 128,
      timeout: '30s',
    });
    const t0 = Date.now();
    const err = await failure(new CodemodEngine().compute(ctx));
    expect(err.message).toContain('exceeded its memory limit of 128 MiB');
    expect(Date.now() - t0).toBeLessThan(15_000);
  });

  (namespaces ? it : it.skip)('has no network where the host allows user namespaces', async () => {
    const server: Server = createServer((s) => s.end('hello'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const ctx = setup(
        `const net = require('node:net');
         export default async function (file) {
           const outcome = await new Promise((resolve) => {
             const s = net.connect(${port}, '127.0.0.1');
             s.on('data', () => { resolve('connected'); s.destroy(); });
             s.on('error', (e) => resolve('refused: ' + e.code));
             setTimeout(() => resolve('timeout'), 3000);
           });
           file.insertText(0, '// ' + outcome + '\\n');
         }`,
      );
      const set = await new CodemodEngine().compute(ctx);
      expect(set.edits[0]!.after).toMatch(/^\/\/ refused: /);
    } finally {
      server.close();
    }
  });
});

describe('a custom codemod asks for bounded limits', () => {
  it('refuses a timeout over 10 minutes and more than 4096 MiB, saying the cap', () => {
    const parse = (codemod: unknown) => manifestSchema.safeParse({ ...manifestWith([]), changes: [{ codemod }] });
    const long = parse({ module: './t.ts', timeout: '20d' });
    expect(long.success).toBe(false);
    expect(JSON.stringify(long.error?.issues)).toContain('at most 10m');
    const big = parse({ module: './t.ts', memoryMiB: 8192 });
    expect(big.success).toBe(false);
    expect(JSON.stringify(big.error?.issues)).toContain('at most 4096');
    expect(parse({ module: './t.ts', timeout: '10m', memoryMiB: 4096 }).success).toBe(true);
  });
});
