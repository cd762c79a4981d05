/**
 * Waves: canaries first and alone (wave 0), then cumulative waves over the rest of the fleet.
 * `waves: [1, 10%, 50%, 100%]` means "after wave 1, one target in all (canaries included) has been
 * rolled out; after wave 2, 10% of the fleet; …". A size that adds nobody is dropped; targets left
 * after the last listed size form a final wave, so no target is ever left without one.
 */
import type { RolloutSpec } from '../manifest/types.js';

export interface WaveAssignment {
  /** Wave index per repo, in the order given. */
  waveOf: Map<string, number>;
  /** Number of targets in each wave; index 0 is the canary wave (possibly empty). */
  sizes: number[];
}

/** Cumulative count after a wave of `size` over a fleet of `total`. */
export function cumulativeCount(size: number | string, total: number): number {
  if (typeof size === 'number') return Math.min(size, total);
  const pct = Number(size.replace('%', '')) / 100;
  return Math.min(total, Math.ceil(pct * total - 1e-9));
}

/**
 * Assign waves to `ordered` targets (already in rollout order, canaries decided by `canaries`).
 * Pure and deterministic: the same targets and spec always give the same waves.
 */
export function assignWaves(ordered: readonly string[], canaries: readonly string[], spec: Pick<RolloutSpec, 'waves'>): WaveAssignment {
  const total = ordered.length;
  const canarySet = new Set(canaries);
  const rest = ordered.filter((r) => !canarySet.has(r));
  const waveOf = new Map<string, number>();
  const sizes: number[] = [canaries.length];
  for (const c of canaries) waveOf.set(c, 0);
  let done = canaries.length;
  let restIndex = 0;
  const cumulative = [...spec.waves.map((w) => cumulativeCount(w, total)), total];
  for (const target of cumulative) {
    const add = Math.max(0, target - done);
    if (add === 0) continue;
    const wave = sizes.length;
    for (const repo of rest.slice(restIndex, restIndex + add)) waveOf.set(repo, wave);
    restIndex += add;
    done += add;
    sizes.push(add);
  }
  return { waveOf, sizes };
}

/**
 * The rollout order: canaries first (named ones in the manifest's order), then the rest by risk
 * (lowest first: critical tiers land in the last waves), then by name. With a canary count, the
 * lowest-risk targets are the canaries (reconcile narrows them further to targets whose default
 * branch is green, and passes them by name).
 */
export function rolloutOrder(
  repos: readonly string[],
  canary: RolloutSpec['canary'],
  risk: (repo: string) => number = () => 0,
): { ordered: string[]; canaries: string[] } {
  const byRisk = [...repos].sort((a, b) => risk(a) - risk(b) || (a < b ? -1 : a > b ? 1 : 0));
  const canaries = Array.isArray(canary) ? canary.filter((c) => repos.includes(c)) : byRisk.slice(0, Math.min(canary, byRisk.length));
  const canarySet = new Set(canaries);
  const ordered = [...canaries, ...byRisk.filter((r) => !canarySet.has(r))];
  return { ordered, canaries };
}
