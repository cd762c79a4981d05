/**
 * One attempt at writing a dataset under an output prefix, published all at once (issue 15):
 *
 * 1. `begin`: removes what earlier attempts left in `_fleetwave/staging/` (one writer per prefix at
 *    a time: a conversion, or a backfill job per partition);
 * 2. the attempt writes every file under `<prefix>_fleetwave/staging/<attempt>/…` with `.staged`
 *    appended (readers never look there: `_`-prefixed, ./commit.ts ignores it, and no `.parquet` name);
 * 3. `publish`: removes the previous commit markers, moves each staged file to its final key
 *    (`ObjectStorage.move`: a rename for files, a server-side copy for object stores — no byte of the
 *    dataset passes through this process again),
 *    removes the previous commit's files that the new one does not have, then writes
 *    `_fleetwave/commit.json` and, LAST, `_SUCCESS`; then removes its staging.
 *
 * A kill before step 3 leaves only staging (readers take nothing new; the old commit, if any, still
 * stands). A kill inside step 3 leaves no commit.json and the staging: `committedFiles` refuses the
 * prefix until the next attempt publishes. docs/data.md, "Publishing: staging and commit markers".
 */
import { randomBytes } from 'node:crypto';
import { readdir, rmdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { LocalStorage } from '../storage/local.js';
import { listAll, type ObjectStorage } from '../storage/port.js';
import {
  COMMIT_FORMAT,
  COMMIT_PATH,
  FLEETWAVE_DIR,
  STAGING_DIR,
  SUCCESS_PATH,
  folderPrefix,
  readCommit,
  type CommitRecord,
  type CommittedFile,
} from './commit.js';

/** Runs `fn` over `items`, at most `limit` at a time. */
export async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  });
  await Promise.all(runners);
}

export type CommitFields = Omit<CommitRecord, 'format' | 'attempt' | 'committedAt' | 'uri' | 'files'>;

export class PublishAttempt {
  private constructor(
    readonly storage: ObjectStorage,
    /** The output prefix (a folder prefix: `''` or ending in `/`). */
    readonly prefix: string,
    readonly id: string,
  ) {}

  /** Starts an attempt: a new id, and the staging of earlier attempts removed. */
  static async begin(storage: ObjectStorage, prefix: string): Promise<PublishAttempt> {
    const id = `${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
    const attempt = new PublishAttempt(storage, folderPrefix(prefix), id);
    await attempt.removeUnder(attempt.prefix + STAGING_DIR);
    return attempt;
  }

  /**
   * The staging key of a file whose final key is `<prefix><relative>`: under the attempt's folder, and
   * with `.staged` appended, so that even a reader that globs every `.parquet` under the prefix without the `_` rule
   * takes no staged file.
   */
  stagingKey(relative: string): string {
    return `${this.prefix}${STAGING_DIR}${this.id}/${relative}.staged`;
  }

  get uri(): string {
    return this.storage.uri(this.prefix);
  }

  /**
   * Moves the staged files into place and commits them (see the module comment). `files` are the
   * staged files by relative key; returns the commit record written.
   */
  async publish(files: readonly Omit<CommittedFile, 'size' | 'etag'>[], fields: CommitFields): Promise<CommitRecord> {
    const previous = await readCommit(this.storage, this.prefix);
    await this.storage.delete(this.prefix + SUCCESS_PATH);
    await this.storage.delete(this.prefix + COMMIT_PATH);
    const committed: CommittedFile[] = new Array<CommittedFile>(files.length);
    await eachLimited(files, 4, async (file, i) => {
      const info = await this.storage.move(this.stagingKey(file.key), this.prefix + file.key);
      committed[i] = { key: file.key, size: info.size, etag: info.etag, rows: file.rows };
    });
    const kept = new Set(files.map((f) => f.key));
    for (const old of previous?.files ?? []) if (!kept.has(old.key)) await this.storage.delete(this.prefix + old.key);
    const record: CommitRecord = {
      format: COMMIT_FORMAT,
      attempt: this.id,
      committedAt: new Date().toISOString(),
      uri: this.uri,
      files: committed,
      ...fields,
    };
    await this.storage.write(this.prefix + COMMIT_PATH, Readable.from([Buffer.from(`${JSON.stringify(record, null, 2)}\n`)]), {
      contentType: 'application/json',
    });
    await this.storage.write(this.prefix + SUCCESS_PATH, Readable.from([Buffer.alloc(0)]));
    await this.removeUnder(`${this.prefix}${STAGING_DIR}${this.id}/`);
    return record;
  }

  /** Removes this attempt's staging (after a failure); the published prefix is left as it was. */
  async abandon(): Promise<void> {
    await this.removeUnder(`${this.prefix}${STAGING_DIR}${this.id}/`);
  }

  private async removeUnder(prefix: string): Promise<void> {
    const keys: string[] = [];
    for await (const info of listAll(this.storage, prefix)) keys.push(info.key);
    await eachLimited(keys, 8, (key) => this.storage.delete(key));
    if (this.storage instanceof LocalStorage) await removeEmptyFolders(prefix, this.prefix + FLEETWAVE_DIR);
  }
}

/** Local files: the empty folders left from `dir` up to and including `stop` (staging folders). */
async function removeEmptyFolders(dir: string, stop: string): Promise<void> {
  // Deepest first: every folder under `dir` that is now empty, then `dir` and its parents up to `stop`.
  const prune = async (path: string): Promise<boolean> => {
    let entries;
    try {
      entries = await readdir(path, { withFileTypes: true });
    } catch {
      return false;
    }
    let empty = true;
    for (const e of entries) {
      if (!(e.isDirectory() && (await prune(`${path}/${e.name}`)))) empty = false;
    }
    if (!empty) return false;
    return rmdir(path).then(
      () => true,
      () => false,
    );
  };
  const root = `/${dir.replace(/\/$/, '')}`;
  await prune(root);
  const top = `/${stop.replace(/\/$/, '')}`;
  for (let path = dirname(root); path.length >= top.length && path.startsWith(top); path = dirname(path)) {
    if (
      !(await rmdir(path).then(
        () => true,
        () => false,
      ))
    )
      break;
  }
}
