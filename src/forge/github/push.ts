/**
 * Pushing a change set to the bot branch through the Git Data API, in a number of requests that does
 * not grow with the number of files:
 *
 *   [compare]  only when the branch exists: is its head still `expectedHeadSha`, all commits the bot's?
 *   tree       the base commit's tree: its sha is `base_tree` (GitHub's description asks for "the SHA1 of
 *              an existing Git tree object", not a commit's); recursive only when an existing file is
 *              rewritten, to keep file modes (a truncated listing, or a top-level one for a path in an
 *              existing folder, is completed one sub-tree at a time along the edited paths). An edit to
 *              a symbolic link or a submodule, or under one, is refused here, before anything is written
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
import { isBotRestCommit } from './pull-requests.js';

type TreeMode = '100644' | '100755' | '040000' | '160000' | '120000';

interface TreeEntry {
  path: string;
  mode: TreeMode;
  type: 'blob';
  content?: string;
  sha?: string | null;
}

interface Listed {
  mode: TreeMode;
  sha: string;
}

/**
 * The modes of `paths` and of every folder above each of them in the base tree (`rootSha`), so a path
 * under a symbolic link or a submodule is seen as such. `base` is the first listing: recursive (every
 * folder known unless truncated) or the top level only. What it leaves out is read one sub-tree at a
 * time (what GitHub asks for when a recursive listing is truncated): one request per folder on the
 * paths, each folder read once, none below a folder that does not exist.
 */
async function modesOnPaths(
  client: GitHubClient,
  repo: string,
  base: { sha: string; recursive: boolean; truncated: boolean; entries: Map<string, Listed> },
  paths: readonly string[],
): Promise<Map<string, TreeMode>> {
  const { owner, repo: name } = splitRepo(repo);
  const known = base.entries;
  const complete = new Set<string>();
  const pending = new Map<string, Promise<void>>();
  const isComplete = (folder: string) => (!base.truncated && (base.recursive || folder === '')) || complete.has(folder);
  const list = (folder: string, sha: string) => {
    let p = pending.get(folder);
    if (!p) {
      p = wrap(`read the tree of ${repo}:${folder || '/'}`, () =>
        client.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', { owner, repo: name, tree_sha: sha }),
      ).then((res) => {
        for (const e of res.data.tree) {
          if (e.path && e.mode && e.sha) known.set(folder ? `${folder}/${e.path}` : e.path, { mode: e.mode as TreeMode, sha: e.sha });
        }
        complete.add(folder);
      });
      pending.set(folder, p);
    }
    return p;
  };
  const modes = new Map<string, TreeMode>();
  for (const path of paths) {
    // Listed itself: every folder above it is a folder (a tree cannot hold `a` as a link and `a/b`).
    const listed = known.get(path);
    if (listed) {
      modes.set(path, listed.mode);
      continue;
    }
    const parts = path.split('/');
    let folder = '';
    let sha = base.sha;
    for (let i = 0; i < parts.length; i++) {
      const here = folder ? `${folder}/${parts[i]}` : parts[i]!;
      if (!known.has(here) && !isComplete(folder)) await list(folder, sha);
      const entry = known.get(here);
      if (!entry) break; // absent: nothing exists below it
      modes.set(here, entry.mode);
      if (entry.mode !== '040000') break;
      folder = here;
      sha = entry.sha;
    }
  }
  return modes;
}

/**
 * Issue 14: an edit to a path that is a symbolic link, a submodule or a folder in the base tree, or
 * that lies under a link, a submodule or a file, is refused before anything is written (as
 * write-edits.ts does on disk): GitHub would keep mode 120000 and make the new text the link's target,
 * or replace the link with a folder.
 */
function refuseLinked(repo: string, baseSha: string, path: string, modes: ReadonlyMap<string, TreeMode>): void {
  const what = (mode: TreeMode) =>
    mode === '120000' ? 'a symbolic link' : mode === '160000' ? 'a submodule' : mode === '040000' ? 'a folder' : 'a file';
  const refuse = (why: string) =>
    new InputError(`${repo}: ${path}: ${why}; Fleetwave changes only regular files, never a link or a path through one`);
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i++) {
    const folder = parts.slice(0, i).join('/');
    const mode = modes.get(folder);
    if (mode && mode !== '040000') throw refuse(`${folder} is ${what(mode)} in ${baseSha.slice(0, 7)}, not a folder`);
  }
  const mode = modes.get(path);
  if (mode === '120000' || mode === '160000' || mode === '040000') throw refuse(`it is ${what(mode)} in ${baseSha.slice(0, 7)}`);
}

