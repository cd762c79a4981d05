/**
 * Where the App's request budget counts (src/composition/budget-ledger.ts): the store's ledger unless
 * FLEETWAVE_BUDGET_REDIS_URL names a Redis server (a real one, test/store/redis-test-server.ts); a value
 * that is no Redis URL, or a server that does not answer, is refused at start with the setting named
 * and no password shown.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { budgetLedgerFor, openBudgetLedger } from '../../src/composition/budget-ledger.js';
import { openStore } from '../../src/composition/open-store.js';
import { InputError, StateError } from '../../src/util/errors.js';
import { redisUrl, sayWhenRedisSkipped, WITH_REDIS } from '../store/redis-test-server.js';

const dir = mkdtempSync(join(tmpdir(), 'fleetwave-budget-ledger-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
sayWhenRedisSkipped('test/composition/budget-ledger.test.ts');

const T0 = Date.UTC(2026, 11, 7, 9);
const limits = { perMinute: 80, perHour: 500, minGapMs: 1000 };

describe('openBudgetLedger', () => {
  it("is the store's ledger when no Redis is configured", async () => {
    const store = await openStore(join(dir, 'a.sqlite'));
    const opened = await openBudgetLedger(store, {});
    expect(opened.ledger).toBe(store.budgetLedger);
    expect(opened.where).toBe(store.location);
    await opened.close();
    await store.close();
  });

  it('refuses a value that is no Redis URL, naming the setting without the password', async () => {
    const store = await openStore(join(dir, 'b.sqlite'));
    const refused = openBudgetLedger(store, { FLEETWAVE_BUDGET_REDIS_URL: 'http://fw:secret@cache:6379' });
    await expect(refused).rejects.toThrow(InputError);
    await expect(refused).rejects.toThrow(/FLEETWAVE_BUDGET_REDIS_URL=http:\/\/fw:\*\*\*@cache:6379\/?: expected redis:\/\//);
    await store.close();
  });

  it('says which Redis it could not reach, without the password', async () => {
    const store = await openStore(join(dir, 'c.sqlite'));
    // A port nothing listens on: the connection is refused at once.
    const refused = openBudgetLedger(store, { FLEETWAVE_BUDGET_REDIS_URL: 'redis://:secret@127.0.0.1:1' });
    await expect(refused).rejects.toThrow(StateError);
    await expect(refused).rejects.toThrow(/FLEETWAVE_BUDGET_REDIS_URL redis:\/\/:\*\*\*@127.0.0.1:1: cannot connect/);
    await store.close();
  });

  it('chosen without connecting (a worker wires it when it starts), reaches Redis at the first request and names it when it cannot', async () => {
    const store = await openStore(join(dir, 'e.sqlite'));
    const chosen = budgetLedgerFor(store, { FLEETWAVE_BUDGET_REDIS_URL: 'redis://:secret@127.0.0.1:1' });
    expect(chosen.where).toBe('redis://:***@127.0.0.1:1');
    await expect(chosen.ledger.trySend('42', T0, limits)).rejects.toThrow(
      /FLEETWAVE_BUDGET_REDIS_URL redis:\/\/:\*\*\*@127.0.0.1:1: cannot connect/,
    );
    // A failed connection is tried again at the next request, not remembered.
    await expect(chosen.ledger.holdWait('42', T0)).rejects.toThrow(StateError);
    await chosen.close();
    await store.close();
  });

  (WITH_REDIS ? it : it.skip)('counts in Redis when configured: processes on different stores share one budget there', async () => {
    const a = await openStore(join(dir, 'd1.sqlite'));
    const b = await openStore(join(dir, 'd2.sqlite'));
    const env = { FLEETWAVE_BUDGET_REDIS_URL: redisUrl() };
    const la = await openBudgetLedger(a, env);
    const lb = await openBudgetLedger(b, env);
    try {
      const key = `test-${process.pid}-${Date.now()}`;
      expect(la.where).toBe(redisUrl());
      expect(await la.ledger.trySend(key, T0, limits)).toBe(0);
      expect(await lb.ledger.trySend(key, T0 + 250, limits)).toBe(750);
      // The stores' own ledgers saw nothing.
      expect(await b.budgetLedger.trySend(key, T0 + 250, limits)).toBe(0);
      // A worker's choice (not connected at first) counts in the same place.
      const worker = budgetLedgerFor(b, env);
      try {
        expect(await worker.ledger.trySend(key, T0 + 500, limits)).toBe(500);
      } finally {
        await worker.close();
      }
    } finally {
      await la.close();
      await lb.close();
      await a.close();
      await b.close();
    }
  });
});
