/**
 * A custom codemod does not outlive a crashed Fleetwave: `fleetwave codemod` is SIGKILLed while a
 * transform loops (the timer that would stop it dies with the CLI). The child that runs it goes with the
 * CLI (src/util/confine.ts, `dieWithParent`), so no orphan spins a core.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli } from '../helpers/cli-process.js';
import { hostProcesses, leftBehind, until } from '../helpers/host-processes.js';

jest.setTimeout(120_000);

/** The transform names its process after this (process.title), so the test finds it in /proc. */
// short: a process title cannot be longer than the command line it replaces
const marker = `fwloop-${process.pid}-${Date.now() % 1_000_000}`;
let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'fleetwave-codemod-crash-'));
  mkdirSync(join(root, 'manifests', 'codemods'), { recursive: true });
  writeFileSync(
    join(root, 'manifests', 'codemods', 'loop.ts'),
    `process.title = ${JSON.stringify(marker)};\nexport default function loop(): void {\n  for (;;) {\n    // never returns\n  }\n}\n`,
  );
  writeFileSync(
    join(root, 'manifests', 'events-v2.yaml'),
    `apiVersion: fleetwave/v1
kind: DatasetMigration
metadata: { name: events-v2, owner: data-platform }
dataset:
  source: { uri: data/events/v1/, format: avro }
  target: { uri: data/events/v2/, format: parquet }
  gate: none
consumers:
  discover: [{ search: data/events/v1 }]
changes:
  - codemod: { module: codemods/loop.ts, timeout: 10m }
`,
  );
  mkdirSync(join(root, 'consumer', 'src'), { recursive: true });
  writeFileSync(join(root, 'consumer', 'src', 'read.ts'), "export const uri = 'data/events/v1/';\n");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a custom codemod running when the CLI is killed', () => {
  it('is killed with it', async () => {
    const cli = await startCli([
      'codemod',
      join(root, 'manifests', 'events-v2.yaml'),
      join(root, 'consumer'),
      '--dry-run',
      '--manifest-dir',
      join(root, 'manifests'),
    ]);
    await until(() => hostProcesses(marker).length > 0, 90_000);
    cli.child.kill('SIGKILL');
    expect((await cli.exited).signal).toBe('SIGKILL');
    expect(await leftBehind(marker)).toEqual([]);
  });
});
