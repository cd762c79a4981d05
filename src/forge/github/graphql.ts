/**
 * GraphQL helpers: batched queries with one alias per repository (at most `BATCH` repositories per
 * request; `LARGE_BATCH` for small selections), and tolerance of partial answers, where a repository that is gone or inaccessible
 * (`NOT_FOUND`, `FORBIDDEN`) yields null instead of failing the whole batch.
 */
import { ForgeError } from '../../util/errors.js';
import type { RepoName } from '../port.js';
import { forgeError, type GitHubClient, splitRepo } from './client.js';

/** Repositories per GraphQL request for pull requests (each brings reviews, checks and commits). */
export const BATCH = 50;
/** Repositories per GraphQL request for small selections (a repository's facts). */
export const LARGE_BATCH = 100;

interface GraphqlErrorShape {
  data?: unknown;
  errors?: { type?: string; path?: (string | number)[]; message?: string }[];
}

const TOLERATED = new Set(['NOT_FOUND', 'FORBIDDEN']);

/** Runs a query; errors that only say "this alias does not exist" leave that alias null. */
export async function query<T>(client: GitHubClient, what: string, text: string, variables: Record<string, unknown>): Promise<T> {
  try {
    return await client.graphql<T>(text, variables);
  } catch (err) {
    const e = err as GraphqlErrorShape;
    if (e.data && Array.isArray(e.errors) && e.errors.length && e.errors.every((x) => x.type && TOLERATED.has(x.type))) {
      return e.data as T;
    }
    if (Array.isArray(e.errors) && e.errors.length) {
      throw new ForgeError(`GitHub: ${what} failed: ${e.errors.map((x) => x.message ?? x.type).join('; ')}`, false, { cause: err });
    }
    throw forgeError(what, err);
  }
}

/**
 * Asks the same `selection` of many repositories, `BATCH` per request. `selection` is the body of a
 * `repository(owner:, name:) { … }` field; extra variables (with their GraphQL types) are shared.
 */
export async function perRepository<R>(
  client: GitHubClient,
  what: string,
  repos: readonly RepoName[],
  selection: string,
  shared: { declarations: string; variables: Record<string, unknown> } = { declarations: '', variables: {} },
  fragments = '',
  batch = BATCH,
): Promise<Map<RepoName, R | null>> {
  const out = new Map<RepoName, R | null>();
  const unique = [...new Set(repos)];
  for (let start = 0; start < unique.length; start += batch) {
    const chunk = unique.slice(start, start + batch);
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
    const text = `query FleetwaveBatch(${[...declarations, shared.declarations].filter(Boolean).join(', ')}) {\n${fields.join('\n')}\n}\n${fragments}`;
    const data = await query<Record<string, R | null>>(client, what, text, variables);
    chunk.forEach((repo, i) => out.set(repo, data[`r${i}`] ?? null));
  }
  return out;
}
