/**
 * A dataset's objects through the storage port: one object, or every data object under a prefix (in
 * key order), as verify, compat and the verification record see them. Fleetwave's own bookkeeping is
 * never data: anything under `_fleetwave/`, the `_SUCCESS` marker, and hidden names (`.x`, `_x`).
 *
 * A target written by a publishing convert carries a completion marker; only the files it lists are
 * committed, and only those are read (`committedDataObjects`).
 */
import type { ObjectInfo, ObjectStorage } from '../storage/port.js';
import { NotFoundError, listAll } from '../storage/port.js';
import { storageFor } from '../storage/uri.js';
import { InputError } from '../../util/errors.js';

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

/** True for Fleetwave's bookkeeping and hidden objects under `prefix`, which are never data. */
export function isBookkeeping(prefix: string, key: string): boolean {
  const rel = key.slice(prefix.length);
  if (rel === '_SUCCESS' || rel.startsWith('_fleetwave/')) return true;
  return rel.split('/').some((part) => part.startsWith('.') || (part.startsWith('_') && !part.includes('=')));
}

/**
 * The data objects a dataset URI names, in key order: the object itself, or those under the prefix
 * whose names end in `ext` (bookkeeping and hidden objects left out). An empty result is an error
 * naming the URI.
 */
export async function dataObjects(location: DatasetLocation, ext: string): Promise<ObjectInfo[]> {
  const { storage, key } = location;
  if (location.single) return [await storage.head(key)];
  const found: ObjectInfo[] = [];
  for await (const object of listAll(storage, key)) {
    if (isBookkeeping(key, object.key)) continue;
    if (!object.key.endsWith(ext)) continue;
    found.push(object);
  }
  found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (found.length === 0) throw new InputError(`${location.uri}: no ${ext} objects under this prefix`);
  return found;
}
