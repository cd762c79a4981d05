import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { filesCatalog } from '../../src/catalog/catalog.js';
import { readCatalogFiles } from '../../src/catalog/files-reader.js';
import { InputError } from '../../src/util/errors.js';

/** A fleet of real git repositories, each with its own catalog-info.yaml committed on main. */
const FLEET: Record<string, string | null> = {
  'acme/play-events': `apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: play-events
  description: Play events, one row per play.
spec:
  type: dataset
  lifecycle: production
  owner: data-platform
  definition: '{"type":"record","name":"PlayEvent","fields":[]}'
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: play-events-bucket
spec:
  type: s3-bucket
  owner: data-platform
  dependencyOf: [component:default/churn-model]
`,
  'acme/recs': `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: recs
  annotations:
    fleetwave.io/tier: canary
    fleetwave.io/timezone: America/New_York
spec:
  type: service
  lifecycle: production
  owner: group:default/recs-team
  consumesApis: [play-events]
`,
  'acme/billing-jobs': `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: billing-jobs
  annotations:
    github.com/project-slug: acme/billing-jobs
spec:
  type: service
  lifecycle: experimental
  owner: billing
  dependsOn: ["api:default/play-events"]
`,
  // No tier annotation; a consumer through the bucket's dependencyOf.
  'acme/churn-model': `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: churn-model
  annotations:
    backstage.io/source-location: url:https://github.com/acme/churn-model/tree/main/
spec:
  type: library
  lifecycle: production
  owner: data-science
`,
  // Invalid: a name with spaces, and a second document that is not YAML.
  'acme/broken': `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: not a valid name
spec:
  type: service
  lifecycle: production
  owner: x
  consumesApis: [api:default/play-events]
---
kind: [unclosed
`,
  'acme/no-catalog': null,
};

let root: string;
const readFile = async (repo: string, path: string): Promise<string | null> => {
  try {
    return await simpleGit(join(root, repo)).show([`HEAD:${path}`]);
  } catch {
    return null;
  }
};
const listRepos = async () => Object.keys(FLEET);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'fleetwave-catalog-'));
  for (const [repo, text] of Object.entries(FLEET)) {
    const dir = join(root, repo);
    mkdirSync(dir, { recursive: true });
    const git = simpleGit(dir);
    await git.init(['-b', 'main']);
    await git.addConfig('user.email', 'dev@acme.test').addConfig('user.name', 'Dev');
    writeFileSync(join(dir, 'README.md'), `# ${repo}\n`);
    if (text !== null) writeFileSync(join(dir, 'catalog-info.yaml'), text);
    await git.add('.').commit('initial');
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('catalog from the fleet catalog-info.yaml files', () => {
  it('derives consumers through consumesApis, dependsOn and dependencyOf, with repos, owners and tiers', async () => {
    const c = filesCatalog({ listRepos, readFile });
    const found = await c.datasetConsumers('api:default/play-events');
    expect(found.dataset).toEqual({
      ref: 'api:default/play-events',
      owner: 'group:default/data-platform',
      tier: 'production',
      repo: 'acme/play-events',
    });
    expect(found.consumers.map((x) => [x.repo, x.ref, x.relation, x.owner, x.tier])).toEqual([
      ['acme/billing-jobs', 'component:default/billing-jobs', 'dependencyOf', 'group:default/billing', 'experimental'],
      ['acme/recs', 'component:default/recs', 'apiConsumedBy', 'group:default/recs-team', 'canary'],
    ]);
    expect(await c.catalogConsumers('resource:default/play-events-bucket')).toEqual(['acme/churn-model']);
    expect(await c.tierOf('acme/recs')).toBe('canary');
    expect(await c.timezoneOf('acme/recs')).toBe('America/New_York');
    expect(await c.timezoneOf('acme/churn-model')).toBeNull();
    expect(await c.ownerOf('acme/churn-model')).toBe('group:default/data-science');
    expect(await c.ownerOf('acme/no-catalog')).toBeNull();
  });

  it('reports each invalid document with its repository, document and reason', async () => {
    const { entities, problems } = await readCatalogFiles(Object.keys(FLEET), readFile);
    expect(entities).toHaveLength(5);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatchObject({ source: 'acme/broken:catalog-info.yaml#1', entity: 'component:default/not a valid name' });
    expect(problems[0]!.message).toMatch(/metadata.name.*is not valid/);
    expect(problems[1]!.source).toMatch(/^acme\/broken:catalog-info.yaml:\d+:\d+$/);
    expect(problems[1]!.message).toMatch(/not valid YAML/);
  });

  it('names the missing dataset entity and what to check', async () => {
    const c = filesCatalog({ listRepos, readFile });
    await expect(c.catalogConsumers('api:default/nowhere')).rejects.toThrow(InputError);
    await expect(c.catalogConsumers('api:default/nowhere')).rejects.toThrow(
      /no catalog-info.yaml in the fleet defines api:default\/nowhere/,
    );
    await expect(c.catalogConsumers('component:default/recs')).rejects.toThrow(/is a Component, not a dataset/);
  });
});
