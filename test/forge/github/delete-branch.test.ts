/**
 * Deleting one of the bot's branches on GitHub (`deleteBranch`, used by `fleetwave trial`), through the
 * GitHub double (test/forge/github/simulator.ts: REST answers laid over @octokit/openapi's examples and
 * held to its description). GitHub's `DELETE /repos/{owner}/{repo}/git/refs/{ref}` answers 204 without
 * a body, 422 for the default branch ("an attempt was made to delete the default branch", the OpenAPI
 * description) and 422 "Reference does not exist" for a ref that is gone (docs/github-behaviour.md). It
 * takes no expected sha: the forge compares first and refuses a branch that moved or carries a human's commit.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createGitHubClient } from '../../../src/forge/github/client.js';
import { GitHubForge } from '../../../src/forge/github/forge.js';
import { deleteBranch } from '../../../src/forge/github/push.js';
import { githubApi, openapiViolations, resetGitHubRequests } from '../../helpers/openapi.js';
import { FakeClock } from './fake-clock.js';
import { BOT, makeForge, sha } from './setup.js';
import { GitHubSimulator } from './simulator.js';

const main = 'a'.repeat(40);
const branch = 'fleetwave-trial/play-events-v2';

describe('GitHub forge: deleting a trial branch on the GitHub double', () => {
  let sim: GitHubSimulator;

  beforeEach(() => {
    nock.disableNetConnect();
    resetGitHubRequests();
    sim = new GitHubSimulator(BOT.login);
    sim.putRepo('acme/c1', { refs: { main }, commits: { [main]: [] }, files: { 'config.yaml': 'data/events/v1\n' } });
    sim.install();
  });

  afterEach(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    const failures = [...sim.schemaFailures];
    await sim.dispose();
    expect(failures).toEqual([]);
    expect(openapiViolations()).toEqual([]);
  });

  const forge = () =>
    new GitHubForge({ client: createGitHubClient({ token: 'ghs_test', clock: new FakeClock() }).client, bot: BOT, branchCacheMs: 0 });
  const push = (f: GitHubForge) =>
    f.pushChanges({
      repo: 'acme/c1',
      branch,
      baseSha: main,
      edits: [{ path: 'config.yaml', before: 'data/events/v1\n', after: 'data/events/v2\n' }],
      message: 'trial',
    });

  it("deletes the bot's branch at the expected head; deleting it again is no error", async () => {
    const f = forge();
    const { sha: head } = await push(f);
    expect((await f.getBranch('acme/c1', branch))?.sha).toBe(head);
    await f.deleteBranch('acme/c1', branch, head);
    expect(sim.repos.get('acme/c1')!.refs.has(branch)).toBe(false);
    expect(await f.getBranch('acme/c1', branch)).toBeNull();
    await f.deleteBranch('acme/c1', branch, head);
  });

  it('refuses a branch that moved, and one that carries a human commit; both stay', async () => {
    const f = forge();
    const { sha: head } = await push(f);
    const human = sim.pushHumanCommit('acme/c1', branch, 'dev');
    await expect(f.deleteBranch('acme/c1', branch, head)).rejects.toThrow(/moved to .* not deleting it/);
    await expect(f.deleteBranch('acme/c1', branch, human)).rejects.toThrow(
      /carries commit .* by dev: Fleetwave never deletes a human's commit/,
    );
    expect(sim.repos.get('acme/c1')!.refs.get(branch)).toBe(human);
  });

  it('never deletes the default branch', async () => {
    await expect(forge().deleteBranch('acme/c1', 'main', main)).rejects.toThrow(/it is the default branch/);
    expect(sim.repos.get('acme/c1')!.refs.get('main')).toBe(main);
  });
});

describe('GitHub forge: a branch gone between the compare and the delete', () => {
  beforeEach(() => {
    nock.disableNetConnect();
    resetGitHubRequests();
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
    expect(openapiViolations()).toEqual([]);
  });

  it('takes a 422 after which the branch is gone as done; a 422 with the branch still there fails', async () => {
    const { client } = makeForge();
    const head = sha('c');
    const compare = {
      status: 'ahead',
      ahead_by: 1,
      behind_by: 0,
      total_commits: 1,
      merge_base_commit: { sha: sha('b') },
      commits: [
        {
          sha: head,
          author: { login: BOT.login },
          commit: {
            author: { name: BOT.login, email: 'x' },
            message: 'trial',
            verification: { verified: true, reason: 'valid', signature: null, payload: null, verified_at: null },
          },
        },
      ],
    };
    const comparePath = `/repos/acme/recs/compare/main...${encodeURIComponent(branch)}`;
    const refPath = `/repos/acme/recs/git/refs/${encodeURIComponent(`heads/${branch}`)}`;
    // GitHub documents this 422 without a body (its real answer says "Reference does not exist").
    githubApi()
      .get(comparePath)
      .query(true)
      .reply(200, compare)
      .delete(refPath)
      .reply(422)
      .get(comparePath)
      .query(true)
      .reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/commits/commits#compare-two-commits' });
    await deleteBranch(client, BOT.login, 'acme/recs', 'main', branch, head);
    githubApi().get(comparePath).query(true).times(2).reply(200, compare).delete(refPath).reply(422);
    await expect(deleteBranch(client, BOT.login, 'acme/recs', 'main', branch, head)).rejects.toThrow(
      /delete branch acme\/recs:fleetwave-trial\/play-events-v2 failed/,
    );
  });
});
