/** Shared by the codemod tests: a manifest around some `changes:`, temp copies of fixture trees. */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manifestSchema } from '../../src/manifest/schema.js';
import type { Manifest } from '../../src/manifest/types.js';
import type { Edit } from '../../src/codemod/port.js';
import { writeFileAtomicSync } from '../../src/util/atomic-write.js';

export function manifestWith(changes: unknown[], dataset: Record<string, unknown> = {}): Manifest {
  return manifestSchema.parse({
    apiVersion: 'fleetwave/v1',
    kind: 'DatasetMigration',
    metadata: { name: 'play-events-v2', owner: 'data-platform' },
    dataset: {
      source: { uri: 'data/play-events/v1/', format: 'avro' },
      target: { uri: 'data/play-events/v2/', format: 'parquet' },
      ...dataset,
    },
    consumers: { discover: [{ repos: ['acme/recs'] }] },
    changes,
  });
}

export function tempCopy(src: string, prefix = 'fw-codemod-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(src, dir, { recursive: true });
  return dir;
}

export function tempDir(prefix = 'fw-codemod-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Every file below `dir` (relative path → text). */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const child = rel ? `${rel}/${name}` : name;
      if (statSync(join(dir, child)).isDirectory()) walk(child);
      else out.set(child, readFileSync(join(dir, child), 'utf8'));
    }
  };
  walk('');
  return out;
}

export function writeTree(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) writeFileAtomicSync(join(dir, path), text);
}

export function applyEdits(dir: string, edits: readonly Edit[]): void {
  for (const e of edits) {
    if (e.after === null) rmSync(join(dir, e.path), { force: true });
    else writeFileAtomicSync(join(dir, e.path), e.after);
  }
}
