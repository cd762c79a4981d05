/**
 * The catalog read through the Backstage REST API: the dataset by name, its `apiConsumedBy` and
 * `dependencyOf` relations resolved by ref, and repositories found by annotation query.
 */
import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '../util/errors.js';
import type { CatalogApiClient } from './api-client.js';
import {
  ANNOTATION_PROJECT_SLUG,
  datasetProblem,
  ownerOf,
  refOf,
  repoOf,
  tierOf,
  validateEntity,
  type CatalogProblem,
  type Entity,
} from './entity.js';
import { preferComponent, uniqueConsumers, type CatalogConsumer, type CatalogReader, type DatasetConsumers } from './reader.js';

const CONSUMER_RELATIONS = ['apiConsumedBy', 'dependencyOf'] as const;

export class ApiCatalogReader implements CatalogReader {
  constructor(private readonly client: CatalogApiClient) {}

  get location(): string {
    return this.client.location;
  }

  async datasetConsumers(datasetRef: string): Promise<DatasetConsumers> {
    let parsed;
    try {
      parsed = parseEntityRef(datasetRef, { defaultKind: 'api', defaultNamespace: 'default' });
    } catch (err) {
      throw new InputError(
        `catalog ref ${JSON.stringify(datasetRef)}: ${(err as Error).message}; write it as kind:namespace/name, e.g. api:default/play-events`,
      );
    }
    const raw = await this.client.byName(parsed.kind, parsed.namespace, parsed.name);
    const source = `${this.location}/entities/by-name/${parsed.kind}/${parsed.namespace}/${parsed.name}`;
    if (raw === null)
      throw new InputError(
        `the Backstage catalog at ${this.location} has no entity ${datasetRef}: check consumers.discover[].catalog in the manifest`,
      );
    const checked = await validateEntity(raw, source);
    if ('problem' in checked)
      throw new InputError(`the dataset entity ${datasetRef} in the catalog is invalid: ${checked.problem.message}`);
    const dataset = checked.entity;
    const notDataset = datasetProblem(dataset);
    if (notDataset) throw new InputError(`${refOf(dataset)} ${notDataset}`);

    const relations = (dataset.relations ?? []).filter((r) => (CONSUMER_RELATIONS as readonly string[]).includes(r.type));
    const refs = [...new Set(relations.map((r) => r.targetRef))];
    const items = await this.client.byRefs(refs);
    const problems: CatalogProblem[] = [];
    const consumers: CatalogConsumer[] = [];
    for (const [i, ref] of refs.entries()) {
      const item = items[i];
      const at = `${this.location}/entities/by-refs`;
      if (item === null || item === undefined) {
        problems.push({
          source: at,
          entity: ref,
          message: `${refOf(dataset)} names ${ref} as a consumer, but the catalog has no such entity (an orphaned relation)`,
        });
        continue;
      }
      const v = await validateEntity(item, at);
      if ('problem' in v) {
        problems.push(v.problem);
        continue;
      }
      const repo = repoOf(v.entity);
      if (!repo) {
        problems.push({
          source: at,
          entity: ref,
          message: `consumer ${ref} has no ${ANNOTATION_PROJECT_SLUG} annotation (or GitHub backstage.io/source-location), so its repository is unknown: add one to its catalog-info.yaml`,
        });
        continue;
      }
      const relation = relations.find((r) => r.targetRef === ref)!.type as CatalogConsumer['relation'];
      consumers.push({ ref: refOf(v.entity), repo, owner: ownerOf(v.entity), tier: tierOf(v.entity), relation });
    }
    return {
      dataset: { ref: refOf(dataset), owner: ownerOf(dataset), tier: tierOf(dataset), repo: repoOf(dataset) },
      consumers: uniqueConsumers(consumers),
      problems,
    };
  }

  async entityForRepo(repo: string): Promise<{ entity: Entity | null; problems: CatalogProblem[] }> {
    const items = await this.client.byQuery([`metadata.annotations.${ANNOTATION_PROJECT_SLUG}=${repo}`]);
    const problems: CatalogProblem[] = [];
    const entities: Entity[] = [];
    for (const item of items) {
      const v = await validateEntity(item, `${this.location}/entities/by-query`);
      if ('problem' in v) problems.push(v.problem);
      else entities.push(v.entity);
    }
    return { entity: preferComponent(entities), problems };
  }
}
