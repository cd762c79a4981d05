/**
 * Metrics computed from the store when Prometheus scrapes: migrations by state, targets by state, PR
 * open-to-merge durations, consumers and references left. Nothing is kept in memory between scrapes,
 * so every replica serving the same store answers the same.
 */
import { Gauge, Histogram, Registry } from 'prom-client';
import type { MigrationSummary } from '../rollout/model.js';
import type { Store } from '../store/port.js';
import { computeBurndown } from '../report/burndown.js';
import { openToMergeDurations } from '../report/dashboard-pr-durations.js';

function summaryOf(value: unknown): MigrationSummary | null {
  const s = value as Partial<MigrationSummary> | null;
  return s && typeof s === 'object' && Array.isArray(s.targets) && s.counts ? (s as MigrationSummary) : null;
}

/** A registry whose metrics read `store` on every scrape. */
export function storeMetricsRegistry(store: Store, now: () => Date = () => new Date()): Registry {
  const registry = new Registry();
  new Gauge({
    name: 'fleetwave_migrations',
    help: 'Migrations in the store by the state of their newest run.',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const state of ['running', 'paused', 'completed', 'failed']) this.set({ state }, 0);
      for (const run of store.migrations()) this.inc({ state: summaryOf(run.summary)?.state ?? run.state ?? 'running' });
    },
  });
  new Gauge({
    name: 'fleetwave_targets',
    help: "Targets of each migration by state, as of the migration's newest run.",
    labelNames: ['migration', 'state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const run of store.migrations()) {
        const s = summaryOf(run.summary);
        if (!s) continue;
        for (const [state, n] of Object.entries(s.counts)) this.set({ migration: s.migration, state }, n);
      }
    },
  });
  const burndown = (migration: string, summary: MigrationSummary | null, startedAt: string, asOf: string) =>
    computeBurndown({ summary, events: store.events({ migration }), startedAt, asOf });
  new Gauge({
    name: 'fleetwave_consumers_remaining',
    help: 'Consumers still on the old dataset (merged, or rescanned with no reference left, count as migrated).',
    labelNames: ['migration'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const run of store.migrations()) {
        const first = store.runs({ migration: run.migration }).at(-1) ?? run;
        this.set({ migration: run.migration }, burndown(run.migration, summaryOf(run.summary), first.startedAt, run.finishedAt ?? now().toISOString()).remaining);
      }
    },
  });
  new Gauge({
    name: 'fleetwave_references_remaining',
    help: "References to the old dataset left in rescanned consumers (only migrations with a journaled rescan).",
    labelNames: ['migration'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const run of store.migrations()) {
        const b = burndown(run.migration, summaryOf(run.summary), run.startedAt, run.finishedAt ?? now().toISOString());
        if (b.references) this.set({ migration: run.migration }, b.references.remaining);
      }
    },
  });
  new Histogram({
    name: 'fleetwave_pr_open_to_merge_seconds',
    help: 'Time from opening a pull request to merging it, from the journal.',
    labelNames: ['migration'] as const,
    buckets: [60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 86_400, 3 * 86_400, 7 * 86_400],
    registers: [registry],
    collect() {
      this.reset();
      for (const d of openToMergeDurations(store.events())) this.observe({ migration: d.migration }, d.seconds);
    },
  });
  return registry;
}
