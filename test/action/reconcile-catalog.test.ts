/**
 * The Action's engine is wired with the catalog (src/composition/engine-deps.ts): with BACKSTAGE_URL
 * and BACKSTAGE_TOKEN in the step's environment, a manifest that finds its consumers with
 * `consumers.discover: - catalog:` migrates the repositories the Backstage catalog names (its REST API
 * behind nock, answering with the recorded fixtures), and only those.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import nock from 'nock';
import { reconcileMode } from '../../src/action/modes/reconcile.js';
import { silentLogger } from '../../src/util/log.js';
import { openapiViolations, resetGitHubRequests } from '../helpers/openapi.js';
import { FakeClock } from '../forge/github/fake-clock.js';
import { GitHubSimulator } from '../forge/github/simulator.js';
import { playEventsManifest } from '../helpers/play-events-manifest.js';
import { manifestWorkspace, recordingIO } from './recording-io.js';

const BACKSTAGE = 'https://backstage.acme.test';
const BACKSTAGE_TOKEN = 'backstage-token-77';
const MANIFEST_PATH = '.fleetwave/migrations/play-events-v2.yaml';
const MANIFEST = playEventsManifest('catalog: api:default/play-events');
/**
 * The usable consumers in fixtures/backstage/by-refs-play-events-consumers.json: legacy-report has no
 * repository, ghost-service is gone, search-ranker has no spec.lifecycle (so its repository is not one).
 */
const CATALOG_CONSUMERS = ['acme/billing-jobs', 'acme/churn-model', 'acme/recs'];
const READS_V1 = { 'src/read.ts': "export const uri = 'data/play-events/v1';\n" };
const fixture = (name: string): nock.Body =>
  JSON.parse(readFileSync(new URL(`../../fixtures/backstage/${name}`, import.meta.url), 'utf8')) as nock.Body;

let sim: GitHubSimulator;
let workspace: { dir: string; dispose(): void };

beforeAll(async () => {
  nock.disableNetConnect();
  resetGitHubRequests();
  sim = new GitHubSimulator('fleetwave[bot]');
  await sim.addRepo('acme/data-platform', { [MANIFEST_PATH]: MANIFEST });
  for (const c of [...CATALOG_CONSUMERS, 'acme/search-ranker', 'acme/unlisted']) await sim.addRepo(c, READS_V1);
  sim.install();
  const backstage = nock(BACKSTAGE, { reqheaders: { authorization: `Bearer ${BACKSTAGE_TOKEN}` } }).persist();
  backstage.get('/api/catalog/entities/by-name/api/default/play-events').reply(200, fixture('by-name-api-play-events.json'));
  backstage
    .post('/api/catalog/entities/by-refs', fixture('by-refs-play-events-request.json') as nock.RequestBodyMatcher)
    .reply(200, fixture('by-refs-play-events-consumers.json'));
  workspace = manifestWorkspace(MANIFEST_PATH, MANIFEST);
});

afterAll(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await sim.dispose();
  workspace.dispose();
});

describe('mode reconcile: discovery through the catalog', () => {
  it('migrates the consumers the Backstage catalog of BACKSTAGE_URL names, and no other repository', async () => {
    const { io, rec } = recordingIO(
      {
        mode: 'reconcile',
        manifest: MANIFEST_PATH,
        token: 'ghs_actiontoken',
        'app-slug': 'fleetwave',
        'state-path': '.fleetwave/state.json',
      },
      {
        GITHUB_REPOSITORY: 'acme/data-platform',
        GITHUB_WORKSPACE: workspace.dir,
        GITHUB_SERVER_URL: sim.gitBaseUrl,
        GITHUB_API_URL: 'https://api.github.com',
        BACKSTAGE_URL: BACKSTAGE,
        BACKSTAGE_TOKEN,
      },
    );
    const outcome = await reconcileMode(io, {
      clock: new FakeClock(),
      now: () => new Date('2026-01-01T00:00:00Z'),
      sleep: async () => undefined,
      logger: silentLogger,
    });
    expect(outcome).toEqual({});
    expect(rec.errors).toEqual([]);
    const summary = JSON.parse(rec.outputs.summary!) as { targets: { repo: string }[] };
    expect(summary.targets.map((t) => t.repo)).toEqual(CATALOG_CONSUMERS);
    for (const c of CATALOG_CONSUMERS) expect(sim.repos.get(c)!.pulls.map((p) => p.branch)).toEqual(['fleetwave/play-events-v2']);
    for (const other of ['acme/search-ranker', 'acme/unlisted']) expect(sim.repos.get(other)!.pulls).toEqual([]);
    expect(openapiViolations()).toEqual([]);
  });
});
