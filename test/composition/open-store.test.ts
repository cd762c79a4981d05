/**
 * The one reading of the store setting (src/composition/open-store.ts): a file path is SQLite (the
 * JSON file for the Action), postgres:// and postgresql:// are PostgreSQL, any other scheme is refused
 * with an InputError naming the value (without its password) and what is accepted — where before
 * `--state postgres://…` quietly made a SQLite file named `postgres:`. The request budget's ledger comes
 * with the store: one count for everything opening the same SQLite file or PostgreSQL URL.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openStore, stateLocation } from '../../src/composition/open-store.js';
import { bufferIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { InputError } from '../../src/util/errors.js';
import { dropDatabases, freshDatabase, sayWhenSkipped, WITH_POSTGRES } from '../store/postgres-test-db.js';

const dir = mkdtempSync(join(tmpdir(), 'fleetwave-open-store-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await dropDatabases();
});
sayWhenSkipped('test/composition/open-store.test.ts');

describe('stateLocation', () => {
  it('reads a file path as SQLite (or JSON where the entry point keeps one), resolved', () => {
    expect(stateLocation('.fleetwave/fleetwave.sqlite')).toEqual({ kind: 'sqlite', path: resolve('.fleetwave/fleetwave.sqlite') });
    expect(stateLocation('/srv/state.json', 'state-path', 'json')).toEqual({ kind: 'json', path: '/srv/state.json' });
    expect(stateLocation('C:store.sqlite')).toMatchObject({ kind: 'sqlite' }); // one letter: a drive, not a scheme
  });

  it('reads postgres:// and postgresql:// as PostgreSQL, the URL as given', () => {
    expect(stateLocation('postgres://fw:secret@db:5432/fleetwave')).toEqual({
      kind: 'postgres',
      url: 'postgres://fw:secret@db:5432/fleetwave',
    });
    expect(stateLocation('PostgreSQL://db/fleetwave?sslmode=require')).toMatchObject({ kind: 'postgres' });
  });

  it('refuses any other scheme, naming the setting, the value without its password, and the accepted forms', () => {
    const refused = (value: string, setting?: string) => {
      try {
        stateLocation(value, setting);
      } catch (err) {
        expect(err).toBeInstanceOf(InputError);
        return (err as Error).message;
      }
      throw new Error(`${value} was accepted`);
    };
    const message = refused('mysql://root:hunter2@db/fw', 'FLEETWAVE_STATE');
    expect(message).toContain('FLEETWAVE_STATE mysql://root:***@db/fw');
    expect(message).toContain("'mysql:' is no store Fleetwave knows");
    expect(message).toContain('a file path (SQLite), or postgres://user:password@host:5432/database (PostgreSQL)');
    expect(message).not.toContain('hunter2');
    expect(refused('sqlite:///tmp/x.db')).toContain("'sqlite:'");
    expect(refused('postgres:fleetwave')).toContain('a PostgreSQL URL starts with postgres://');
    expect(refused('  ')).toContain('--state is empty');
  });
});

describe('the CLI', () => {
  it('refuses an unknown scheme with exit 2 and creates no file named after it', async () => {
    const io = bufferIO();
    const code = await main(['status', '--state', 'redis://cache:6379/0'], io);
    expect(code).toBe(2);
    expect(io.stderr.join('')).toContain("--state redis://cache:6379/0: 'redis:' is no store Fleetwave knows");
    expect(existsSync('redis:')).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});

(WITH_POSTGRES ? describe : describe.skip)('a postgres:// URL', () => {
  it('opens the PostgreSQL store, which names itself by the URL without its password', async () => {
    const url = new URL(await freshDatabase());
    url.password = 'not-needed-with-trust';
    const store = await openStore(url.toString());
    try {
      expect(store.location).toContain('***');
      expect(store.location).not.toContain('not-needed-with-trust');
      await store.startRun({
        migration: 'm',
        manifestPath: 'm.yaml',
        manifestHash: 'h',
        fleet: 'f',
        startedAt: '2026-01-01T00:00:00.000Z',
      });
      expect((await store.migrations()).map((r) => r.migration)).toEqual(['m']);
    } finally {
      await store.close();
    }
  });

  it('says which server it could not reach, and what to check', async () => {
    await expect(openStore('postgres://fw:pw@127.0.0.1:1/nowhere')).rejects.toThrow(
      /cannot open the PostgreSQL store postgres:\/\/fw:\*\*\*@127\.0\.0\.1:1\/nowhere: .*Check that the server runs/,
    );
  });
});

describe('the request budget follows the store setting', () => {
  const T0 = Date.UTC(2026, 11, 7, 9);
  const limits = { perMinute: 80, perHour: 500, minGapMs: 1000 };
  const sharedBy: [string, () => Promise<string>][] = [
    ['a SQLite file', async () => join(dir, 'budget.sqlite')],
    ...(WITH_POSTGRES ? ([['a PostgreSQL URL', freshDatabase]] as [string, () => Promise<string>][]) : []),
  ];

  it.each(sharedBy)('is one count for every process opening %s (two opens here stand for two replicas)', async (_, where) => {
    const value = await where();
    const a = await openStore(value);
    const b = await openStore(value);
    try {
      expect(await a.budgetLedger.trySend('42', T0, limits)).toBe(0);
      expect(await b.budgetLedger.trySend('42', T0 + 100, limits)).toBe(900);
      await b.budgetLedger.hold('42', T0 + 30_000);
      expect(await a.budgetLedger.holdWait('42', T0 + 10_000)).toBe(20_000);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("is the run's own with the Action's JSON file", async () => {
    const file = join(dir, 'budget.json');
    const a = await openStore(file, { files: 'json' });
    const b = await openStore(file, { files: 'json' });
    expect(await a.budgetLedger.trySend('42', T0, limits)).toBe(0);
    expect(await b.budgetLedger.trySend('42', T0 + 100, limits)).toBe(0);
    await a.close();
    await b.close();
  });
});
