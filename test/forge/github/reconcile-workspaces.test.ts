/**
 * A monorepo split into workspaces (`consumers.workspaces`) through the GitHub forge against the
 * simulated GitHub: each package's change is pushed as its own tree on its own branch
 * (`fleetwave/<name>.ws/<folder>`, found again with `pullRequests(headRefName:)`), its pull request asks
 * the owners its CODEOWNERS gives that folder, and the next tick finds every PR again and opens nothing.
 * Every request is held to GitHub's OpenAPI description and GraphQL schema (test/helpers/openapi.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createChangeApplier } from '../../../src/codemod/engine.js';
import { createGitHubClient } from '../../../src/forge/github/client.js';
import { GitHubForge } from '../../../src/forge/github/forge.js';
import { parseManifest } from '../../../src/manifest/load.js';
import { reconcileOnce, type ReconcileDeps } from '../../../src/rollout/reconcile.js';
import { MemoryStore } from '../../../src/store/memory/memory-store.js';
import { silentLogger } from '../../../src/util/log.js';
import { githubRequests, openapiViolations, resetGitHubRequests } from '../../helpers/openapi.js';
import { playEventsManifest } from '../../helpers/play-events-manifest.js';
import { FakeClock } from './fake-clock.js';
import { BOT } from './setup.js';
import { GitHubSimulator } from './simulator.js';

const READ = "export const uri = 'data/play-events/v1';\n";

describe('reconcile through the GitHub forge: a monorepo split into workspaces', () => {
  let sim: GitHubSimulator;

  beforeEach(async () => {
    nock.disableNetConnect();
    resetGitHubRequests();
    sim = new GitHubSimulator(BOT.login);
    await sim.addRepo('acme/mono', {
      '.github/CODEOWNERS': '/packages/a/ @acme/team-a\n/packages/b/ @bea\n',
      'packages/a/package.json': '{ "name": "a" }\n',
      'packages/a/src/read.ts': READ,
      'packages/b/package.json': '{ "name": "b" }\n',
      'packages/b/src/read.ts': READ,
      'packages/c/package.json': '{ "name": "c" }\n',
    });
  });

  afterEach(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await sim.dispose();
    expect(openapiViolations()).toEqual([]);
  });

  it('opens a PR per consuming package on its own branch, with its own files and owners', async () => {
    sim.install();
    const { client } = createGitHubClient({ token: 'ghs_test', clock: new FakeClock() });
    const forge = new GitHubForge({ client, bot: BOT, gitBaseUrl: sim.gitBaseUrl });
    const now = new Date('2026-01-01T00:00:00Z');
    const deps: ReconcileDeps = { forge, store: new MemoryStore(), changes: createChangeApplier(), logger: silentLogger, now: () => now };
    const text = playEventsManifest('repos: [acme/mono]', ['canary: 0', "waves: ['100%']"]).replace(
      'changes:',
      '  workspaces: auto\nchanges:',
    );
    const loaded = parseManifest(text, 'play-events-v2.yaml');

    const first = await reconcileOnce(deps, loaded, { fleet: 'github' });
    expect(first.executed.map((a) => [a.kind, 'repo' in a ? a.repo : null])).toEqual([
      ['open', 'acme/mono/packages/a'],
      ['open', 'acme/mono/packages/b'],
    ]);
    const pulls = sim.repos.get('acme/mono')!.pulls;
    expect(pulls.map((p) => [p.branch, p.requested])).toEqual([
      ['fleetwave/play-events-v2.ws/packages/a', { users: [], teams: ['team-a'] }],
      ['fleetwave/play-events-v2.ws/packages/b', { users: ['bea'], teams: [] }],
    ]);
    // Each branch's commit is a tree of its own package's files only.
    const trees = githubRequests()
      .filter((r) => r.method === 'POST' && r.path === '/repos/acme/mono/git/trees')
      .map((r) => (r.body as { tree: { path: string }[] }).tree.map((e) => e.path));
    expect(trees).toEqual([['packages/a/src/read.ts'], ['packages/b/src/read.ts']]);

    // The next tick finds both PRs on their branches and opens nothing more.
    resetGitHubRequests();
    const again = await reconcileOnce(deps, loaded, { fleet: 'github' });
    expect(again.executed.filter((a) => a.kind === 'open')).toEqual([]);
    expect(sim.repos.get('acme/mono')!.pulls).toHaveLength(2);
  });
});
