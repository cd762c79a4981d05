/**
 * The App's catalog lookups, one per installation, kept for CATALOG_TTL_MS. Without `BACKSTAGE_URL`
 * the catalog is the fleet's catalog-info.yaml files, one GitHub read per repository asked about (every
 * target's tier, every reverted repository's owner); a lookup made per reconcile would read them all
 * again on every webhook. Kept per installation, the files are read about once per TTL however many
 * events arrive; a catalog change reaches the rollout within the TTL. Failed reads are not kept (see
 * src/catalog/catalog.ts), so the next reconcile asks again.
 */
import type { CatalogLookup } from '../catalog/catalog.js';

/** How long an installation's catalog answers are reused. */
export const CATALOG_TTL_MS = 10 * 60_000;

export class InstallationCatalogs {
  private readonly lookups = new Map<number, { lookup: CatalogLookup; madeAt: number }>();

  constructor(private readonly nowMs: () => number) {}

  /** The installation's lookup, made with `make` when there is none younger than the TTL. */
  get(installationId: number, make: () => CatalogLookup): CatalogLookup {
    const now = this.nowMs();
    const kept = this.lookups.get(installationId);
    if (kept && now - kept.madeAt < CATALOG_TTL_MS) return kept.lookup;
    const lookup = make();
    this.lookups.set(installationId, { lookup, madeAt: now });
    return lookup;
  }
}
