/**
 * Where the App's request budget counts its sends and rate-limit holds (src/store/budget-ledger.ts):
 * in Redis when FLEETWAVE_BUDGET_REDIS_URL names a server, else in the store's own ledger (shared by
 * every process on the same SQLite file or PostgreSQL database). docs/operations.md, "One request
 * budget across processes".
 */
import type { BudgetLedger, WithBudgetLedger } from '../store/budget-ledger.js';
import { redactUrl } from '../store/redact-url.js';
import { InputError } from '../util/errors.js';

export const BUDGET_REDIS_ENV = 'FLEETWAVE_BUDGET_REDIS_URL';

export interface OpenedLedger {
  ledger: BudgetLedger;
  /** Where it counts, for the log: `redis://host:6379` (no password) or the store's location. */
  where: string;
  /** Closes what was opened for it (the Redis connection); the store's ledger closes with the store. */
  close(): Promise<void>;
}

export async function openBudgetLedger(
  store: WithBudgetLedger & { location: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<OpenedLedger> {
  const url = env[BUDGET_REDIS_ENV]?.trim();
  if (!url) return { ledger: store.budgetLedger, where: store.location, close: async () => undefined };
  if (!/^rediss?:\/\//i.test(url))
    throw new InputError(
      `${BUDGET_REDIS_ENV}=${redactUrl(url)}: expected redis://[:password@]host:6379[/db] (rediss:// for TLS), or unset it`,
    );
  // Loaded only when chosen, as the store implementations are (src/composition/open-store.ts).
  const { RedisBudgetLedger } = await import('../store/redis/budget-ledger.js');
  const ledger = await RedisBudgetLedger.open(url);
  return { ledger, where: redactUrl(url), close: () => ledger.close() };
}
