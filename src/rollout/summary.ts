/** The migration summary every entry point renders (CLI `--json`, tracking issue, dashboard), from one tick's decision and observation. */
import { splitTarget } from '../plan/workspaces.js';
import type { LoadedManifest } from '../manifest/types.js';
import type { Store } from '../store/port.js';
import { scheduleState } from '../util/work-schedule.js';
import type { Decision } from './decide.js';
import type { AgentCounts, MigrationSummary, TargetState, TargetSummary } from './model.js';
import type { Observation } from './observe.js';
import { policyOf } from './policy.js';
import { oldDatasetStatus } from '../report/old-dataset.js';
import type { ReconcileOptions } from './tick.js';

/** The summary every entry point renders, from one decision. */
export function summarize(
  loaded: LoadedManifest,
  options: ReconcileOptions,
  store: Store,
  decision: Decision,
  observation: Observation,
  now: Date,
): MigrationSummary {
  const views = new Map(observation.views.map((v) => [v.repo, v]));
  const schedule = policyOf(loaded).schedule;
  const targets: TargetSummary[] = decision.targets.map((d) => {
    const v = views.get(d.repo)!;
    const window = (): TargetSummary['window'] => {
      if (!schedule || (d.state !== 'planned' && d.state !== 'open')) return undefined;
      const timezone = v.timezone ?? schedule.timezone;
      const s = scheduleState(schedule, now.getTime(), timezone);
      const at = s.open ? s.closesAt : s.opensAt;
      return { open: s.open, until: at === null ? null : new Date(at).toISOString(), timezone };
    };
    const scheduled = window();
    const reviewers = observation.reviewers.get(d.repo);
    const nudge = v.pr?.state === 'open' ? observation.nudges.get(d.repo) : undefined;
    const { folder } = splitTarget(d.repo);
    return {
      ...(folder !== null ? { workspace: folder } : {}),
      ...(nudge ? { stuck: { since: nudge.since, nudgedAt: nudge.at, mentioned: nudge.mentioned } } : {}),
      ...(reviewers ? { reviewers } : {}),
      ...(scheduled ? { window: scheduled } : {}),
      repo: d.repo,
      wave: d.wave,
      state: d.state,
      pr: v.pr?.url ?? null,
      prNumber: v.pr?.number ?? null,
      reason: d.reason,
      needsHuman: d.needsHuman,
      checks: v.pr ? v.pr.checks.state : null,
      findings: observation.findings.get(d.repo) ?? [],
      ...(v.agentWritten ? { agentWritten: true } : {}),
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
  const agent = agentCounts(observation);
  if (agent) summary.agent = agent;
  summary.oldDataset = oldDatasetStatus(targets, observation.oldDataset, loaded.manifest.metadata.sunset, now);
  return summary;
}

/** The agent rule's pull requests and runs, counted apart; undefined when it did nothing. */
function agentCounts(observation: Observation): AgentCounts | undefined {
  const counts: AgentCounts = { opened: 0, merged: 0, passedVerifiers: 0, vetoed: 0, failed: 0 };
  for (const v of observation.views) {
    if (!v.agentWritten) continue;
    counts.opened++;
    // An agent's change is opened only once its verifiers passed; an annotate-only PR comes after it failed.
    if (v.annotationOnly) counts.failed++;
    else counts.passedVerifiers++;
    if (v.pr?.state === 'merged') counts.merged++;
  }
  for (const status of (observation.agent ?? new Map()).values()) {
    if (status === 'passed') counts.passedVerifiers++;
    else if (status === 'vetoed') counts.vetoed++;
    else counts.failed++;
  }
  return Object.values(counts).some((n) => n > 0) ? counts : undefined;
}
