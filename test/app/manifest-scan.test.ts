/**
 * Where manifests are: the scan lists names first and reads only the files the manifest globs match.
 * A database repository's `migrations/` folder holds hundreds of SQL files; their text is never asked
 * for (GraphQL's cost and answer size grow with every blob's text).
 */
import { describe, expect, it } from '@jest/globals';
import { scanManifests } from '../../src/app/manifests.js';
import { DEFAULT_CONFIG } from '../../src/app/types.js';
import { createGitHubClient } from '../../src/forge/github/client.js';
import { FakeClock } from '../forge/github/fake-clock.js';
import { useNock } from '../forge/github/setup.js';
import { githubApi } from '../helpers/openapi.js';
import { MANIFEST } from './fixtures.js';

interface GraphqlBody {
  query: string;
  variables: Record<string, string>;
}

describe('manifest scan', () => {
  useNock();

  it('lists the manifest folders by name, then reads only the files the globs match', async () => {
    const { client } = createGitHubClient({ token: 'ghs_x', clock: new FakeClock() });
    const sqlFiles = Array.from({ length: 300 }, (_, i) => ({ name: `V${i + 1}__change.sql`, type: 'blob' }));
    const bodies: GraphqlBody[] = [];
    githubApi()
      .post('/graphql', (b: GraphqlBody) => (bodies.push(b), true))
      .reply(200, {
        data: {
          r0: { f0: null, f1: { entries: [...sqlFiles, { name: 'ci.yaml', type: 'blob' }, { name: 'old', type: 'tree' }] } },
          r1: {
            f0: {
              entries: [
                { name: 'play-events-v2.yaml', type: 'blob' },
                { name: 'README.md', type: 'blob' },
              ],
            },
            f1: null,
          },
          r2: { f0: null, f1: null },
        },
      })
      .post('/graphql', (b: GraphqlBody) => (bodies.push(b), true))
      .reply(200, {
        data: {
          r0: { m0: null, m1: { text: 'jobs: {}\n' } },
          r1: { m0: { text: MANIFEST }, m1: null },
        },
      });
    const found = await scanManifests(client, ['acme/db', 'acme/data-platform', 'acme/recs'], DEFAULT_CONFIG.manifestGlobs);
    expect([...found]).toEqual([
      ['play-events-v2', { repo: 'acme/data-platform', path: '.fleetwave/migrations/play-events-v2.yaml', text: MANIFEST }],
    ]);
    expect(bodies).toHaveLength(2);
    // 1: names and types only.
    expect(bodies[0]!.query).not.toMatch(/\btext\b/);
    // 2: the two files the globs match, in the two repositories that have any; no SQL file, no README.
    const read = [...bodies[1]!.query.matchAll(/object\(expression: "HEAD:([^"]+)"\)/g)].map((m) => m[1]).sort();
    expect([...new Set(read)]).toEqual(['.fleetwave/migrations/play-events-v2.yaml', 'migrations/ci.yaml']);
    expect(Object.values(bodies[1]!.variables).filter((v) => v !== 'acme')).toEqual(['db', 'data-platform']);
  });

  it('asks nothing more when no repository has a file the globs match', async () => {
    const { client } = createGitHubClient({ token: 'ghs_x', clock: new FakeClock() });
    githubApi()
      .post('/graphql')
      .reply(200, { data: { r0: { f0: null, f1: { entries: [{ name: 'V1__init.sql', type: 'blob' }] } } } });
    expect((await scanManifests(client, ['acme/db'], DEFAULT_CONFIG.manifestGlobs)).size).toBe(0);
  });
});
