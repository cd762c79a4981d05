/** The migration summary every entry point renders (CLI `--json`, tracking issue, dashboard), from one tick's decision and observation. */
import type { LoadedManifest } from '../manifest/types.js';
import type { Store } from '../store/port.js';
import type { Decision } from './decide.js';
import type { MigrationSummary, TargetState, TargetSummary } from './model.js';
import type { Observation } from './observe.js';
import type { ReconcileOptions } from './tick.js';

/** The summary every entry point renders, from one decision. */
export function summarize(
  loaded: LoadedManifest,
  options: ReconcileOptions,
  store: Store,
  decision: Decision,
  observation: Observation,
): MigrationSummary {
  const views = new Map(observation.views.map((v) => [v.repo, v]));
  const targets: TargetSummary[] = decision.targets.map((d) => {
    const v = views.get(d.repo)!;
    return {
      repo: d.repo,
      wave: d.wave,
      state: d.state,
      pr: v.pr?.url ?? null,
      prNumber: v.pr?.number ?? null,
      reason: d.reason,
      needsHuman: d.needsHuman,
      checks: v.pr ? v.pr.checks.state : null,
      findings: observation.findings.get(d.repo) ?? [],
    };
  });
  const counts = { planned: 0, blocked: 0, open: 0, merged: 0, failed: 0, reverted: 0, skipped: 0 } as Record<TargetState, number>;
  for (const t of targets) counts[t.state]++;
  const summary: MigrationSummary = {
    migration: loaded.manifest.metadata.name,
    state: decision.state,
    reason: decision.reason,
    manifest: loaded.path,
    manifestHash: loaded.hash,
    fleet: options.fleet,
    store: store.location,
    waves: decision.waves,
    targets,
    counts,
    waitingUntil: decision.waitingUntil,
  };
  if (observation.searchIncomplete.length > 0) summary.searchIncomplete = observation.searchIncomplete;
  if (decision.dataset) summary.dataset = decision.dataset;
  return summary;
}
