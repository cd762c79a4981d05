/**
 * When a backfill partition is done (issue 15: the done markers moved into the store). A partition's
 * done marker is the commit of its published output, `<target>/<partition>/_fleetwave/commit.json`
 * (../publish/commit.ts), written last by the conversion that published it: the partition is done
 * when that commit is for the same source objects (keys, sizes, etags), the same conversion spec and
 * the same manifest. Change any (new or rewritten source objects, another transform, another
 * manifest) and it is redone; a partition whose verification fails is un-published (../backfill/run.ts).
 */
import { createHash } from 'node:crypto';
import type { CommitRecord } from '../publish/commit.js';

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

/** Is the partition done: its commit for this source (fingerprint), conversion spec and manifest? */
export function isDone(commit: CommitRecord | undefined, source: string, spec: string, manifestHash: string | null): boolean {
  return commit !== undefined && commit.source.fingerprint === source && commit.spec === spec && commit.manifestHash === manifestHash;
}
