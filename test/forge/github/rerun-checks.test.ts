import { describe, expect, it } from '@jest/globals';
import { githubApi } from '../../helpers/openapi.js';
import { makeForge, restPull, sha, useNock } from './setup.js';

const HEAD = sha('h');

describe("GitHub forge: re-running a pull request's failed checks", () => {
  useNock();

  it('re-runs the failed jobs of each failed workflow run of the head commit, and nothing else', async () => {
    const { forge } = makeForge();
    const posted: string[] = [];
    githubApi()
      .get('/repos/acme/recs/pulls/3')
      .reply(200, restPull(3))
      .get('/repos/acme/recs/actions/runs')
      .query({ head_sha: HEAD, status: 'failure', per_page: '100' })
      .reply(200, {
        total_count: 3,
        workflow_runs: [
          { id: 11, head_sha: HEAD, status: 'completed', conclusion: 'failure' },
          { id: 12, head_sha: HEAD, status: 'completed', conclusion: 'timed_out' },
          { id: 13, head_sha: sha('o'), status: 'completed', conclusion: 'failure' },
        ],
      })
      .post('/repos/acme/recs/actions/runs/11/rerun-failed-jobs')
      .reply(201, (uri) => (posted.push(uri), {}))
      .post('/repos/acme/recs/actions/runs/12/rerun-failed-jobs')
      .reply(201, (uri) => (posted.push(uri), {}));
    await forge.rerunChecks('acme/recs', 3);
    expect(posted).toEqual(['/repos/acme/recs/actions/runs/11/rerun-failed-jobs', '/repos/acme/recs/actions/runs/12/rerun-failed-jobs']);
  });

  it('refuses to re-run the checks of a merged pull request, without a further request', async () => {
    const { forge } = makeForge();
    githubApi()
      .get('/repos/acme/recs/pulls/4')
      .reply(200, restPull(4, { state: 'closed', merged: true, merged_at: '2026-01-02T00:00:00Z' }));
    await expect(forge.rerunChecks('acme/recs', 4)).rejects.toThrow(/#4 is merged; its checks are not re-run/);
  });

  it('a 502 from the re-run endpoint is a transient error, not repeated by the budget', async () => {
    const { forge } = makeForge();
    githubApi()
      .get('/repos/acme/recs/pulls/5')
      .reply(200, restPull(5))
      .get('/repos/acme/recs/actions/runs')
      .query(true)
      .reply(200, { total_count: 1, workflow_runs: [{ id: 21, head_sha: HEAD, status: 'completed', conclusion: 'failure' }] })
      .post('/repos/acme/recs/actions/runs/21/rerun-failed-jobs')
      .reply(502, { message: 'Bad Gateway' });
    // Sent once: GitHub may have started the re-run before the answer was lost, and the engine claims
    // each re-run in its journal before asking, so the budget does not repeat a creating POST.
    await expect(forge.rerunChecks('acme/recs', 5)).rejects.toMatchObject({ transient: true, status: 502, repo: 'acme/recs' });
  });

  it('says a 403 "Resource not accessible by integration" is the missing Actions permission', async () => {
    const { forge } = makeForge();
    githubApi()
      .get('/repos/acme/recs/pulls/6')
      .reply(200, restPull(6))
      .get('/repos/acme/recs/actions/runs')
      .query(true)
      .reply(200, { total_count: 1, workflow_runs: [{ id: 31, head_sha: HEAD, status: 'completed', conclusion: 'failure' }] })
      .post('/repos/acme/recs/actions/runs/31/rerun-failed-jobs')
      .reply(403, {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/actions/workflow-runs#re-run-failed-jobs-from-a-workflow-run',
      });
    const err = await forge.rerunChecks('acme/recs', 6).catch((e: unknown) => e);
    expect(err).toMatchObject({ transient: false, status: 403, repo: 'acme/recs' });
    expect((err as Error).message).toMatch(/no "Actions: write" permission on acme\/recs .*grant the App actions: write/);
  });
});
