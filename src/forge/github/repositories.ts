/**
 * Repositories: the installation's fleet, one repository's facts (default branch, head, archived,
 * opted out), files, code search and working copies.
 *
 * The fleet is the installation's repositories (`GET /installation/repositories`): an installation
 * restricted to selected repositories is restricted here too. Each repository's head and opt-out file
 * (`.fleetwave/opt-out` on its default branch) come from GraphQL (100 or 250 repositories a request).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { simpleGit } from 'simple-git';
import { ForgeError, InputError } from '../../util/errors.js';
import type { Checkout, RepoInfo, RepoName } from '../port.js';
import { type GitHubClient, orNull, splitRepo, wrap } from './client.js';
import { FACTS_BATCH, perRepository, query } from './graphql.js';

export const OPT_OUT_FILE = '.fleetwave/opt-out';

const REPO_FIELDS = `nameWithOwner isArchived defaultBranchRef { name target { oid } } optOut: object(expression: "HEAD:${OPT_OUT_FILE}") { __typename }`;

interface GqlRepo {
  nameWithOwner: string;
  isArchived: boolean;
  defaultBranchRef: { name: string; target: { oid: string } } | null;
  optOut: { __typename: string } | null;
}

function toInfo(repo: RepoName, r: GqlRepo): RepoInfo | null {
  if (!r.defaultBranchRef) return null; // an empty repository has nothing to migrate
  return {
    repo,
    defaultBranch: r.defaultBranchRef.name,
    headSha: r.defaultBranchRef.target.oid,
    archived: r.isArchived,
    optedOut: r.optOut !== null,
  };
}

/** Facts of many repositories, 1 request per 250. Missing and empty repositories are left out. */
export async function describeRepositories(client: GitHubClient, repos: readonly RepoName[]): Promise<Map<RepoName, RepoInfo>> {
  const answers = await perRepository<GqlRepo>(
    client,
    'read repositories',
    repos,
    REPO_FIELDS,
    undefined,
    '',
    FACTS_BATCH,
    'FleetwaveRepositories',
  );
  const out = new Map<RepoName, RepoInfo>();
  for (const [repo, r] of answers) {
    const info = r ? toInfo(repo, r) : null;
    if (info) out.set(repo, info);
  }
  return out;
}

interface GqlOwnerRepositories {
  repositoryOwner: {
    repositories: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: (GqlRepo | null)[] };
  } | null;
}

const OWNER_REPOSITORIES = `query FleetwaveFleet($owner: String!, $after: String) {
  repositoryOwner(login: $owner) {
    repositories(first: 100, after: $after, ownerAffiliations: [OWNER], orderBy: { field: NAME, direction: ASC }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { ${REPO_FIELDS} }
    }
  }
}`;

/**
 * Every repository `owner` owns, with its facts, 100 per GraphQL request; null when GitHub's count
 * of them is not `expected` (then they are not the installation's repositories: the caller lists
 * them the REST way). Empty repositories are left out, as in `describeRepositories`.
 */
async function listOwnerRepositories(client: GitHubClient, owner: string, expected: number): Promise<RepoInfo[] | null> {
  const infos: RepoInfo[] = [];
  let after: string | null = null;
  for (;;) {
    const data: GqlOwnerRepositories = await query<GqlOwnerRepositories>(client, `list the repositories of ${owner}`, OWNER_REPOSITORIES, {
      owner,
      after,
    });
    const page = data.repositoryOwner?.repositories;
    if (!page || page.totalCount !== expected) return null;
    for (const r of page.nodes) {
      const info = r ? toInfo(r.nameWithOwner, r) : null;
      if (info) infos.push(info);
    }
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return infos;
    after = page.pageInfo.endCursor;
  }
}

/**
 * Every repository the installation can reach, in the order GitHub lists them.
 *
 * The first page of `GET /installation/repositories` says whether the installation covers all of its
 * account's repositories (`repository_selection: all`). Then the account's repositories, with their
 * heads and opt-out files, come from GraphQL at 100 a request: 1 + ⌈N/100⌉ requests. With an
 * installation token GitHub lists exactly the repositories the installation can reach (its private
 * ones, and the public ones), and the listing is used only when its count equals the installation's
 * `total_count`. An installation on selected repositories is listed page by page (100 a page), and the
 * facts asked in GraphQL batches of 250: ⌈N/100⌉ + ⌈N/250⌉ requests.
 */
export async function listInstallationRepositories(client: GitHubClient): Promise<RepoInfo[]> {
  const pageOf = (page: number) =>
    wrap("list the installation's repositories", () => client.request('GET /installation/repositories', { per_page: 100, page }));
  const first = await pageOf(1);
  const total = first.data.total_count;
  const owner = first.data.repositories[0]?.full_name.split('/')[0];
  if (first.data.repository_selection === 'all' && owner && total > 0) {
    const listed = await listOwnerRepositories(client, owner, total);
    if (listed) return listed;
  }
  const names: RepoName[] = first.data.repositories.map((r) => r.full_name);
  for (let page = 2, last = first.data.repositories.length; last === 100 && names.length < total; page++) {
    const res = await pageOf(page);
    for (const r of res.data.repositories) names.push(r.full_name);
    last = res.data.repositories.length;
  }
  const infos = await describeRepositories(client, names);
  return names.map((n) => infos.get(n)).filter((i): i is RepoInfo => i !== undefined);
}

