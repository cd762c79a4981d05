/**
 * The files of a dataset: one file, or every file with the format's extension in a folder (searched
 * recursively, in path order; hidden files skipped). Convert and verify take either.
 *
 * A folder that holds a published output (issue 15: `_fleetwave/commit.json`) gives only the files
 * its commit names; `_fleetwave/` (staging, markers) and `_`-prefixed names are never data. The same
 * rules for any store: `datasetObjects(uri, ext)` (./publish/commit.ts: `committedFiles`).
 */
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { InputError } from '../util/errors.js';
import { committedFiles, folderPrefix } from './publish/commit.js';
import { NotFoundError, type ObjectInfo, type ObjectStorage } from './storage/port.js';
import { storageFor } from './storage/uri.js';

/** The files under `dir` whose names end in `ext` (e.g. `.avro`), sorted by path. */
export async function filesUnder(dir: string, ext: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(ext) && !e.name.startsWith('.'))
    .map((e) => join(e.parentPath, e.name))
    .filter(
      (path) =>
        !relative(dir, path)
          .split(sep)
          .some((part) => part.startsWith('_')),
    )
    .sort();
}

/**
 * `path` as a list of files: itself when it is a file ending in `ext` (or any file, with
 * `anyFileName`: its content says what it is), else the `ext` files under the folder (only the
 * committed ones when the folder holds a published output).
 */
export async function datasetFiles(path: string, ext: string, options: { anyFileName?: boolean } = {}): Promise<string[]> {
  const a = /^\.?[aeiou]/i.test(ext) ? 'an' : 'a';
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new InputError(`${path}: no such file or folder; give ${a} ${ext} file or a folder of them`);
  }
  if (info.isFile()) {
    if (!options.anyFileName && !path.endsWith(ext))
      throw new InputError(`${path}: not ${a} ${ext} file; give ${a} ${ext} file or a folder of them`);
    return [path];
  }
  let files: string[];
  try {
    const { storage, key } = await storageFor(`${path}/`);
    files = (await committedFiles(storage, key, ext)).map((o) => `/${o.key}`);
    // committedFiles lists absolute paths; keep the caller's spelling of the folder.
    files = files.map((f) => join(path, relative(`/${key}`, f)));
  } catch (err) {
    if (err instanceof InputError) throw err;
    files = await filesUnder(path, ext);
  }
  if (files.length === 0) throw new InputError(`${path}: no ${ext} files in this folder`);
  return files;
}

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
