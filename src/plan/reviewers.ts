/**
 * Who reviews a consumer's pull request (issue 21): `rollout.reviewers` when the manifest names them;
 * else the CODEOWNERS owners of the files the change touches (./codeowners.ts); else the consumer's
 * catalog owner (a Backstage group is the GitHub team of the same name, a user the login). Owners
 * GitHub cannot be asked through its API are named, not guessed at: an email address, a team of
 * another organisation. The bot itself is never asked (it opened the PR and is no collaborator). Pure.
 */
import type { RepoName } from '../forge/port.js';

export interface ReviewerChoice {
  users: string[];
  teams: string[];
  /** Where they came from. */
  source: 'manifest' | 'codeowners' | 'catalog' | 'none';
  /** Owners left out, with why. */
  skipped: string[];
}

export interface ReviewerInput {
  repo: RepoName;
  /** `rollout.reviewers`: owners (`@user`, `@org/team`), `none`, or absent. */
  override: readonly string[] | 'none' | undefined;
  /** The CODEOWNERS owners of the changed files. */
  codeowners: readonly string[];
  /** The catalog owner's ref (`group:default/recs-team`, `user:default/jane`), or null. */
  catalogOwner: string | null;
  /** The bot's login. */
  bot: string;
}

/** `@user`, `@org/team` or an email address into the choice; `org` is the repository's owner. */
function add(choice: ReviewerChoice, owner: string, org: string, bot: string): void {
  const team = /^@([^/\s]+)\/([^/\s]+)$/.exec(owner);
  if (team) {
    if (team[1]!.toLowerCase() !== org.toLowerCase()) choice.skipped.push(`${owner}: a team of another organisation than ${org}`);
    else if (!choice.teams.includes(team[2]!)) choice.teams.push(team[2]!);
    return;
  }
  const user = /^@([^/\s@]+)$/.exec(owner);
  if (user) {
    if (user[1]!.toLowerCase() === bot.toLowerCase()) return;
    if (!choice.users.includes(user[1]!)) choice.users.push(user[1]!);
    return;
  }
  choice.skipped.push(`${owner}: an email address cannot be asked for a review through the API`);
}

/** The catalog owner's ref as a CODEOWNERS-style owner (`@org/team` or `@login`), or null. */
function catalogOwnerAsOwner(ref: string, org: string): string | null {
  const m = /^(group|user):(?:[^/]+\/)?(.+)$/i.exec(ref);
  if (!m) return null;
  return m[1]!.toLowerCase() === 'group' ? `@${org}/${m[2]}` : `@${m[2]}`;
}

export function chooseReviewers(input: ReviewerInput): ReviewerChoice {
  const org = input.repo.split('/')[0]!;
  const choose = (owners: readonly string[], source: ReviewerChoice['source']): ReviewerChoice => {
    const choice: ReviewerChoice = { users: [], teams: [], source, skipped: [] };
    for (const o of owners) add(choice, o, org, input.bot);
    return choice;
  };
  if (input.override === 'none') return { users: [], teams: [], source: 'none', skipped: [] };
  if (input.override) return choose(input.override, 'manifest');
  const fromCodeowners = choose(input.codeowners, 'codeowners');
  if (fromCodeowners.users.length + fromCodeowners.teams.length > 0) return fromCodeowners;
  const owner = input.catalogOwner ? catalogOwnerAsOwner(input.catalogOwner, org) : null;
  if (owner) {
    const fromCatalog = choose([owner], 'catalog');
    return { ...fromCatalog, skipped: [...fromCodeowners.skipped, ...fromCatalog.skipped] };
  }
  return { users: [], teams: [], source: 'none', skipped: fromCodeowners.skipped };
}
