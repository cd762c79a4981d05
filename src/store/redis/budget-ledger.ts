/**
 * The budget ledger in Redis (src/store/budget-ledger.ts), when FLEETWAVE_BUDGET_REDIS_URL names a
 * server: for a platform that would rather keep this traffic off its database. Every process given the
 * same server counts in the same keys. An installation's sends of the last hour are a sorted set
 * (`fleetwave:budget:{<installation>}:sends`, scored by time, expiring an hour after the last send) and
 * its hold a string (`…:hold`, the time it ends); the hash tag `{…}` keeps both on one node
 * of a cluster. A send is checked and recorded by one Lua script, which Redis runs atomically ("Redis
 * guarantees the script's atomic execution", Redis's "Scripting with Lua"), with the rule every ledger uses
 * (`sendWait`, in Lua). Client: @redis/client (docs/decisions/0014-redis-client.md).
 */
import { createClient } from '@redis/client';
import { redactUrl } from '../redact-url.js';
import { StateError } from '../../util/errors.js';
import { type BudgetLedger, HOUR_MS, MINUTE_MS, type SendLimits } from '../budget-ledger.js';

/** KEYS: sends, hold. ARGV: now, perMinute, perHour, minGapMs, a unique member. Returns 0 (recorded) or the wait in ms. */
const TRY_SEND = `
local now = tonumber(ARGV[1])
local perMinute = tonumber(ARGV[2])
local perHour = tonumber(ARGV[3])
local gap = tonumber(ARGV[4])
local minute = tonumber(ARGV[6])
local hour = tonumber(ARGV[7])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - hour)
local wait = 0
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if last[2] then wait = math.max(wait, tonumber(last[2]) + gap - now) end
local m = redis.call('ZRANGE', KEYS[1], '+inf', '(' .. (now - minute), 'BYSCORE', 'REV', 'LIMIT', perMinute - 1, 1, 'WITHSCORES')
if m[2] then wait = math.max(wait, tonumber(m[2]) + minute - now) end
local h = redis.call('ZRANGE', KEYS[1], '+inf', '(' .. (now - hour), 'BYSCORE', 'REV', 'LIMIT', perHour - 1, 1, 'WITHSCORES')
if h[2] then wait = math.max(wait, tonumber(h[2]) + hour - now) end
local held = tonumber(redis.call('GET', KEYS[2]) or '0')
wait = math.max(wait, held - now)
if wait > 0 then return wait end
redis.call('ZADD', KEYS[1], now, ARGV[5])
redis.call('PEXPIRE', KEYS[1], hour)
return 0
`;

/** KEYS: hold. ARGV: until. Keeps the later hold (one small key per installation, as the SQL ledgers keep a row). */
const HOLD = `
local untilMs = tonumber(ARGV[1])
local held = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > held then redis.call('SET', KEYS[1], untilMs) end
return 0
`;

type Client = ReturnType<typeof createClient>;

export class RedisBudgetLedger implements BudgetLedger {
  private seq = 0;

  private constructor(
    private readonly client: Client,
    private readonly location: string,
    private readonly prefix: string,
  ) {}

  /**
   * Connects to `url` (`redis://[:password@]host:6379[/db]`, `rediss://` for TLS); a StateError names it
   * (without its password) when it cannot. `prefix` begins every key (default `fleetwave:budget`).
   */
  static async open(url: string, options: { prefix?: string } = {}): Promise<RedisBudgetLedger> {
    const location = redactUrl(url);
    let connected = false;
    const client = createClient({
      url,
      // A command while the connection is down fails at once (the request waits for no reconnect).
      disableOfflineQueue: true,
      socket: {
        connectTimeout: 10_000,
        // The first connection fails at once (an Error of this realm: the client tells an Error by instanceof);
        // a lost one is tried again, every 100 ms more up to 3 s.
        reconnectStrategy: (retries: number, cause: Error) =>
          connected ? Math.min(100 * (retries + 1), 3_000) : new Error(cause.message, { cause }),
      },
    });
    // Errors reach the callers of each command; the client's own event would otherwise end the process.
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (err) {
      throw new StateError(
        `FLEETWAVE_BUDGET_REDIS_URL ${location}: cannot connect (${(err as Error).message}); check the host, port and password, or unset it to count in the store`,
        { cause: err },
      );
    }
    connected = true;
    return new RedisBudgetLedger(client as Client, location, options.prefix ?? 'fleetwave:budget');
  }

  async trySend(key: string, now: number, limits: SendLimits): Promise<number> {
    now = Math.round(now);
    const member = `${now}:${process.pid}:${++this.seq}:${Math.random().toString(36).slice(2, 8)}`;
    const args = [now, limits.perMinute, limits.perHour, limits.minGapMs, member, MINUTE_MS, HOUR_MS].map(String);
    const wait = await this.run(() =>
      this.client.eval(TRY_SEND, { keys: [this.key(key, 'sends'), this.key(key, 'hold')], arguments: args }),
    );
    return Math.max(0, Number(wait));
  }

  async holdWait(key: string, now: number): Promise<number> {
    const held = await this.run(() => this.client.get(this.key(key, 'hold')));
    return Math.max(0, Number(held ?? 0) - now);
  }

  async hold(key: string, until: number): Promise<void> {
    await this.run(() => this.client.eval(HOLD, { keys: [this.key(key, 'hold')], arguments: [String(Math.round(until))] }));
  }

  async close(): Promise<void> {
    await this.client.close().catch(() => undefined);
  }

  private key(installation: string, what: 'sends' | 'hold'): string {
    return `${this.prefix}:{${installation}}:${what}`;
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (err) {
      throw new StateError(`${this.location}: the request budget's ledger: ${(err as Error).message}`, { cause: err });
    }
  }
}
