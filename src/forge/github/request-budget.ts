/**
 * The request budget: how Fleetwave stays a polite GitHub citizen.
 *
 * - Content-creating requests (POST, PUT, PATCH, DELETE; GraphQL only for mutations) are paced per
 *   installation: at most `perMinute` in any 60 s, `perHour` in any hour, and at least `minGapMs` apart.
 *   GitHub's guidance for integrations is 80/min and 500/h; those are the defaults.
 * - Every request is retried on a rate limit (primary or secondary) after the time GitHub asks for
 *   (`retry-after`, or `x-ratelimit-reset` when `x-ratelimit-remaining` is 0, else a minute growing
 *   with each attempt), and on a transient failure (5xx, or a network error with a transient code:
 *   failure.ts) with exponential backoff and full jitter, when it is safe to send again
 *   (`isSafeToRepeat`: not a POST that creates something, whose effect may have happened). REST answers a rate limit with 403 or 429;
 *   GraphQL answers a primary one with HTTP 200 and an error of type `RATE_LIMITED` (and
 *   `x-ratelimit-remaining: 0`), a secondary one with 200 or 403 (GitHub's "Rate limits and query
 *   limits for the GraphQL API"): all wait alike. GitHub warns that an integration which keeps
 *   retrying while rate limited may be banned, so a request waits at most `maxRateLimitWaits` times;
 *   then it fails with a transient `RateLimitedError`, which the next tick retries. Transient failures
 *   give up after `maxRetries`; any other failure (a 4xx, a `TypeError`) is not retried.
 *
 * Where the sends are counted is a ledger (src/store/budget-ledger.ts): in this process by default, or
 * the store's, shared by every process on the same SQLite file or PostgreSQL database (or Redis:
 * src/composition/budget-ledger.ts), so replicas and workers together keep the limits. A rate-limit answer holds the installation in the ledger until the
 * time GitHub named, and every request of that installation (reads too) in every process sharing the
 * ledger waits for it.
 *
 * The clock, the sleep and the random source are injectable so tests never wait in real time. What
 * the budget sees (every answer's status, every rate-limit wait) goes to an optional observer that
 * the entry point connects (to the metrics: src/composition/github-metrics.ts); the adapter itself
 * records nothing.
 * Installed as an Octokit plugin (`hook.wrap('request')`), so every call made through the client,
 * REST and GraphQL, passes through it.
 */
import type { BudgetLedger } from '../../store/budget-ledger.js';
import { InProcessLedger } from '../../store/memory/budget-ledger.js';
import type { Logger } from '../../util/log.js';
import { RateLimitedError } from '../port.js';
import { answeredStatus, headersOf, isRateLimit, isTransientFailure, type RequestFailure } from './failure.js';

export interface BudgetLimits {
  perMinute: number;
  perHour: number;
  minGapMs: number;
  /** Attempts after the first for transient failures (5xx, network errors). */
  maxRetries: number;
  /** First backoff step; doubled each attempt, capped at `maxBackoffMs`, then fully jittered. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** Wait after a secondary rate limit that names no time (GitHub: "at least one minute"). */
  secondaryDefaultWaitMs: number;
  /** Rate-limit waits of one request before it fails (a transient RateLimitedError: the next tick goes on). */
  maxRateLimitWaits: number;
}

export const DEFAULT_LIMITS: BudgetLimits = {
  perMinute: 80,
  perHour: 500,
  minGapMs: 1000,
  maxRetries: 4,
  baseBackoffMs: 1000,
  maxBackoffMs: 60_000,
  secondaryDefaultWaitMs: 60_000,
  maxRateLimitWaits: 3,
};

/** GraphQL's answer is a rate limit: HTTP 200 whose errors say `RATE_LIMITED`, or a secondary rate limit. */
function graphqlRateLimit(options: Minimal, result: unknown): { status: number; headers: Record<string, string>; message: string } | null {
  if (!(options.url === '/graphql' || options.url.endsWith('/graphql'))) return null;
  const answer = result as { status?: number; headers?: Record<string, unknown>; data?: { errors?: unknown } } | null;
  const errors = Array.isArray(answer?.data?.errors) ? (answer.data.errors as { type?: unknown; message?: unknown }[]) : [];
  const limited = errors.find(
    (e) => e?.type === 'RATE_LIMITED' || (typeof e?.message === 'string' && /secondary rate limit|rate limit exceeded/i.test(e.message)),
  );
  if (!limited) return null;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(answer?.headers ?? {})) if (v !== undefined && v !== null) headers[k.toLowerCase()] = String(v);
  return { status: answer?.status ?? 200, headers, message: typeof limited.message === 'string' ? limited.message : 'RATE_LIMITED' };
}

export interface BudgetClock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Uniform in [0, 1). */
  random(): number;
}

export const realClock: BudgetClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/** Told of what the budget sees; each hook is optional. */
export interface BudgetObserver {
  /** Every attempt's outcome: the HTTP status, 0 when no answer came. */
  onRequest?(status: number): void;
  /** A wait for a rate limit (primary or secondary), in seconds. */
  onRateLimitWait?(seconds: number): void;
}

