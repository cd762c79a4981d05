/**
 * Metrics computed from the store when Prometheus scrapes: migrations by state, targets by state, PR
 * open-to-merge durations, consumers and references left. Nothing is kept between scrapes, so every
 * replica reading the same store answers the same; within one scrape the store is read once.
 */
import { Gauge, Histogram, Registry } from 'prom-client';
import { computeBurndown, type Burndown } from '../report/burndown.js';
import { openToMergeDurations, type PrDuration } from '../report/dashboard-pr-durations.js';
import type { MigrationSummary } from '../rollout/model.js';
import type { RunRecord, Store } from '../store/port.js';

function summaryOf(value: unknown): MigrationSummary | null {
  const s = value as Partial<MigrationSummary> | null;
  return s && typeof s === 'object' && Array.isArray(s.targets) && s.counts ? (s as MigrationSummary) : null;
}

const DATASET_GATE_STATES = ['verified', 'missing', 'stale', 'unreadable', 'failed', 'skipped', 'unchecked'] as const;

interface Snapshot {
  migrations: { run: RunRecord; summary: MigrationSummary | null; burndown: Burndown }[];
  durations: PrDuration[];
  /** `verify` events (the demo, the Action's verify mode) and rows of `convert` events. */
  verifications: { migration: string; pass: boolean }[];
  rowsConverted: Map<string, number>;
}

/** A registry whose metrics read `store` on every scrape. */
export function storeMetricsRegistry(store: Store, now: () => Date = () => new Date()): Registry {
  // One read of the store per scrape: the registry starts every metric's collect in the same turn of
  // the event loop, so they all share the read started by the first; it is dropped once it settled.
  let current: Promise<Snapshot> | null = null;
  const snapshot = (): Promise<Snapshot> => {
    if (!current) {
      const reading = read();
      current = reading;
      const drop = () => setImmediate(() => (current = current === reading ? null : current));
      reading.then(drop, drop);
    }
    return current;
  };
  const read = async (): Promise<Snapshot> => {
    const events = await store.events();
    const byMigration = new Map<string, typeof events>();
    for (const e of events) {
      const list = byMigration.get(e.migration);
      if (list) list.push(e);
      else byMigration.set(e.migration, [e]);
    }
    const migrations = await Promise.all(
      (await store.migrations()).map(async (run) => {
        const summary = summaryOf(run.summary);
        const first = (await store.runs({ migration: run.migration })).at(-1) ?? run;
        const burndown = computeBurndown({
          summary,
          events: byMigration.get(run.migration) ?? [],
          startedAt: first.startedAt,
          asOf: run.finishedAt ?? now().toISOString(),
        });
        return { run, summary, burndown };
      }),
    );
    const verifications: Snapshot['verifications'] = [];
    const rowsConverted = new Map<string, number>();
    for (const e of events) {
      if (e.outcome !== 'ok') continue;
      if (e.action === 'verify') verifications.push({ migration: e.migration, pass: e.detail.pass === true });
      if (e.action === 'convert' && typeof e.detail.rows === 'number')
        rowsConverted.set(e.migration, (rowsConverted.get(e.migration) ?? 0) + e.detail.rows);
    }
    return { migrations, durations: openToMergeDurations(events), verifications, rowsConverted };
  };

  const registry = new Registry();
  new Gauge({
    name: 'fleetwave_migrations',
    help: 'Migrations in the store by the state of their newest run.',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const state of ['running', 'paused', 'completed', 'failed']) this.set({ state }, 0);
      for (const m of (await snapshot()).migrations) this.inc({ state: m.summary?.state ?? m.run.state ?? 'running' });
    },
  });
  new Gauge({
    name: 'fleetwave_targets',
    help: "Targets of each migration by state, as of the migration's newest run.",
    labelNames: ['migration', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const { summary } of (await snapshot()).migrations) {
        if (summary) for (const [state, n] of Object.entries(summary.counts)) this.set({ migration: summary.migration, state }, n);
      }
    },
  });
  new Gauge({
    name: 'fleetwave_agent_pull_requests',
    help: "The agent rule's work in each migration as of its newest run, counted apart from the rules': draft PRs opened and merged (by people), runs that passed the verifiers, were vetoed by the judge, or failed.",
    labelNames: ['migration', 'outcome'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const { summary } of (await snapshot()).migrations) {
        if (!summary?.agent) continue;
        const a = summary.agent;
        const outcomes = { opened: a.opened, merged: a.merged, passed_verifiers: a.passedVerifiers, vetoed: a.vetoed, failed: a.failed };
        for (const [outcome, n] of Object.entries(outcomes)) this.set({ migration: summary.migration, outcome }, n);
      }
    },
  });
  new Gauge({
    name: 'fleetwave_dataset_gate',
    help: "The dataset gate of each migration as of its newest run: 1 for its state (verified, missing, stale, unreadable, failed, skipped, unchecked), 0 for the others; the reason is in the run's summary.",
    labelNames: ['migration', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const { summary } of (await snapshot()).migrations) {
        if (!summary?.dataset) continue;
        for (const state of DATASET_GATE_STATES) this.set({ migration: summary.migration, state }, summary.dataset.state === state ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'fleetwave_consumers_remaining',
    help: 'Consumers still on the old dataset (merged, or rescanned with no reference left, count as migrated).',
    labelNames: ['migration'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const m of (await snapshot()).migrations) this.set({ migration: m.run.migration }, m.burndown.remaining);
    },
  });
  new Gauge({
    name: 'fleetwave_references_remaining',
    help: 'References to the old dataset left in rescanned consumers (only migrations with a journaled rescan).',
    labelNames: ['migration'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const m of (await snapshot()).migrations)
        if (m.burndown.references) this.set({ migration: m.run.migration }, m.burndown.references.remaining);
    },
  });
  new Gauge({
    name: 'fleetwave_journal_verifications',
    help: 'Dataset verifications (old vs new) journalled per migration, by result (pass, fail).',
    labelNames: ['migration', 'result'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const v of (await snapshot()).verifications) this.inc({ migration: v.migration, result: v.pass ? 'pass' : 'fail' });
    },
  });
  new Gauge({
    name: 'fleetwave_journal_rows_converted',
    help: 'Rows converted to the new dataset, journalled per migration.',
    labelNames: ['migration'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const [migration, rows] of (await snapshot()).rowsConverted) this.set({ migration }, rows);
    },
  });
  new Histogram({
    name: 'fleetwave_pr_open_to_merge_seconds',
    help: 'Time from opening a pull request to merging it, from the journal.',
    labelNames: ['migration'] as const,
    buckets: [60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 86_400, 3 * 86_400, 7 * 86_400],
    registers: [registry],
    async collect() {
      this.reset();
      for (const d of (await snapshot()).durations) this.observe({ migration: d.migration }, d.seconds);
    },
  });
  return registry;
}
