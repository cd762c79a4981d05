/**
 * The CLI's engine is wired with the catalog (src/cli/local-context.ts through
 * src/composition/engine-deps.ts): without BACKSTAGE_URL, a manifest that finds its consumers with
 * `consumers.discover: - catalog:` targets the repositories the fleet's catalog-info.yaml files name,
 * and only those, with the catalog's tier.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalContext } from '../../src/cli/local-context.js';
import { createLocalRepo } from '../../src/forge/local/index.js';
import { loadManifest } from '../../src/manifest/load.js';
import { runMigration } from '../../src/rollout/run.js';
import { consumerComponent, datasetApi } from '../catalog/catalog-info.js';
import { playEventsManifest } from '../helpers/play-events-manifest.js';

const READS_V1 = { 'src/read.ts': "export const uri = 'data/play-events/v1';\n" };

let root: string;
let fleet: string;
const saved = { url: process.env.BACKSTAGE_URL };

beforeAll(async () => {
  delete process.env.BACKSTAGE_URL;
  root = mkdtempSync(join(tmpdir(), 'fleetwave-cli-catalog-'));
  fleet = join(root, 'fleet');
  await createLocalRepo(fleet, 'acme/data-platform', { 'catalog-info.yaml': datasetApi('play-events') });
  await createLocalRepo(fleet, 'acme/recs', {
    ...READS_V1,
    'catalog-info.yaml': consumerComponent('recs', 'acme/recs', 'play-events', { tier: 'experimental' }),
  });
  await createLocalRepo(fleet, 'acme/unlisted', READS_V1);
  writeFileSync(join(root, 'play-events-v2.yaml'), playEventsManifest('catalog: api:default/play-events'));
});

afterAll(() => {
  if (saved.url !== undefined) process.env.BACKSTAGE_URL = saved.url;
  rmSync(root, { recursive: true, force: true });
});

describe('CLI local context: discovery through the catalog', () => {
  it('targets the consumer that only the fleet’s catalog-info.yaml files name, in the catalog’s tier', async () => {
    const ctx = await openLocalContext({ fleet, state: join(root, 'state.sqlite') });
    try {
      expect(await ctx.deps.tierOf!('acme/recs')).toBe('experimental');
      const summary = await runMigration(ctx.deps, await loadManifest(join(root, 'play-events-v2.yaml')), { fleet, dryRun: true });
      expect(summary.targets.map((t) => [t.repo, t.state])).toEqual([['acme/recs', 'planned']]);
    } finally {
      ctx.close();
    }
  });
});
