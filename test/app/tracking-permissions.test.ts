/**
 * The App's tracking issue against the App permissions, end to end: a real Probot with the Fleetwave
 * App, the real engine and the GitHub forge, against the simulated GitHub whose installation token has
 * app.yml's `default_permissions` (`issues: write`) unless the test takes some away. GitHub refuses a
 * write without its permission: 403 "Resource not accessible by integration" (docs/github-behaviour.md).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { openapiViolations, resetGitHubRequests } from '../helpers/openapi.js';
import { playEventsManifest } from '../helpers/play-events-manifest.js';
import { engineWorld, manifestPush, type EngineWorld } from './engine-world.js';

const MANIFEST_PATH = '.fleetwave/migrations/play-events-v2.yaml';

describe('the tracking issue and the issues permission', () => {
  let world: EngineWorld | undefined;

  afterEach(async () => {
    nock.cleanAll();
    await world?.dispose();
    world = undefined;
    expect(openapiViolations()).toEqual([]);
  });

  async function start(): Promise<EngineWorld> {
    resetGitHubRequests();
    world = await engineWorld({
      'acme/data-platform': { files: { [MANIFEST_PATH]: playEventsManifest('repos: [acme/c1]') } },
      'acme/c1': { files: { 'src/read.ts': "export const uri = 'data/play-events/v1';\n" } },
    });
    return world;
  }

  /** Delivers the manifest's push and carries out the reconcile it queued; what the queue says of it. */
  async function push(w: EngineWorld) {
    const { name, payload } = manifestPush('acme/data-platform', MANIFEST_PATH);
    await w.probot.receive({ id: 'd-1', name, payload } as never);
    return w.fw.drain();
  }

  it('with app.yml’s permissions, reconciles and opens the tracking issue', async () => {
    const w = await start();
    expect(await push(w)).toEqual({ reconciled: 1, failed: 0 });
    expect(w.sim.repos.get('acme/data-platform')!.issues.map((i) => i.title)).toEqual(['Fleetwave: play-events-v2']);
    expect(w.sim.refused).toEqual([]);
  });

  it('with issues: read only, GitHub refuses the tracking issue and the reconcile reports it failed (it stays queued)', async () => {
    const w = await start();
    w.sim.permissions.set('issues', 'read');
    expect(await push(w)).toEqual({ reconciled: 0, failed: 1 });
    // The migration itself ran (its PR is open); only the write of the tracking issue was refused.
    expect(w.summaries).toHaveLength(1);
    expect(w.sim.repos.get('acme/c1')!.pulls).toHaveLength(1);
    expect(w.sim.repos.get('acme/data-platform')!.issues).toEqual([]);
    expect(w.sim.refused).toEqual(['POST /repos/acme/data-platform/issues: needs issues: write']);
    // Not retried in a loop: the next drain leaves it pending for a new request or the sweep.
    expect(await w.fw.drain()).toEqual({ reconciled: 0, failed: 0 });
  });
});
