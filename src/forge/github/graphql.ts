/**
 * GraphQL helpers: batched queries with one alias per repository (at most `BATCH` repositories per
 * request; `LARGE_BATCH` for small selections), and tolerance of partial answers, where a repository that is gone or inaccessible
 * (`NOT_FOUND`, `FORBIDDEN`) yields null instead of failing the whole batch.
 */
import { FleetwaveError, ForgeError } from '../../util/errors.js';
import { forgeError, type GitHubClient, splitRepo } from './client.js';
import { RateLimitedError, type RepoName } from '../port.js';

/**
 * Repositories per GraphQL request for pull requests (each brings reviews, checks and commits): 100
 * repositories ask for about 17,500 nodes (a PR, 50 reviews, 100 check contexts, 20 commits each),
 * far under GitHub's 500,000-node limit, at a rate-limit cost of a few points.
 */
export const BATCH = 100;
/** Repositories per GraphQL request for small selections (a repository's facts). */
export const LARGE_BATCH = 100;
/**
 * Repositories per GraphQL request for a repository's facts alone (default branch, head, archived,
 * opt-out file): about 3 nodes and no connection each, so 250 aliases are ~750 nodes at a cost of 1.
 */
export const FACTS_BATCH = 250;

interface GraphqlErrorShape {
  data?: unknown;
  errors?: { type?: string; path?: (string | number)[]; message?: string }[];
}

const TOLERATED = new Set(['NOT_FOUND', 'FORBIDDEN']);

/**
 * An error about one repository alias itself (`path: ['r3']`): that repository is gone or not the
 * App's, and its alias is left null. A FORBIDDEN on a field inside a repository (`['r3', 'pullRequests']`)
 * is another thing: the App lacks the permission that field needs (GitHub answers such a field null
 * with "Resource not accessible by integration"), and reading on would take the null for an answer.
 */
function aboutAnAlias(error: { type?: string; path?: (string | number)[] }): boolean {
  return Boolean(error.type && TOLERATED.has(error.type) && (error.path?.length ?? 0) <= 1);
}

/** Runs a query; errors that only say "this alias does not exist" leave that alias null. */
export async function query<T>(client: GitHubClient, what: string, text: string, variables: Record<string, unknown>): Promise<T> {
  try {
    return await client.graphql<T>(text, variables);
  } catch (err) {
    // The request budget's own verdicts (a rate limit still on after its waits) say it already.
    if (err instanceof FleetwaveError) throw err;
    const e = err as GraphqlErrorShape;
    if (e.data && Array.isArray(e.errors) && e.errors.length && e.errors.every(aboutAnAlias)) {
      return e.data as T;
    }
    const refused = Array.isArray(e.errors) ? e.errors.find((x) => x.type === 'FORBIDDEN' && (x.path?.length ?? 0) > 1) : undefined;
    if (refused) {
      throw new ForgeError(
        `GitHub: ${what} failed: ${refused.message ?? 'FORBIDDEN'} at ${refused.path!.join('.')}: the App lacks a permission this query needs (compare the installation's permissions with app.yml; docs/github-app.md lists what each request needs)`,
        false,
        { cause: err, status: 200 },
      );
    }
    if (Array.isArray(e.errors) && e.errors.length) {
      throw new ForgeError(`GitHub: ${what} failed: ${e.errors.map((x) => x.message ?? x.type).join('; ')}`, false, { cause: err });
    }
    throw forgeError(what, err);
  }
}

/** The smallest batch a failed (timed-out) batch is split down to before the failure stands. */
export const MIN_SPLIT_BATCH = 25;

/** GitHub's answer when a query ran out of time: a 5xx, or "… This may be the result of a timeout". */
function timedOut(err: unknown): boolean {
  // A rate limit is no timeout: halves would only be more requests GitHub refuses.
  if (err instanceof RateLimitedError) return false;
  return err instanceof ForgeError && (err.transient || /timeout|timed out/i.test(err.message));
}

/**
 * Asks the same `selection` of many repositories, `batch` per request. `selection` is the body of a
 * `repository(owner:, name:) { … }` field; extra variables (with their GraphQL types) are shared.
 * A batch that still times out after the client's retries is asked again as two halves (down to
 * `MIN_SPLIT_BATCH`), so a large default batch costs extra requests only when GitHub is slow.
 */
export async function perRepository<R>(
  client: GitHubClient,
  what: string,
  repos: readonly RepoName[],
  selection: string,
  shared: { declarations: string; variables: Record<string, unknown> } = { declarations: '', variables: {} },
  fragments = '',
  batch = BATCH,
  operation = 'FleetwaveBatch',
): Promise<Map<RepoName, R | null>> {
  const out = new Map<RepoName, R | null>();
  const ask = async (chunk: RepoName[]): Promise<void> => {
    const variables: Record<string, unknown> = { ...shared.variables };
    const declarations: string[] = [];
    const fields: string[] = [];
    chunk.forEach((repo, i) => {
      const { owner, repo: name } = splitRepo(repo);
      variables[`o${i}`] = owner;
      variables[`n${i}`] = name;
      declarations.push(`$o${i}: String!`, `$n${i}: String!`);
      fields.push(`r${i}: repository(owner: $o${i}, name: $n${i}) { ${selection} }`);
    });
    const text = `query ${operation}(${[...declarations, shared.declarations].filter(Boolean).join(', ')}) {\n${fields.join('\n')}\n}\n${fragments}`;
    let data: Record<string, R | null>;
    try {
      data = await query<Record<string, R | null>>(client, what, text, variables);
    } catch (err) {
      if (chunk.length < 2 * MIN_SPLIT_BATCH || !timedOut(err)) throw err;
      const half = Math.ceil(chunk.length / 2);
      await ask(chunk.slice(0, half));
      await ask(chunk.slice(half));
      return;
    }
    chunk.forEach((repo, i) => out.set(repo, data[`r${i}`] ?? null));
  };
  const unique = [...new Set(repos)];
  for (let start = 0; start < unique.length; start += batch) await ask(unique.slice(start, start + batch));
  return out;
}
