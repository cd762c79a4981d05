/**
 * Mode `reconcile`: one run of the orchestrator (src/rollout/run.ts) for the manifest in this
 * repository, against GitHub through the GitHub forge, with the token of a GitHub App installation
 * (made in the workflow by actions/create-github-app-token: pull requests opened with the workflow's
 * own GITHUB_TOKEN would not start the consumers' CI). The journal lives in a JSON file
 * (`state-path`) that the workflow keeps between runs with actions/cache; losing it loses history,
 * not correctness, since every target's state is read back from GitHub. The rest of the engine's
 * dependencies (catalog, breaker, alerts) come from the step's environment through the composition
 * root (src/composition/engine-deps.ts): `BACKSTAGE_URL` / `BACKSTAGE_TOKEN`, `FLEETWAVE_BREAKER_*`,
 * `FLEETWAVE_ALERT_URL`.
 */
import { openStore, stateLocation } from '../../composition/open-store.js';
import { relative, sep } from 'node:path';
import { engineDeps } from '../../composition/engine-deps.js';
import { githubRequestMetrics } from '../../composition/github-metrics.js';
import { createGitHubClient, forgeError, type GitHubClient } from '../../forge/github/client.js';
import { RequestBudget } from '../../forge/github/request-budget.js';
import { appBotIdentity, GitHubForge, type MergeMethod } from '../../forge/github/forge.js';
import type { BudgetClock } from '../../forge/github/request-budget.js';
import { loadManifest } from '../../manifest/load.js';
import { renderRunSummary } from '../../report/run-summary.js';
import { runMigration, type RunHooks } from '../../rollout/run.js';
import { InputError } from '../../util/errors.js';
import { createLogger, type Logger } from '../../util/log.js';
import { appJwt, installationTokenFor } from '../app-token.js';
import { type ActionIO, booleanInput, type ModeOutcome, numberInput, pathIn, requiredInput, workingDirectory } from '../io.js';

const MERGE_METHODS: readonly MergeMethod[] = ['merge', 'squash', 'rebase'];

/** What tests replace: the request budget's clock, the engine's clock and sleep, the logger. */
export interface ReconcileEnvironment {
  clock?: BudgetClock;
  now?: () => Date;
  sleep?: RunHooks['sleep'];
  logger?: Logger;
}

/**
 * The bot whose commits Fleetwave may push over: `<app-slug>[bot]`, the App whose installation token
 * this is (its user id asked once). Only an installation token works: the fleet is listed with
 * `GET /installation/repositories`, which GitHub answers for installation tokens alone, so a personal
 * access token is refused here, before any request, rather than failing at discovery.
 */
async function botIdentity(client: GitHubClient, appSlug: string): Promise<{ name: string; email: string; login: string }> {
  if (!appSlug) {
    throw new InputError(
      'mode reconcile needs the input `app-slug` with `token` (the app-slug output of actions/create-github-app-token): the token must be a GitHub App installation token, since the fleet is listed with GET /installation/repositories, which GitHub answers for installation tokens only (a personal access token cannot list an installation)',
    );
  }
  try {
    const user = await client.request('GET /users/{username}', { username: `${appSlug}[bot]` });
    return appBotIdentity(appSlug, Number(user.data.id));
  } catch (err) {
    throw forgeError(
      `looking up the bot ${appSlug}[bot] (is \`token\` an installation token of that App, and \`app-slug\` its slug?)`,
      err,
    );
  }
}

/**
 * The token to act with: the `token` input (with `app-slug`), or one made here from `app-id` and
 * `private-key`. Every secret is masked in the log before anything else happens.
 */
async function credentials(
  io: ActionIO,
  manifestRepo: string,
  appClient: (jwt: string) => GitHubClient,
  nowMs: number,
): Promise<{ token: string; appSlug: string }> {
  const given = io.input('token');
  const appId = io.input('app-id');
  const privateKey = io.input('private-key');
  if (privateKey) io.setSecret(privateKey);
  if (given) {
    io.setSecret(given);
    return { token: given, appSlug: io.input('app-slug') };
  }
  if (!appId || !privateKey)
    throw new InputError(
      'mode reconcile needs the input `token` (an App installation token from actions/create-github-app-token), or `app-id` and `private-key`',
    );
  const jwt = appJwt(appId, privateKey, nowMs);
  io.setSecret(jwt);
  const made = await installationTokenFor(appClient(jwt), manifestRepo);
  io.setSecret(made.token);
  return { token: made.token, appSlug: made.slug };
}

