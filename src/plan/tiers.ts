/**
 * Tiers: how much is at stake in a target. The manifest's `rollout.tiers` (repository globs) wins,
 * then the catalog's tier (`fleetwave.io/tier`, else `spec.lifecycle`) when `rollout.tierOrder` lists
 * it; any other target has `rollout.defaultTier`. The risk of a tier is its place in `tierOrder`
 * (lowest first; a manifest tier the order does not list ranks last): it orders the waves (critical
 * targets last) and picks the canaries.
 */
import picomatch from 'picomatch';
import type { RolloutSpec } from '../manifest/types.js';

export type TierSpec = Pick<RolloutSpec, 'tiers' | 'tierOrder' | 'defaultTier' | 'requireApprovalFor'>;

export interface TierResolver {
  /** The tier named for `repo` by the manifest's globs (first listed tier that matches), or null. */
  manifestTier(repo: string): string | null;
  /** The tier the rollout uses, from the manifest's tier, else the catalog's. */
  effectiveTier(repo: string, catalogTier: string | null): string;
  /** The place of a tier in `tierOrder`; a tier not listed ranks after every listed one. */
  risk(tier: string): number;
  /** Whether a tier's targets merge only after an approval. */
  needsApproval(tier: string): boolean;
}

export function tierResolver(spec: TierSpec): TierResolver {
  const matchers = Object.entries(spec.tiers ?? {}).map(([tier, globs]) => ({ tier, match: picomatch(globs) }));
  const order = new Map(spec.tierOrder.map((t, i) => [t, i]));
  const approval = new Set(spec.requireApprovalFor);
  return {
    manifestTier: (repo) => matchers.find((m) => m.match(repo))?.tier ?? null,
    effectiveTier(repo, catalogTier) {
      const named = this.manifestTier(repo);
      if (named !== null) return named;
      return catalogTier !== null && order.has(catalogTier) ? catalogTier : spec.defaultTier;
    },
    risk: (tier) => order.get(tier) ?? order.size,
    needsApproval: (tier) => approval.has(tier),
  };
}
