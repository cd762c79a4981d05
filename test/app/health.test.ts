/**
 * The App's probes on its webhook listener (src/app/webhook-listener.ts): /healthz while the process
 * serves; /readyz while the store answers — a real SQLite store, and a real PostgreSQL one when there
 * is a server (test/store/postgres-test-db.ts): ready, then 503 once the database is gone, with the
 * reason in the log and not in the answer.
 */
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { pino } from 'pino';
import { webhookListener } from '../../src/app/webhook-listener.js';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.js';
import type { Store } from '../../src/store/port.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Logger } from '../../src/util/log.js';
import { dropDatabases, freshDatabase, POSTGRES_URL, sayWhenSkipped, WITH_POSTGRES } from '../store/postgres-test-db.js';

const dir = mkdtempSync(join(tmpdir(), 'fleetwave-health-'));
const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await dropDatabases();
});
sayWhenSkipped('test/app/health.test.ts');

function capture(): { logger: Logger; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream) as unknown as Logger, text: () => chunks.join('') };
}

/** The listener as src/app/main.ts builds it, over `store`; its base URL. */
async function serve(store: Store, logger: Logger): Promise<string> {
  const server = createServer(
    webhookListener({ secret: 's', receive: async () => undefined, logger, ready: async () => void (await store.runs({ limit: 1 })) }),
  );
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

const get = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.text()).trim() };
};

describe('the probes', () => {
  it('answer /healthz while serving, /readyz while the SQLite store answers', async () => {
    const { logger, text } = capture();
    const store = openSqliteStore(join(dir, 'fleetwave.sqlite'));
    const base = await serve(store, logger);
    expect(await get(`${base}/healthz`)).toEqual({ status: 200, body: 'ok' });
    expect(await get(`${base}/readyz`)).toEqual({ status: 200, body: 'ready' });
    await store.close();
    expect(await get(`${base}/readyz`)).toEqual({ status: 503, body: 'not ready' });
    expect(await get(`${base}/healthz`)).toEqual({ status: 200, body: 'ok' });
    expect(text()).toContain('not ready: /readyz answered 503');
    expect(await get(`${base}/readyz?x=1`).then((r) => r.status)).toBe(503);
  });

  (WITH_POSTGRES ? it : it.skip)('answer /readyz 503 when the PostgreSQL database is dropped under the App', async () => {
    const { logger, text } = capture();
    const url = await freshDatabase();
    const store = await openPostgresStore(url);
    try {
      const base = await serve(store, logger);
      expect(await get(`${base}/readyz`)).toEqual({ status: 200, body: 'ready' });
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE ${new URL(url).pathname.slice(1)} WITH (FORCE)`);
      await admin.end();
      expect(await get(`${base}/readyz`)).toEqual({ status: 503, body: 'not ready' });
      expect(text()).toMatch(/not ready/);
      expect(text()).not.toContain('password');
    } finally {
      await store.close().catch(() => undefined);
    }
  });
});
