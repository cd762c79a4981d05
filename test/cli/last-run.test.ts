/** The commands that act on a migration by name (approve, resume, rollback) find it the same way. */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bufferIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'fw-last-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const state = join(dir, 'state.sqlite');
const store = openSqliteStore(state);
await store.startRun({
  migration: 'play-events-v2',
  manifestPath: join(dir, 'm.yaml'),
  manifestHash: 'h',
  fleet: dir,
  startedAt: new Date().toISOString(),
});
await store.close();

describe.each(['approve', 'resume', 'rollback'])('fleetwave %s <migration>', (command) => {
  it('says there is no store, and how to name one, exit 2', async () => {
    const io = bufferIO();
    expect(await main([command, 'play-events-v2', '--state', join(dir, 'missing.sqlite')], io)).toBe(2);
    expect(io.stderr.join('')).toMatch(/no store at .*missing\.sqlite.*--state <file or postgres:\/\/ URL>/);
  });

  it('names the migrations the store knows when the name is wrong, exit 2', async () => {
    const io = bufferIO();
    expect(await main([command, 'play-events-v3', '--state', state], io)).toBe(2);
    expect(io.stderr.join('')).toContain('no migration named play-events-v3');
    expect(io.stderr.join('')).toContain('known: play-events-v2');
  });
});
