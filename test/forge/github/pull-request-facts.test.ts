/**
 * What observing a pull request reads on GitHub beyond its state, through the GitHub double (answers
 * from GitHub's schema, as below): whether it is a draft, whether it conflicts, where its branch left
 * its base (PR upkeep, docs/rollout.md).
 *
 * A draft on GitHub, through the GitHub double (test/forge/github/simulator.ts, GraphQL executed against
 * GitHub's schema, REST held to its OpenAPI description): observing reads `PullRequest.isDraft` ("Identifies
 * if the pull request is a draft", @octokit/graphql-schema), so an agent's PR is known as a draft without
 * its marker; merging it is refused for good — GitHub's changelog "Draft pull requests" (2019-02-14):
 * drafts "cannot be merged until they are marked as 'Ready for review'", REST answering 405 "Pull
 * Request is still a draft" (docs/github-behaviour.md).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createGitHubClient } from '../../../src/forge/github/client.js';
import { GitHubForge } from '../../../src/forge/github/forge.js';
import { openapiViolations, resetGitHubRequests } from '../../helpers/openapi.js';
import { FakeClock } from './fake-clock.js';
import { BOT } from './setup.js';
import { GitHubSimulator } from './simulator.js';

const main = 'a'.repeat(40);
const change = 'b'.repeat(40);
const branch = 'fleetwave/play-events-v2';

describe('GitHub forge: what an open pull request shows, on the GitHub double', () => {
  let sim: GitHubSimulator;

  beforeEach(() => {
    nock.disableNetConnect();
    resetGitHubRequests();
    sim = new GitHubSimulator(BOT.login);
    sim.putRepo('acme/c1', { refs: { main, [branch]: change, 'fleetwave/other': change }, commits: { [main]: [], [change]: [main] } });
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

  const forge = () => new GitHubForge({ client: createGitHubClient({ token: 'ghs_test', clock: new FakeClock() }).client, bot: BOT });

  it('observes a draft as a draft and is refused its merge for good; a rules’ PR is no draft', async () => {
    const f = forge();
    const opened = await f.openPullRequest({ repo: 'acme/c1', branch, base: 'main', title: 't', body: 'b', draft: true });
    expect(opened.draft).toBe(true);
    sim.startCI('acme/c1');

    const seen = (await f.findPullRequests(['acme/c1'], branch)).get('acme/c1');
    expect(seen).toEqual(expect.objectContaining({ number: opened.number, state: 'open', draft: true }));

    const err = await f.mergePullRequest('acme/c1', opened.number, change).catch((e: unknown) => e);
    // Not retried: a draft stays unmergeable until a person marks it ready.
    expect((err as { transient?: boolean }).transient).not.toBe(true);
    expect(String((err as Error).message)).toMatch(/acme\/c1#1 cannot be merged: Pull Request is still a draft/);
    expect((await f.findPullRequests(['acme/c1'], branch)).get('acme/c1')?.state).toBe('open');

    const rules = await f.openPullRequest({ repo: 'acme/c1', branch: 'fleetwave/other', base: 'main', title: 't', body: 'b' });
    const again = (await f.findPullRequests(['acme/c1'], 'fleetwave/other')).get('acme/c1');
    expect(again).toEqual(expect.objectContaining({ number: rules.number, state: 'open' }));
    expect(again?.draft).toBeUndefined();
  });

  it('reads a conflicting PR as conflicted (mergeable: CONFLICTING) and its merge base from its oldest commit’s parent', async () => {
    const f = forge();
    const opened = await f.openPullRequest({ repo: 'acme/c1', branch, base: 'main', title: 't', body: 'b' });
    const fresh = (await f.findPullRequests(['acme/c1'], branch)).get('acme/c1')!;
    expect(fresh).toEqual(expect.objectContaining({ mergeBase: main, conflicted: false }));
    sim.repos.get('acme/c1')!.pulls.find((p) => p.number === opened.number)!.conflicting = true;
    const stale = (await f.findPullRequests(['acme/c1'], branch)).get('acme/c1')!;
    expect(stale).toEqual(expect.objectContaining({ mergeBase: main, conflicted: true }));
  });
});
