/**
 * Who consumes the dataset: the manifest's `consumers.discover` sources (explicit repos, code search,
 * the Backstage catalog), filtered by include/exclude, archived and opted-out repositories.
 */
import picomatch from 'picomatch';
import type { Manifest } from '../manifest/types.js';

export interface DiscoveredRepo {
  repo: string;
  defaultBranch: string;
  archived: boolean;
  optedOut: boolean;
}

/** What discovery needs from the world; the forge and a catalog client provide it. */
export interface DiscoverySources {
  listRepositories(): Promise<DiscoveredRepo[]>;
  searchCode(text: string): Promise<string[]>;
  /** Consumers of a catalog entity (e.g. `api:default/play-events`), when a catalog is configured. */
  catalogConsumers?: (entityRef: string) => Promise<string[]>;
}

export interface Discovery {
  /** Consumer repositories, sorted. */
  consumers: string[];
  /** Repositories found but left out, with the reason. */
  excluded: { repo: string; reason: string }[];
  /** Where a source could not be asked (no catalog configured, …). */
  warnings: string[];
  /** Which source found each consumer. */
  foundBy: Map<string, string[]>;
}

export async function discoverConsumers(
  manifest: Manifest,
  sources: DiscoverySources,
  options: { manifestRepo?: string } = {},
): Promise<Discovery> {
  const foundBy = new Map<string, string[]>();
  const warnings: string[] = [];
  const note = (repo: string, source: string) => {
    const list = foundBy.get(repo) ?? [];
    if (!list.includes(source)) list.push(source);
    foundBy.set(repo, list);
  };
  for (const [i, source] of manifest.consumers.discover.entries()) {
    if ('repos' in source) for (const r of source.repos) note(r, 'repos');
    else if ('search' in source) for (const r of await sources.searchCode(source.search)) note(r, `search:${source.search}`);
    else if ('catalog' in source) {
      if (!sources.catalogConsumers) {
        warnings.push(`consumers.discover[${i}]: no Backstage catalog is configured, so catalog ${source.catalog} was not asked`);
        continue;
      }
      for (const r of await sources.catalogConsumers(source.catalog)) note(r, `catalog:${source.catalog}`);
    }
  }
  const repos = new Map((await sources.listRepositories()).map((r) => [r.repo, r]));
  const include = manifest.consumers.include.length ? picomatch(manifest.consumers.include) : () => true;
  const exclude = manifest.consumers.exclude.length ? picomatch(manifest.consumers.exclude) : () => false;
  const consumers: string[] = [];
  const excluded: { repo: string; reason: string }[] = [];
  for (const repo of [...foundBy.keys()].sort()) {
    const info = repos.get(repo);
    if (repo === options.manifestRepo) excluded.push({ repo, reason: 'holds the manifest' });
    else if (!info) excluded.push({ repo, reason: 'not in the fleet (no such repository, or the App is not installed there)' });
    else if (!include(repo)) excluded.push({ repo, reason: 'not matched by consumers.include' });
    else if (exclude(repo)) excluded.push({ repo, reason: 'matched by consumers.exclude' });
    else if (info.archived) excluded.push({ repo, reason: 'archived' });
    else if (info.optedOut) excluded.push({ repo, reason: 'opted out (.fleetwave/opt-out)' });
    else consumers.push(repo);
  }
  return { consumers, excluded, warnings, foundBy };
}
