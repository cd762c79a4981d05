/**
 * How long pull requests took from opening to merge, from the journal: the first `open-pr` of a
 * target to its first `merge` after it. Pure; used by the dashboard and the metrics.
 */
import type { JournalEvent } from '../store/port.js';

export interface PrDuration {
  migration: string;
  repo: string;
  pr: number | null;
  openedAt: string;
  mergedAt: string;
  seconds: number;
}

export function openToMergeDurations(
  events: Pick<JournalEvent, 'at' | 'migration' | 'target' | 'action' | 'outcome' | 'detail'>[],
): PrDuration[] {
  const opened = new Map<string, { at: string; pr: number | null }>();
  const out: PrDuration[] = [];
  for (const e of events) {
    if (!e.target || e.outcome !== 'ok') continue;
    const key = `${e.migration}\u0000${e.target}`;
    if (e.action === 'open-pr') {
      if (!opened.has(key)) opened.set(key, { at: e.at, pr: typeof e.detail.pr === 'number' ? e.detail.pr : null });
    } else if (e.action === 'merge') {
      const o = opened.get(key);
      if (!o) continue;
      const seconds = (Date.parse(e.at) - Date.parse(o.at)) / 1000;
      if (Number.isFinite(seconds) && seconds >= 0)
        out.push({ migration: e.migration, repo: e.target, pr: o.pr, openedAt: o.at, mergedAt: e.at, seconds });
      opened.delete(key);
    }
  }
  return out;
}

/** Median and 90th percentile (nearest rank), null when empty. */
export function durationStats(list: PrDuration[]): { count: number; medianSeconds: number; p90Seconds: number } | null {
  if (list.length === 0) return null;
  const sorted = list.map((d) => d.seconds).sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  return { count: sorted.length, medianSeconds: rank(0.5), p90Seconds: rank(0.9) };
}
