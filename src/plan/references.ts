/**
 * How many references to the old dataset a repository still holds: progress is measured by what the
 * code says after a merge, not by merged pull requests. Reads a checked-out working copy.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

const SKIP_DIRS = new Set(['.git', 'node_modules', 'dist', 'build', 'coverage', '.forge']);
const MAX_FILE_BYTES = 1024 * 1024;

/** The strings that mark a use of the old dataset: its location, without a trailing slash. */
export function oldDatasetNeedles(sourceUri: string): string[] {
  const trimmed = sourceUri.replace(/\/+$/, '');
  return trimmed ? [trimmed] : [];
}

/** Occurrences of any needle in the text files under `dir` (binary and large files are skipped). */
export async function countReferences(
  dir: string,
  needles: readonly string[],
  skipFolder: (relative: string) => boolean = () => false,
): Promise<number> {
  if (needles.length === 0) return 0;
  let count = 0;
  const walk = async (folder: string, relative: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name) && !skipFolder(rel)) await walk(path, rel);
      } else if (entry.isFile() && (await stat(path)).size <= MAX_FILE_BYTES) {
        const bytes = await readFile(path);
        if (bytes.includes(0)) continue;
        const text = bytes.toString('utf8');
        for (const needle of needles) for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) count++;
      }
    }
  };
  await walk(dir, '');
  return count;
}
