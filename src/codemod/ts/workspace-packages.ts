/**
 * A repository's own packages (monorepo workspaces), for the module names the compiler cannot resolve
 * because a checkout has no `node_modules`: a workspace install links `@acme/models` to the package's
 * folder, so `@acme/models` and `@acme/models/sub` are resolved to its files as Node and TypeScript would
 * through that link — package.json `exports` (subpaths, `*` patterns, conditions), else `types`/`typings`/
 * `module`/`main` for the package itself, else its `src/index` or `index`. An entry that names build output
 * not in the checkout (`./dist/index.js`) is looked up as its source (`./src/index.ts`) and as a
 * TypeScript twin (`.d.ts`, `.ts`). Found in mikro-orm, whose test entities import `@mikro-orm/core`
 * from a tsconfig without a `paths` entry for it: without the link the record type was not reached there.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { GENERATED_DIRS, SKIPPED_DIRS } from '../repo-files.js';

interface Package {
  /** Repository-relative folder ('' for the root). */
  folder: string;
  manifest: Record<string, unknown>;
}

const CONDITIONS = ['types', 'typings', 'import', 'node', 'module', 'default', 'require'];
const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** The first target an `exports` value names, preferring type and ESM conditions. */
function exportTarget(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    for (const v of value) {
      const t = exportTarget(v);
      if (t) return t;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    const map = value as Record<string, unknown>;
    for (const c of CONDITIONS) if (c in map) return exportTarget(map[c]) ?? undefined;
    for (const v of Object.values(map)) {
      const t = exportTarget(v);
      if (t) return t;
    }
  }
  return undefined;
}

/** The target of `subpath` ('.' or './x') in an `exports` field, with `*` patterns. */
function fromExports(exports: unknown, subpath: string): string | undefined {
  if (typeof exports === 'string' || Array.isArray(exports)) return subpath === '.' ? exportTarget(exports) : undefined;
  if (!exports || typeof exports !== 'object') return undefined;
  const map = exports as Record<string, unknown>;
  const keys = Object.keys(map);
  // a conditions object at the top stands for '.'
  if (!keys.some((k) => k.startsWith('.'))) return subpath === '.' ? exportTarget(map) : undefined;
  if (subpath in map) return exportTarget(map[subpath]);
  for (const key of keys) {
    const star = key.indexOf('*');
    if (star < 0) continue;
    const head = key.slice(0, star);
    const tail = key.slice(star + 1);
    if (subpath.startsWith(head) && subpath.endsWith(tail) && subpath.length >= head.length + tail.length) {
      const target = exportTarget(map[key]);
      return target?.replaceAll('*', subpath.slice(head.length, subpath.length - tail.length));
    }
  }
  return undefined;
}

export class WorkspacePackages {
  private packages: Map<string, Package> | undefined;

  constructor(
    private readonly dir: string,
    private readonly fileExists: (absolute: string) => boolean,
  ) {}

  /** The absolute file `specifier` stands for when it names a package of this repository, else undefined. */
  resolve(specifier: string): string | undefined {
    const segs = specifier.split('/');
    const nameLength = specifier.startsWith('@') ? 2 : 1;
    if (segs.length < nameLength || segs.slice(0, nameLength).some((s) => !s)) return undefined;
    const pkg = this.byName().get(segs.slice(0, nameLength).join('/'));
    if (!pkg) return undefined;
    const rest = segs.slice(nameLength).join('/');
    const subpath = rest ? `./${rest}` : '.';
    const m = pkg.manifest;
    const targets: string[] = [];
    if (m.exports !== undefined) {
      const t = fromExports(m.exports, subpath);
      if (t) targets.push(t);
    }
    if (subpath === '.') {
      for (const field of ['types', 'typings', 'module', 'main']) if (typeof m[field] === 'string') targets.push(m[field] as string);
      targets.push('./src/index', './index');
    } else targets.push(subpath, `./src/${rest}`);
    for (const t of targets) {
      const found = this.file(posix.join(pkg.folder, t));
      if (found) return found;
    }
    return undefined;
  }

  /** `path` (repository-relative), its TypeScript twins, its source twin under src/, or its folder's index. */
  private file(path: string): string | undefined {
    const stem = path.replace(/\.(d\.ts|ts|tsx|mts|cts|js|jsx|mjs|cjs)$/, '');
    const stems = [stem];
    const build = stem.match(/^(.*?)(?:^|\/)(?:dist|build|lib|out)\/(.*)$/);
    if (build) stems.push(posix.join(build[1]!, 'src', build[2]!));
    // the path as written (a real .ts or .js file), then its twins, then its source twin's
    const candidates = [
      path,
      ...stems.flatMap((s) => [...SOURCE_EXTENSIONS.map((e) => s + e), ...SOURCE_EXTENSIONS.map((e) => `${s}/index${e}`)]),
    ];
    for (const candidate of candidates) {
      const abs = join(this.dir, candidate);
      if (/\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/.test(candidate) && this.fileExists(abs)) return abs;
    }
    return undefined;
  }

  private byName(): Map<string, Package> {
    if (this.packages) return this.packages;
    const packages = new Map<string, Package>();
    const walk = (rel: string, depth: number): void => {
      const abs = rel ? join(this.dir, rel) : this.dir;
      let names: string[];
      try {
        names = readdirSync(abs);
      } catch {
        return;
      }
      if (names.includes('package.json')) {
        try {
          const manifest = JSON.parse(readFileSync(join(abs, 'package.json'), 'utf8')) as Record<string, unknown>;
          if (typeof manifest.name === 'string' && !packages.has(manifest.name)) packages.set(manifest.name, { folder: rel, manifest });
        } catch {
          // a package.json that is not JSON names no package
        }
      }
      if (depth >= 6) return;
      for (const name of names) {
        if (SKIPPED_DIRS.has(name) || GENERATED_DIRS.has(name) || name.startsWith('.')) continue;
        const child = rel ? `${rel}/${name}` : name;
        if (statSync(join(this.dir, child), { throwIfNoEntry: false })?.isDirectory()) walk(child, depth + 1);
      }
    };
    walk('', 0);
    this.packages = packages;
    return packages;
  }
}
