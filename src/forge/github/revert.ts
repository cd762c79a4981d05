/**
 * Reverting a merged pull request through a revert pull request, without a clone.
 *
 * The method (documented in docs/github-app.md):
 * 1. `before` is the default branch as it was just before the merge: the merge commit's first parent
 *    (merge and squash merges), or, for a rebase merge of k commits, the commit k steps down the
 *    default branch's history (recognised because the oldest rebased commit belongs to the PR).
 * 2. The files the merge changed are `compare before...merge` (GitHub lists up to 300; more is refused).
 * 3. If the default branch moved since the merge, `compare merge...head` must touch none of those
 *    files; otherwise a later commit built on the change and the revert is left to a human.
 * 4. A tree on the current head puts every changed file back as it was in `before` (the blob ids and
 *    modes come from one GraphQL query of `before`'s trees): added files are deleted, modified and
 *    removed files get their old blob, a rename is undone both ways. Blob ids are reused: no upload.
 * 5. One commit on the head, the branch `fleetwave-revert/pr-<n>`, a pull request; then, unless told
 *    not to, it is merged at once (a failed merge — branch protection — leaves the revert PR open).
 * Re-runs find the revert PR by its branch first and return it.
 */
import { InputError, StateError } from '../../util/errors.js';
import type { PullRequestInfo, RepoName } from '../port.js';
import { type GitHubClient, splitRepo, statusOf, wrap } from './client.js';
import { query } from './graphql.js';
import { fromRest, type RestPullRequest } from './pull-requests.js';

const MARKER = /<!--\s*fleetwave:[^\n]*?-->/;
const COMPARE_FILE_LIMIT = 300;

export function revertBranch(number: number): string {
  return `fleetwave-revert/pr-${number}`;
}

const REVERTED = /<!--\s*fleetwave-reverted:(\{[^\n]*?\})\s*-->/;

/**
 * The revert of a merged PR as written on that PR's own body (`<!-- fleetwave-reverted:{…} -->`):
 * GitHub's answer about a merged PR says nothing of a later revert PR, so the revert is recorded where
 * every observation reads anyway (the PR query fetches bodies), and survives restarts and a lost store.
 */
export function revertOf(body: string | null | undefined): { sha: string; at?: string; pr?: number } | null {
  const found = REVERTED.exec(body ?? '');
  if (!found) return null;
  try {
    const value = JSON.parse(found[1]!) as { sha?: unknown; at?: unknown; pr?: unknown };
    if (typeof value.sha !== 'string') return null;
    return {
      sha: value.sha,
      ...(typeof value.at === 'string' ? { at: value.at } : {}),
      ...(typeof value.pr === 'number' ? { pr: value.pr } : {}),
    };
  } catch {
    return null;
  }
}

/**
 * Writes the revert on the reverted PR's body (once; a body that has it already is left as it is). The
 * revert itself is done by then, so a refused or failed write does not fail it: the forge keeps the
 * revert for the process (forge.ts), and a later revert asked for finds the revert PR by its branch and
 * writes the marker again.
 */
async function recordRevert(
  client: GitHubClient,
  repoName: RepoName,
  number: number,
  body: string | null | undefined,
  revert: { sha: string; at?: string; pr?: number },
): Promise<void> {
  if (revertOf(body)) return;
  const { owner, repo } = splitRepo(repoName);
  const marker = `<!-- fleetwave-reverted:${JSON.stringify(revert)} -->`;
  await client
    .request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', { owner, repo, pull_number: number, body: `${body ?? ''}\n\n${marker}\n` })
    .catch(() => undefined);
}

interface CompareFile {
  filename: string;
  status: string;
  previous_filename?: string;
}

interface RevertOptions {
  merge: boolean;
  mergeMethod: 'merge' | 'squash' | 'rebase';
}

