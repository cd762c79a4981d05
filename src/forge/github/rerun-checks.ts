/**
 * Re-running a pull request's failed checks on GitHub: the failed GitHub Actions workflow runs of the
 * PR's head commit get their failed jobs re-run (`POST …/actions/runs/{id}/rerun-failed-jobs`).
 * Costs 2 requests plus one per failed run. Checks from other CI apps are not re-run (GitHub lets an
 * App re-request only its own check suites); they keep their result.
 */
import { ForgeError } from '../../util/errors.js';
import type { RepoName } from '../port.js';
import { type GitHubClient, splitRepo, wrap } from './client.js';

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
  const runs = await wrap(`list the workflow runs of ${repo}@${headSha.slice(0, 7)}`, () =>
    client.request('GET /repos/{owner}/{repo}/actions/runs', { owner, repo: name, head_sha: headSha, status: 'failure', per_page: 100 }),
  );
  const failed = runs.data.workflow_runs.filter(
    (r) => r.head_sha === headSha && (r.conclusion === 'failure' || r.conclusion === 'timed_out'),
  );
  for (const run of failed) {
    await wrap(`re-run the failed jobs of workflow run ${run.id} in ${repo}`, () =>
      client.request('POST /repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs', { owner, repo: name, run_id: Number(run.id) }),
    );
  }
  return { reran: failed.map((r) => Number(r.id)) };
}
