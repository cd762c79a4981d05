/**
 * The burndown of a migration: how many consumers (and, where rescans were journaled, how many
 * references to the old dataset) remain over time. Derived from the journal, corrected by the latest
 * summary. Pure.
 *
 * A consumer counts as migrated when its pull request merged (`merge`), as remaining again when the
 * merge was reverted (`revert`). A `rescan` event (`{ action: 'rescan', target, detail: { references: n } }`,
 * appended after a merge when the consumer's default branch is searched again for the old dataset)
 * overrides both: the consumer is migrated only when n is 0, and n is its remaining references. So
 * progress counts what is left in the code, not merged PRs.
 */
import type { MigrationSummary } from '../rollout/model.js';
import type { JournalEvent } from '../store/port.js';
import { detailOf } from '../store/journal-events.js';

/** The journal action of a rescan. */
export const RESCAN_ACTION = 'rescan' as const;

export interface BurndownPoint {
  /** ISO time. */
  at: string;
  /** Consumers still on the old dataset. */
  consumers: number;
  /** References to the old dataset in rescanned consumers; null before the first rescan. */
  references: number | null;
}

export interface Burndown {
  /** Consumers that were on the old dataset (every target except those with nothing to change). */
  total: number;
  /** Oldest first; the first is the start (all remaining), the last is at `asOf`. Points that change nothing are left out. */
  points: BurndownPoint[];
  /** Consumers remaining now. */
  remaining: number;
  /** References remaining now, and in how many consumers' rescans; null when no rescan was journaled. */
  references: { remaining: number; rescanned: number } | null;
  /** What the progress rests on: rescans for every consumer, merges only, or both. */
  basis: 'rescan' | 'merge' | 'mixed';
}

export interface BurndownInput {
  summary: Pick<MigrationSummary, 'targets'> | null;
  /** The migration's journal, in append order. */
  events: Pick<JournalEvent, 'at' | 'target' | 'action' | 'outcome' | 'detail'>[];
  /** When the migration started (its first run). */
  startedAt?: string;
  /** The time the summary describes (its run's end); the chart runs up to it. */
  asOf: string;
}

const TRACKED = new Set(['merge', 'revert', RESCAN_ACTION]);

/** The references a rescan counted; null for one that cannot be read (skipped: the chart shows what it can). */
function referencesOf(event: Pick<JournalEvent, 'action' | 'detail'>): number | null {
  const n = detailOf(event, RESCAN_ACTION)?.references;
  return n !== undefined && Number.isFinite(n) && n >= 0 ? Math.floor(n) : null;
}

export function computeBurndown(input: BurndownInput): Burndown {
  const universe = new Set<string>();
  if (input.summary)
    for (const t of input.summary.targets)
      if (t.state !== 'skipped') universe.add(t.repo);
      // Without a summary, every target the journal opened a pull request for.
      else for (const e of input.events) if (e.target && e.action === 'open-pr' && e.outcome === 'ok') universe.add(e.target);
  // A consumer rescanned or merged that the summary no longer lists is still part of the story.
  for (const e of input.events) if (e.target && e.outcome === 'ok' && TRACKED.has(e.action)) universe.add(e.target);

  // Kept as running totals so each event costs O(1), not a pass over every consumer.
  const migrated = new Map<string, boolean>([...universe].map((r) => [r, false]));
  const refs = new Map<string, number>();
  const total = universe.size;
  let remaining = total;
  let refSum = 0;
  const setMigrated = (repo: string, value: boolean) => {
    const was = migrated.get(repo) ?? false;
    if (was !== value) remaining += value ? -1 : 1;
    migrated.set(repo, value);
  };
  const setRefs = (repo: string, n: number) => {
    refSum += n - (refs.get(repo) ?? 0);
    refs.set(repo, n);
  };
  const measure = (at: string): BurndownPoint => ({ at, consumers: remaining, references: refs.size ? refSum : null });

  const ordered = input.events
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => e.target && e.outcome === 'ok' && TRACKED.has(e.action))
    .sort((a, b) => (a.e.at < b.e.at ? -1 : a.e.at > b.e.at ? 1 : a.i - b.i))
    .map(({ e }) => e);
  const start = [input.startedAt, input.events[0]?.at, ordered[0]?.at].filter((x): x is string => Boolean(x)).sort()[0] ?? input.asOf;
  const points: BurndownPoint[] = [measure(start)];
  const push = (p: BurndownPoint) => {
    const last = points[points.length - 1]!;
    if (last.consumers === p.consumers && last.references === p.references) return;
    if (last.at === p.at) points[points.length - 1] = p;
    else points.push(p);
  };
  for (const e of ordered) {
    const repo = e.target!;
    if (e.action === 'merge') {
      // After a rescan found references, a further merge (a follow-up PR) counts until the next rescan.
      setMigrated(repo, true);
    } else if (e.action === 'revert') {
      setMigrated(repo, false);
    } else {
      const n = referencesOf(e);
      if (n === null) continue;
      setRefs(repo, n);
      setMigrated(repo, n === 0);
    }
    push(measure(e.at));
  }
  // The summary is the forge's truth as of asOf: a merge the journal missed (a human merged, a store
  // replaced) still counts, unless a rescan said otherwise.
  if (input.summary) {
    for (const t of input.summary.targets) {
      if (t.state === 'skipped' || refs.has(t.repo)) continue;
      setMigrated(t.repo, t.state === 'merged');
    }
  }
  const end = measure(input.asOf > points[points.length - 1]!.at ? input.asOf : points[points.length - 1]!.at);
  push(end);
  if (points[points.length - 1]!.at !== end.at) points.push(end);

  const rescanned = refs.size;
  return {
    total,
    points,
    remaining: end.consumers,
    references: rescanned ? { remaining: end.references ?? 0, rescanned } : null,
    basis: rescanned === 0 ? 'merge' : rescanned >= total ? 'rescan' : 'mixed',
  };
}

/** The state as of `at` (the last point at or before it; the first point before the start). */
export function valueAt(points: BurndownPoint[], at: string): BurndownPoint {
  let found = points[0]!;
  for (const p of points) {
    if (p.at <= at) found = p;
    else break;
  }
  return found;
}