export async function revertPullRequest(
  client: GitHubClient,
  repoName: RepoName,
  number: number,
  reason: string,
  options: RevertOptions,
): Promise<{ sha: string; pr?: PullRequestInfo }> {
  const { owner, repo } = splitRepo(repoName);
  const label = `${repoName}#${number}`;
  const pr = (
    await wrap(`read ${label}`, () => client.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner, repo, pull_number: number }))
  ).data as unknown as RestPullRequest & { commits: number };
  if (!pr.merged_at || !pr.merge_commit_sha) throw new InputError(`${label} is not merged: there is nothing to revert`);
  const mergeSha = pr.merge_commit_sha;
  const base = pr.base.ref;
  const branch = revertBranch(number);

  const existing = await wrap(`look for the revert of ${label}`, () =>
    client.request('GET /repos/{owner}/{repo}/pulls', { owner, repo, head: `${owner}:${branch}`, state: 'all', per_page: 1 }),
  );
  const found = existing.data[0] as unknown as RestPullRequest | undefined;
  if (found) {
    const info = fromRest(repoName, found);
    const sha = info.mergeSha ?? info.headSha;
    await recordRevert(client, repoName, number, pr.body, { sha, pr: info.number, ...(info.mergedAt ? { at: info.mergedAt } : {}) });
    return { sha, pr: info };
  }

  const before = await commitBefore(client, owner, repo, mergeSha, pr.commits, number);
  const changed = await compareFiles(client, owner, repo, before, mergeSha);
  if (changed.files.length === 0) throw new StateError(`${label}: the merge changed no file; nothing to revert`);
  if (changed.files.length >= COMPARE_FILE_LIMIT) {
    throw new StateError(
      `${label} changed ${COMPARE_FILE_LIMIT} files or more: too many to revert without a clone; revert it by hand (git revert -m 1 ${mergeSha.slice(0, 7)})`,
    );
  }

  const head = (
    await wrap(`read ${repoName}@${base}`, () =>
      client.request('GET /repos/{owner}/{repo}/git/ref/{ref}', { owner, repo, ref: `heads/${base}` }),
    )
  ).data.object.sha;
  const restore = new Set<string>();
  const remove = new Set<string>();
  for (const f of changed.files) {
    if (f.status === 'added' || f.status === 'copied') remove.add(f.filename);
    else if (f.status === 'renamed' && f.previous_filename) {
      remove.add(f.filename);
      restore.add(f.previous_filename);
    } else restore.add(f.filename);
  }
  if (head !== mergeSha) {
    const since = await compareFiles(client, owner, repo, mergeSha, head);
    const touched = since.files.map((f) => f.filename).filter((p) => restore.has(p) || remove.has(p));
    if (touched.length || since.files.length >= COMPARE_FILE_LIMIT) {
      throw new StateError(
        `${label}: ${touched.length ? `${touched.slice(0, 3).join(', ')} changed again after the merge` : 'too many commits since the merge to check'}; revert it by hand (git revert ${mergeSha.slice(0, 7)})`,
      );
    }
  }

  const blobs = await blobsAt(client, owner, repo, before, [...restore]);
  const tree = [
    ...[...remove].filter((p) => !restore.has(p)).map((path) => ({ path, mode: '100644' as const, type: 'blob' as const, sha: null })),
    ...[...restore].map((path) => {
      const blob = blobs.get(path);
      if (!blob) throw new StateError(`${label}: ${path} is not in ${before.slice(0, 7)}; revert it by hand`);
      return { path, mode: blob.mode, type: 'blob' as const, sha: blob.oid };
    }),
  ];
  // base_tree is "the SHA1 of an existing Git tree object" (GitHub's description of POST …/git/trees):
  // the head commit's tree, not the commit.
  const headTree = await wrap(`read the tree of ${repoName}@${head.slice(0, 7)}`, () =>
    client.request('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', { owner, repo, commit_sha: head }),
  );
  const newTree = await wrap(`create the revert tree in ${repoName}`, () =>
    client.request('POST /repos/{owner}/{repo}/git/trees', { owner, repo, base_tree: headTree.data.tree.sha, tree }),
  );
  const title = `Revert "${pr.title}"`;
  const message = `${title}\n\nThis reverts #${number} (${mergeSha}).\n\nReason: ${reason}\n`;
  const commit = await wrap(`create the revert commit in ${repoName}`, () =>
    client.request('POST /repos/{owner}/{repo}/git/commits', { owner, repo, message, tree: newTree.data.sha, parents: [head] }),
  );
  await wrap(`create branch ${branch} in ${repoName}`, () =>
    client.request('POST /repos/{owner}/{repo}/git/refs', { owner, repo, ref: `refs/heads/${branch}`, sha: commit.data.sha }),
  );
  const marker = MARKER.exec(pr.body ?? '')?.[0];
  const body = `Reverts #${number}.\n\n**Why:** ${reason}\n\nOpened by Fleetwave.${marker ? `\n\n${marker}` : ''}\n`;
  const opened = await wrap(`open the revert pull request in ${repoName}`, () =>
    client.request('POST /repos/{owner}/{repo}/pulls', { owner, repo, title, head: branch, base, body }),
  );
  const info = fromRest(repoName, opened.data as unknown as RestPullRequest);
  const result = options.merge
    ? await mergeRevert(client, repoName, info, commit.data.sha, options.mergeMethod)
    : { sha: commit.data.sha, pr: info };
  await recordRevert(client, repoName, number, pr.body, { sha: result.sha, pr: info.number, ...(result.at ? { at: result.at } : {}) });
  return { sha: result.sha, pr: result.pr };
}

