/**
 * Threat: a consumer's local check (`.fleetwave/check`, `npm test`) is the consumer's code (issue #14,
 * finding 5). It must not see our secrets (even ones the operator put in the check environment by
 * mistake), nor write into Fleetwave's own node_modules, nor take unbounded memory.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CheckRunner } from '../../src/forge/local/checks.js';
import { createLocalRepo } from '../../src/forge/local/index.js';
import { FleetLayout } from '../../src/forge/local/layout.js';
import { silentLogger } from '../../src/util/log.js';
import { tempFleet, type TempFleet } from '../forge/local/fleet-helpers.js';

const SECRETS = {
  GITHUB_TOKEN: 'ghs_fake_github_token',
  INPUT_TOKEN: 'ghs_fake_input_token',
  PRIVATE_KEY: '-----BEGIN FAKE KEY-----',
  AWS_SECRET_ACCESS_KEY: 'fake-aws-secret',
  PAGERDUTY_ROUTING_KEY: 'fake-pagerduty-key',
  BACKSTAGE_TOKEN: 'fake-backstage-token',
};
const saved = new Map<string, string | undefined>();
let t: TempFleet;
let toolchain: string;
let n = 0;

beforeAll(() => {
  for (const [k, v] of Object.entries(SECRETS)) {
    saved.set(k, process.env[k]);
    process.env[k] = v;
  }
  t = tempFleet();
  toolchain = join(t.root, 'toolchain', 'node_modules');
  mkdirSync(join(toolchain, 'fake-lib'), { recursive: true });
  writeFileSync(join(toolchain, 'fake-lib', 'index.js'), 'module.exports = 42;\n');
  writeFileSync(join(toolchain, 'fake-lib', 'package.json'), '{"name":"fake-lib","main":"index.js"}\n');
});
afterAll(() => {
  for (const [k, v] of saved) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  t.cleanup();
});

/** Run `files`' checks once with a fresh runner; the result and the whole output. */
async function check(
  files: Record<string, string>,
  options: { env?: Record<string, string>; memoryMiB?: number; timeoutMs?: number } = {},
) {
  const repo = `acme/r${++n}`;
  const { gitDir, sha } = await createLocalRepo(t.fleet, repo, files);
  const runner = new CheckRunner({
    layout: new FleetLayout(t.fleet),
    timeoutMs: options.timeoutMs ?? 20_000,
    concurrency: 1,
    toolchainNodeModules: toolchain,
    env: options.env,
    memoryMiB: options.memoryMiB,
    logger: silentLogger,
    now: () => new Date(),
  });
  const summary = await runner.checksFor(repo, gitDir, sha);
  const url = summary.runs[0]?.url;
  return { summary, output: url ? readFileSync(fileURLToPath(url), 'utf8') : '' };
}

describe('a local check runs with nothing it does not need', () => {
  it('sees none of our secrets, nor the ones the operator passed by mistake, and has a HOME of its own', async () => {
    const { summary, output } = await check(
      { '.fleetwave/check': '#!/bin/sh\nenv\necho "HOME=$HOME"\n' },
      { env: { OPERATOR_SETTING: 'kept', NPM_TOKEN: 'fake-npm-token', FLEETWAVE_STORE_TOKEN: 'fake-store' } },
    );
    expect(summary.state).toBe('success');
    for (const value of [...Object.values(SECRETS), 'fake-npm-token', 'fake-store']) expect(output).not.toContain(value);
    expect(output).not.toMatch(/^(INPUT_|ACTIONS_|GITHUB_|AWS_|NODE_OPTIONS=|npm_lifecycle)/m);
    expect(output).toContain('OPERATOR_SETTING=kept');
    expect(output).toMatch(/^FLEETWAVE_REPO=acme\/r\d+$/m);
    expect(output).not.toContain(`HOME=${process.env.HOME}\n`);
  });

  it('cannot write into the toolchain node_modules through its checkout, yet can use it', async () => {
    const script = [
      '#!/bin/sh',
      'node -e "process.exit(require(\'fake-lib\') === 42 ? 0 : 1)" || { echo "fake-lib not found"; exit 1; }',
      'lib=$(node -p "require.resolve(\'fake-lib\')")',
      'echo "module.exports = 666;" > "$lib" 2>/dev/null',
      'echo "module.exports = 666;" > node_modules/fake-lib/index.js 2>/dev/null',
      'echo "module.exports = 666;" > ../node_modules/fake-lib/index.js 2>/dev/null',
      'touch ../node_modules/planted node_modules/planted 2>/dev/null',
      'exit 0',
    ].join('\n');
    const { summary, output } = await check({ '.fleetwave/check': `${script}\n` });
    expect(output).not.toContain('fake-lib not found');
    expect(summary.state).toBe('success');
    expect(readFileSync(join(toolchain, 'fake-lib', 'index.js'), 'utf8')).toBe('module.exports = 42;\n');
    expect(spawnSync('ls', [join(toolchain, 'planted')]).status).not.toBe(0);
  });

  it('is stopped by its memory limit when it allocates Buffers', async () => {
    const hog = `node -e "const k = []; try { for (;;) k.push(Buffer.alloc(32 << 20, 1)); } catch (e) { console.log('allocated', k.length * 32, 'MiB:', e.message); process.exit(3); }"`;
    const { summary, output } = await check({ '.fleetwave/check': `#!/bin/sh\n${hog}\n` }, { memoryMiB: 256 });
    expect(summary.state).toBe('failure');
    const allocated = Number(/allocated (\d+) MiB: Array buffer allocation failed/.exec(output)?.[1]);
    expect(allocated).toBeLessThanOrEqual(256);
  });
});
