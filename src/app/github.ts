/**
 * Wiring GitHub for the App: the Octokit class Probot uses (Probot's own throttling and retry
 * replaced by Fleetwave's request budget, shared by every installation), the App's bot identity
 * (asked once), and a forge for one installation.
 */
import { ProbotOctokit } from 'probot';
import type { GitHubClient } from '../forge/github/client.js';
import { appBotIdentity, GitHubForge } from '../forge/github/forge.js';
import { type RequestBudget, requestBudgetPlugin } from '../forge/github/request-budget.js';
import type { AppConfig } from './types.js';

export type BotIdentity = { name: string; email: string; login: string };

/** Probot's Octokit with the request budget in place of its throttling and retry plugins. */
export function budgetedProbotOctokit(budget: RequestBudget): typeof ProbotOctokit {
  // A function, not an object: Probot passes `throttle: undefined`, which an object merge would let through.
  return ProbotOctokit.plugin(requestBudgetPlugin).defaults((options: Record<string, unknown>) => ({
    ...options,
    requestBudget: budget,
    throttle: { ...(options.throttle as object | undefined), enabled: false },
    retry: { ...(options.retry as object | undefined), enabled: false },
  })) as unknown as typeof ProbotOctokit;
}

/**
 * The App's bot (`<slug>[bot]` and its user id): `GET /app` as the App (JWT), then
 * `GET /users/{login}` as an installation (user routes do not accept the App's JWT).
 */
export async function resolveBotIdentity(appOctokit: GitHubClient, installationOctokit: GitHubClient): Promise<BotIdentity> {
  const app = await appOctokit.request('GET /app');
  const slug = app.data?.slug;
  if (!slug) throw new Error('GET /app returned no slug');
  const user = await installationOctokit.request('GET /users/{username}', { username: `${slug}[bot]` });
  return appBotIdentity(slug, Number(user.data.id));
}

/**
 * The code-search qualifier of an installation's account: `org:acme` for an organization, `user:mona`
 * for a personal account (legacy code search takes both; docs/github-behaviour.md). Without it a search
 * covers all of GitHub and other accounts' code fills the 1,000-result cap.
 */
export function ownerQualifier(account: string, type: string | null | undefined): string {
  return `${type === 'User' ? 'user' : 'org'}:${account}`;
}

export function installationForge(
  octokit: unknown,
  bot: BotIdentity,
  config: AppConfig,
  token?: () => Promise<string>,
  searchScope?: string,
): GitHubForge {
  return new GitHubForge({
    client: octokit as GitHubClient,
    bot,
    ...(searchScope ? { searchScope } : {}),
    mergeMethod: config.mergeMethod,
    autoMerge: config.autoMerge,
    ...(config.gitBaseUrl ? { gitBaseUrl: config.gitBaseUrl } : {}),
    ...(token ? { token } : {}),
  });
}
