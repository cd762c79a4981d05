/**
 * Threat (docs/security.md, "Commits"): a writer of a consumer repository pushes, onto the migration's
 * bot branch, a commit whose author they set to the App's bot (its noreply email and name). GitHub links
 * the email to the bot, so by author alone the commit reads as Fleetwave's, and Fleetwave would merge it
 * as its own change. GitHub signs the commits an App makes through the API (and no pushed commit), so the
 * forge now requires that signature: the spoofed commit hands the branch over to a human, as any human
 * commit does. The real engine through the GitHub forge against the GitHub double.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { createChangeApplier } from '../../src/codemod/engine.js';
import { createGitHubClient } from '../../src/forge/github/client.js';
import { GitHubForge } from '../../src/forge/github/forge.js';
import { parseManifest } from '../../src/manifest/load.js';
import { reconcileOnce, type ReconcileDeps } from '../../src/rollout/reconcile.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { silentLogger } from '../../src/util/log.js';
import { openapiViolations, resetGitHubRequests } from '../helpers/openapi.js';
import { CANARY_THEN_ALL, playEventsManifest } from '../helpers/play-events-manifest.js';
import { FakeClock } from '../forge/github/fake-clock.js';
import { BOT } from '../forge/github/setup.js';
import { GitHubSimulator } from '../forge/github/simulator.js';

describe('a commit that only claims to be the bot’s', () => {
  let sim: GitHubSimulator;
  const now = new Date('2026-01-01T00:00:00Z');

  beforeEach(async () => {
    nock.disableNetConnect();
    resetGitHubRequests();
    sim = new GitHubSimulator(BOT.login);
    await sim.addRepo('acme/c1', { 'src/read.ts': "export const uri = 'data/play-events/v1';\n" });
  });

  afterEach(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await sim.dispose();
    expect(openapiViolations()).toEqual([]);
  });

  it('hands the branch over to a human: the PR is neither pushed to nor merged', async () => {
    sim.install();
    const { client } = createGitHubClient({ token: 'ghs_test', clock: new FakeClock() });
    const forge = new GitHubForge({ client, bot: BOT, gitBaseUrl: sim.gitBaseUrl });
    const deps: ReconcileDeps = { forge, store: new MemoryStore(), changes: createChangeApplier(), logger: silentLogger, now: () => now };
    const loaded = parseManifest(playEventsManifest('repos: [acme/c1]', CANARY_THEN_ALL), 'play-events-v2.yaml');
    const tick = () => reconcileOnce(deps, loaded, { fleet: 'github' });

    await tick(); // opens the PR
    const pr = sim.repos.get('acme/c1')!.pulls[0]!;
    // The bot's own commit reads as the bot's.
    expect((await forge.getBranch('acme/c1', pr.branch))!.commits.map((c) => c.byBot)).toEqual([true]);
    const spoofed = sim.pushSpoofedBotCommit('acme/c1', pr.branch);
    sim.startCI('acme/c1');

    const seen = await tick();
    const target = seen.decision.targets.find((t) => t.repo === 'acme/c1')!;
    expect(target.state).toBe('failed');
    expect(target.reason).toContain(
      'by fleetwave[bot] (not signed by the forge, so not the bot’s) on the bot branch: Fleetwave will not push to or merge it',
    );
    // Nothing is pushed or merged; the failed canary pauses the rollout, as any failed target does.
    expect(seen.executed.filter((a) => a.kind !== 'pause')).toEqual([]);
    expect(pr.state).toBe('OPEN');
    expect(pr.head).toBe(spoofed);
    const branch = await new GitHubForge({ client, bot: BOT, gitBaseUrl: sim.gitBaseUrl }).getBranch('acme/c1', pr.branch);
    expect(branch!.commits.map((c) => c.byBot)).toEqual([true, false]);
  });
});