/** One file's text at `ref` (the default branch when omitted); null when absent. */
export async function readFile(client: GitHubClient, repoName: RepoName, path: string, ref?: string): Promise<string | null> {
  const { owner, repo } = splitRepo(repoName);
  const res = await orNull(`read ${repoName}:${path}`, () =>
    client.request('GET /repos/{owner}/{repo}/contents/{path}', {
      owner,
      repo,
      path,
      ...(ref ? { ref } : {}),
      mediaType: { format: 'raw' },
    }),
  );
  if (!res) return null;
  const data: unknown = res.data;
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  if (Array.isArray(data)) throw new InputError(`${repoName}:${path} is a directory, not a file`);
  throw new ForgeError(`GitHub: unexpected answer reading ${repoName}:${path}`, false, { status: res.status, repo: repoName });
}

/** What one code search found: the repositories, and whether GitHub said the answer may be partial. */
export interface CodeSearchResult {
  repos: RepoName[];
  /** GitHub answered `incomplete_results: true` on some page (the search timed out there): repositories may be missing. */
  incomplete: boolean;
}

/**
 * Repositories whose default branch may contain `text`, by GitHub's legacy code search
 * (`GET /search/code`). The answer is a SUPERSET to filter, and may also miss repositories:
 * - legacy code search ignores `. , : ; / \ \` ' " = * ! ? # $ & + ^ | ~ < > ( ) { } [ ] @`, so
 *   `"data/play-events/v1"` also matches a file that has `data play events v1` in another order or
 *   place. Every repository found is checked by the codemod engine (a repository without a real
 *   reference gets no change and is skipped), never trusted as a consumer;
 * - only default branches, files under 384 KB, at most 1,000 results, 10 searches a minute;
 * - a search that runs out of time answers what it found with `incomplete_results: true`: then
 *   `incomplete` is set and `onIncomplete` told (a warning), so the caller can say the fleet may
 *   be partial.
 * `scope` (e.g. `org:acme`, `user:mona`; several space-separated) narrows it to the fleet's owners,
 * so other accounts' code does not fill the 1,000-result cap.
 */
export async function searchCodeResult(
  client: GitHubClient,
  text: string,
  scope?: string,
  onIncomplete?: (query: string, page: number) => void,
): Promise<CodeSearchResult> {
  const q = `${JSON.stringify(text)}${scope ? ` ${scope}` : ''}`;
  const repos = new Set<RepoName>();
  let incomplete = false;
  for (let page = 1; page <= 10; page++) {
    const res = await wrap(`search code for ${q}`, () => client.request('GET /search/code', { q, per_page: 100, page }));
    if (res.data.incomplete_results) {
      incomplete = true;
      onIncomplete?.(q, page);
    }
    for (const item of res.data.items) repos.add(item.repository.full_name);
    if (res.data.items.length < 100 || page * 100 >= res.data.total_count) break;
  }
  return { repos: [...repos].sort(), incomplete };
}

/**
 * A shallow working copy of `ref` (a branch, tag or commit sha) in a temp folder. The token travels
 * in an `http.extraHeader` given to this one fetch through git's environment (GIT_CONFIG_COUNT /
 * GIT_CONFIG_KEY_n / GIT_CONFIG_VALUE_n, git ≥ 2.31): never on the command line (any local user sees
 * argv in `ps`; a process's environment only its owner and root), never in `.git/config`, a URL or a log.
 */
export async function checkout(options: { gitUrl: string; token?: () => Promise<string>; repo: RepoName; ref: string }): Promise<Checkout> {
  const dir = await mkdtemp(join(tmpdir(), 'fleetwave-gh-'));
  try {
    const git = simpleGit(dir);
    await git.init();
    await git.addRemote('origin', options.gitUrl);
    // git itself, not simple-git: simple-git refuses GIT_CONFIG_COUNT beside an inherited EDITOR & co.
    await execFileAsync('git', ['fetch', '--depth', '1', '--no-tags', 'origin', options.ref], {
      cwd: dir,
      env: options.token ? tokenEnv(await options.token()) : { ...process.env, GIT_TERMINAL_PROMPT: '0' },
      maxBuffer: 16 * 1024 * 1024,
    });
    await git.checkout(['--detach', 'FETCH_HEAD']);
    const sha = (await git.revparse(['HEAD'])).trim();
    return { dir, sha, dispose: () => rm(dir, { recursive: true, force: true }) };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    // simple-git's message may quote the command line; keep only the first line of git's own words.
    const reason =
      err instanceof Error ? (err.message.split('\n').find((l) => l.startsWith('fatal:')) ?? 'git fetch failed') : 'git fetch failed';
    throw new ForgeError(`GitHub: could not check out ${options.repo}@${options.ref}: ${reason}`, true, { cause: err, repo: options.repo });
  }
}

const execFileAsync = promisify(execFile);

/** Our environment plus the token's `http.extraHeader`, after any GIT_CONFIG_n already set. */
function tokenEnv(token: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  const n = Number.parseInt(env.GIT_CONFIG_COUNT ?? '0', 10) || 0;
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  env.GIT_CONFIG_COUNT = String(n + 1);
  env[`GIT_CONFIG_KEY_${n}`] = 'http.extraHeader';
  env[`GIT_CONFIG_VALUE_${n}`] = `Authorization: Basic ${basic}`;
  env.GIT_TERMINAL_PROMPT = '0';
  return env;
}
