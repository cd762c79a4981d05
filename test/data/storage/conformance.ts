/**
 * The conformance suite every storage adapter passes, against a real store (local files, the S3
 * test server, Azurite): listing with paging, prefixes and folders; byte ranges incl. suffix ranges;
 * a write of unknown length larger than one part; conditional create; a missing object; refused
 * credentials; an upload whose source fails midway. Each adapter's test file calls `conformance`.
 */
import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  NotFoundError,
  type ObjectStorage,
  PermissionDeniedError,
  PreconditionFailedError,
  StorageError,
  listAll,
  readRange,
  writeIfAbsent,
} from '../../../src/data/storage/port.js';

export interface Subject {
  storage: ObjectStorage;
  /** A prefix no other test uses, ending with `/`. */
  base: string;
  /** A store and key whose writes (and, with `reads`, reads) are refused; the secrets it must not show. */
  denied(): Promise<{ storage: ObjectStorage; key: string; secrets: string[]; reads: boolean }>;
}

const MiB = 1024 * 1024;

/** `size` bytes of a repeatable pattern, in 1 MiB chunks, failing after `failAfter` bytes if given. */
async function* bytes(size: number, failAfter?: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < size; at += MiB) {
    if (failAfter !== undefined && at >= failAfter) throw new Error('source cut off');
    const n = Math.min(MiB, size - at);
    const chunk = Buffer.alloc(n);
    for (let i = 0; i < n; i += 4) chunk.writeUInt32LE((at + i) >>> 0, i);
    yield chunk;
  }
  if (failAfter !== undefined) throw new Error('source cut off');
}

async function sha(source: AsyncIterable<unknown>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of source) hash.update(chunk as Uint8Array);
  return hash.digest('hex');
}

async function text(storage: ObjectStorage, key: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of await storage.read(key)) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

async function failure(promise: Promise<unknown>): Promise<StorageError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StorageError) return error;
    throw error;
  }
  throw new Error('expected a StorageError, the call succeeded');
}

