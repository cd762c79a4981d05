/**
 * A migration's identity is its source: the manifest repository and the path of the manifest in it
 * (`acme/data-platform:.fleetwave/events.yaml`). The name (`metadata.name`) stays for people, for the
 * bot branch and for the store's records, and one source holds it: the first manifest that runs under a
 * name claims it in the store (src/store/port.ts MigrationClaim). A second manifest with the same name
 * is refused while the first is still there, so it can neither adopt the first one's pull requests nor
 * steer them with its own rollout settings (docs/security.md). A manifest that moved (the old file is
 * gone, or no longer declares the name) takes the claim over, and the pull requests its old source opened
 * stay the migration's.
 */
import { parse } from 'yaml';
import type { LoadedManifest } from '../manifest/types.js';
import type { MigrationClaim } from '../store/port.js';
import { InputError } from '../util/errors.js';
import type { Forge } from '../forge/port.js';
import type { Store } from '../store/port.js';
import type { Logger } from '../util/log.js';

/** What claiming needs of the engine's dependencies and a reconcile's options. */
export interface ClaimDeps {
  store: Store;
  forge: Forge;
  logger: Logger;
  now(): Date;
}
interface ClaimOptions {
  source?: string;
  manifestRepo?: string;
  installation?: number;
  dryRun?: boolean;
}

export interface MigrationIdentity {
  /** This manifest's source. */
  source: string;
  /** The sources whose pull requests are this migration's: this one and those the claim moved from. */
  accepted: ReadonlySet<string>;
}

/** A second manifest used a name another manifest holds. */
export class MigrationClaimedError extends InputError {
  constructor(
    readonly migration: string,
    readonly holder: string,
    message: string,
  ) {
    super(message);
  }
}

/** The manifest's source: the caller's (`options.source`), else its repository (or `local`) and its path. */
export function sourceOf(loaded: LoadedManifest, options: ClaimOptions): string {
  return options.source ?? `${options.manifestRepo ?? 'local'}:${loaded.path}`;
}

/** `owner/name` and path of a source, or null for a source outside any repository (`local:…`). */
export function sourceLocation(source: string): { repo: string; path: string } | null {
  const m = /^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+):(.+)$/.exec(source);
  return m ? { repo: m[1]!, path: m[2]! } : null;
}

/** How an error names a claim's holder to a manifest of another installation: not at all. */
export function describeHolder(claim: MigrationClaim, installation: number | null): string {
  if (claim.installation !== null && installation !== null && claim.installation !== installation) {
    return 'a manifest of another installation of this App';
  }
  return `the manifest ${claim.source}`;
}

/**
 * The claim that stops `source` from running as `migration`: another manifest's, when that manifest
 * is still there and still declares the name; null when the name is free, this source's, or its holder
 * is gone (then the claim can move). Reads the store and at most one file; writes nothing.
 */
export async function conflictingClaim(
  deps: ClaimDeps,
  migration: string,
  source: string,
  installation: number | null,
): Promise<MigrationClaim | null> {
  const held = await deps.store.migrationClaim(migration);
  if (!held || held.source === source) return null;
  return (await stillDeclares(deps, held, installation)) ? held : null;
}

/** The error for a manifest that reuses a name `held` by another. */
export function claimedError(held: MigrationClaim, source: string, installation: number | null): MigrationClaimedError {
  return new MigrationClaimedError(
    held.migration,
    held.source,
    `metadata.name "${held.migration}" is already the migration of ${describeHolder(held, installation)} (since ${held.claimedAt}); ` +
      `this manifest (${source}) is not run. Give it a name of its own, or remove the other manifest first: ` +
      'a migration is the manifest that first used its name (docs/security.md).',
  );
}

/**
 * Claims the migration's name for this manifest's source (a dry run only reads the claim) and answers
 * the identity the tick adopts pull requests by. Throws MigrationClaimedError, naming the holder, when
 * another manifest that still exists holds the name.
 */
export async function claimIdentity(deps: ClaimDeps, loaded: LoadedManifest, options: ClaimOptions): Promise<MigrationIdentity> {
  const migration = loaded.manifest.metadata.name;
  const source = sourceOf(loaded, options);
  const installation = options.installation ?? null;
  const at = deps.now().toISOString();
  const held = options.dryRun
    ? await deps.store.migrationClaim(migration)
    : await deps.store.claimMigration({ migration, source, installation, at });
  if (!held || held.source === source) return { source, accepted: new Set([source, ...(held?.previousSources ?? [])]) };
  if (await stillDeclares(deps, held, installation)) throw claimedError(held, source, installation);
  const moved = options.dryRun
    ? { ...held, source, previousSources: [...held.previousSources, held.source] }
    : await deps.store.transferMigration(migration, { source, installation, at });
  deps.logger.info(
    { migration, from: held.source, to: source },
    'the manifest holding this migration is gone: its claim moves to this one',
  );
  return { source, accepted: new Set([source, ...moved.previousSources]) };
}

/**
 * Whether the claim's manifest is still where it was and still declares the name. A manifest outside
 * any repository, or in another installation, cannot be looked at from here: it counts as still there.
 */
async function stillDeclares(deps: ClaimDeps, held: MigrationClaim, installation: number | null): Promise<boolean> {
  const where = sourceLocation(held.source);
  if (!where || (held.installation !== null && held.installation !== installation)) return true;
  const text = await deps.forge.readFile(where.repo, where.path);
  if (text === null) return false;
  try {
    const doc = parse(text) as { metadata?: { name?: unknown } } | null;
    return doc?.metadata?.name === held.migration;
  } catch {
    return false;
  }
}
