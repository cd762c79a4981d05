/**
 * Reviews for a pull request just opened (issue 21): `rollout.reviewers`, else the CODEOWNERS owners of
 * the changed files (the repository's file, read at the base commit), else the catalog owner
 * (src/plan/reviewers.ts decides). Journalled as `request-reviewers`; a refusal (GitHub answers 422 for
 * someone who is not a collaborator) is journalled and logged, and the PR stays open as it is: reviews
 * are help for the owners, not a condition of the rollout.
 */
import type { RepoName } from '../forge/port.js';
import { CODEOWNERS_PATHS, ownersOfChange, parseCodeowners } from '../plan/codeowners.js';
import { chooseReviewers } from '../plan/reviewers.js';
import { journal, type Tick } from './tick.js';

/** The CODEOWNERS GitHub would use for `repo` at `ref` (the first of its places that exists), or null. */
async function readCodeowners(tick: Tick, repo: RepoName, ref: string) {
  for (const path of CODEOWNERS_PATHS) {
    const text = await tick.deps.forge.readFile(repo, path, ref);
    if (text !== null) return { path, codeowners: parseCodeowners(text) };
  }
  return null;
}

export async function requestReviewers(tick: Tick, repo: RepoName, pr: number, baseSha: string, paths: readonly string[]): Promise<void> {
  const { forge, logger } = tick.deps;
  const override = tick.loaded.manifest.rollout.reviewers;
  const found = override ? null : await readCodeowners(tick, repo, baseSha);
  const catalogOwner = !override && tick.deps.ownerOf ? await tick.deps.ownerOf(repo) : null;
  const choice = chooseReviewers({
    repo,
    override,
    codeowners: found ? ownersOfChange(found.codeowners, paths) : [],
    catalogOwner,
    bot: forge.botIdentity.login,
  });
  const skipped = [...(found?.codeowners.skipped.map((s) => `${found.path}:${s.line}: ${s.why}`) ?? []), ...choice.skipped];
  const detail = { pr, users: choice.users, teams: choice.teams, source: choice.source, ...(skipped.length ? { skipped } : {}) };
  if (choice.users.length + choice.teams.length === 0) {
    await journal(tick, { target: repo, action: 'request-reviewers', outcome: 'ok', detail });
    return;
  }
  try {
    await forge.requestReviewers(repo, pr, { users: choice.users, teams: choice.teams });
    await journal(tick, { target: repo, action: 'request-reviewers', outcome: 'ok', detail });
  } catch (err) {
    const error = (err as Error).message;
    await journal(tick, { target: repo, action: 'request-reviewers', outcome: 'error', detail: { ...detail, error } });
    logger.warn({ migration: tick.migration, repo, pr, users: choice.users, teams: choice.teams }, `reviewers not requested: ${error}`);
  }
}
