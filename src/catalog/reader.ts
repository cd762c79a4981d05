/**
 * What Fleetwave asks of a Backstage catalog, whichever way it is read (the REST API, or the
 * catalog-info.yaml files in the fleet's repositories).
 */
import type { CatalogProblem, Entity } from './entity.js';

export interface CatalogConsumer {
  /** The consumer's entity ref, e.g. `component:default/recs`. */
  ref: string;
  /** `owner/name` of its repository. */
  repo: string;
  owner: string | null;
  tier: string | null;
  /** How it consumes the dataset: `apiConsumedBy` (consumesApis) or `dependencyOf` (dependsOn). */
  relation: 'apiConsumedBy' | 'dependencyOf';
}

export interface DatasetConsumers {
  dataset: { ref: string; owner: string | null; tier: string | null; repo: string | null };
  /** Sorted by repo, then ref. */
  consumers: CatalogConsumer[];
  /** Consumers the catalog names but Fleetwave cannot use (invalid entity, no repository annotation, missing). */
  problems: CatalogProblem[];
}

export interface CatalogReader {
  /** Where the catalog is read from, for messages. */
  readonly location: string;
  /** The dataset entity (a `kind: API` of `spec.type: dataset`, or a `Resource`) and its consumers. */
  datasetConsumers(datasetRef: string): Promise<DatasetConsumers>;
  /** The entity that describes repository `repo` (a Component preferred), with the problems met finding it. */
  entityForRepo(repo: string): Promise<{ entity: Entity | null; problems: CatalogProblem[] }>;
}

/** Sort consumers and drop duplicates (one entity may reach the dataset through both relations). */
export function uniqueConsumers(list: CatalogConsumer[]): CatalogConsumer[] {
  const seen = new Map<string, CatalogConsumer>();
  for (const c of list) if (!seen.has(c.ref)) seen.set(c.ref, c);
  return [...seen.values()].sort((a, b) => a.repo.localeCompare(b.repo) || a.ref.localeCompare(b.ref));
}

/** Of several entities for one repository, the Component (then the first by ref). */
export function preferComponent(entities: Entity[]): Entity | null {
  const sorted = [...entities].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  return sorted.find((e) => e.kind.toLowerCase() === 'component') ?? sorted[0] ?? null;
}
