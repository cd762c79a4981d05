/**
 * Names and markers: how Fleetwave recognises its own branches and pull requests on any forge, so
 * that every reconcile can rebuild the state from the forge alone.
 */
import { createHash } from 'node:crypto';

export interface PrMarker {
  migration: string;
  manifestHash: string;
  /** The manifest's source (src/rollout/identity.ts); markers written before there were sources have none. */
  source?: string;
  /** An agent wrote the change (the `agent` rule): people review and merge it, Fleetwave never does. */
  agent?: true;
  /** The agent did not pass and `fallback: annotate` asked for comments above the blocking reads instead. */
  annotate?: true;
  /** The PR's change (`changesHash` of its edits): a changed manifest that makes the same change only refreshes the body. */
  changes?: string;
}

/** A short hash of a change set's edits (each file's path and new content, in path order). */
export function changesHash(edits: readonly { path: string; after: string | null }[]): string {
  const h = createHash('sha256');
  for (const e of [...edits].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)))
    h.update(`${e.path}\0${e.after === null ? 'deleted' : `${e.after.length}\0${e.after}`}\0`);
  return h.digest('hex').slice(0, 16);
}

const MARKER_RE = /<!--\s*fleetwave:(\{[^\n]*?\})\s*-->/;

/**
 * The deterministic branch of a migration in every consumer repository: `fleetwave/<migration>`, and
 * for a workspace of a monorepo (src/plan/workspaces.ts) `fleetwave/<migration>.ws/<folder>`. A
 * migration's name has no `.`, so a workspace branch never sits where a ref of another migration's
 * branch would have to be a folder (git refuses `a/b` beside `a/b/c`).
 */
export function branchName(migration: string, folder: string | null = null): string {
  return folder === null ? `fleetwave/${migration}` : `fleetwave/${migration}.ws/${folder}`;
}

/** The migration a bot branch belongs to (a workspace's branch too), or null for any other branch. */
export function migrationOfBranch(branch: string): string | null {
  const m = /^(?:refs\/heads\/)?fleetwave\/([a-z0-9][a-z0-9-]*)(?:\.ws\/[^\s]+)?$/.exec(branch);
  return m ? m[1]! : null;
}

/** The hidden marker carried by every PR body. */
export function renderMarker(marker: PrMarker): string {
  const fields = {
    migration: marker.migration,
    manifestHash: marker.manifestHash,
    ...(marker.source ? { source: marker.source } : {}),
    ...(marker.agent ? { agent: true } : {}),
    ...(marker.annotate ? { annotate: true } : {}),
    ...(marker.changes ? { changes: marker.changes } : {}),
  };
  return `<!-- fleetwave:${JSON.stringify(fields)} -->`;
}

export function parseMarker(body: string | null | undefined): PrMarker | null {
  if (!body) return null;
  const m = MARKER_RE.exec(body);
  if (!m) return null;
  try {
    const value = JSON.parse(m[1]!) as Partial<PrMarker>;
    if (typeof value.migration === 'string' && typeof value.manifestHash === 'string') {
      return {
        migration: value.migration,
        manifestHash: value.manifestHash,
        ...(typeof value.source === 'string' ? { source: value.source } : {}),
        ...(value.agent === true ? { agent: true as const } : {}),
        ...(value.annotate === true ? { annotate: true as const } : {}),
        ...(typeof value.changes === 'string' ? { changes: value.changes } : {}),
      };
    }
  } catch {
    // a malformed marker is no marker
  }
  return null;
}

/**
 * Whether a pull request's marker makes it this migration's: its name, and a source the migration
 * accepts (src/rollout/identity.ts). A marker of the same name from another manifest is not adopted,
 * nor is one without a source (written before sources were recorded, it cannot say whose it is).
 */
export function isOurs(marker: PrMarker | null, migration: string, accepted: ReadonlySet<string>): boolean {
  return marker !== null && marker.migration === migration && marker.source !== undefined && accepted.has(marker.source);
}
