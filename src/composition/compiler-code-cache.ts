/**
 * A persistent V8 code cache for the TypeScript compiler the codemods run (the `typescript.js` that
 * ts-morph's `@ts-morph/common` bundles, 9 MB of CommonJS). A fresh process otherwise compiles the
 * compiler's functions to bytecode lazily, while the first repository's rename runs: 0.3–0.5 s of CPU
 * (docs/codemods.md, "renameField on real-shaped code").
 *
 * `loadCompilerWithCodeCache` asks Node's CommonJS loader to hand that one file to it when it is first
 * required (`require.extensions['.js']`, for that file only: a process that never uses the compiler
 * pays nothing), compiles it with `vm.Script` and the cache a previous process left, and runs it in the
 * module Node made for it, with the wrapper's usual `exports`, `require`, `module`, `__filename`,
 * `__dirname`. `save` re-creates the cache from the script *after* the
 * work (`script.createCachedData()`), so it also holds the functions compiled lazily during the run,
 * which a cache made when the file is compiled does not (V8: "Improved code caching",
 * https://v8.dev/blog/improved-code-caching, "creating the code cache after execution").
 *
 * The cache lives in `$XDG_CACHE_HOME/fleetwave/code-cache/` (`~/.cache/…` without it; folders it
 * creates are the user's alone, 0700: the cache is code the next process runs), one file per compiler
 * text, Node version, architecture and V8 flags, written whole or not at all. A cache V8
 * rejects (`script.cachedDataRejected`: another V8 or other flags) or that cannot be read falls back to
 * a plain compile and is written again; any failure of the cache itself only costs the speed-up.
 * `FLEETWAVE_COMPILE_CACHE=0` turns it off. On Node ≥ 22.1, `installCompilerCodeCache` also turns on
 * Node's own module compile cache (`module.enableCompileCache`) for the other modules.
 *
 * When the compiler is loaded, V8's tier-up budget for the process is raised first
 * (compiler-tiering.ts; `FLEETWAVE_COMPILER_TIERING=0` keeps V8's): V8 rejects a cache made under other
 * flags, so the flags are part of the cache's key.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { writeFileAtomicSync } from '../util/atomic-write.js';
import { applyCompilerTiering, compilerTieringFlags } from './compiler-tiering.js';

/**
 * - `disabled`: `FLEETWAVE_COMPILE_CACHE=0`;
 * - `unavailable`: the compiler is not a file of its own here (a bundle), was loaded already, or its
 *   cache could not be used at all (loaded the ordinary way);
 * - `waiting`: not required yet;
 * - `cold`: no cache yet, compiled plainly;
 * - `warm`: compiled from the cache;
 * - `rejected`: a cache was there but V8 rejected it or it could not be read; compiled plainly.
 */
export type CodeCacheState = 'disabled' | 'unavailable' | 'waiting' | 'cold' | 'warm' | 'rejected';

export interface CompilerCodeCache {
  /** Where it stands now (`waiting` until the compiler is first required). */
  readonly state: CodeCacheState;
  /** The compiler's file (absent when disabled or not found). */
  readonly compiler?: string;
  /** The V8 flags set when the compiler was loaded (compiler-tiering.ts), if any. */
  readonly tiering: string | undefined;
  /**
   * Writes the compiler's code cache as it is now (with the functions compiled so far) when there was
   * none, it was rejected, or it now holds at least 10% more than what was loaded. True when written.
   * Never throws.
   */
  save(): boolean;
}

export interface CodeCacheOptions {
  /** The environment to read `FLEETWAVE_COMPILE_CACHE`, `XDG_CACHE_HOME` and `HOME` from. */
  env?: NodeJS.ProcessEnv;
}

/** Grows by at least this share before a warm cache is written again. */
const REWRITE_GROWTH = 1.1;
/** Cache files of other compilers or Node versions not used for this long are removed when one is written. */
const STALE_MS = 30 * 24 * 3600 * 1000;
const PREFIX = 'typescript-';
const SUFFIX = '.v8cache';

/** The folder the cache files live in. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'fleetwave', 'code-cache');
}

/** The `typescript.js` ts-morph loads: what `require('./typescript')` in `@ts-morph/common` resolves to. */
function compilerFile(): string | undefined {
  try {
    const fromHere = nodeModule.createRequire(import.meta.url);
    const common = nodeModule.createRequire(fromHere.resolve('ts-morph')).resolve('@ts-morph/common');
    return nodeModule.createRequire(common).resolve('./typescript');
  } catch {
    return undefined;
  }
}

/** What V8's cache depends on besides the text: the Node (V8) version, the architecture, the flags. */
function runtimeKey(env: NodeJS.ProcessEnv, tiering: string | undefined): string {
  return [process.version, process.arch, process.execArgv.join(' '), env.NODE_OPTIONS ?? '', tiering ?? ''].join('\0');
}

function pruneStale(dir: string, keep: string): void {
  try {
    const now = Date.now();
    for (const name of readdirSync(dir)) {
      if (!name.startsWith(PREFIX) || !name.endsWith(SUFFIX) || join(dir, name) === keep) continue;
      if (now - statSync(join(dir, name)).mtimeMs > STALE_MS) rmSync(join(dir, name), { force: true });
    }
  } catch {
    // only housekeeping
  }
}

