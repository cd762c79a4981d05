/**
 * The files of a dataset: one file, or every file with the format's extension in a folder (searched
 * recursively, in path order; hidden files skipped). Convert and verify take either.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../util/errors.js';

/** The files under `dir` whose names end in `ext` (e.g. `.avro`), sorted by path. */
export async function filesUnder(dir: string, ext: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(ext) && !e.name.startsWith('.'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * `path` as a list of files: itself when it is a file ending in `ext` (or any file, with
 * `anyFileName`: its content says what it is), else the `ext` files under the folder.
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
  const files = await filesUnder(path, ext);
  if (files.length === 0) throw new InputError(`${path}: no ${ext} files in this folder`);
  return files;
}
