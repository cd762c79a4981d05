/**
 * Issue #14: a manifest is at most 1 MiB (yamlLimits.maxBytes; parsing refuses more), but the App's
 * scan downloaded every matching file's text before that cap could apply: a 90 MB `*.yaml` in a
 * manifest folder was fetched on every sweep. The listing now asks each entry's size, and a file over
 * the cap is never asked for: it is returned as skipped and logged at warn with repo, path, size and limit.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- webhook example payloads are reshaped freely in tests */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { scanManifestFiles, scanManifests } from '../../src/app/manifests.js';
import { DEFAULT_CONFIG } from '../../src/app/types.js';
import { createGitHubClient } from '../../src/forge/github/client.js';
import { yamlLimits } from '../../src/manifest/yaml-document.js';
import { FakeClock } from '../forge/github/fake-clock.js';
import { useNock } from '../forge/github/setup.js';
import { githubApi } from '../helpers/openapi.js';
import { example, inRepo, MANIFEST } from '../app/fixtures.js';
import { authInterceptors, startApp, type TestApp } from '../app/setup.js';

interface GraphqlBody {
  query: string;
  variables: Record<string, string>;
}

const BIG = 90 * 1024 * 1024;

function answerListing(bodies: GraphqlBody[], reads: Record<string, unknown> | null) {
  const scope = githubApi()
    .post('/graphql', (b: GraphqlBody) => (bodies.push(b), true))
    .reply(200, {
      data: {
        r0: {
          f0: {
            entries: [
              { name: 'play-events-v2.yaml', type: 'blob', size: Buffer.byteLength(MANIFEST) },
              { name: 'huge.yaml', type: 'blob', size: BIG },
              { name: 'edge.yaml', type: 'blob', size: yamlLimits.maxBytes },
            ],
          },
          f1: null,
        },
      },
    });
  if (reads) scope.post('/graphql', (b: GraphqlBody) => (bodies.push(b), true)).reply(200, { data: reads });
}

describe('manifest scan: files over the 1 MiB cap', () => {
  useNock();

  it('are listed with their size and never read; the others are', async () => {
    const { client } = createGitHubClient({ token: 'ghs_x', clock: new FakeClock() });
    const bodies: GraphqlBody[] = [];
    answerListing(bodies, { r0: { m0: { text: 'kind: Other\n' }, m1: { text: MANIFEST } } });
    const { found, oversize } = await scanManifestFiles(client, ['acme/data-platform'], DEFAULT_CONFIG.manifestGlobs);
    expect([...found.keys()]).toEqual(['play-events-v2']);
    expect(oversize).toEqual([
      { repo: 'acme/data-platform', path: '.fleetwave/migrations/huge.yaml', size: BIG, limit: yamlLimits.maxBytes },
    ]);
    expect(bodies[0]!.query).toMatch(/entries \{ name type size \}/);
    const read = [...bodies[1]!.query.matchAll(/object\(expression: "HEAD:([^"]+)"\)/g)].map((m) => m[1]);
    expect(read).toEqual(['.fleetwave/migrations/edge.yaml', '.fleetwave/migrations/play-events-v2.yaml']);
  });

  it('are logged at warn naming the repository, the path, the size and the limit', async () => {
    const { client } = createGitHubClient({ token: 'ghs_x', clock: new FakeClock() });
    answerListing([], { r0: { m0: null, m1: { text: MANIFEST } } });
    const warned: { obj: unknown; msg: string }[] = [];
    const log = { warn: (obj: unknown, msg: string) => warned.push({ obj, msg }) } as never;
    const found = await scanManifests(client, ['acme/data-platform'], DEFAULT_CONFIG.manifestGlobs, () => null, log);
    expect([...found.keys()]).toEqual(['play-events-v2']);
    expect(warned).toEqual([
      {
        obj: { repo: 'acme/data-platform', path: '.fleetwave/migrations/huge.yaml', size: BIG, limit: 1048576 },
        msg: `manifest acme/data-platform:.fleetwave/migrations/huge.yaml skipped unread: ${BIG} bytes, over the 1048576-byte (1 MiB) cap on a manifest`,
      },
    ]);
  });

  it('are caught on the text when the listing gives no size', async () => {
    const { client } = createGitHubClient({ token: 'ghs_x', clock: new FakeClock() });
    const padded = `${MANIFEST}\n${'#'.repeat(yamlLimits.maxBytes)}\n`;
    githubApi()
      .post('/graphql')
      .reply(200, { data: { r0: { f0: { entries: [{ name: 'padded.yaml', type: 'blob' }] }, f1: null } } })
      .post('/graphql')
      .reply(200, { data: { r0: { m0: { text: padded } } } });
    const { found, oversize } = await scanManifestFiles(client, ['acme/data-platform'], DEFAULT_CONFIG.manifestGlobs);
    expect(found.size).toBe(0);
    expect(oversize).toEqual([
      {
        repo: 'acme/data-platform',
        path: '.fleetwave/migrations/padded.yaml',
        size: Buffer.byteLength(padded),
        limit: yamlLimits.maxBytes,
      },
    ]);
  });
});

describe('a pushed manifest over the cap', () => {
  useNock();
  let app: TestApp;
  beforeEach(async () => {
    app = await startApp();
  });
  afterEach(() => app.dispose());

  it('fails its check run naming the limit, and is not reconciled', async () => {
    const AFTER = 'a'.repeat(40);
    const path = '.fleetwave/migrations/huge.yaml';
    const p = inRepo(example('push'), 'acme/data-platform');
    Object.assign(p, {
      ref: 'refs/heads/main',
      after: AFTER,
      deleted: false,
      commits: [{ id: AFTER, added: [path], modified: [], removed: [] }],
    });
    p.repository.fork = false;
    let check: any;
    authInterceptors()
      .get(`/repos/acme/data-platform/contents/${encodeURIComponent(path)}`)
      .query({ ref: AFTER })
      .reply(200, `${MANIFEST}\n${'#'.repeat(yamlLimits.maxBytes)}\n`)
      .post('/repos/acme/data-platform/check-runs', (b) => ((check = b), true))
      .reply(201, { id: 1 });
    await app.probot.receive({ id: '1', name: 'push', payload: p as any });
    await app.fw.drain();
    expect(check.conclusion).toBe('failure');
    expect(JSON.stringify(check.output)).toMatch(/a manifest may be at most 1048576 bytes \(1 MiB\); it is not read/);
    expect(app.calls).toHaveLength(0);
  });
});
