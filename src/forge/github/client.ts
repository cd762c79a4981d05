/**
 * The GitHub client the adapter talks through: any Octokit with `request` and `graphql` (an
 * `@octokit/rest` Octokit, or Probot's `context.octokit`), plus the helpers every file of the adapter
 * shares: splitting `owner/name`, and turning Octokit's errors into Fleetwave's typed errors.
 */
import { Octokit } from '@octokit/rest';
import { FleetwaveError, ForgeError, InputError } from '../../util/errors.js';
import { type Logger, silentLogger } from '../../util/log.js';
import type { RepoName } from '../port.js';
import { answeredStatus, describeFailure, isTransientFailure, repoOfRequest } from './failure.js';
import { type BudgetClock, type BudgetLimits, type BudgetObserver, RequestBudget, requestBudgetPlugin } from './request-budget.js';

export type GitHubClient = Pick<Octokit, 'request' | 'graphql'>;

/** An Octokit class with the request budget installed. */
export const BudgetedOctokit = Octokit.plugin(requestBudgetPlugin);

/** A REST + GraphQL client for one token (a PAT or an installation token) under a request budget. */
export function createGitHubClient(options: {
  token: string;
  baseUrl?: string;
  budget?: RequestBudget;
  limits?: Partial<BudgetLimits>;
  clock?: BudgetClock;
  budgetKey?: string;
  /** Request logs go here (debug for requests, warn for retries); tokens never appear in them. */
  logger?: Logger;
  /** Told of every answer and rate-limit wait of a budget made here (the entry point's metrics). */
  observer?: BudgetObserver;
}): { client: GitHubClient; budget: RequestBudget } {
  const logger = options.logger ?? silentLogger;
  const budget = options.budget ?? new RequestBudget(options.limits, options.clock, logger, options.observer);
  const client = new BudgetedOctokit({
    auth: options.token,
    baseUrl: options.baseUrl,
    requestBudget: budget,
    requestBudgetKey: options.budgetKey ?? 'token',
    userAgent: 'fleetwave',
    log: {
      debug: (message: string) => logger.debug(message),
      info: (message: string) => logger.debug(message),
      warn: (message: string) => logger.warn(message),
      error: (message: string) => logger.debug(message),
    },
  });
  return { client, budget };
}

export function splitRepo(repo: RepoName): { owner: string; repo: string } {
  const i = repo.indexOf('/');
  if (i <= 0 || i === repo.length - 1 || repo.indexOf('/', i + 1) !== -1) {
    throw new InputError(`"${repo}" is not a repository name: write it as owner/name`);
  }
  return { owner: repo.slice(0, i), repo: repo.slice(i + 1) };
}

export function statusOf(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'status' in err ? Number((err as { status: unknown }).status) : undefined;
}

/**
 * Octokit's error (or any error thrown while making the call) as a ForgeError saying what was being
 * done, with the HTTP status and the repository (from the request's URL unless given). Only transient
 * network errors, 5xx and rate limits are transient (failure.ts); a `TypeError` is not.
 */
export function forgeError(what: string, err: unknown, repo: RepoName | null = repoOfRequest(err)): ForgeError {
  const message = err instanceof Error ? err.message : String(err);
  return new ForgeError(`GitHub: ${what} failed (${describeFailure(err)}): ${message}`, isTransientFailure(err), {
    cause: err,
    status: answeredStatus(err),
    repo,
  });
}

/** Runs a request; a 404 becomes null, any other failure a ForgeError. */
export async function orNull<T>(what: string, call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (err) {
    if (statusOf(err) === 404) return null;
    if (err instanceof FleetwaveError) throw err;
    throw forgeError(what, err);
  }
}

/** Runs a request; a failure becomes a ForgeError (Fleetwave's own errors pass through unchanged). */
export async function wrap<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof FleetwaveError) throw err;
    throw forgeError(what, err);
  }
}