export interface BudgetStats {
  requests: number;
  contentRequests: number;
  retries: number;
  rateLimitWaits: number;
  /** Total milliseconds slept for pacing and retries. */
  waitedMs: number;
}

interface Minimal {
  method: string;
  url: string;
  query?: unknown;
}

const MINUTE = 60_000;

/** True for requests GitHub counts against its content-creation limits. */
export function isContentCreating(options: Minimal): boolean {
  const method = options.method.toUpperCase();
  if (method === 'GET' || method === 'HEAD') return false;
  if (options.url === '/graphql' || options.url.endsWith('/graphql')) {
    return typeof options.query === 'string' && /^\s*mutation\b/.test(options.query);
  }
  // Minting an installation token creates no content.
  if (/\/app\/installations\/[^/]+\/access_tokens$/.test(options.url) || options.url.includes('/access_tokens')) return false;
  return true;
}

/**
 * Whether a request may be sent again after a transient failure (a 5xx, a reset connection) whose
 * effect is unknown: GitHub may have carried it out before the answer was lost. Reads, the HTTP
 * methods that are idempotent by definition (PUT, PATCH, DELETE: RFC 9110 §9.2.2), GraphQL queries,
 * the Git Data objects (a blob, tree or commit sent twice is one more unreferenced object, never a
 * second visible change) and minting a token are. Every other POST (an issue, a comment, a check run,
 * a pull request, a ref, a re-run, a GraphQL mutation) is not: a repeat could make it twice, so the
 * failure goes to the caller, which looks the effect up before anything is repeated (the engine's
 * re-observation in src/rollout/execute.ts, the App's createOnce in src/alerts/issue-comment-sink.ts).
 */
export function isSafeToRepeat(options: Minimal): boolean {
  const method = options.method.toUpperCase();
  if (method !== 'POST') return true;
  if (options.url === '/graphql' || options.url.endsWith('/graphql')) {
    return !(typeof options.query === 'string' && /^\s*mutation\b/.test(options.query));
  }
  return /\/git\/(blobs|trees|commits)$/.test(options.url) || options.url.includes('/access_tokens');
}

/** One installation's queue in this process: reservations take turns instead of racing for a slot. */
class Lane {
  tail: Promise<void> = Promise.resolve();
}

/** A failed request as the budget reads it (an Octokit `RequestError`, or whatever the call threw). */
export type RequestError = RequestFailure;

/** How long to wait before retrying `err`, or null when it must not be retried. */
export type RetryVerdict = { kind: 'rate-limit' | 'transient'; waitMs: number } | null;

export class RequestBudget {
  readonly limits: BudgetLimits;
  readonly stats: BudgetStats = { requests: 0, contentRequests: 0, retries: 0, rateLimitWaits: 0, waitedMs: 0 };
  private readonly lanes = new Map<string, Lane>();

  constructor(
    limits: Partial<BudgetLimits> = {},
    private readonly clock: BudgetClock = realClock,
    private readonly logger?: Logger,
    private readonly observer: BudgetObserver = {},
    /** Where sends and rate-limit holds are counted: this process's own unless the store's is given. */
    private readonly ledger: BudgetLedger = new InProcessLedger(),
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    if (this.limits.perMinute < 1 || this.limits.perHour < 1)
      throw new RangeError('request budget: perMinute and perHour must be at least 1');
  }

  /** Waits until one content-creating request may go out for `key`, and records it. */
  async reserve(key: string): Promise<void> {
    const lane = this.lane(key);
    const turn = lane.tail.then(() => this.waitForSlot(key));
    lane.tail = turn.catch(() => undefined);
    await turn;
  }

