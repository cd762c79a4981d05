/**
 * Wiring for the embedded default: the local forge over a fleet folder, the store `--state` names
 * (SQLite by default, src/composition/open-store.ts) and a pino
 * logger, handed to the engine's composition root (src/composition/engine-deps.ts) for the rest.
 * Entry points call this and then one use case.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { engineDeps } from '../composition/engine-deps.js';
import { openStore, stateLocation } from '../composition/open-store.js';
import { crashAt, parseCrashSpec, withCrashInjection } from '../forge/crash-injection.js';
import { openLocalFleet } from '../forge/local/index.js';
import type { Forge } from '../forge/port.js';
import type { JobQueue } from '../queue/port.js';
import type { ReconcileDeps, ReconcileOptions } from '../rollout/reconcile.js';
import type { ChangeFanOut } from '../rollout/tick.js';
import type { ChangeApplier } from '../codemod/port.js';
import type { Store } from '../store/port.js';
import { createLogger, type Logger } from '../util/log.js';
import { packageRoot } from '../version.js';

export interface LocalContext {
  deps: ReconcileDeps;
  forge: Forge;
  store: Store;
  logger: Logger;
  close(): void;
}

export async function openLocalContext(options: {
  fleet: string;
  state: string;
  logLevel?: string;
  checkEnv?: Record<string, string>;
  /** Where the manifest's relative dataset URIs live, for the dataset gate (`--lake`; default FLEETWAVE_LAKE). */
  lake?: string;
  /** The store `state` names, already open (a worker's, shared by its jobs): used, and left open by close. */
  store?: Store;
  logger?: Logger;
  /** The job queue the run is a job of (a worker's): the run's alert deliveries become its jobs. */
  queue?: JobQueue;
  /** A worker's fan-out of change sets to jobs (src/rollout/change-cache.ts); absent: computed in the tick. */
  changeFanOut?: ChangeFanOut;
  /** The change applier (default: the engine's, engineDeps). */
  changes?: ChangeApplier;
}): Promise<LocalContext> {
  const logger = options.logger ?? createLogger({ level: options.logLevel ?? process.env.LOG_LEVEL ?? 'warn' });
  const local = await openLocalFleet(resolve(options.fleet), {
    logger,
    checkEnv: options.checkEnv,
    toolchainNodeModules: toolchainNodeModules(),
  });
  const crash = parseCrashSpec(process.env.FLEETWAVE_CRASH_AT);
  const forge: Forge = crash ? withCrashInjection(local, crashAt(crash)) : local;
  const store = options.store ?? (await openStore(options.state));
  // Beside the store file; with a database, in .fleetwave/ of the current folder.
  const stateDir = stateLocation(options.state).kind === 'postgres' ? resolve('.fleetwave') : dirname(resolve(options.state));
  return {
    deps: {
      ...engineDeps({
        forge,
        store,
        logger,
        env: process.env,
        dataRoot: options.lake ? resolve(options.lake) : undefined,
        agent: {
          cacheDir: join(stateDir, 'agent-cache'),
          nodeModules: toolchainNodeModules(),
          verifierEnv: options.checkEnv,
        },
        ...(options.queue ? { queue: options.queue } : {}),
        ...(options.changes ? { changes: options.changes } : {}),
      }),
      ...(options.changeFanOut ? { changeFanOut: options.changeFanOut } : {}),
    },
    forge,
    store,
    logger,
    close: async () => (options.store ? undefined : await store.close()),
  };
}

/**
 * Fleetwave's own node_modules: the local forge links it into each check's working copy, standing in
 * for `npm ci` from a warm cache (TypeScript, avsc and hyparquet are there for the consumers' tests).
 */
export function toolchainNodeModules(): string {
  return join(packageRoot(), 'node_modules');
}

/**
 * When the manifest file sits in a clone of a fleet repository (or `given` names it), that repository
 * holds the manifest: it is left out of the targets, custom codemods load from it, and the migration's
 * source (its identity, src/rollout/identity.ts) is that repository and the manifest's path in it.
 * Outside any git work tree, the manifest's folder stands for the manifest repository.
 */
export function detectManifestRepo(
  manifestPath: string,
  fleet: string,
  given?: string,
): Pick<ReconcileOptions, 'manifestRepo' | 'manifestDir' | 'source'> {
  const dir = dirname(resolve(manifestPath));
  const top = gitOutput(dir, ['rev-parse', '--show-toplevel']);
  if (top === null) {
    // Not in a git work tree: the manifest's folder holds what it names (prompts, codemods), as for `fleetwave codemod`.
    return given
      ? { manifestRepo: given, manifestDir: dir, source: `${given}:${manifestPath}` }
      : { manifestDir: dir, source: `local:${resolve(manifestPath)}` };
  }
  // A work tree without an `origin` (a repository not cloned from the fleet) still holds what the manifest names.
  const origin = gitOutput(top, ['remote', 'get-url', 'origin']);
  const rel = origin === null ? null : relative(resolve(fleet), resolve(top, origin)).split(sep).join('/');
  const m = rel === null ? null : /^([^./][^/]*)\/([^/]+?)(\.git)?$/.exec(rel);
  const inRepo = relative(top, resolve(manifestPath)).split(sep).join('/');
  // The migration's identity (src/rollout/identity.ts): the fleet repository and the manifest's path in it.
  const repo = given ?? (m ? `${m[1]}/${m[2]}` : undefined);
  return repo
    ? { manifestRepo: repo, manifestDir: top, source: `${repo}:${inRepo}` }
    : { manifestDir: top, source: `local:${resolve(manifestPath)}` };
}

/** What `git -C dir <args>` prints (trimmed), or null when it fails (not a work tree, no such remote). */
function gitOutput(dir: string, args: string[]): string | null {
  try {
    return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}
