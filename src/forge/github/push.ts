/**
 * Pushing a change set to the bot branch through the Git Data API, in a number of requests that does
 * not grow with the number of files:
 *
 *   [compare]  only when the branch exists: is its head still `expectedHeadSha`, all commits the bot's?
 *   tree       the base commit's tree: its sha is `base_tree` (GitHub's description asks for "the SHA1 of
 *              an existing Git tree object", not a commit's); recursive only when an existing file is
 *              rewritten, to keep file modes (a truncated listing is completed one sub-tree at a time
 *              for the rewritten files it left out)
 *   tree       one new tree on `base_tree` with every file's content inline; deletions as `sha: null`
 *   commit     one commit on `baseSha` (authored by the App's bot, since no author is given)
 *   ref        create `refs/heads/<branch>`, or move it (force) once the checks above passed
 *
 * Blobs are created only for content that cannot travel inline (a NUL byte): one request per such file.
 */
import { ForgeError, InputError, StateError } from '../../util/errors.js';
import type { PushRequest } from '../port.js';
import { type GitHubClient, splitRepo, statusOf, wrap } from './client.js';
import { answerMessage, writeRefusal } from './failure.js';

type TreeMode = '100644' | '100755' | '040000' | '160000' | '120000';

interface TreeEntry {
  path: string;
  mode: TreeMode;
  type: 'blob';
  content?: string;
  sha?: string | null;
}

/**
 * The modes of `paths` read one sub-tree at a time from the tree `rootSha` (what GitHub asks for when a
 * recursive listing is truncated): one request per folder on the paths, each folder read once.
 */
async function modesBySubtree(
  client: GitHubClient,
  repo: string,
  rootSha: string,
  paths: readonly string[],
): Promise<Map<string, TreeMode>> {
  const { owner, repo: name } = splitRepo(repo);
  const folders = new Map<string, Promise<Map<string, { mode: TreeMode; sha: string }>>>();
  const listing = (folder: string, sha: string) => {
    let pending = folders.get(folder);
    if (!pending) {
      pending = wrap(`read the tree of ${repo}:${folder || '/'}`, () =>
        client.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', { owner, repo: name, tree_sha: sha }),
      ).then(
        (res) =>
          new Map(res.data.tree.filter((e) => e.path && e.mode && e.sha).map((e) => [e.path!, { mode: e.mode as TreeMode, sha: e.sha! }])),
      );
      folders.set(folder, pending);
    }
    return pending;
  };
  const modes = new Map<string, TreeMode>();
  for (const path of paths) {
    const parts = path.split('/');
    let folder = '';
    let sha: string | null = rootSha;
    for (let i = 0; i < parts.length - 1 && sha; i++) {
      const entry = (await listing(folder, sha)).get(parts[i]!);
      sha = entry?.mode === '040000' ? entry.sha : null;
      folder = folder ? `${folder}/${parts[i]}` : parts[i]!;
    }
    const found = sha ? (await listing(folder, sha)).get(parts.at(-1)!) : undefined;
    if (found) modes.set(path, found.mode);
  }
  return modes;
}

export interface CompareCommit {
  sha: string;
  author: { login: string } | null;
  commit: { author: { name?: string; email?: string } | null; message?: string };
}

/** The branch's head and its commits that are not on `base`, from one compare request; null when the branch is missing. */
export async function compareBranch(
  client: GitHubClient,
  owner: string,
  repo: string,
  base: string,
  branch: string,
): Promise<{ head: string; commits: CompareCommit[]; complete: boolean } | null> {
  let data: { status: string; total_commits: number; commits: CompareCommit[]; merge_base_commit: { sha: string } };
  try {
    const res = await client.request('GET /repos/{owner}/{repo}/compare/{basehead}', {
      owner,
      repo,
      basehead: `${base}...${branch}`,
      per_page: 100,
    });
    data = res.data as unknown as typeof data;
  } catch (err) {
    if (statusOf(err) === 404) return null;
    return wrap(`compare ${owner}/${repo} ${base}...${branch}`, () => Promise.reject(err));
  }
  const last = data.commits[data.commits.length - 1];
  const head = data.status === 'behind' || data.status === 'identical' || !last ? data.merge_base_commit.sha : last.sha;
  return { head, commits: data.commits, complete: data.total_commits <= data.commits.length };
}

function needsBlob(text: string): boolean {
  return text.includes('\u0000');
}