export async function reconcileMode(io: ActionIO, environment: ReconcileEnvironment = {}): Promise<ModeOutcome> {
  const manifestPath = pathIn(io, requiredInput(io, 'manifest', 'reconcile'));
  const manifestRepo = io.input('manifest-repository') || io.env.GITHUB_REPOSITORY;
  if (!manifestRepo)
    throw new InputError(
      'mode reconcile needs the manifest repository: set `manifest-repository` (owner/name) or run in GitHub Actions (GITHUB_REPOSITORY)',
    );
  const mergeMethod = (io.input('merge-method') || 'squash') as MergeMethod;
  if (!MERGE_METHODS.includes(mergeMethod))
    throw new InputError(`input \`merge-method\`: "${mergeMethod}" is not one of ${MERGE_METHODS.join(', ')}`);
  const dryRun = booleanInput(io, 'dry-run');
  const stateInput = io.input('state-path') || '.fleetwave/state.json';
  // A file path is the JSON store, in the workspace; a postgres:// URL is taken as it is (src/composition/open-store.ts).
  const statePath = stateLocation(stateInput, 'state-path', 'json').kind === 'postgres' ? stateInput : pathIn(io, stateInput);
  const perMinute = numberInput(io, 'writes-per-minute', { min: 1, integer: true });
  const perHour = numberInput(io, 'writes-per-hour', { min: 1, integer: true });
  const logger = environment.logger ?? createLogger({ name: 'fleetwave-action' });

  const loaded = await loadManifest(manifestPath);
  const baseUrl = (io.input('github-api-url') || io.env.GITHUB_API_URL || 'https://api.github.com').replace(/\/$/, '');
  const store = await openStore(statePath, { setting: 'state-path', files: 'json' });
  const owner = manifestRepo.split('/')[0]!;
  let summary;
  try {
    // One budget for both clients (lanes by key), counted in the store's ledger: shared by every run
    // on the same postgres:// store (several workflows at once), this run's own with the JSON file.
    const budget = new RequestBudget(
      { ...(perMinute ? { perMinute } : {}), ...(perHour ? { perHour } : {}) },
      environment.clock,
      logger,
      githubRequestMetrics,
      store.budgetLedger,
    );
    const clientFor = (token: string, budgetKey: string) => createGitHubClient({ token, baseUrl, budget, logger, budgetKey }).client;
    const { token, appSlug } = await credentials(io, manifestRepo, (jwt) => clientFor(jwt, 'app'), environment.clock?.now() ?? Date.now());
    const client = clientFor(token, owner);
    const bot = await botIdentity(client, appSlug);
    const forge = new GitHubForge({
      client,
      bot,
      mergeMethod,
      gitBaseUrl: io.env.GITHUB_SERVER_URL || 'https://github.com',
      token: async () => token,
    });
    summary = await runMigration(
      engineDeps({ forge, store, logger, env: io.env, ...(environment.now ? { now: environment.now } : {}) }),
      loaded,
      {
        manifestRepo,
        manifestDir: workingDirectory(io),
        source: `${manifestRepo}:${relative(workingDirectory(io), manifestPath).split(sep).join('/')}`,
        fleet: `github:${owner}`,
        dryRun,
      },
      {
        onTick: (tick, decision, executed) => io.info(`tick ${tick}: ${decision.state}, ${executed} action(s) carried out`),
        ...(environment.sleep ? { sleep: environment.sleep } : {}),
      },
    );
  } finally {
    await store.close();
  }
  const counts = Object.fromEntries(Object.entries(summary.counts).filter(([, n]) => n > 0));
  io.setOutput('migration', summary.migration);
  io.setOutput('state', summary.state);
  io.setOutput('targets', summary.targets.length);
  io.setOutput('counts', JSON.stringify(counts));
  io.setOutput('state-path', store.location); // a URL without its password
  io.setOutput('summary', JSON.stringify(summary));
  await io.summary(
    [
      '## Fleetwave: reconcile',
      '',
      `Migration \`${summary.migration}\`: **${summary.state}**${dryRun ? ' (dry run: nothing changed)' : ''}.`,
      '',
      '```text',
      renderRunSummary(summary),
      '```',
      '',
    ].join('\n'),
  );
  if (summary.state === 'failed') return { failed: `migration ${summary.migration} failed${summary.reason ? `: ${summary.reason}` : ''}` };
  if (summary.state === 'paused')
    io.warning(
      `migration ${summary.migration} is paused${summary.reason ? `: ${summary.reason}` : ''}; a human must look (see the job summary and docs/action.md)`,
    );
  return {};
}
