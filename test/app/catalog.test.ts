/**
 * The App's engine is wired with the catalog (src/composition/engine-deps.ts): a manifest that finds
 * its consumers with `consumers.discover: - catalog:` migrates the repository the fleet's
 * catalog-info.yaml files name, and only that one; a repository that reads the same dataset but is
 * not in the catalog is left alone.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { openapiViolations, resetGitHubRequests } from '../helpers/openapi.js';
import { playEventsManifest } from '../helpers/play-events-manifest.js';
import { consumerComponent, datasetApi } from '../catalog/catalog-info.js';
import { engineWorld, manifestPush, type EngineWorld } from './engine-world.js';
import { example, inRepo } from './fixtures.js';

const MANIFEST_PATH = '.fleetwave/migrations/play-events-v2.yaml';
const READS_V1 = { 'src/read.ts': "export const uri = 'data/play-events/v1';\n" };

describe('App: discovery through the catalog', () => {
  let world: EngineWorld;
  beforeAll(async () => {
    nock.disableNetConnect();
    resetGitHubRequests();
    world = await engineWorld(
      {
        'acme/data-platform': {
          files: {
            [MANIFEST_PATH]: playEventsManifest('catalog: api:default/play-events'),
            'catalog-info.yaml': datasetApi('play-events'),
          },
        },
        'acme/recs': { files: { ...READS_V1, 'catalog-info.yaml': consumerComponent('recs', 'acme/recs', 'play-events') } },
        'acme/unlisted': { files: READS_V1 },
      },
      { env: {} },
    );
  });
  afterAll(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await world.dispose();
  });

  it('migrates the consumer that only the catalog names', async () => {
    const push = manifestPush('acme/data-platform', MANIFEST_PATH);
    await world.deliver({ id: '1', name: push.name, payload: push.payload });
    // The PR is open with no check yet; its CI starts and completes, and GitHub says so.
    world.sim.startCI('acme/recs');
    const suite = inRepo(example('check_suite', 'completed'), 'acme/recs');
    suite.check_suite.head_branch = 'fleetwave/play-events-v2';
    suite.check_suite.pull_requests = [];
    await world.deliver({ id: '1b', name: 'check_suite', payload: suite });
    const summary = world.summaries.at(-1)!;
    expect(summary.targets.map((t) => t.repo)).toEqual(['acme/recs']);
    expect(summary.state).toBe('completed');
    expect(world.sim.repos.get('acme/recs')!.pulls.map((p) => [p.branch, p.state])).toEqual([['fleetwave/play-events-v2', 'MERGED']]);
    expect(world.sim.repos.get('acme/unlisted')!.pulls).toEqual([]);
    expect(openapiViolations()).toEqual([]);
  });

  it('reads the catalog-info.yaml files once per installation and TTL, not once per event', async () => {
    const catalogReads = () => world.sim.requestLog.filter((r) => /\/contents\/catalog-info\.yaml/.test(r)).length;
    const before = catalogReads();
    expect(before).toBeGreaterThan(0);
    const push = manifestPush('acme/data-platform', MANIFEST_PATH);
    await world.deliver({ id: '2', name: push.name, payload: push.payload });
    expect(world.summaries.at(-1)!.targets.map((t) => t.repo)).toEqual(['acme/recs']);
    expect(catalogReads()).toBe(before);
  });
});