export function conformance(subject: () => Subject): void {
  describe('object storage conformance', () => {
    it('writes, heads, reads and deletes an object, naming it by its URI', async () => {
      const { storage, base } = subject();
      const key = `${base}plain/hello.txt`;
      const written = await storage.write(key, Readable.from([Buffer.from('hello, '), Buffer.from('world')]));
      expect(written).toMatchObject({ key, size: 12, uri: storage.uri(key) });
      const info = await storage.head(key);
      expect(info.size).toBe(12);
      expect(info.etag).not.toBe('');
      expect(info.lastModified.getTime()).toBeGreaterThan(Date.now() - 10 * 60_000);
      expect(await text(storage, key)).toBe('hello, world');
      await storage.write(key, Readable.from([Buffer.from('replaced')]));
      expect(await text(storage, key)).toBe('replaced');
      await storage.delete(key);
      await storage.delete(key); // a missing object: not an error
      await expect(storage.head(key)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('lists a prefix page by page, in key order, and one level with a delimiter', async () => {
      const { storage, base } = subject();
      const keys = ['a/1', 'a/2', 'a/3', 'b/x=1/part-0', 'b/x=2/part-0', 'c', 'd-1', 'd-2'].map((k) => `${base}list/${k}`);
      for (const key of keys) await storage.write(key, Readable.from([Buffer.from(key)]));
      await storage.write(`${base}listed-not/other`, Readable.from([Buffer.from('x')]));

      const pages: string[][] = [];
      let token: string | undefined;
      do {
        const page = await storage.list(`${base}list/`, { pageSize: 3, ...(token ? { token } : {}) });
        pages.push(page.objects.map((o) => o.key));
        for (const o of page.objects) expect(o).toMatchObject({ uri: storage.uri(o.key), size: o.key.length });
        token = page.nextToken;
      } while (token !== undefined);
      expect(pages.flat()).toEqual(keys);
      expect(pages.length).toBeGreaterThanOrEqual(3);
      expect(pages.every((p) => p.length <= 3)).toBe(true);

      const all: string[] = [];
      for await (const o of listAll(storage, `${base}list/d-`, { pageSize: 1 })) all.push(o.key);
      expect(all).toEqual([`${base}list/d-1`, `${base}list/d-2`]);

      const level = await storage.list(`${base}list/`, { delimiter: '/' });
      expect(level.prefixes).toEqual([`${base}list/a/`, `${base}list/b/`]);
      expect(level.objects.map((o) => o.key)).toEqual([`${base}list/c`, `${base}list/d-1`, `${base}list/d-2`]);
      const partitions = await storage.list(`${base}list/b/`, { delimiter: '/' });
      expect(partitions.prefixes).toEqual([`${base}list/b/x=1/`, `${base}list/b/x=2/`]);

      expect((await storage.list(`${base}nothing-here/`)).objects).toEqual([]);
    });

    it('reads byte ranges: offset and length, to the end, a suffix (a Parquet footer), past the end', async () => {
      const { storage, base } = subject();
      const key = `${base}ranges/data.bin`;
      const content = Buffer.from('0123456789abcdefghijPAR1');
      await storage.write(key, Readable.from([content]));
      expect((await readRange(storage, key, { offset: 2, length: 5 })).toString()).toBe('23456');
      expect((await readRange(storage, key, { offset: 20 })).toString()).toBe('PAR1');
      expect((await readRange(storage, key, { suffix: 4 })).toString()).toBe('PAR1');
      expect((await readRange(storage, key, { suffix: 100 })).toString()).toBe(content.toString());
      expect((await readRange(storage, key, { offset: 22, length: 10 })).toString()).toBe('R1');
      expect(await readRange(storage, key, { offset: 100, length: 3 })).toHaveLength(0);
      await expect(storage.read(`${base}ranges/missing.bin`, { suffix: 8 })).rejects.toBeInstanceOf(NotFoundError);
    });

    it('writes and reads an empty object', async () => {
      const { storage, base } = subject();
      const key = `${base}empty/_SUCCESS`;
      expect((await storage.write(key, Readable.from([]))).size).toBe(0);
      expect((await storage.head(key)).size).toBe(0);
      expect(await text(storage, key)).toBe('');
      expect(await readRange(storage, key, { suffix: 8 })).toHaveLength(0);
    });

    it('writes a stream of unknown length larger than one part (12 MiB in 5 MiB parts) and reads it back whole', async () => {
      const { storage, base } = subject();
      const key = `${base}big/12mib.bin`;
      const info = await storage.write(key, Readable.from(bytes(12 * MiB)));
      expect(info.size).toBe(12 * MiB);
      expect(await sha(await storage.read(key))).toBe(await sha(bytes(12 * MiB)));
      const tail = await readRange(storage, key, { suffix: 8 });
      const expected = Buffer.alloc(8);
      expected.writeUInt32LE(12 * MiB - 8, 0);
      expected.writeUInt32LE(12 * MiB - 4, 4);
      expect(tail).toEqual(expected);
    });

    it('writeIfAbsent creates once; a second write, small or multipart, is refused with PreconditionFailed', async () => {
      const { storage, base } = subject();
      const key = `${base}once/_SUCCESS`;
      await writeIfAbsent(storage, key, Readable.from([Buffer.from('first')]));
      const second = await failure(writeIfAbsent(storage, key, Readable.from([Buffer.from('second')])));
      expect(second).toBeInstanceOf(PreconditionFailedError);
      expect(second.message).toContain(storage.uri(key));
      const big = await failure(writeIfAbsent(storage, key, Readable.from(bytes(6 * MiB))));
      expect(big).toBeInstanceOf(PreconditionFailedError);
      expect(await text(storage, key)).toBe('first');
      expect((await storage.list(`${base}once/`)).objects.map((o) => o.key)).toEqual([key]);
    });

    it('a missing object is NotFound, naming its URI', async () => {
      const { storage, base } = subject();
      const key = `${base}missing/part-3.avro`;
      for (const attempt of [() => storage.head(key), () => storage.read(key), () => storage.read(key, { offset: 0, length: 4 })]) {
        const error = await failure(attempt());
        expect(error).toBeInstanceOf(NotFoundError);
        expect(error.message).toContain(storage.uri(key));
        expect(error.uri).toBe(storage.uri(key));
      }
    });

    it('refused credentials give PermissionDenied naming the URI, without the secret', async () => {
      const { storage, key, secrets, reads } = await subject().denied();
      const attempts: (() => Promise<unknown>)[] = [() => storage.write(key, Readable.from([Buffer.from('x')]))];
      if (reads)
        attempts.push(
          () => storage.head(key),
          () => storage.read(key),
          () => storage.list(key),
        );
      for (const attempt of attempts) {
        const error = await failure(attempt());
        expect(error).toBeInstanceOf(PermissionDeniedError);
        expect(error.message).toContain(storage.uri(key).replace(/\/$/, ''));
        const shown = `${error.message} ${JSON.stringify(error)} ${String(error.stack)}`;
        for (const secret of secrets) expect(shown).not.toContain(secret);
      }
    });

    it('move puts the object under the new key, replacing what was there, and removes the old one', async () => {
      const { storage, base } = subject();
      const from = `${base}move/_fleetwave/staging/a1/dt=2026-12-07/part 0+1.parquet.staged`;
      const to = `${base}move/dt=2026-12-07/part 0+1.parquet`;
      await storage.write(to, Readable.from([Buffer.from('old commit')]));
      await storage.write(from, Readable.from(bytes(6 * MiB)));
      const info = await storage.move(from, to);
      expect(info).toMatchObject({ key: to, uri: storage.uri(to), size: 6 * MiB });
      expect(info.etag).toBe((await storage.head(to)).etag);
      expect(await sha(await storage.read(to))).toBe(await sha(bytes(6 * MiB)));
      await expect(storage.head(from)).rejects.toBeInstanceOf(NotFoundError);
      expect([...(await collect(listAll(storage, `${base}move/`)))].map((o) => o.key)).toEqual([to]);
    });

    it('moving a missing object is NotFound naming it, and leaves the destination as it was', async () => {
      const { storage, base } = subject();
      const from = `${base}move-missing/staged.bin`;
      const to = `${base}move-missing/final.bin`;
      await storage.write(to, Readable.from([Buffer.from('kept')]));
      const error = await failure(storage.move(from, to));
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error.message).toContain(storage.uri(from));
      expect(await text(storage, to)).toBe('kept');
    });

    it.each([
      ['within the first part', 2 * MiB],
      ['after a part was uploaded', 7 * MiB],
    ])('an upload whose source fails %s leaves nothing under the key', async (_, failAfter) => {
      const { storage, base } = subject();
      const key = `${base}cut/${failAfter}.bin`;
      await expect(storage.write(key, Readable.from(bytes(12 * MiB, failAfter)))).rejects.toThrow('source cut off');
      await expect(storage.head(key)).rejects.toBeInstanceOf(NotFoundError);
      expect((await storage.list(key)).objects).toEqual([]);
      // And an existing object is left as it was.
      await storage.write(key, Readable.from([Buffer.from('kept')]));
      await expect(storage.write(key, Readable.from(bytes(12 * MiB, failAfter)))).rejects.toThrow('source cut off');
      expect(await text(storage, key)).toBe('kept');
    });
  });
}
