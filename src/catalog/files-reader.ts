/**
 * The catalog read offline from the `catalog-info.yaml` files in the fleet's repositories, through a
 * "read this file of that repository" callback (the local forge's or GitHub's `readFile`). Relations
 * are derived as the catalog would: `spec.consumesApis` gives `apiConsumedBy`, `spec.dependsOn` and the
 * dataset's own `spec.dependencyOf` give `dependencyOf`.
 */
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { parseAllDocuments } from 'yaml';
import { InputError } from '../util/errors.js';
import { datasetProblem, ownerOf, refOf, repoOf, tierOf, validateEntity, type CatalogProblem, type Entity } from './entity.js';
import { preferComponent, uniqueConsumers, type CatalogConsumer, type CatalogReader, type DatasetConsumers } from './reader.js';

export const CATALOG_FILE = 'catalog-info.yaml';

/** Reads one file of one repository (default branch); null when absent. */
export type ReadRepoFile = (repo: string, path: string) => Promise<string | null>;

export interface FileEntity {
  entity: Entity;
  /** The repository whose catalog-info.yaml holds it. */
  repo: string;
}

/** Every valid entity in the repositories' catalog-info.yaml files, and every problem, in repo order. */
export async function readCatalogFiles(
  repos: string[],
  readFile: ReadRepoFile,
  path = CATALOG_FILE,
): Promise<{ entities: FileEntity[]; problems: CatalogProblem[] }> {
  const entities: FileEntity[] = [];
  const problems: CatalogProblem[] = [];
  for (const repo of [...repos].sort()) {
    const text = await readFile(repo, path);
    if (text === null) continue;
    const docs = parseAllDocuments(text);
    for (const [i, doc] of (Array.isArray(docs) ? docs : [docs]).entries()) {
      const source = `${repo}:${path}#${i + 1}`;
      if (doc.errors.length) {
        const e = doc.errors[0]!;
        const line = e.linePos?.[0];
        problems.push({
          source: line ? `${repo}:${path}:${line.line}:${line.col}` : source,
          entity: null,
          message: `not valid YAML: ${e.message.split('\n')[0]}`,
        });
        continue;
      }
      const raw = doc.toJS() as unknown;
      if (raw === null || raw === undefined) continue; // an empty document (a trailing ---)
      const v = await validateEntity(raw, source);
      if ('problem' in v) problems.push(v.problem);
      else entities.push({ entity: v.entity, repo });
    }
  }
  return { entities, problems };
}

function refsIn(
  value: unknown,
  defaultKind: string | undefined,
  namespace: string,
  source: string,
  field: string,
  problems: CatalogProblem[],
  owner: string,
): string[] {
  if (!Array.isArray(value)) return [];
  const refs: string[] = [];
  for (const r of value) {
    try {
      refs.push(stringifyEntityRef(parseEntityRef(String(r), { defaultKind, defaultNamespace: namespace })));
    } catch (err) {
      problems.push({ source, entity: owner, message: `${field}: ${JSON.stringify(r)} is not an entity ref (${(err as Error).message})` });
    }
  }
  return refs;
}

export class FilesCatalogReader implements CatalogReader {
  private loaded: Promise<{ entities: FileEntity[]; problems: CatalogProblem[] }> | null = null;

  constructor(
    private readonly listRepos: () => Promise<string[]>,
    private readonly readFile: ReadRepoFile,
    readonly location = `${CATALOG_FILE} files`,
  ) {}

  /** All entities, read once per reader. */
  load(): Promise<{ entities: FileEntity[]; problems: CatalogProblem[] }> {
    this.loaded ??= this.listRepos().then((repos) => readCatalogFiles(repos, this.readFile));
    return this.loaded;
  }

  async datasetConsumers(datasetRef: string): Promise<DatasetConsumers> {
    let want: string;
    try {
      want = stringifyEntityRef(parseEntityRef(datasetRef, { defaultKind: 'api', defaultNamespace: 'default' }));
    } catch (err) {
      throw new InputError(
        `catalog ref ${JSON.stringify(datasetRef)}: ${(err as Error).message}; write it as kind:namespace/name, e.g. api:default/play-events`,
      );
    }
    const { entities, problems: fileProblems } = await this.load();
    const found = entities.find((e) => refOf(e.entity) === want);
    if (!found) {
      const invalid = fileProblems.find((p) => p.entity === want);
      if (invalid) throw new InputError(`the dataset entity ${want} in ${invalid.source} is invalid: ${invalid.message}`);
      throw new InputError(
        `no ${CATALOG_FILE} in the fleet defines ${want}: check consumers.discover[].catalog in the manifest, or the dataset repository's ${CATALOG_FILE}`,
      );
    }
    const notDataset = datasetProblem(found.entity);
    if (notDataset) throw new InputError(`${want} (${found.repo}:${CATALOG_FILE}) ${notDataset}`);

    // Problems in files matter only when they could hide a consumer: report them all, as the catalog would.
    const problems: CatalogProblem[] = [...fileProblems];
    const consumers: CatalogConsumer[] = [];
    const byRef = new Map(entities.map((e) => [refOf(e.entity), e]));
    const add = (e: FileEntity, relation: CatalogConsumer['relation']) => {
      consumers.push({
        ref: refOf(e.entity),
        repo: repoOf(e.entity) ?? e.repo,
        owner: ownerOf(e.entity),
        tier: tierOf(e.entity),
        relation,
      });
    };
    for (const e of entities) {
      if (e === found) continue;
      const spec = (e.entity.spec ?? {}) as { consumesApis?: unknown; dependsOn?: unknown };
      const ns = e.entity.metadata.namespace ?? 'default';
      const source = `${e.repo}:${CATALOG_FILE}`;
      const self = refOf(e.entity);
      if (refsIn(spec.consumesApis, 'api', ns, source, 'spec.consumesApis', problems, self).includes(want)) add(e, 'apiConsumedBy');
      if (refsIn(spec.dependsOn, undefined, ns, source, 'spec.dependsOn', problems, self).includes(want)) add(e, 'dependencyOf');
    }
    const ns = found.entity.metadata.namespace ?? 'default';
    const dependents = refsIn(
      (found.entity.spec as { dependencyOf?: unknown }).dependencyOf,
      undefined,
      ns,
      `${found.repo}:${CATALOG_FILE}`,
      'spec.dependencyOf',
      problems,
      want,
    );
    for (const ref of dependents) {
      const e = byRef.get(ref);
      if (e) add(e, 'dependencyOf');
      else
        problems.push({
          source: `${found.repo}:${CATALOG_FILE}`,
          entity: ref,
          message: `${want} lists ${ref} in spec.dependencyOf, but no ${CATALOG_FILE} in the fleet defines it`,
        });
    }
    return {
      dataset: { ref: want, owner: ownerOf(found.entity), tier: tierOf(found.entity), repo: repoOf(found.entity) ?? found.repo },
      consumers: uniqueConsumers(consumers),
      problems,
    };
  }

  async entityForRepo(repo: string): Promise<{ entity: Entity | null; problems: CatalogProblem[] }> {
    const { entities, problems } = await this.load();
    const mine = entities.filter((e) => (repoOf(e.entity) ?? e.repo) === repo).map((e) => e.entity);
    return { entity: preferComponent(mine), problems: problems.filter((p) => p.source.startsWith(`${repo}:`)) };
  }
}