/** Merges the revert PR at once; branch protection refusing it leaves the revert PR open. */
async function mergeRevert(
  client: GitHubClient,
  repoName: RepoName,
  info: PullRequestInfo,
  sha: string,
  method: RevertOptions['mergeMethod'],
): Promise<{ sha: string; pr: PullRequestInfo; at?: string }> {
  const { owner, repo } = splitRepo(repoName);
  try {
    const merged = await client.request('PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge', {
      owner,
      repo,
      pull_number: info.number,
      sha,
      merge_method: method,
    });
    return { sha: merged.data.sha, pr: { ...info, state: 'merged', mergeSha: merged.data.sha }, at: new Date().toISOString() };
  } catch (err) {
    const status = statusOf(err);
    if (status === 405 || status === 409 || status === 422) return { sha, pr: info };
    return wrap(`merge the revert pull request ${repoName}#${info.number}`, () => Promise.reject(err));
  }
}

/** The default branch's commit just before the merge. */
async function commitBefore(
  client: GitHubClient,
  owner: string,
  repo: string,
  mergeSha: string,
  prCommits: number,
  number: number,
): Promise<string> {
  const merge = await wrap(`read commit ${mergeSha.slice(0, 7)}`, () =>
    client.request('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', { owner, repo, commit_sha: mergeSha }),
  );
  const parents = merge.data.parents;
  if (parents.length === 0) throw new StateError(`commit ${mergeSha.slice(0, 7)} has no parent; nothing to revert onto`);
  if (parents.length > 1 || prCommits <= 1) return parents[0]!.sha;
  // One parent and several PR commits: a squash (the parent is `before`) or a rebase of k commits.
  const history = await wrap(`read the history below ${mergeSha.slice(0, 7)}`, () =>
    client.request('GET /repos/{owner}/{repo}/commits', { owner, repo, sha: mergeSha, per_page: Math.min(prCommits + 1, 100) }),
  );
  const oldest = history.data[prCommits - 1];
  const below = history.data[prCommits];
  if (!oldest || !below) return parents[0]!.sha;
  const pulls = await wrap(`read the pull requests of ${oldest.sha.slice(0, 7)}`, () =>
    client.request('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', { owner, repo, commit_sha: oldest.sha }),
  );
  return pulls.data.some((p) => p.number === number) ? below.sha : parents[0]!.sha;
}

async function compareFiles(
  client: GitHubClient,
  owner: string,
  repo: string,
  base: string,
  head: string,
): Promise<{ files: CompareFile[] }> {
  const res = await wrap(`compare ${base.slice(0, 7)}...${head.slice(0, 7)}`, () =>
    client.request('GET /repos/{owner}/{repo}/compare/{basehead}', { owner, repo, basehead: `${base}...${head}`, per_page: 1 }),
  );
  return { files: (res.data.files ?? []) as CompareFile[] };
}

type Mode = '100644' | '100755' | '120000';

/** Blob id and mode of each path at `commit`, from one GraphQL query of the paths' directories. */
async function blobsAt(
  client: GitHubClient,
  owner: string,
  repo: string,
  commit: string,
  paths: string[],
): Promise<Map<string, { oid: string; mode: Mode }>> {
  const out = new Map<string, { oid: string; mode: Mode }>();
  if (paths.length === 0) return out;
  const dirs = [...new Set(paths.map((p) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '')))];
  const variables: Record<string, unknown> = { owner, name: repo };
  const fields = dirs.map((dir, i) => {
    variables[`e${i}`] = dir ? `${commit}:${dir}` : commit;
    return dir
      ? `d${i}: object(expression: $e${i}) { ... on Tree { entries { name mode oid type } } }`
      : `d${i}: object(expression: $e${i}) { ... on Commit { tree { entries { name mode oid type } } } }`;
  });
  const text = `query FleetwaveRevertBlobs($owner: String!, $name: String!, ${dirs.map((_, i) => `$e${i}: String!`).join(', ')}) {
  repository(owner: $owner, name: $name) { ${fields.join('\n    ')} }
}`;
  type Entries = {
    entries?: { name: string; mode: number; oid: string; type: string }[];
    tree?: { entries: { name: string; mode: number; oid: string; type: string }[] };
  };
  const data = await query<{ repository: Record<string, Entries | null> | null }>(
    client,
    `read ${owner}/${repo}@${commit.slice(0, 7)}`,
    text,
    variables,
  );
  dirs.forEach((dir, i) => {
    const node = data.repository?.[`d${i}`];
    const entries = node?.entries ?? node?.tree?.entries ?? [];
    for (const e of entries) {
      if (e.type !== 'blob') continue;
      const mode = e.mode.toString(8) as Mode;
      out.set(dir ? `${dir}/${e.name}` : e.name, { oid: e.oid, mode: mode === '100755' || mode === '120000' ? mode : '100644' });
    }
  });
  return out;
}
