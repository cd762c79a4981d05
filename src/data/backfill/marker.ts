/**
 * The done marker of a backfill partition: `_fleetwave_done.json` in the target partition's folder,
 * written atomically (temp + rename) only after every file of the partition was converted and
 * verified. A partition is done when its marker names the same source fingerprint and the same
 * conversion spec; change either (new or rewritten source files, another transform) and it is redone.
 */
import { createHash } from 'node:crypto';
import { open, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../util/atomic-write.js';

export const DONE_MARKER = '_fleetwave_done.json';
export const MARKER_FORMAT = 'fleetwave.backfill-partition/v1';

export interface SourceFile {
  /** File name inside the source partition folder. */
  name: string;
  size: number;
  /** The Avro sync marker (the file's last 16 bytes), hex: a rewritten file gets a new one. */
  sync: string;
}

export interface SourceFingerprint {
  fingerprint: string;
  files: SourceFile[];
}

export interface DoneMarker {
  format: typeof MARKER_FORMAT;
  partition: string;
  source: SourceFingerprint;
  /** Hash of what the conversion does (transform, target format and options). */
  spec: string;
  outputs: { file: string; rows: number }[];
  verification: { pass: boolean; sourceRows: number; targetRows: number; mismatchRatio: number };
  finishedAt: string;
}

/** The `.avro` files of a source partition folder, by name; empty when the folder does not exist. */
export async function sourceFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isFile() && e.name.endsWith('.avro') && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Identifies the source files cheaply: names, sizes and each file's trailing sync marker (no full read). */
export async function fingerprintSource(dir: string, names: readonly string[]): Promise<SourceFingerprint> {
  const files: SourceFile[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const { size } = await stat(path);
    const tail = Buffer.alloc(Math.min(16, size));
    const handle = await open(path, 'r');
    try {
      await handle.read(tail, 0, tail.length, size - tail.length);
    } finally {
      await handle.close();
    }
    files.push({ name, size, sync: tail.toString('hex') });
  }
  const fingerprint = `sha256:${createHash('sha256').update(JSON.stringify(files)).digest('hex')}`;
  return { fingerprint, files };
}

/** A stable hash of a JSON-able conversion spec (key order does not matter). */
export function specHash(spec: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v;
  return `sha256:${createHash('sha256')
    .update(JSON.stringify(canonical(spec)))
    .digest('hex')}`;
}

export async function readMarker(targetDir: string): Promise<DoneMarker | undefined> {
  let text: string;
  try {
    text = await readFile(join(targetDir, DONE_MARKER), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const m = JSON.parse(text) as DoneMarker;
    return m.format === MARKER_FORMAT ? m : undefined;
  } catch {
    return undefined; // an unreadable marker is no marker: the partition is redone
  }
}

export async function writeMarker(targetDir: string, marker: DoneMarker): Promise<void> {
  await writeFileAtomic(join(targetDir, DONE_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
}

/** Is the partition done for this source and spec? */
export function isDone(marker: DoneMarker | undefined, source: SourceFingerprint, spec: string): boolean {
  return marker !== undefined && marker.verification.pass && marker.source.fingerprint === source.fingerprint && marker.spec === spec;
}
