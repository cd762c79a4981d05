import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { storageFor } from '../../../src/data/storage/uri.js';
import { type Subject, conformance } from './conformance.js';

let dir: string;
let subject: Subject;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetwave-storage-'));
  const { storage, key } = await storageFor(`${dir}/`);
  subject = {
    storage,
    base: key,
    async denied() {
      // Root passes file modes by: /sys refuses a new file to everyone.
      if (process.getuid?.() === 0) return { storage, key: 'sys/fleetwave-denied/x', secrets: [], reads: false };
      const closed = join(dir, 'closed');
      await mkdir(closed, { recursive: true });
      await chmod(closed, 0o500);
      return { storage, key: `${closed.slice(1)}/x`, secrets: [], reads: false };
    },
  };
});
afterAll(async () => {
  await chmod(join(dir, 'closed'), 0o700).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

conformance(() => subject);

describe('storageFor, local', () => {
  it('takes a relative path, an absolute one and a file:// URI to the same key', async () => {
    const fromPath = await storageFor(`${dir}/a b/part-0.avro`);
    const fromUrl = await storageFor(pathToFileURL(`${dir}/a b/part-0.avro`).href);
    expect(fromUrl.key).toBe(fromPath.key);
    expect(fromPath.storage.uri(fromPath.key)).toBe(`${dir}/a b/part-0.avro`);
    const relative = await storageFor('data/in/');
    expect(relative.key).toBe(`${join(process.cwd(), 'data/in').slice(1)}/`);
  });

  it('hides the temporary file of a write in progress from listings', async () => {
    const { storage, key } = await storageFor(`${dir}/busy/`);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    async function* slow(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('half');
      await gate;
      yield Buffer.from(' and the rest');
    }
    const writing = storage.write(`${key}file`, slow());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await storage.list(key)).objects).toEqual([]);
    release();
    await writing;
    expect((await storage.list(key)).objects.map((o) => o.key)).toEqual([`${key}file`]);
  });
});
