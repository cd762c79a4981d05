/**
 * Backstage entities as Fleetwave reads them: validation with `@backstage/catalog-model`'s own
 * policies and kind validators, and the few fields Fleetwave needs (repository, owner, tier).
 */
import {
  ANNOTATION_SOURCE_LOCATION,
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  parseEntityRef,
  resourceEntityV1alpha1Validator,
  stringifyEntityRef,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
  type Entity,
} from '@backstage/catalog-model';

export type { Entity };

/** The annotation GitHub-integrated Backstage instances put on every component: `owner/name`. */
export const ANNOTATION_PROJECT_SLUG = 'github.com/project-slug';
/** Fleetwave's own annotation for a consumer's rollout tier (overrides `spec.lifecycle`). */
export const ANNOTATION_TIER = 'fleetwave.io/tier';
/** The time zone a consumer's rollout schedule is read in (an IANA name such as Europe/Stockholm). */
export const ANNOTATION_TIMEZONE = 'fleetwave.io/timezone';

/** An entity the catalog (or a catalog-info.yaml) holds that Fleetwave could not use, and why. */
export interface CatalogProblem {
  /** Where it came from: a catalog URL, or `owner/repo:catalog-info.yaml#2` (the document's index, 1-based). */
  source: string;
  /** The entity's ref when it could be read, e.g. `component:default/recs`. */
  entity: string | null;
  message: string;
}

const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  // Entities served by the catalog API carry `relations` and `status` besides the four authored fields.
  new NoForeignRootFieldsEntityPolicy(['apiVersion', 'kind', 'metadata', 'spec', 'relations', 'status']),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

const kindValidators = [
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
];

/** A best-effort ref for messages about an entity that may be malformed. */
export function describeEntity(raw: unknown): string | null {
  const e = raw as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null;
  if (!e || typeof e.kind !== 'string' || typeof e.metadata?.name !== 'string') return null;
  const ns = typeof e.metadata.namespace === 'string' ? e.metadata.namespace : 'default';
  return `${e.kind.toLowerCase()}:${ns}/${e.metadata.name}`;
}

/**
 * Validate one entity as the Backstage catalog would (envelope schema, field formats, the kind's own
 * spec schema). Returns the entity with its namespace defaulted, or the problem.
 */
export async function validateEntity(raw: unknown, source: string): Promise<{ entity: Entity } | { problem: CatalogProblem }> {
  const ref = describeEntity(raw);
  try {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      throw new Error('not an object: an entity is a mapping with apiVersion, kind, metadata and spec');
    const entity = await policy.enforce(structuredClone(raw) as Entity);
    if (!entity) throw new Error('rejected by the entity policies');
    let known = false;
    for (const validator of kindValidators) {
      if (await validator.check(entity)) {
        known = true;
        break;
      }
    }
    // Custom kinds are legal in Backstage; Fleetwave only needs the envelope of those.
    if (!known && ['api', 'component', 'resource', 'system', 'domain', 'group', 'user', 'location'].includes(entity.kind.toLowerCase())) {
      throw new Error(`apiVersion ${entity.apiVersion} is not one Backstage knows for kind ${entity.kind} (use backstage.io/v1alpha1)`);
    }
    return { entity };
  } catch (err) {
    return { problem: { source, entity: ref, message: (err as Error).message } };
  }
}

export function refOf(entity: Entity): string {
  return stringifyEntityRef(entity);
}

/** Normalise a ref as the catalog does (lower case, default namespace); `defaultKind` for short refs like `play-events`. */
export function normaliseRef(ref: string, defaultKind?: string, defaultNamespace = 'default'): string {
  return stringifyEntityRef(parseEntityRef(ref, { defaultKind, defaultNamespace }));
}

/**
 * `owner/name` of the repository an entity lives in: the `github.com/project-slug` annotation, else a
 * GitHub `backstage.io/source-location` (`url:https://github.com/acme/recs/tree/main/`), else null.
 */
export function repoOf(entity: Entity): string | null {
  const annotations = entity.metadata.annotations ?? {};
  const slug = annotations[ANNOTATION_PROJECT_SLUG]?.trim();
  if (slug && /^[\w.-]+\/[\w.-]+$/.test(slug)) return slug;
  const location = annotations[ANNOTATION_SOURCE_LOCATION]?.trim();
  if (location) {
    const url = location.replace(/^url:/, '');
    const m = /^https?:\/\/[^/]+\/([\w.-]+)\/([\w.-]+?)(?:\.git)?(?:\/|$)/.exec(url);
    if (m) return `${m[1]}/${m[2]}`;
  }
  return null;
}

/** The owner as a full ref (`group:default/data-platform`), or null. */
export function ownerOf(entity: Entity): string | null {
  const owner = (entity.spec as { owner?: unknown } | undefined)?.owner;
  if (typeof owner !== 'string' || !owner) return null;
  try {
    return normaliseRef(owner, 'group', entity.metadata.namespace ?? 'default');
  } catch {
    return owner;
  }
}

/** The rollout tier: the `fleetwave.io/tier` annotation, else `spec.lifecycle`, else null. */
export function tierOf(entity: Entity): string | null {
  const annotated = entity.metadata.annotations?.[ANNOTATION_TIER]?.trim();
  if (annotated) return annotated;
  const lifecycle = (entity.spec as { lifecycle?: unknown } | undefined)?.lifecycle;
  return typeof lifecycle === 'string' && lifecycle ? lifecycle : null;
}

/** The `fleetwave.io/timezone` annotation (the owning team's time zone for the rollout schedule), else null. */
export function timezoneOf(entity: Entity): string | null {
  return entity.metadata.annotations?.[ANNOTATION_TIMEZONE]?.trim() || null;
}

/** A dataset is an `API` of `spec.type: dataset`, or any `Resource`. */
export function datasetProblem(entity: Entity): string | null {
  const kind = entity.kind.toLowerCase();
  if (kind === 'resource') return null;
  if (kind === 'api') {
    const type = (entity.spec as { type?: unknown } | undefined)?.type;
    return type === 'dataset'
      ? null
      : `is an API of spec.type ${JSON.stringify(type)}, not a dataset: set spec.type: dataset, or point the manifest at the dataset's entity`;
  }
  return `is a ${entity.kind}, not a dataset: a dataset is an API of spec.type dataset, or a Resource`;
}
