/**
 * Re-running a pull request's failed checks on GitHub: the failed GitHub Actions workflow runs of the
 * PR's head commit get their failed jobs re-run (`POST …/actions/runs/{id}/rerun-failed-jobs`).
 * Costs 2 requests plus one per failed run. Checks from other CI apps are not re-run (GitHub lets an
 * App re-request only its own check suites); they keep their result.
 *
 * GitHub documents the App permissions: listing workflow runs needs *Actions: read*, re-running failed
 * jobs *Actions: write* (app.yml asks for `actions: write`). An installation that has not accepted it
 * answers 403 "Resource not accessible by integration"; that is said as the missing permission.
 */
import { ForgeError } from '../../util/errors.js';
import type { RepoName } from '../port.js';
import { type GitHubClient, splitRepo, statusOf, wrap } from './client.js';
import { answerMessage } from './failure.js';

/** A 403 from the Actions API: the installation lacks the `actions` permission (not transient). */
async function withActions<T>(repo: RepoName, what: string, access: 'read' | 'write', call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (statusOf(err) === 403 && /not accessible by integration/i.test(answerMessage(err)))
      throw new ForgeError(
        `GitHub refused to ${what}: the App has no "Actions: ${access}" permission on ${repo} (GitHub: "${answerMessage(err)}"); ` +
          'grant the App actions: write (app.yml) and accept the new permission on the installation',
        false,
        { cause: err, status: 403, repo },
      );
    return wrap(what, () => Promise.reject(err));
  }
}

export async function rerunFailedChecks(client: GitHubClient, repo: RepoName, number: number): Promise<{ reran: number[] }> {
  const { owner, repo: name } = splitRepo(repo);
  const pr = await wrap(`read ${repo}#${number}`, () =>
    client.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner, repo: name, pull_number: number }),
  );
  if (pr.data.state !== 'open')
    throw new ForgeError(`${repo}#${number} is ${pr.data.merged_at ? 'merged' : pr.data.state}; its checks are not re-run`, false, {
      repo,
    });
  const headSha = pr.data.head.sha;
  const runs = await withActions(repo, `list the workflow runs of ${repo}@${headSha.slice(0, 7)}`, 'read', () =>
    client.request('GET /repos/{owner}/{repo}/actions/runs', { owner, repo: name, head_sha: headSha, status: 'failure', per_page: 100 }),
  );
  const failed = runs.data.workflow_runs.filter(
    (r) => r.head_sha === headSha && (r.conclusion === 'failure' || r.conclusion === 'timed_out'),
  );
  for (const run of failed) {
    await withActions(repo, `re-run the failed jobs of workflow run ${run.id} in ${repo}`, 'write', () =>
      client.request('POST /repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs', { owner, repo: name, run_id: Number(run.id) }),
    );
  }
  return { reran: failed.map((r) => Number(r.id)) };
}