  private lane(key: string): Lane {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = new Lane();
      this.lanes.set(key, lane);
    }
    return lane;
  }

  /** Asks the ledger for a send until it grants one (another process may take the slot it named). */
  private async waitForSlot(key: string): Promise<void> {
    for (;;) {
      const wait = await this.ledger.trySend(key, this.clock.now(), this.limits);
      if (wait <= 0) return;
      await this.sleep(wait);
    }
  }

  /** Waits while a rate limit that any process sharing the ledger was answered holds `key` back. */
  private async waitForHold(key: string): Promise<void> {
    for (;;) {
      const wait = await this.ledger.holdWait(key, this.clock.now());
      if (wait <= 0) return;
      this.logger?.info(
        { installation: key, waitMs: wait },
        'GitHub rate limit: waiting out the hold recorded for this installation (by this or another process on the same store)',
      );
      await this.sleep(wait);
    }
  }

  private async sleep(ms: number): Promise<void> {
    this.stats.waitedMs += ms;
    await this.clock.sleep(ms);
  }

  /**
   * Classifies a failed request: rate limits wait as long as GitHub asks (GitHub refused it, so a
   * repeat is safe), transient errors back off — for requests that are safe to repeat only.
   */
  verdict(err: RequestError, attempt: number, options: Minimal): RetryVerdict {
    if (isRateLimit(err)) return this.rateLimitWait(headersOf(err), attempt);
    if (attempt >= this.limits.maxRetries || !isTransientFailure(err) || !isSafeToRepeat(options)) return null;
    const cap = Math.min(this.limits.maxBackoffMs, this.limits.baseBackoffMs * 2 ** attempt);
    return { kind: 'transient', waitMs: Math.floor(this.clock.random() * cap) };
  }

  /** How long GitHub asks a rate-limited request to wait (its headers), else at least a minute, growing. */
  private rateLimitWait(headers: Record<string, string | undefined>, attempt: number): NonNullable<RetryVerdict> {
    const retryAfter = headers['retry-after'];
    if (retryAfter !== undefined && Number.isFinite(Number(retryAfter))) {
      return { kind: 'rate-limit', waitMs: Math.max(1000, Number(retryAfter) * 1000) };
    }
    if (headers['x-ratelimit-remaining'] === '0' && headers['x-ratelimit-reset'] !== undefined) {
      const resetMs = Number(headers['x-ratelimit-reset']) * 1000;
      return { kind: 'rate-limit', waitMs: Math.max(1000, resetMs - this.clock.now() + 1000) };
    }
    // No time given: wait at least a minute, growing with each attempt.
    const wait = Math.min(this.limits.secondaryDefaultWaitMs * 2 ** Math.min(attempt, 4), 15 * MINUTE);
    return { kind: 'rate-limit', waitMs: wait };
  }

  /** Runs one request under the budget: pacing for content-creating requests, then retries. */
  async run<T>(key: string, options: Minimal, send: () => Promise<T>): Promise<T> {
    this.stats.requests++;
    const content = isContentCreating(options);
    if (content) this.stats.contentRequests++;
    let rateLimitWaits = 0;
    let rateLimitWaitedMs = 0;
    for (let attempt = 0; ; attempt++) {
      if (content) await this.reserve(key);
      else await this.waitForHold(key);
      let verdict: NonNullable<RetryVerdict>;
      let status: number | null;
      let failure: unknown;
      try {
        const result = await send();
        status = (result as { status?: number } | null)?.status ?? 200;
        this.observer.onRequest?.(status);
        const limited = graphqlRateLimit(options, result);
        if (!limited) return result;
        verdict = this.rateLimitWait(limited.headers, attempt);
        failure = new Error(`GitHub GraphQL: ${limited.message}`);
      } catch (err) {
        status = answeredStatus(err);
        this.observer.onRequest?.(status ?? 0);
        const retry = this.verdict(err as RequestError, attempt, options);
        if (!retry) throw err;
        verdict = retry;
        failure = err;
      }
      if (verdict.kind === 'rate-limit') {
        // Every process sharing the ledger holds this installation back as long (also when this request gives up).
        await this.ledger.hold(key, this.clock.now() + verdict.waitMs);
        if (rateLimitWaits >= this.limits.maxRateLimitWaits) {
          throw new RateLimitedError(
            `GitHub rate limit: ${options.method} ${options.url} was still rate limited after ${rateLimitWaits} wait${rateLimitWaits === 1 ? '' : 's'} (${Math.round(rateLimitWaitedMs / 1000)} s); not retrying it now (GitHub bans integrations that keep retrying while rate limited): the next tick goes on`,
            true,
            { cause: failure, status },
          );
        }
        rateLimitWaits++;
        rateLimitWaitedMs += verdict.waitMs;
      }
      this.stats.retries++;
      if (verdict.kind === 'rate-limit') {
        this.stats.rateLimitWaits++;
        this.observer.onRateLimitWait?.(verdict.waitMs / 1000);
      }
      this.logger?.warn(
        { method: options.method, url: options.url, status, waitMs: verdict.waitMs, attempt: attempt + 1 },
        verdict.kind === 'rate-limit' ? 'GitHub rate limit: waiting, then retrying' : 'GitHub request failed: retrying with backoff',
      );
      await this.sleep(verdict.waitMs);
    }
  }
}

interface HookableOctokit {
  hook: {
    wrap(
      name: 'request',
      wrapper: (request: (options: never) => Promise<unknown>, options: Minimal & Record<string, unknown>) => Promise<unknown>,
    ): void;
  };
}

/**
 * The Octokit plugin. Pass the shared budget as the `requestBudget` constructor option; the lane key is
 * the installation id from the auth options (Probot) or `requestBudgetKey`, else `default`.
 *
 *   const MyOctokit = Octokit.plugin(requestBudgetPlugin);
 *   new MyOctokit({ auth, requestBudget: budget, requestBudgetKey: String(installationId) });
 */
export function requestBudgetPlugin(octokit: unknown, options: Record<string, unknown>): void {
  const budget = options.requestBudget;
  if (!(budget instanceof RequestBudget)) return;
  const auth = options.auth as { installationId?: number | string } | undefined;
  const key = String(options.requestBudgetKey ?? auth?.installationId ?? 'default');
  (octokit as HookableOctokit).hook.wrap('request', (request, requestOptions) =>
    budget.run(key, requestOptions, () => request(requestOptions as never)),
  );
}
