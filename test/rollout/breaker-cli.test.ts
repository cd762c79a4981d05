/**
 * `fleetwave breaker` and `fleetwave status` over a real SQLite store: the breaker's state, its reset
 * (journalled with who, for each migration of the fleet), and the exit codes.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bufferIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { closedBreaker, DEFAULT_BREAKER_POLICY, recordOutcomes } from '../../src/rollout/breaker.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'fleetwave-breaker-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]) {
  const io = bufferIO();
  const code = await main(args, io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

describe('fleetwave breaker', () => {
  it('shows an open breaker (exit 3), resets it with who in the journal, then shows it closed (exit 0)', async () => {
    const state = join(dir, 'fleetwave.sqlite');
    const fleet = join(dir, 'fleet');
    const store = openSqliteStore(state);
    const now = new Date();
    for (const migration of ['alpha', 'beta']) {
      const id = await store.startRun({
        migration,
        manifestPath: `${migration}.yaml`,
        manifestHash: `h-${migration}`,
        fleet,
        startedAt: now.toISOString(),
      });
      await store.finishRun(id, 'paused', null);
    }
    const failures = Array.from({ length: 5 }, (_, i) => ({ at: now.toISOString(), ok: false, migration: 'alpha', target: `acme/r${i}` }));
    await store.setBreaker(recordOutcomes(closedBreaker(fleet), failures, DEFAULT_BREAKER_POLICY, now));
    await store.close();

    const shown = await cli(['breaker', '--state', state, '--json']);
    expect(shown.code).toBe(3);
    const json = JSON.parse(shown.out) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- CLI JSON read back
    expect(json).toMatchObject({ key: fleet, state: 'open', window: { failures: 5, outcomes: 5 } });
    expect(json.reason).toContain('5 failures in 5 outcomes');
    expect(Date.parse(json.halfOpenAt) - Date.parse(json.openedAt)).toBe(DEFAULT_BREAKER_POLICY.coolDownMs);

    const status = await cli(['status', 'alpha', '--state', state, '--json']);
    expect(JSON.parse(status.out).breaker).toMatchObject({ state: 'open' });

    const reset = await cli(['breaker', '--state', state, '--fleet', fleet, '--reset', '--by', 'dana']);
    expect(reset.code).toBe(0);
    expect(reset.out).toContain(`circuit breaker of ${fleet}: closed (reset by dana)`);

    const again = openSqliteStore(state);
    expect(await again.getBreaker(fleet)).toMatchObject({ state: 'closed', outcomes: [], canary: null });
    const resets = (await again.events()).filter((e) => e.action === 'breaker-reset');
    expect(resets.map((e) => [e.migration, e.detail.by, e.detail.was])).toEqual([
      ['beta', 'dana', 'open'],
      ['alpha', 'dana', 'open'],
    ]);
    await again.close();
    expect((await cli(['status', 'alpha', '--state', state])).out).toContain('circuit breaker: closed');
  });

  it('says what to do when the store has no migration', async () => {
    const state = join(dir, 'empty.sqlite');
    await openSqliteStore(state).close();
    const r = await cli(['breaker', '--state', state]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('pass --fleet <dir>');
  });
});
