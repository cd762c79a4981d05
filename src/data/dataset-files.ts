/**
 * The files of a dataset in any store: one object, or every object with the format's extension under
 * a prefix (recursively, in key order). A prefix that holds a published output (issue 15:
 * `_fleetwave/commit.json`) gives only the files its commit names; `_fleetwave/` (staging, markers)
 * and `_`- or `.`-prefixed names are never data (./publish/commit.ts: `committedFiles`).
 */
import { stat } from 'node:fs/promises';
import { InputError } from '../util/errors.js';
import { committedFiles, folderPrefix } from './publish/commit.js';
import { NotFoundError, type ObjectInfo, type ObjectStorage } from './storage/port.js';
import { storageFor } from './storage/uri.js';

/** A dataset in a store: one object, or the (committed) objects under a prefix. */
export interface DatasetObjects {
  storage: ObjectStorage;
  /** The URI as given. */
  uri: string;
  /** The folder prefix the objects are under (for a single object: its folder). */
  prefix: string;
  /** True when the URI names one object. */
  single: boolean;
  objects: ObjectInfo[];
}

/**
 * The objects of the dataset at `uri` (a path, `file://`, `s3://`, `az://`, `abfss://`): the object
 * itself when the URI names one, else the `ext` objects under the prefix, in key order — only those a
 * commit names when the prefix holds a published output (./publish/commit.ts).
 */
export async function datasetObjects(uri: string, ext: string, options: { anyFileName?: boolean } = {}): Promise<DatasetObjects> {
  const a = /^\.?[aeiou]/i.test(ext) ? 'an' : 'a';
  const { storage, key } = await storageFor(uri);
  if (key !== '' && !key.endsWith('/')) {
    try {
      const info = await storage.head(key);
      if (!options.anyFileName && !key.endsWith(ext))
        throw new InputError(`${uri}: not ${a} ${ext} file; give ${a} ${ext} file or a folder of them`);
      return { storage, uri, prefix: key.slice(0, key.lastIndexOf('/') + 1), single: true, objects: [info] };
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }
  const prefix = folderPrefix(key);
  const objects = await committedFiles(storage, prefix, ext);
  if (objects.length === 0) {
    const any = await storage.list(prefix, { pageSize: 1 });
    if (any.objects.length === 0 && !(await isLocalFolder(storage, prefix)))
      throw new InputError(`${uri}: no such file or folder; give ${a} ${ext} file or a folder of them`);
    throw new InputError(`${uri}: no ${ext} files in this folder`);
  }
  return { storage, uri, prefix, single: false, objects };
}

async function isLocalFolder(storage: ObjectStorage, prefix: string): Promise<boolean> {
  if (!storage.uri('').startsWith('/')) return false;
  return stat(storage.uri(prefix)).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
