/**
 * A reconcile that changes nothing leaves the tracking issue alone: no edit, so no content request
 * (GitHub counts each against the installation's content limits, 80 a minute and 500 an hour for an
 * App: docs/github-behaviour.md). The burndown in the issue ends at the journal's last event; when it
 * ended at the reconcile's own moment, every reconcile — each webhook, each periodic one — rewrote the
 * issue with a new time axis and nothing else (seen in test/app/processes-world.test.ts: a third of
 * the App's content requests).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { openapiViolations, resetGitHubRequests } from '../helpers/openapi.js';
import { playEventsManifest } from '../helpers/play-events-manifest.js';
import { type EngineWorld, engineWorld, manifestPush } from './engine-world.js';
import { example, inRepo } from './fixtures.js';

const MANIFEST_PATH = '.fleetwave/migrations/play-events-v2.yaml';
let world: EngineWorld | undefined;
afterEach(async () => {
  await world?.dispose();
  world = undefined;
  nock.cleanAll();
  expect(openapiViolations()).toEqual([]);
});

describe('the tracking issue on a quiet reconcile', () => {
  it('is not edited when nothing happened since the last reconcile, however much later it runs', async () => {
    nock.disableNetConnect();
    resetGitHubRequests();
    let clock = Date.parse('2026-01-01T00:00:00Z');
    world = await engineWorld(
      {
        'acme/data-platform': { files: { [MANIFEST_PATH]: playEventsManifest('repos: [acme/c1]', ["waves: ['100%']"]) } },
        // Its checks never finish: after the PR is open, there is nothing to do but wait.
        'acme/c1': { files: { 'src/read.ts': "export const uri = 'data/play-events/v1';\n" }, checks: 'PENDING' },
      },
      { now: () => new Date(clock) },
    );
    const suite = inRepo(example('check_suite', 'completed'), 'acme/c1');
    suite.check_suite.head_branch = 'fleetwave/play-events-v2';
    suite.check_suite.pull_requests = [];
    await world.deliver({ id: '1', name: 'push', payload: manifestPush('acme/data-platform', MANIFEST_PATH).payload });
    clock += 60_000;
    await world.deliver({ id: '2', name: 'check_suite', payload: suite });
    expect(world.sim.repos.get('acme/c1')!.pulls).toHaveLength(1);
    const edits = () => world!.sim.requestLog.filter((r) => /^PATCH \/repos\/acme\/data-platform\/issues\/\d+$/.test(r)).length;
    const before = edits();
    // Ten minutes later (the periodic reconcile) and again an hour later: the same state, the same issue.
    for (const later of [10 * 60_000, 60 * 60_000]) {
      clock += later;
      await world.deliver({ id: String(later), name: 'check_suite', payload: suite });
    }
    expect(world.summaries.length).toBeGreaterThanOrEqual(4);
    expect(world.sim.repos.get('acme/data-platform')!.issues).toHaveLength(1);
    expect(edits()).toBe(before);
  });
});
