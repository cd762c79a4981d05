/**
 * Reviews for a pull request just opened (issue 21): `rollout.reviewers`, else the CODEOWNERS owners of
 * the changed files (the repository's file, read at the base commit), else the catalog owner
 * (src/plan/reviewers.ts decides; the catalog is asked only when the others name nobody). Journalled as
 * `request-reviewers`; a failure (GitHub answers 422 for someone who is not a collaborator, a catalog
 * that cannot answer) is journalled and logged, and the PR stays open as it is: reviews
 * are help for the owners, not a condition of the rollout.
 */
import type { RepoName } from '../forge/port.js';
import { CODEOWNERS_PATHS, ownersOfChange, parseCodeowners } from '../plan/codeowners.js';
import { chooseReviewers, type ReviewerChoice } from '../plan/reviewers.js';
import { journal, type Tick } from './tick.js';
import { repoOf } from '../plan/workspaces.js';

/** The CODEOWNERS GitHub would use for `repo` at `ref` (the first of its places that exists), or null. */
async function readCodeowners(tick: Tick, repo: RepoName, ref: string) {
  for (const path of CODEOWNERS_PATHS) {
    const text = await tick.deps.forge.readFile(repo, path, ref);
    if (text !== null) return { path, codeowners: parseCodeowners(text) };
  }
  return null;
}

/** Asks for reviews of the pull request `pr` of `target` (a repository, or a workspace of one: the CODEOWNERS of its repository, matched against its files). */
export async function requestReviewers(tick: Tick, target: RepoName, pr: number, baseSha: string, paths: readonly string[]): Promise<void> {
  const { forge, logger } = tick.deps;
  const repo = repoOf(target);
  const override = tick.loaded.manifest.rollout.reviewers;
  let asked: { users: string[]; teams: string[]; source: ReviewerChoice['source']; skipped: string[] } = {
    users: [],
    teams: [],
    source: 'none',
    skipped: [],
  };
  try {
    const found = override ? null : await readCodeowners(tick, repo, baseSha);
    const codeowners = found ? ownersOfChange(found.codeowners, paths) : [];
    const lines = found?.codeowners.skipped.map((s) => `${found.path}:${s.line}: ${s.why}`) ?? [];
    // The catalog is asked only when neither the manifest nor CODEOWNERS names anyone.
    const choose = (catalogOwner: string | null) =>
      chooseReviewers({ repo, override, codeowners, catalogOwner, bot: forge.botIdentity.login });
    let choice = choose(null);
    if (choice.source === 'none' && !override && tick.deps.ownerOf) choice = choose(await tick.deps.ownerOf(repo));
    asked = { ...choice, skipped: [...lines, ...choice.skipped] };
    if (asked.users.length + asked.teams.length > 0) await forge.requestReviewers(repo, pr, { users: asked.users, teams: asked.teams });
    await journal(tick, { target, action: 'request-reviewers', outcome: 'ok', detail: detailOf(pr, asked) });
  } catch (err) {
    const error = (err as Error).message;
    await journal(tick, { target, action: 'request-reviewers', outcome: 'error', detail: { ...detailOf(pr, asked), error } });
    logger.warn({ migration: tick.migration, repo, pr, users: asked.users, teams: asked.teams }, `reviewers not requested: ${error}`);
  }
}

function detailOf(pr: number, asked: { users: string[]; teams: string[]; source: ReviewerChoice['source']; skipped: string[] }) {
  return { pr, users: asked.users, teams: asked.teams, source: asked.source, ...(asked.skipped.length ? { skipped: asked.skipped } : {}) };
}
