/**
 * Issue #14: the Backstage client is bounded. Against a real HTTP server on 127.0.0.1: a catalog that
 * never answers fails at the deadline, an oversize body is refused as it streams in, and an entity
 * reference cannot smuggle `..`, `/`, `?`, `#` or encoded dots into the URL path.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { CatalogApiClient } from '../../src/catalog/api-client.js';
import { ForgeError, InputError } from '../../src/util/errors.js';

let server: Server;
let base = '';
const paths: string[] = [];

beforeAll(async () => {
  nock.enableNetConnect('127.0.0.1');
  server = createServer((req, res) => {
    paths.push(req.url ?? '');
    req.resume();
    if (req.url?.includes('/hang')) return; // never answers
    if (req.url?.includes('/huge')) {
      // 8 MiB streamed without a Content-Length.
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 128) {
          sent++;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.write('{"items":[');
      return pump();
    }
    if (req.url?.includes('/declared')) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(1 << 30) });
      return void res.write('{');
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'API', metadata: { name: 'ok' } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('Backstage client', () => {
  it('fails at its deadline when the catalog never answers', async () => {
    const client = new CatalogApiClient({ baseUrl: base, timeoutMs: 300 });
    const started = Date.now();
    const err = await client.byName('api', 'default', 'hang').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ForgeError);
    expect((err as Error).message).toMatch(/did not answer GET by-name within 300 ms/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('refuses a body over the cap, streamed or declared', async () => {
    const client = new CatalogApiClient({ baseUrl: base, maxResponseBytes: 1024 * 1024 });
    await expect(client.byName('api', 'default', 'huge')).rejects.toThrow(/with more than 1048576 bytes, over the limit/);
    await expect(client.byName('api', 'default', 'declared')).rejects.toThrow(/a body of 1073741824 bytes, over the limit/);
  });

  it.each([
    ['name', ['api', 'default', '..']],
    ['name', ['api', 'default', 'a/../../admin']],
    ['name', ['api', 'default', 'x?filter=kind=user']],
    ['name', ['api', 'default', 'x#frag']],
    ['name', ['api', 'default', '%2e%2e']],
    ['namespace', ['api', '..', 'x']],
    ['kind', ['../users', 'default', 'x']],
    ['name', ['api', 'default', 'a'.repeat(64)]],
  ])('refuses an entity reference with a bad %s before any request: %j', async (part, [kind, namespace, name]) => {
    const before = paths.length;
    const client = new CatalogApiClient({ baseUrl: base });
    const err = await client.byName(kind!, namespace!, name!).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(new RegExp(`^the catalog entity ${part} .* is not a Backstage ${part}`));
    expect(paths.length).toBe(before);
  });

  it('asks for a valid reference at its own path', async () => {
    const client = new CatalogApiClient({ baseUrl: base });
    expect(await client.byName('API', 'team-a', 'play.events_v2-x')).toEqual({ kind: 'API', metadata: { name: 'ok' } });
    expect(paths[paths.length - 1]).toBe('/api/catalog/entities/by-name/API/team-a/play.events_v2-x');
  });
});
