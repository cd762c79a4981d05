/**
 * The catalog as the rest of Fleetwave uses it: `catalogConsumers(entityRef)` for discovery
 * (`ReconcileDeps.catalogConsumers`), and owner and tier lookups by repository. Built over the REST
 * API when a Backstage URL is configured, else over the fleet's own catalog-info.yaml files.
 */
import { recordApiRequest } from '../metrics/registry.js';
import type { Logger } from '../util/log.js';
import { CatalogApiClient, type CatalogApiOptions } from './api-client.js';
import { ApiCatalogReader } from './api-reader.js';
import { ownerOf, tierOf, timezoneOf, type CatalogProblem } from './entity.js';
import { FilesCatalogReader, type ReadRepoFile } from './files-reader.js';
import type { CatalogReader, DatasetConsumers } from './reader.js';

export interface CatalogLookup {
  /** Where the catalog is read from. */
  readonly location: string;
  /** `owner/name` of every usable consumer of the dataset entity, sorted: plugs into DiscoverySources / ReconcileDeps. */
  catalogConsumers(entityRef: string): Promise<string[]>;
  /** The dataset, its consumers with owners and tiers, and the problems met. */
  datasetConsumers(entityRef: string): Promise<DatasetConsumers>;
  /** The owner ref (e.g. `group:default/recs-team`) of the entity describing `repo`, or null. */
  ownerOf(repo: string): Promise<string | null>;
  /** The rollout tier (`fleetwave.io/tier`, else `spec.lifecycle`) of the entity describing `repo`, or null. */
  tierOf(repo: string): Promise<string | null>;
  /** The time zone (`fleetwave.io/timezone`) of the entity describing `repo`, or null. */
  timezoneOf(repo: string): Promise<string | null>;
  /** Every invalid or unusable entity met so far (each once). */
  problems(): CatalogProblem[];
}

export interface CatalogLookupOptions {
  /** Problems are logged as warnings as they are met, besides being kept for `problems()`. */
  logger?: Logger;
}

export function createCatalogLookup(reader: CatalogReader, options: CatalogLookupOptions = {}): CatalogLookup {
  const seen = new Map<string, CatalogProblem>();
  const byRepo = new Map<string, Promise<{ owner: string | null; tier: string | null }>>();
  const datasets = new Map<string, Promise<DatasetConsumers>>();
  const zones = new Map<string, Promise<string | null>>();
  const note = (problems: CatalogProblem[]) => {
    for (const p of problems) {
      const key = `${p.source}|${p.entity}|${p.message}`;
      if (seen.has(key)) continue;
      seen.set(key, p);
      options.logger?.warn({ catalog: reader.location, source: p.source, entity: p.entity }, `catalog entity skipped: ${p.message}`);
    }
  };
  const datasetConsumers = (ref: string) => {
    let pending = datasets.get(ref);
    if (!pending) {
      pending = reader.datasetConsumers(ref).then((found) => {
        note(found.problems);
        for (const c of found.consumers) if (!byRepo.has(c.repo)) byRepo.set(c.repo, Promise.resolve({ owner: c.owner, tier: c.tier }));
        return found;
      });
      pending.catch(() => datasets.delete(ref));
      datasets.set(ref, pending);
    }
    return pending;
  };
  const lookup = (repo: string) => {
    let pending = byRepo.get(repo);
    if (!pending) {
      pending = reader.entityForRepo(repo).then(({ entity, problems }) => {
        note(problems);
        return { owner: entity ? ownerOf(entity) : null, tier: entity ? tierOf(entity) : null };
      });
      pending.catch(() => byRepo.delete(repo));
      byRepo.set(repo, pending);
    }
    return pending;
  };
  return {
    location: reader.location,
    datasetConsumers,
    async catalogConsumers(ref) {
      const found = await datasetConsumers(ref);
      return [...new Set(found.consumers.map((c) => c.repo))].sort();
    },
    ownerOf: async (repo) => (await lookup(repo)).owner,
    tierOf: async (repo) => (await lookup(repo)).tier,
    timezoneOf(repo) {
      let pending = zones.get(repo);
      if (!pending) {
        pending = reader.entityForRepo(repo).then(({ entity }) => (entity ? timezoneOf(entity) : null));
        pending.catch(() => zones.delete(repo));
        zones.set(repo, pending);
      }
      return pending;
    },
    problems: () => [...seen.values()],
  };
}

/** The catalog through the Backstage REST API; each request is counted in `fleetwave_api_requests_total{service="backstage"}`. */
export function apiCatalog(options: CatalogApiOptions, lookup: CatalogLookupOptions = {}): CatalogLookup {
  const onRequest = options.onRequest ?? (({ status }: { status: number }) => recordApiRequest('backstage', status));
  return createCatalogLookup(new ApiCatalogReader(new CatalogApiClient({ ...options, onRequest })), lookup);
}

/** The catalog from the catalog-info.yaml files of the fleet's repositories (local forge or GitHub alike). */
export function filesCatalog(
  source: { listRepos: () => Promise<string[]>; readFile: ReadRepoFile },
  lookup: CatalogLookupOptions = {},
): CatalogLookup {
  return createCatalogLookup(new FilesCatalogReader(source.listRepos, source.readFile), lookup);
}

/**
 * The catalog an entry point should use: the REST API when `BACKSTAGE_URL` (or `url`) is set, with
 * `BACKSTAGE_TOKEN` as the bearer token; else the fleet's catalog-info.yaml files through the forge.
 */
export function catalogFor(
  forge: {
    listRepositories(): Promise<{ repo: string; archived: boolean }[]>;
    readFile(repo: string, path: string): Promise<string | null>;
  },
  config: { url?: string; token?: string } = { url: process.env.BACKSTAGE_URL, token: process.env.BACKSTAGE_TOKEN },
  lookup: CatalogLookupOptions = {},
): CatalogLookup {
  if (config.url) return apiCatalog({ baseUrl: config.url, token: config.token }, lookup);
  return filesCatalog(
    {
      listRepos: async () => (await forge.listRepositories()).filter((r) => !r.archived).map((r) => r.repo),
      readFile: (repo, path) => forge.readFile(repo, path),
    },
    lookup,
  );
}
