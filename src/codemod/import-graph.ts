/**
 * A cheap, text-only import graph of a repository's sources, to widen a typed rule's candidate files:
 * a file that never names the record type may still handle its values through something it imports.
 * Relative specifiers only (`./x`, `../y/z.js`); resolution follows TypeScript's extension rules.
 */
import { posix } from 'node:path';

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*)\1/g;
const CANDIDATE_SUFFIXES = [
  '',
  '.ts',
  '.tsx',
  '.d.ts',
  '.js',
  '.jsx',
  '.mts',
  '.cts',
  '.mjs',
  '.cjs',
  '/index.ts',
  '/index.tsx',
  '/index.js',
];

export function relativeSpecifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(SPECIFIER)) out.push(m[2]!);
  return out;
}

/** Resolves a relative specifier from `fromPath` to a repository path in `known`, or undefined. */
export function resolveRelative(fromPath: string, specifier: string, known: ReadonlySet<string>): string | undefined {
  const base = posix.normalize(posix.join(posix.dirname(fromPath), specifier));
  const stem = base.replace(/\.(js|jsx|mjs|cjs)$/, '');
  for (const b of stem === base ? [base] : [stem, base]) {
    for (const suffix of CANDIDATE_SUFFIXES) {
      const p = b + suffix;
      if (known.has(p)) return p;
    }
  }
  return undefined;
}

/**
 * The files that are `seeds` or import (directly or through other files) a seed: the closure over
 * "is imported by". `texts` maps every source path to its text.
 */
export function importersClosure(texts: ReadonlyMap<string, string>, seeds: Iterable<string>): Set<string> {
  const known = new Set(texts.keys());
  const importers = new Map<string, string[]>();
  for (const [path, text] of texts) {
    for (const spec of relativeSpecifiers(text)) {
      const target = resolveRelative(path, spec, known);
      if (!target) continue;
      const list = importers.get(target);
      if (list) list.push(path);
      else importers.set(target, [path]);
    }
  }
  const out = new Set<string>();
  const queue = [...seeds];
  while (queue.length) {
    const p = queue.pop()!;
    if (out.has(p)) continue;
    out.add(p);
    for (const i of importers.get(p) ?? []) if (!out.has(i)) queue.push(i);
  }
  return out;
}
