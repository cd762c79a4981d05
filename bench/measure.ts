/** Helpers shared by the benchmarks: wall time and peak resident memory of a piece of work. */
import { performance } from 'node:perf_hooks';

export async function measure<T>(work: () => Promise<T> | T): Promise<{ result: T; ms: number; peakRssMiB: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const start = performance.now();
  try {
    const result = await work();
    const ms = performance.now() - start;
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, ms, peakRssMiB: peak / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

export function printTable(rows: Record<string, string | number>[]): void {
  console.table(rows);
}