/** The compiled compiler and what its cache file holds. */
interface Compiled {
  script: Script;
  state: 'cold' | 'warm' | 'rejected';
  file: string;
  loadedBytes: number;
}

/** Compiles the compiler's text with the cache of `dir`; undefined when `vm` cannot compile it. */
function compile(filename: string, source: string, env: NodeJS.ProcessEnv, tiering: string | undefined): Compiled | undefined {
  const key = createHash('sha256').update(source).update('\0').update(runtimeKey(env, tiering)).digest('hex').slice(0, 24);
  const file = join(codeCacheDir(env), `${PREFIX}${key}${SUFFIX}`);
  let cached: Buffer | undefined;
  let unreadable = false;
  try {
    cached = readFileSync(file);
  } catch (err) {
    unreadable = (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
  // The CommonJS wrapper Node puts around a module, on the file's first line (positions stay right).
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
  try {
    const script = new Script(wrapped, { filename, ...(cached ? { cachedData: cached } : {}) });
    const state = cached ? (script.cachedDataRejected ? 'rejected' : 'warm') : unreadable ? 'rejected' : 'cold';
    return { script, state, file, loadedBytes: state === 'warm' ? (cached?.length ?? 0) : 0 };
  } catch {
    return undefined;
  }
}

/**
 * Loads the compiler ts-morph uses through the code cache when it is first required (see the file's
 * comment). Call it before anything imports ts-morph; `save()` once the work is done.
 */
export function loadCompilerWithCodeCache(options: CodeCacheOptions = {}): CompilerCodeCache {
  const env = options.env ?? process.env;
  const cacheOn = env.FLEETWAVE_COMPILE_CACHE !== '0';
  const tieringFlags = compilerTieringFlags(env);
  if (!cacheOn && !tieringFlags) return { state: 'disabled', tiering: undefined, save: () => false };
  const filename = compilerFile();
  const requireHere = nodeModule.createRequire(import.meta.url);
  if (!filename || requireHere.cache[filename]) {
    return {
      state: cacheOn ? 'unavailable' : 'disabled',
      tiering: undefined,
      ...(filename ? { compiler: filename } : {}),
      save: () => false,
    };
  }
  let state: CodeCacheState = cacheOn ? 'waiting' : 'disabled';
  let tiering: string | undefined;
  let handled = false;
  let compiled: Compiled | undefined;
  // `require.extensions` is deprecated for new loaders but is still how Node's CommonJS loader picks
  // the function that compiles a `.js` file (https://nodejs.org/api/modules.html#requireextensions).
  const extensions = requireHere.extensions;
  const previous = extensions['.js']!;
  const load = function (this: unknown, mod: NodeJS.Module, file: string): unknown {
    if (file !== filename || handled) return previous.call(this, mod, file);
    handled = true;
    if (extensions['.js'] === load) extensions['.js'] = previous;
    if (tieringFlags) {
      applyCompilerTiering(tieringFlags);
      tiering = tieringFlags;
    }
    if (!cacheOn) return previous.call(this, mod, file);
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
      compiled = compile(file, source, env, tiering);
    } catch {
      compiled = undefined;
    }
    if (!compiled) {
      state = 'unavailable';
      return previous.call(this, mod, file);
    }
    state = compiled.state;
    const run = compiled.script.runInThisContext() as (...args: unknown[]) => void;
    run.call(mod.exports, mod.exports, nodeModule.createRequire(file), mod, file, dirname(file));
    return undefined;
  };
  extensions['.js'] = load;
  return {
    get state() {
      return state;
    },
    get tiering() {
      return tiering;
    },
    compiler: filename,
    save(): boolean {
      if (!compiled) return false;
      try {
        const data = compiled.script.createCachedData();
        if (compiled.loadedBytes && data.length < compiled.loadedBytes * REWRITE_GROWTH) return false;
        // The cache is code the next process runs: its folders are the user's alone.
        mkdirSync(dirname(compiled.file), { recursive: true, mode: 0o700 });
        writeFileAtomicSync(compiled.file, data);
        compiled.loadedBytes = data.length;
        pruneStale(dirname(compiled.file), compiled.file);
        return true;
      } catch {
        return false;
      }
    },
  };
}

/**
 * For a process entry point: the compiler through its code cache, saved when the process exits, and
 * on Node ≥ 22.1 Node's own compile cache for the other modules (in the same folder, unless
 * `NODE_COMPILE_CACHE` names one). Call it before anything imports ts-morph.
 */
export function installCompilerCodeCache(options: CodeCacheOptions = {}): CompilerCodeCache {
  const env = options.env ?? process.env;
  const cache = loadCompilerWithCodeCache({ env });
  if (env.FLEETWAVE_COMPILE_CACHE === '0') return cache;
  const enable = (nodeModule as { enableCompileCache?: (dir?: string) => unknown }).enableCompileCache;
  if (typeof enable === 'function' && !env.NODE_COMPILE_CACHE) {
    try {
      enable(join(codeCacheDir(env), 'node'));
    } catch {
      // Node's cache is an optimisation too
    }
  }
  if (cache.state === 'waiting') process.once('exit', () => cache.save());
  return cache;
}
