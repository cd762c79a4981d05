/**
 * "One reconcile per migration at any instant", read from the store after a test killed processes: each
 * reconcile leaves a run record (src/rollout/run.ts: `startRun` when it begins, `finishRun` when it
 * ends, both in the store the processes share). A run whose process was killed never finishes; it ended
 * when its worker died, which the test knows: it read the worker's heartbeat (the jobs it ran, with when
 * each started: src/queue/port.ts WorkerRecord) just before the SIGKILL. The unfinished run of a
 * migration is matched to the killed worker's job of that migration that started last before the run.
 */
import type { RunRecord } from '../../src/store/port.js';

/** A worker killed at `at` (ms since the epoch) while its heartbeat said it ran `running`. */
export interface Kill {
  at: number;
  pid: number;
  running: readonly { key: string; startedAt: string }[];
}

/** Every pair of `migration`'s runs that overlapped, and every unfinished run no kill explains; [] when one ran at a time. */
export function reconcileOverlaps(migration: string, runs: readonly RunRecord[], kills: readonly Kill[]): string[] {
  const problems: string[] = [];
  const spans = runs
    .filter((r) => r.migration === migration)
    .map((r) => {
      const start = Date.parse(r.startedAt);
      if (r.finishedAt !== null) return { id: r.id, start, end: Date.parse(r.finishedAt), how: 'finished' };
      let best: { jobStart: number; at: number; pid: number } | null = null;
      for (const k of kills)
        for (const job of k.running) {
          const jobStart = Date.parse(job.startedAt);
          if (job.key === migration && jobStart <= start && k.at >= start && (!best || jobStart > best.jobStart))
            best = { jobStart, at: k.at, pid: k.pid };
        }
      if (!best) problems.push(`${migration}: run ${r.id} (started ${r.startedAt}) never finished, and no killed worker was running it`);
      return { id: r.id, start, end: best ? best.at : Number.POSITIVE_INFINITY, how: best ? `killed with pid ${best.pid}` : 'unfinished' };
    })
    .sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++) {
    const [prev, next] = [spans[i - 1]!, spans[i]!];
    if (next.start < prev.end)
      problems.push(
        `${migration}: run ${next.id} started at ${new Date(next.start).toISOString()} while run ${prev.id} (${prev.how}) ran until ${Number.isFinite(prev.end) ? new Date(prev.end).toISOString() : 'never ended'}`,
      );
  }
  return problems;
}
