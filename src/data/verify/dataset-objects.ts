/**
 * A dataset's objects through the storage port: one object, or every data object under a prefix (in
 * key order), as verify, compat and the verification record see them. Fleetwave's own bookkeeping is
 * never data: anything under `_fleetwave/`, the `_SUCCESS` marker, and hidden names (`.x`, `_x`).
 *
 * A dataset written by a publishing convert carries a completion marker; only the files it lists are
 * committed, and only those are read (src/data/publish/commit.ts).
 */
import { existsSync } from 'node:fs';
import type { ObjectInfo, ObjectStorage } from '../storage/port.js';
import { NotFoundError } from '../storage/port.js';
import { committedFiles, readCommit } from '../publish/commit.js';
import { storageFor } from '../storage/uri.js';
import { DataError, InputError } from '../../util/errors.js';

export interface DatasetLocation {
  storage: ObjectStorage;
  /** The URI as given. */
  uri: string;
  /** The key the URI names: an object's, or a prefix ending in `/` (empty for a bucket's root). */
  key: string;
  /** True when the URI names one object rather than a prefix. */
  single: boolean;
}

/** The folder a dataset URI names, as a prefix ending in `/` (empty for a bucket's root). */
export function folderKey(key: string): string {
  return key === '' || key.endsWith('/') ? key : `${key}/`;
}

/** Where a dataset URI points: one object when an object has that key, else the prefix below it. */
export async function locateDataset(uri: string): Promise<DatasetLocation> {
  const { storage, key } = await storageFor(uri);
  if (key !== '' && !key.endsWith('/')) {
    try {
      await storage.head(key);
      return { storage, uri, key, single: true };
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  return { storage, uri, key: folderKey(key), single: false };
}

/**
 * The data objects a dataset URI names, in key order: the object itself (any name: its content says
 * what it is), or the committed objects under the prefix whose names end in `ext`
 * (`committedFiles`: only those a commit marker lists when there is one; none while an attempt's
 * staging is there without one; else every data object, Fleetwave's `_fleetwave/`, `_SUCCESS` and
 * hidden names left out). An empty result is an error naming the URI.
 */
export async function dataObjects(location: DatasetLocation, ext: string): Promise<ObjectInfo[]> {
  const { storage, key } = location;
  if (location.single) return [await storage.head(key)];
  let found: ObjectInfo[];
  try {
    found = await committedFiles(storage, key, ext);
  } catch (err) {
    // A committed output whose files are missing or changed since is bad data (verification fails);
    // no commit yet (an attempt's staging only) stays bad input: there is nothing to verify.
    if (err instanceof InputError && (await readCommit(storage, key)) !== undefined) throw new DataError(err.message, { cause: err });
    throw err;
  }
  if (found.length === 0) {
    // An object store has no empty folders; a local folder may be empty.
    const local = !/^[a-z][a-z0-9+.-]*:\/\//i.test(location.uri) || location.uri.startsWith('file:');
    const anything = local ? existsSync(`/${key}`) : (await storage.list(key, { pageSize: 1 })).objects.length > 0;
    if (!anything) throw new InputError(`${location.uri}: no such file or folder (nothing under this prefix)`);
    throw new InputError(`${location.uri}: no ${ext} files in this folder or prefix`);
  }
  return found;
}
