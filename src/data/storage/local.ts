/**
 * The local-files adapter: the store is the file system, a key is an absolute path without its leading
 * slash. A write goes to a hidden temporary file beside the target (`.fleetwave-tmp-…`, never listed)
 * and is moved into place when complete: `rename` to replace, `link` to create only if absent (the
 * atomic form of opening with `wx`: the target never holds a half-written file).
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { link, mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { storageError } from './port.js';
import type { ByteRange, ListOptions, ListPage, ObjectInfo, ObjectStorage, WriteOptions } from './port.js';

const TEMP_MARK = '.fleetwave-tmp-';

function failure(uri: string, error: unknown): Error {
  const e = error as NodeJS.ErrnoException;
  if (typeof e?.code !== 'string') return error as Error;
  return storageError(uri, { code: e.code, message: e.code });
}

export class LocalStorage implements ObjectStorage {
  uri(key: string): string {
    return `/${key}`;
  }

  private path(key: string): string {
    return `/${key}`;
  }

  private info(key: string, s: { size: number; mtime: Date; mtimeMs: number }): ObjectInfo {
    return {
      key,
      uri: this.uri(key),
      size: s.size,
      etag: `${s.size.toString(16)}-${Math.floor(s.mtimeMs * 1000).toString(16)}`,
      lastModified: s.mtime,
    };
  }

  async head(key: string): Promise<ObjectInfo> {
    try {
      const s = await stat(this.path(key));
      if (!s.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
      return this.info(key, s);
    } catch (error) {
      throw failure(this.uri(key), error);
    }
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    const cut = prefix.lastIndexOf('/');
    const base = prefix.slice(0, cut + 1);
    const entries: { name: string; folder: boolean }[] = [];
    const walk = async (dir: string, deep: boolean): Promise<void> => {
      let names;
      try {
        names = await readdir(`/${dir}`, { withFileTypes: true });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return;
        throw failure(this.uri(dir), error);
      }
      for (const entry of names) {
        const name = dir + entry.name;
        if (entry.name.startsWith(TEMP_MARK)) continue;
        // Only what can still match the prefix: a folder is entered when the prefix starts inside it.
        if (!name.startsWith(prefix) && !prefix.startsWith(name + '/')) continue;
        if (entry.isDirectory()) {
          if (!deep && name.startsWith(prefix)) entries.push({ name: name + '/', folder: true });
          else await walk(name + '/', deep);
        } else if (entry.isFile() && name.startsWith(prefix)) {
          entries.push({ name, folder: false });
        }
      }
    };
    await walk(base, options.delimiter === undefined);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const after = options.token === undefined ? undefined : Buffer.from(options.token, 'base64url').toString('utf8');
    const start = after === undefined ? 0 : entries.findIndex((e) => e.name > after);
    const size = options.pageSize ?? 1000;
    const page = start < 0 ? [] : entries.slice(start, start + size);
    const objects: ObjectInfo[] = [];
    const prefixes: string[] = [];
    for (const entry of page) {
      if (entry.folder) {
        prefixes.push(entry.name);
        continue;
      }
      try {
        objects.push(this.info(entry.name, await stat(this.path(entry.name))));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw failure(this.uri(entry.name), error);
      }
    }
    const last = page.at(-1);
    const more = start >= 0 && start + size < entries.length && last !== undefined;
    return { objects, prefixes, ...(more ? { nextToken: Buffer.from(last.name, 'utf8').toString('base64url') } : {}) };
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const uri = this.uri(key);
    try {
      const handle = await open(this.path(key), 'r');
      const { size } = await handle.stat();
      let start = 0;
      let end = size - 1;
      if (range !== undefined && 'suffix' in range) start = Math.max(0, size - range.suffix);
      else if (range !== undefined) {
        start = range.offset;
        if (range.length !== undefined) end = Math.min(size - 1, range.offset + range.length - 1);
      }
      if (start > end) {
        await handle.close();
        return Readable.from([]);
      }
      return createReadStream('', { fd: handle, start, end, autoClose: true });
    } catch (error) {
      throw failure(uri, error);
    }
  }

  async write(key: string, body: Readable | AsyncIterable<Uint8Array>, options: WriteOptions = {}): Promise<ObjectInfo> {
    const uri = this.uri(key);
    const target = this.path(key);
    const temp = join(dirname(target), `${TEMP_MARK}${randomBytes(8).toString('hex')}`);
    try {
      await mkdir(dirname(target), { recursive: true });
      if (options.ifAbsent === true) await this.refuseExisting(key);
      await pipeline(body, createWriteStream(temp, { flags: 'wx' }));
      if (options.ifAbsent === true) {
        await link(temp, target);
        await unlink(temp);
      } else {
        await rename(temp, target);
      }
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw failure(uri, error);
    }
    return this.head(key);
  }

  /** Fails early, before the upload, when the key already holds an object (the `link` checks again). */
  private async refuseExisting(key: string): Promise<void> {
    const exists = await stat(this.path(key)).then(
      () => true,
      () => false,
    );
    if (exists) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
  }

  async move(from: string, to: string): Promise<ObjectInfo> {
    try {
      await stat(this.path(from));
      await mkdir(dirname(this.path(to)), { recursive: true });
      await rename(this.path(from), this.path(to));
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      throw failure(missing ? this.uri(from) : this.uri(to), error);
    }
    return this.head(to);
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.path(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw failure(this.uri(key), error);
    }
  }
}
