/**
 * A cheap, text-only import graph of a repository's sources, to widen a typed rule's candidate files:
 * a file that never names the record type may still handle its values through something it imports.
 * Relative specifiers (`./x`, `../y/z.js`) resolve by TypeScript's extension rules. Other specifiers
 * (path aliases such as `@models/store` or `~/lib/x`, workspace packages such as `@acme/models`) are
 * matched by their tail against the repository's files (`models/store.ts`, `models/src/index.ts`):
 * this may take in a file too many (only a cost), never leaves out one an alias reaches.
 */
import { posix } from 'node:path';

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*)\1/g;
const ANY_SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(['"])([^'"\s]+)\1/g;
const SOURCE_EXT = /(\.d)?\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
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

/** Non-relative specifiers (`@models/store`, `@acme/models`, `~/x`), node: built-ins left out. */
export function bareSpecifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(ANY_SPECIFIER)) {
    const spec = m[2]!;
    if (!spec.startsWith('.') && !spec.startsWith('node:') && !spec.startsWith('/')) out.push(spec);
  }
  return out;
}

/** Repository files by every tail of their path without extension (`a/b/c.ts` → `c`, `b/c`, `a/b/c`; `x/index.ts` also → `x`). */
function tailIndex(known: ReadonlySet<string>): Map<string, string[]> {
  const index = new Map<string, string[]>();
  const add = (k: string, p: string) => {
    const list = index.get(k);
    if (list) list.push(p);
    else index.set(k, [p]);
  };
  for (const p of known) {
    if (!SOURCE_EXT.test(p)) continue;
    let segs = p.replace(SOURCE_EXT, '').split('/');
    if (segs.length > 1 && segs[segs.length - 1] === 'index') segs = segs.slice(0, -1);
    for (let k = 0; k < segs.length; k++) add(segs.slice(k).join('/'), p);
  }
  return index;
}

/** The repository files a non-relative specifier may stand for (see the module comment). */
function resolveBare(specifier: string, index: ReadonlyMap<string, string[]>): string[] {
  const segs = specifier.replace(/\.(js|jsx|mjs|cjs)$/, '').split('/');
  // `@scope/name/x` → `name/x`, `x`; `~/lib/x` → `lib/x`, `x`; `pkg` → `pkg`, `pkg/src`
  for (let k = segs[0]!.startsWith('@') ? 1 : segs.length > 1 ? 1 : 0; k < segs.length; k++) {
    const tail = segs.slice(k).join('/');
    const hits = [...(index.get(tail) ?? []), ...(index.get(`${tail}/src`) ?? [])];
    if (hits.length) return hits;
  }
  return [];
}

/**
 * The files that are `seeds` or import (directly or through other files) a seed: the closure over
 * "is imported by". `texts` maps every source path to its text.
 */
export function importersClosure(texts: ReadonlyMap<string, string>, seeds: Iterable<string>): Set<string> {
  const known = new Set(texts.keys());
  const importers = new Map<string, string[]>();
  let index: Map<string, string[]> | undefined;
  const edge = (target: string, path: string) => {
    const list = importers.get(target);
    if (list) list.push(path);
    else importers.set(target, [path]);
  };
  for (const [path, text] of texts) {
    for (const spec of relativeSpecifiers(text)) {
      const target = resolveRelative(path, spec, known);
      if (target) edge(target, path);
    }
    for (const spec of bareSpecifiers(text)) {
      index ??= tailIndex(known);
      for (const target of resolveBare(spec, index)) if (target !== path) edge(target, path);
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