export async function pushChanges(client: GitHubClient, botLogin: string, request: PushRequest): Promise<{ sha: string }> {
  const { owner, repo } = splitRepo(request.repo);
  const where = `${request.repo}:${request.branch}`;
  if (request.edits.length === 0) throw new InputError(`nothing to push to ${where}: the change set has no edit`);

  if (request.expectedHeadSha !== undefined) {
    const seen = await compareBranch(client, owner, repo, request.baseSha, request.branch);
    if (!seen)
      throw new StateError(
        `branch ${where} no longer exists (expected it at ${request.expectedHeadSha.slice(0, 7)}); the next reconcile recreates it`,
      );
    if (seen.head !== request.expectedHeadSha) {
      throw new StateError(
        `branch ${where} moved to ${seen.head.slice(0, 7)} since it was read at ${request.expectedHeadSha.slice(0, 7)}; not pushing over it`,
      );
    }
    const foreign = seen.commits.find((c) => c.author?.login !== botLogin);
    if (foreign) {
      const who = foreign.author?.login ?? foreign.commit.author?.name ?? 'someone else';
      throw new StateError(
        `branch ${where} carries commit ${foreign.sha.slice(0, 7)} by ${who}: Fleetwave never force-pushes over a human's commit`,
      );
    }
    if (!seen.complete) throw new StateError(`branch ${where} has more commits than GitHub lists in one compare; not pushing over it`);
  }

  const modes = new Map<string, TreeMode>();
  const rewrites = request.edits.some((e) => e.before !== null && e.after !== null);
  const baseTree = await wrap(`read the tree of ${request.repo}@${request.baseSha.slice(0, 7)}`, () =>
    client.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
      owner,
      repo,
      tree_sha: request.baseSha,
      ...(rewrites ? { recursive: 'true' } : {}),
    }),
  );
  if (rewrites) for (const entry of baseTree.data.tree) if (entry.path && entry.mode) modes.set(entry.path, entry.mode as TreeMode);
  // GitHub: "If truncated is true in the response then the number of items in the tree array exceeded
  // our maximum limit. If you need to fetch more items, use the non-recursive method of fetching trees,
  // and fetch one sub-tree at a time." A rewritten file the listing left out gets its mode that way,
  // so an executable bit, a symbolic link or a submodule is never taken for a plain file.
  if (rewrites && baseTree.data.truncated) {
    const missing = request.edits.filter((e) => e.before !== null && e.after !== null && !modes.has(e.path)).map((e) => e.path);
    for (const [path, mode] of await modesBySubtree(client, request.repo, baseTree.data.sha, missing)) modes.set(path, mode);
  }

  const tree: TreeEntry[] = [];
  for (const edit of request.edits) {
    if (edit.after === null) {
      tree.push({ path: edit.path, mode: '100644', type: 'blob', sha: null });
      continue;
    }
    const mode = modes.get(edit.path) ?? '100644';
    if (mode === '120000' || mode === '160000' || mode === '040000') {
      throw new InputError(
        `${request.repo}: ${edit.path} is a ${mode === '120000' ? 'symbolic link' : mode === '160000' ? 'submodule' : 'directory'}; a codemod may only rewrite regular files`,
      );
    }
    if (needsBlob(edit.after)) {
      const after = edit.after;
      const blob = await wrap(`create a blob for ${edit.path} in ${request.repo}`, () =>
        client.request('POST /repos/{owner}/{repo}/git/blobs', {
          owner,
          repo,
          content: Buffer.from(after, 'utf8').toString('base64'),
          encoding: 'base64',
        }),
      );
      tree.push({ path: edit.path, mode, type: 'blob', sha: blob.data.sha });
    } else {
      tree.push({ path: edit.path, mode, type: 'blob', content: edit.after });
    }
  }

  const newTree = await wrap(`create a tree in ${request.repo}`, () =>
    client.request('POST /repos/{owner}/{repo}/git/trees', { owner, repo, base_tree: baseTree.data.sha, tree }),
  );
  const commit = await wrap(`create a commit in ${request.repo}`, () =>
    client.request('POST /repos/{owner}/{repo}/git/commits', {
      owner,
      repo,
      message: request.message,
      tree: newTree.data.sha,
      parents: [request.baseSha],
    }),
  );
  const sha = commit.data.sha;

  try {
    if (request.expectedHeadSha === undefined) {
      await client.request('POST /repos/{owner}/{repo}/git/refs', { owner, repo, ref: `refs/heads/${request.branch}`, sha });
    } else {
      await client.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', { owner, repo, ref: `heads/${request.branch}`, sha, force: true });
    }
  } catch (err) {
    const refusal = statusOf(err) === 422 ? writeRefusal(err) : null;
    if (refusal === 'ref-exists' && request.expectedHeadSha === undefined)
      throw new StateError(`branch ${where} already exists: read it first and pass its head as expectedHeadSha`, { cause: err });
    if (refusal === 'workflows-permission') throw workflowsRefused(request.repo, where, err);
    return wrap(`${request.expectedHeadSha === undefined ? 'create' : 'move'} branch ${where}`, () => Promise.reject(err));
  }
  return { sha };
}

/**
 * GitHub refused a commit (or a merge) that changes a workflow file: the App lacks the `workflows`
 * permission. Not transient: it fails the same way until the App is granted the permission or the
 * change leaves `.github/workflows/**` alone (the default, `consumers.editWorkflows: false`).
 */
export function workflowsRefused(repo: string, where: string, err: unknown): ForgeError {
  return new ForgeError(
    `GitHub refused ${where}: the change touches a workflow file under .github/workflows/ and the App has no workflows permission ` +
      `(GitHub: "${answerMessage(err)}"). Grant the App "Workflows: write", or leave consumers.editWorkflows unset so rules skip workflow files`,
    false,
    { cause: err, status: statusOf(err) ?? null, repo },
  );
}
