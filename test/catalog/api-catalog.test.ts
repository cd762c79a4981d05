import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import nock from 'nock';
import { apiCatalog } from '../../src/catalog/catalog.js';
import { metricsRegistry } from '../../src/metrics/registry.js';
import { ForgeError, InputError } from '../../src/util/errors.js';

const BASE = 'https://backstage.acme.test';
const TOKEN = 'test-token-4f9a';
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../fixtures/backstage/${name}`, import.meta.url), 'utf8'));

function catalog() {
  return apiCatalog({ baseUrl: BASE, token: TOKEN, pageSize: 1 });
}

function authed() {
  return nock(BASE, { reqheaders: { authorization: `Bearer ${TOKEN}`, accept: 'application/json' } });
}

async function backstageRequests(outcome: string): Promise<number> {
  const { values } = await metricsRegistry.getSingleMetric('fleetwave_api_requests_total')!.get();
  return values.find((v) => v.labels.service === 'backstage' && v.labels.outcome === outcome)?.value ?? 0;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});
afterAll(() => nock.enableNetConnect());

describe('catalog over the Backstage REST API', () => {
  it('finds a dataset API consumers through apiConsumedBy and dependencyOf, with owners and tiers, and reports unusable entities', async () => {
    authed()
      .get('/api/catalog/entities/by-name/api/default/play-events')
      .reply(200, fixture('by-name-api-play-events.json') as nock.Body);
    authed()
      .post('/api/catalog/entities/by-refs', fixture('by-refs-play-events-request.json') as nock.RequestBodyMatcher)
      .reply(200, fixture('by-refs-play-events-consumers.json') as nock.Body);
    const before = await backstageRequests('ok');
    const c = catalog();
    const found = await c.datasetConsumers('api:default/play-events');
    expect((await backstageRequests('ok')) - before).toBe(2);
    expect(found.dataset).toEqual({
      ref: 'api:default/play-events',
      owner: 'group:default/data-platform',
      tier: 'production',
      repo: 'acme/play-events',
    });
    expect(found.consumers).toEqual([
      {
        ref: 'component:default/billing-jobs',
        repo: 'acme/billing-jobs',
        owner: 'group:default/billing',
        tier: 'production',
        relation: 'apiConsumedBy',
      },
      {
        ref: 'component:default/churn-model',
        repo: 'acme/churn-model',
        owner: 'group:default/data-science',
        tier: 'experimental',
        relation: 'dependencyOf',
      },
      { ref: 'component:default/recs', repo: 'acme/recs', owner: 'group:default/recs-team', tier: 'canary', relation: 'apiConsumedBy' },
    ]);
    const problems = Object.fromEntries(found.problems.map((p) => [p.entity, p.message]));
    expect(Object.keys(problems).sort()).toEqual([
      'component:default/ghost-service',
      'component:default/legacy-report',
      'component:default/search-ranker',
    ]);
    expect(problems['component:default/legacy-report']).toMatch(/no github.com\/project-slug annotation/);
    expect(problems['component:default/ghost-service']).toMatch(/no such entity/);
    expect(problems['component:default/search-ranker']).toMatch(/lifecycle/);
    expect(c.problems()).toHaveLength(3);

    // Cached: the ReconcileDeps function answers from the same lookup without asking again.
    expect(await c.catalogConsumers('api:default/play-events')).toEqual(['acme/billing-jobs', 'acme/churn-model', 'acme/recs']);
    // Owners and tiers of consumers already seen need no request either.
    expect(await c.ownerOf('acme/recs')).toBe('group:default/recs-team');
    expect(await c.tierOf('acme/churn-model')).toBe('experimental');
  });

  it('takes a Resource as the dataset and its dependencyOf consumers', async () => {
    authed()
      .get('/api/catalog/entities/by-name/resource/default/play-events-bucket')
      .reply(200, fixture('by-name-resource-play-events-bucket.json') as nock.Body);
    const refs = fixture('by-refs-play-events-consumers.json') as { items: unknown[] };
    authed()
      .post('/api/catalog/entities/by-refs', { entityRefs: ['component:default/churn-model'] })
      .reply(200, { items: [refs.items[5]] });
    expect(await catalog().catalogConsumers('resource:default/play-events-bucket')).toEqual(['acme/churn-model']);
  });

  it('looks an unseen repository up by its project-slug annotation, following the query cursor', async () => {
    const page1 = fixture('by-query-project-slug-recs-page1.json') as { pageInfo: { nextCursor: string } };
    authed()
      .get('/api/catalog/entities/by-query')
      .query({ filter: 'metadata.annotations.github.com/project-slug=acme/recs', limit: '1' })
      .reply(200, page1 as nock.Body);
    authed()
      .get('/api/catalog/entities/by-query')
      .query({ cursor: page1.pageInfo.nextCursor, limit: '1' })
      .reply(200, fixture('by-query-project-slug-recs-page2.json') as nock.Body);
    const c = catalog();
    // The Component wins over the Resource on the second page.
    expect(await c.tierOf('acme/recs')).toBe('canary');
    expect(await c.ownerOf('acme/recs')).toBe('group:default/recs-team');
  });

  it('refuses an API that is not a dataset, and an entity the catalog does not have, naming them', async () => {
    authed()
      .get('/api/catalog/entities/by-name/api/default/recs-api')
      .reply(200, fixture('by-name-api-recs-api.json') as nock.Body);
    authed()
      .get('/api/catalog/entities/by-name/api/default/nope')
      .reply(404, { error: { name: 'NotFoundError', message: 'No entity named nope' } });
    const c = catalog();
    await expect(c.catalogConsumers('api:default/recs-api')).rejects.toThrow(
      /api:default\/recs-api is an API of spec.type "openapi", not a dataset/,
    );
    const err = await c.catalogConsumers('nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(/has no entity nope.*consumers\.discover/);
  });

  it('says what to do on a refused token without echoing it, and marks server errors as transient', async () => {
    authed()
      .get('/api/catalog/entities/by-name/api/default/play-events')
      .reply(401, { error: { name: 'AuthenticationError' } });
    authed().get('/api/catalog/entities/by-name/api/default/play-events').reply(503, 'upstream unavailable');
    const c = catalog();
    const refused = await c.catalogConsumers('api:default/play-events').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as Error).message).toMatch(/refused the request \(401\).*BACKSTAGE_TOKEN/);
    expect((refused as Error).message).not.toContain(TOKEN);
    // A failed lookup is not cached: the next call asks again.
    const down = await c.catalogConsumers('api:default/play-events').catch((e: unknown) => e);
    expect(down).toBeInstanceOf(ForgeError);
    expect((down as ForgeError).transient).toBe(true);
    expect((down as ForgeError).status).toBe(503);
  });

  it('retries a connection reset on a later tick, but not a host that does not exist', async () => {
    authed().get('/api/catalog/entities/by-name/api/default/play-events').replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    authed()
      .get('/api/catalog/entities/by-name/api/default/play-events')
      .replyWithError({ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND backstage.acme.test' });
    const c = catalog();
    const reset = await c.catalogConsumers('api:default/play-events').catch((e: unknown) => e);
    expect(reset).toMatchObject({ transient: true, status: null });
    expect((reset as Error).message).toMatch(/cannot reach the Backstage catalog at .* \(ECONNRESET\)/);
    const unknownHost = await c.catalogConsumers('api:default/play-events').catch((e: unknown) => e);
    expect(unknownHost).toBeInstanceOf(ForgeError);
    expect(unknownHost).toMatchObject({ transient: false, status: null });
  });

  it('rejects a base URL that is not http(s)', () => {
    expect(() => apiCatalog({ baseUrl: 'backstage.acme' })).toThrow(InputError);
  });
});
