/**
 * A consumer's check does not outlive a crashed Fleetwave: `fleetwave run` is SIGKILLed while the local
 * forge runs a check that would take minutes (the timer that would stop it dies with the CLI). What the
 * CLI started goes with it (src/util/confine.ts, `dieWithParent`), so no orphan keeps the machine busy.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli } from '../../helpers/cli-process.js';
import { hostProcesses, leftBehind, until } from '../../helpers/host-processes.js';
import { oneWaveManifest, smallFleet } from '../../helpers/local-fleet.js';

jest.setTimeout(120_000);

/** Named on the check's command line (found in /proc) and in the file it touches when it starts. */
const marker = `fleetwave-slow-check-${process.pid}-${Date.now()}`;
const started = join(tmpdir(), `${marker}.started`);
let fleet: Awaited<ReturnType<typeof smallFleet>>;

beforeAll(async () => {
  fleet = await smallFleet(['acme/slow'], `#!/bin/sh\ntouch '${started}'\nexec node -e 'setInterval(() => {}, 1000)' '${marker}'\n`);
});
afterAll(() => {
  fleet.cleanup();
  rmSync(started, { force: true });
});

describe('a check running when the CLI is killed', () => {
  it('is killed with it', async () => {
    const manifest = join(fleet.root, 'events-v2.yaml');
    writeFileSync(manifest, oneWaveManifest());
    const cli = await startCli(['run', manifest, '--fleet', fleet.fleet, '--state', fleet.state, '--json']);
    await until(() => existsSync(started) && hostProcesses(marker).length > 0, 90_000);
    cli.child.kill('SIGKILL');
    expect((await cli.exited).signal).toBe('SIGKILL');
    expect(await leftBehind(marker)).toEqual([]);
  });
});
