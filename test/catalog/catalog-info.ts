/**
 * catalog-info.yaml contents as docs/backstage.md describes them, for the tests that show each entry
 * point's catalog reaching discovery: the dataset as a `kind: API` of `spec.type: dataset`, and a
 * consumer Component that lists it in `spec.consumesApis`.
 */

/** The dataset entity `api:default/<name>`. */
export function datasetApi(name: string, owner = 'group:default/data-platform'): string {
  return `apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: ${name}
spec:
  type: dataset
  lifecycle: production
  owner: ${owner}
  definition: '{"type":"record","name":"Event","fields":[]}'
`;
}

/** A Component of repository `repo` (its github.com/project-slug) that consumes `api:default/<api>`. */
export function consumerComponent(name: string, repo: string, api: string, options: { owner?: string; tier?: string } = {}): string {
  return `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  annotations:
    github.com/project-slug: ${repo}${options.tier ? `\n    fleetwave.io/tier: ${options.tier}` : ''}
spec:
  type: service
  lifecycle: production
  owner: ${options.owner ?? `group:default/${name}-team`}
  consumesApis: [api:default/${api}]
`;
}
