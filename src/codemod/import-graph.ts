/**
 * A cheap, text-only import graph of a repository's sources, to widen a typed rule's candidate files:
 * a file that never names the record type may still handle its values through something it imports.
 * Relative specifiers (`./x`, `../y/z.js`) resolve by TypeScript's extension rules. Other specifiers
 * (path aliases such as `@models/store` or `~/lib/x`, workspace packages such as `@acme/models`) are
 * matched by their tail against the repository's files (`models/store.ts`, `models/src/index.ts`):
 * this may take in a file too many (only a cost), never leaves out one an alias reaches.
 */
import { posix } from 'node:path';

// `./x`, `../y/z.js`, and the folder's own index: `.`, `..`, `./`, `../`.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\bimport\s+)(['"])(\.{1,2}(?:\/[^'"]*)?)\1/g;
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
  const base = posix.normalize(posix.join(posix.dirname(fromPath), specifier)).replace(/\/$/, '');
  const stem = base.replace(/\.(js|jsx|mjs|cjs)$/, '');
  // `.`, `..` and `x/` name a folder: its index, as Node resolves them.
  const folder = specifier === '.' || specifier === '..' || specifier.endsWith('/');
  for (const b of stem === base ? [base] : [stem, base]) {
    for (const suffix of folder ? CANDIDATE_SUFFIXES.filter((x) => x.startsWith('/')) : CANDIDATE_SUFFIXES) {
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
    const segs = p.replace(SOURCE_EXT, '').split('/');
    for (let k = 0; k < segs.length; k++) add(segs.slice(k).join('/'), p);
    if (segs.length > 1 && segs[segs.length - 1] === 'index') for (let k = 0; k < segs.length - 1; k++) add(segs.slice(k, -1).join('/'), p);
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

/** What one file imports: the resolved targets and the names taken (`*`: all of them, or unknown). */
interface ImportEdge {
  targets: string[];
  names: string[] | '*';
  /** A re-export (`export { a as b } from`, `export * from`): exported name → imported name, or `*`. */
  reexports?: Map<string, string> | '*';
}

const IMPORT_FROM = /\b(import|export)\s+(type\s+)?([\w$*{}\s,]*?)\s*from\s*(['"])([^'"\n]+)\4/g;
const DYNAMIC = /\b(?:import|require)\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g;
const PRIMITIVES = new Set([
  'number',
  'string',
  'boolean',
  'void',
  'undefined',
  'null',
  'bigint',
  'symbol',
  'never',
  'readonly',
  'true',
  'false',
]);

/**
 * Does this annotated signature (or type) use primitive types only (`(values: number[]): number`)? Then
 * the binding cannot carry a record, whatever the file imports. Parameter names are not types; `any`
 * and `unknown` may hold a record (and an `any` read of it is a place to report), so they carry.
 */
function primitiveOnly(signature: string): boolean {
  if (/[{}]|=>|\btypeof\b|\bkeyof\b|</.test(signature)) return false;
  const text = signature.replace(/(['"`])(?:\\.|(?!\1).)*\1/g, ' ').replace(/\b[\w$]+\s*\??\s*:/g, ' ');
  for (const id of text.match(/[A-Za-z_$][\w$]*/g) ?? []) if (!PRIMITIVES.has(id)) return false;
  return true;
}

/** Exported names of a file whose declared type is primitive only (see `primitiveOnly`); every other export may carry a record. */
function primitiveExports(text: string): Set<string> {
  const out = new Set<string>();
  const fn = /\bexport\s+(?:async\s+)?function\s+([\w$]+)\s*\(([^()]*)\)\s*:\s*([^{;=]+?)\s*\{/g;
  for (const m of text.matchAll(fn)) if (primitiveOnly(`(${m[2]}): ${m[3]}`)) out.add(m[1]!);
  const typed = /\bexport\s+(?:const|let|var)\s+([\w$]+)\s*:\s*([^=;]+?)\s*=/g;
  for (const m of text.matchAll(typed)) if (primitiveOnly(m[2]!)) out.add(m[1]!);
  const literal = /\bexport\s+const\s+([\w$]+)\s*=\s*(?:'[^'\n]*'|"[^"\n]*"|-?\d[\d_.]*|true|false)\s*;/g;
  for (const m of text.matchAll(literal)) out.add(m[1]!);
  return out;
}

/**
 * The names a file's own declarations export, and whether it exports in ways not read here
 * (`module.exports`, `export =`, `export default` of an expression): then any name may be there.
 */
function declaredExports(text: string): { names: Set<string>; opaque: boolean } {
  const names = new Set<string>();
  const decl =
    /\bexport\s+(?:declare\s+)?(?:default\s+)?(?:async\s+)?(?:abstract\s+)?(?:function\s*\*?|const|let|var|class|interface|type|enum|namespace)\s+([\w$]+)/g;
  for (const m of text.matchAll(decl)) names.add(m[1]!);
  for (const m of text.matchAll(/\bexport\s+(?:type\s+)?\{([^}]*)\}(?!\s*from)/g))
    for (const part of m[1]!.split(',')) {
      const [local, as] = part
        .replace(/^\s*type\s+/, '')
        .trim()
        .split(/\s+as\s+/);
      if (local) names.add((as ?? local).trim());
    }
  if (/\bexport\s+default\b/.test(text)) names.add('default');
  return { names, opaque: /\bmodule\.exports\b|\bexports\.[\w$]+\s*=|\bexport\s*=/.test(text) };
}

/** The names an import or export clause takes: `{ a, b as c }` → a, b; a default or namespace import → `*`. */
function clauseNames(kind: string, clause: string): { names: string[] | '*'; reexports?: Map<string, string> | '*' } {
  const c = clause.trim();
  if (kind === 'export') {
    if (c === '*') return { names: '*', reexports: '*' };
    const m = /^\{([^}]*)\}$/.exec(c);
    if (!m) return { names: '*', reexports: '*' };
    const map = new Map<string, string>();
    for (const part of m[1]!.split(',')) {
      const [from, as] = part
        .replace(/^\s*type\s+/, '')
        .trim()
        .split(/\s+as\s+/);
      if (from) map.set((as ?? from).trim(), from.trim());
    }
    return { names: [...map.values()], reexports: map };
  }
  const m = /^\{([^}]*)\}$/.exec(c);
  if (!m) return { names: '*' }; // default, namespace, or both
  return {
    names: m[1]!
      .split(',')
      .map((part) =>
        part
          .replace(/^\s*type\s+/, '')
          .trim()
          .split(/\s+as\s+/)[0]!
          .trim(),
      )
      .filter(Boolean),
  };
}

/**
 * The files that are `seeds` or get, through their imports, a value or type that may come from a seed:
 * the closure over "imports, from a file in the set, a name that may carry one". `texts` maps every
 * source path to its text. Name-aware, and on the safe side: a name carries unless its declaration is
 * annotated with primitive types only (`helper(values: number[]): number`, `const label = 'x'`), a
 * default, namespace or dynamic import takes every name, a re-export passes on what its source carries,
 * and a name the file does not visibly declare carries.
 */
export function importersClosure(texts: ReadonlyMap<string, string>, seeds: Iterable<string>): Set<string> {
  return importGraph(texts).closure(seeds);
}

/**
 * A repository's import graph, read once from `texts` (every source path → its text) and asked for any
 * number of closures (`importersClosure`): the engine's candidates and the programs' files come from
 * the same graph.
 */
export interface ImportGraph {
  /** The texts the graph was read from. */
  readonly texts: ReadonlyMap<string, string>;
  /** See `importersClosure`. */
  closure(seeds: Iterable<string>): Set<string>;
  /**
   * Is `name` declared by the file at `path` with primitive types only (`helper(values: number[]):
   * number`, `const label = 'x'`)? Then importing it brings no record's value or type.
   */
  primitiveExport(path: string, name: string): boolean;
}

export function importGraph(texts: ReadonlyMap<string, string>): ImportGraph {
  const known = new Set(texts.keys());
  let index: Map<string, string[]> | undefined;
  // a bare specifier stands for the same files wherever it is written (most files import through the same aliases)
  const bare = new Map<string, string[]>();
  const resolve = (path: string, spec: string): string[] => {
    if (spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..') {
      const t = resolveRelative(path, spec, known);
      return t ? [t] : [];
    }
    if (spec.startsWith('.') || spec.startsWith('node:') || spec.startsWith('/')) return [];
    let hits = bare.get(spec);
    if (!hits) {
      index ??= tailIndex(known);
      bare.set(spec, (hits = resolveBare(spec, index)));
    }
    return hits.includes(path) ? hits.filter((t) => t !== path) : hits;
  };
  const edges = new Map<string, ImportEdge[]>();
  const importers = new Map<string, Set<string>>();
  const primitive = new Map<string, Set<string>>();
  for (const [path, text] of texts) {
    const list: ImportEdge[] = [];
    const read = new Set<string>();
    for (const m of text.matchAll(IMPORT_FROM)) {
      read.add(m[5]!);
      const targets = resolve(path, m[5]!);
      if (targets.length) list.push({ targets, ...clauseNames(m[1]!, m[3]!) });
    }
    for (const m of text.matchAll(DYNAMIC)) {
      read.add(m[2]!);
      const targets = resolve(path, m[2]!);
      if (targets.length) list.push({ targets, names: '*' });
    }
    // `import x = require('y')` and anything the patterns above did not read: every name
    for (const spec of [...relativeSpecifiers(text), ...bareSpecifiers(text)]) {
      if (read.has(spec)) continue;
      const targets = resolve(path, spec);
      if (targets.length && !list.some((e) => e.targets.join() === targets.join())) list.push({ targets, names: '*' });
    }
    edges.set(path, list);
    for (const e of list)
      for (const t of e.targets) {
        const set = importers.get(t) ?? new Set<string>();
        set.add(path);
        importers.set(t, set);
      }
  }
  const primitivesOf = (path: string): Set<string> => {
    let set = primitive.get(path);
    if (!set) primitive.set(path, (set = primitiveExports(texts.get(path) ?? '')));
    return set;
  };
  const declared = new Map<string, { names: Set<string>; opaque: boolean }>();
  const declaredOf = (path: string) => {
    let d = declared.get(path);
    if (!d) declared.set(path, (d = declaredExports(texts.get(path) ?? '')));
    return d;
  };
  // What a name of a file that re-exports nothing carries depends on that file alone: kept for every closure.
  const reexporting = new Set([...edges].filter(([, list]) => list.some((e) => e.reexports)).map(([p]) => p));
  const ownCarries = new Map<string, boolean>();
  const closure = (seeds: Iterable<string>): Set<string> => {
    const out = new Set<string>();
    /** May `name`, exported by `path` (in the set), carry a seed's value or type? */
    const carries = (path: string, name: string, seen = new Set<string>()): boolean => {
      const key = `${path}\0${name}`;
      if (!reexporting.has(path)) {
        let own = ownCarries.get(key);
        if (own === undefined) {
          const d = declaredOf(path);
          ownCarries.set(key, (own = d.names.has(name) ? !primitivesOf(path).has(name) : d.opaque));
        }
        return own;
      }
      if (seen.has(key)) return false;
      seen.add(key);
      const list = edges.get(path) ?? [];
      for (const e of list)
        if (e.reexports && e.reexports !== '*' && e.reexports.has(name))
          return e.targets.some((t) => out.has(t) && carries(t, e.reexports instanceof Map ? e.reexports.get(name)! : name, seen));
      const own = declaredOf(path);
      if (own.names.has(name)) return !primitivesOf(path).has(name);
      for (const e of list) if (e.reexports === '*' && e.targets.some((t) => out.has(t) && carries(t, name, seen))) return true;
      return own.opaque;
    };
    const reaches = (path: string): boolean =>
      (edges.get(path) ?? []).some((e) => e.targets.some((t) => out.has(t) && (e.names === '*' || e.names.some((n) => carries(t, n)))));
    const grow = (from: Iterable<string>) => {
      const queue = [...from];
      while (queue.length) {
        const p = queue.pop()!;
        if (out.has(p)) continue;
        out.add(p);
        for (const i of importers.get(p) ?? []) if (!out.has(i) && reaches(i)) queue.push(i);
      }
    };
    grow(seeds);
    // A file whose import carries only once a re-exported source joined the set is found by another pass.
    for (let changed = true; changed;) {
      changed = false;
      for (const path of texts.keys())
        if (!out.has(path) && reaches(path)) {
          grow([path]);
          changed = true;
        }
    }
    return out;
  };
  return { texts, closure, primitiveExport: (path, name) => primitivesOf(path).has(name) };
}