export interface CompareCommit {
  sha: string;
  author: { login: string } | null;
  commit: { author: { name?: string; email?: string } | null; message?: string; verification?: { verified: boolean } | null };
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
    const foreign = seen.commits.find((c) => !isBotRestCommit(c, botLogin));
    if (foreign) {
      const who = foreign.author?.login ?? foreign.commit.author?.name ?? 'someone else';
      throw new StateError(
        `branch ${where} carries commit ${foreign.sha.slice(0, 7)} by ${who}: Fleetwave never force-pushes over a human's commit`,
      );
    }
    if (!seen.complete) throw new StateError(`branch ${where} has more commits than GitHub lists in one compare; not pushing over it`);
  }

  const rewrites = request.edits.some((e) => e.before !== null && e.after !== null);
  const baseTree = await wrap(`read the tree of ${request.repo}@${request.baseSha.slice(0, 7)}`, () =>
    client.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
      owner,
      repo,
      tree_sha: request.baseSha,
      ...(rewrites ? { recursive: 'true' } : {}),
    }),
  );
  const entries = new Map<string, Listed>();
  for (const entry of baseTree.data.tree) {
    if (entry.path && entry.mode && entry.sha) entries.set(entry.path, { mode: entry.mode as TreeMode, sha: entry.sha });
  }
  // Every edited path's mode and its folders' (a new file too: it may be under a linked folder), so an
  // executable bit is kept and a symbolic link or a submodule is never taken for a plain file. GitHub:
  // "If truncated is true in the response then the number of items in the tree array exceeded our
  // maximum limit. If you need to fetch more items, use the non-recursive method of fetching trees,
  // and fetch one sub-tree at a time." (modesOnPaths). Every edit is checked before anything is written.
  const modes = await modesOnPaths(
    client,
    request.repo,
    { sha: baseTree.data.sha, recursive: rewrites, truncated: baseTree.data.truncated, entries },
    request.edits.map((e) => e.path),
  );
  for (const edit of request.edits) refuseLinked(request.repo, request.baseSha, edit.path, modes);

  const tree: TreeEntry[] = [];
  for (const edit of request.edits) {
    if (edit.after === null) {
      tree.push({ path: edit.path, mode: '100644', type: 'blob', sha: null });
      continue;
    }
    const mode = modes.get(edit.path) ?? '100644';
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

/**
 * Delete one of the bot's branches: one compare (is its head still `expectedSha`, every commit the
 * bot's?), then `DELETE /repos/{owner}/{repo}/git/refs/heads/<branch>`. GitHub's delete takes no
 * expected sha, so a push landing between the compare and the delete is lost with the branch; the
 * window is one request long and the branches deleted this way are Fleetwave's own trial branches.
 * A branch already gone (404 on the compare, or a 422 on the delete after which the compare finds no
 * branch: GitHub's "Reference does not exist", docs/github-behaviour.md) is no error.
 */
export async function deleteBranch(
  client: GitHubClient,
  botLogin: string,
  repoName: string,
  defaultBranch: string,
  branch: string,
  expectedSha: string,
): Promise<void> {
  const { owner, repo } = splitRepo(repoName);
  const where = `${repoName}:${branch}`;
  if (branch === defaultBranch) throw new InputError(`refusing to delete ${where}: it is the default branch`);
  const seen = await compareBranch(client, owner, repo, defaultBranch, branch);
  if (!seen) return;
  if (seen.head !== expectedSha)
    throw new StateError(
      `branch ${where} moved to ${seen.head.slice(0, 7)} since it was pushed at ${expectedSha.slice(0, 7)}; not deleting it`,
    );
  const foreign = seen.commits.find((c) => !isBotRestCommit(c, botLogin));
  if (foreign) {
    const who = foreign.author?.login ?? foreign.commit.author?.name ?? 'someone else';
    throw new StateError(`branch ${where} carries commit ${foreign.sha.slice(0, 7)} by ${who}: Fleetwave never deletes a human's commit`);
  }
  if (!seen.complete) throw new StateError(`branch ${where} has more commits than GitHub lists in one compare; not deleting it`);
  try {
    await client.request('DELETE /repos/{owner}/{repo}/git/refs/{ref}', { owner, repo, ref: `heads/${branch}` });
  } catch (err) {
    // 422 is GitHub's answer for a ref that is gone ("Reference does not exist", a body its description
    // does not document) as for the default branch or spam: whether the branch is gone is asked again.
    if (statusOf(err) === 422 && !(await compareBranch(client, owner, repo, defaultBranch, branch))) return;
    return wrap(`delete branch ${where}`, () => Promise.reject(err));
  }
}
