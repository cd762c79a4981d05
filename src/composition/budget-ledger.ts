/**
 * Where the request budget of the App and of the workers that carry out its jobs counts its sends and
 * rate-limit holds (src/store/budget-ledger.ts): in Redis when FLEETWAVE_BUDGET_REDIS_URL names a
 * server, else in the store's own ledger (shared by every process on the same SQLite file or
 * PostgreSQL database). Every process that talks to GitHub for the App must choose alike, or they
 * count in two places: both entry points come here. docs/operations.md, "One request budget across
 * processes".
 */
import type { BudgetLedger, SendLimits, WithBudgetLedger } from '../store/budget-ledger.js';
import type { RedisBudgetLedger } from '../store/redis/budget-ledger.js';
import { redactUrl } from '../store/redact-url.js';
import { InputError } from '../util/errors.js';

export const BUDGET_REDIS_ENV = 'FLEETWAVE_BUDGET_REDIS_URL';

export interface OpenedLedger {
  ledger: BudgetLedger;
  /** Where it counts, for the log: `redis://host:6379` (no password) or the store's location. */
  where: string;
  /** Connects now (Redis), so that a server that cannot be reached stops the process at start. */
  ready(): Promise<void>;
  /** Closes what was opened for it (the Redis connection); the store's ledger closes with the store. */
  close(): Promise<void>;
}

/** The Redis ledger, connected on first use (and again after a failed connection). */
class RedisOnDemand implements BudgetLedger {
  private opened: Promise<RedisBudgetLedger> | undefined;

  constructor(private readonly url: string) {}

  connect(): Promise<RedisBudgetLedger> {
    this.opened ??= import('../store/redis/budget-ledger.js')
      .then(({ RedisBudgetLedger }) => RedisBudgetLedger.open(this.url))
      .catch((err: unknown) => {
        this.opened = undefined;
        throw err;
      });
    return this.opened;
  }

  async trySend(key: string, now: number, limits: SendLimits): Promise<number> {
    return (await this.connect()).trySend(key, now, limits);
  }

  async holdWait(key: string, now: number): Promise<number> {
    return (await this.connect()).holdWait(key, now);
  }

  async hold(key: string, until: number): Promise<void> {
    await (await this.connect()).hold(key, until);
  }

  async close(): Promise<void> {
    const opened = this.opened;
    this.opened = undefined;
    if (opened) await (await opened.catch(() => null))?.close();
  }
}

/** The ledger the settings in `env` choose, without connecting yet; an InputError for a value that is no Redis URL. */
export function budgetLedgerFor(store: WithBudgetLedger & { location: string }, env: NodeJS.ProcessEnv = process.env): OpenedLedger {
  const url = env[BUDGET_REDIS_ENV]?.trim();
  if (!url) return { ledger: store.budgetLedger, where: store.location, ready: async () => undefined, close: async () => undefined };
  if (!/^rediss?:\/\//i.test(url))
    throw new InputError(
      `${BUDGET_REDIS_ENV}=${redactUrl(url)}: expected redis://[:password@]host:6379[/db] (rediss:// for TLS), or unset it`,
    );
  // Loaded only when chosen, as the store implementations are (src/composition/open-store.ts).
  const ledger = new RedisOnDemand(url);
  return { ledger, where: redactUrl(url), ready: async () => void (await ledger.connect()), close: () => ledger.close() };
}

/** `budgetLedgerFor`, connected: a Redis server that cannot be reached is a StateError now, not at the first request. */
export async function openBudgetLedger(
  store: WithBudgetLedger & { location: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<OpenedLedger> {
  const opened = budgetLedgerFor(store, env);
  await opened.ready();
  return opened;
}
