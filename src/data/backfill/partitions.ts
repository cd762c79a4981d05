/**
 * A backfill window (`dataset.backfill: { from, to, partition }`) as the list of partitions to convert,
 * Hive-style: daily `dt=YYYY-MM-DD/`, hourly `dt=YYYY-MM-DD/hour=HH/`, under both the source and the
 * target URI. `from` and `to` are days and both are included (hourly: every hour of those days).
 */
import { InputError } from '../../util/errors.js';

export type PartitionGranularity = 'daily' | 'hourly';

export interface BackfillWindow {
  from: string;
  to: string;
  partition: PartitionGranularity;
}

export interface Partition {
  /** `2024-01-31` (daily) or `2024-01-31T07` (hourly). */
  id: string;
  /** The partition's folder under a dataset URI: `dt=2024-01-31` or `dt=2024-01-31/hour=07`. */
  path: string;
}

const DAY_MS = 86_400_000;
const dayPattern = /^\d{4}-\d{2}-\d{2}$/;
/** More partitions than this is almost surely a typo in the window (15 years of hours is 131,400). */
export const MAX_PARTITIONS = 200_000;

function dayMs(day: string, what: string): number {
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (!dayPattern.test(day) || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day) {
    throw new InputError(`dataset.backfill.${what}: "${day}" is not a date (YYYY-MM-DD)`);
  }
  return ms;
}

export function partitionOf(dayIso: string, hour: number | undefined): Partition {
  if (hour === undefined) return { id: dayIso, path: `dt=${dayIso}` };
  const hh = String(hour).padStart(2, '0');
  return { id: `${dayIso}T${hh}`, path: `dt=${dayIso}/hour=${hh}` };
}

/** Every partition of the window, oldest first. */
export function expandPartitions(window: BackfillWindow): Partition[] {
  const start = dayMs(window.from, 'from');
  const end = dayMs(window.to, 'to');
  if (end < start) throw new InputError(`dataset.backfill: to (${window.to}) is before from (${window.from})`);
  const days = (end - start) / DAY_MS + 1;
  const count = window.partition === 'hourly' ? days * 24 : days;
  if (count > MAX_PARTITIONS)
    throw new InputError(
      `dataset.backfill: ${count} ${window.partition} partitions from ${window.from} to ${window.to} is more than ${MAX_PARTITIONS}; narrow the window`,
    );
  const out: Partition[] = [];
  for (let ms = start; ms <= end; ms += DAY_MS) {
    const day = new Date(ms).toISOString().slice(0, 10);
    if (window.partition === 'daily') out.push(partitionOf(day, undefined));
    else for (let h = 0; h < 24; h++) out.push(partitionOf(day, h));
  }
  return out;
}

/**
 * The partitions a `--partition` argument names: one id (`2024-01-31`, `2024-01-31T07`) or an
 * inclusive range `first..last` (as the job matrix prints when it groups partitions).
 */
export function selectPartitions(all: readonly Partition[], arg: string): Partition[] {
  const [first, last = first, ...rest] = arg.split('..');
  const index = (id: string) => all.findIndex((p) => p.id === id);
  const i = index(first!);
  const j = index(last!);
  if (rest.length || i < 0 || j < 0 || j < i) {
    const example = all[0]?.id ?? '2024-01-01';
    const bad = [first, last].find((id) => index(id!) < 0);
    throw new InputError(
      bad !== undefined
        ? `--partition ${arg}: "${bad}" is not a partition of the backfill window (${all[0]?.id} … ${all[all.length - 1]?.id}); write one like ${example} or a range first..last`
        : `--partition ${arg}: write one partition (${example}) or a range first..last with first before last`,
    );
  }
  return all.slice(i, j + 1);
}

/** GitHub Actions allows at most 256 jobs in one matrix. */
export const GITHUB_MATRIX_LIMIT = 256;

/**
 * The partitions as a GitHub Actions job matrix, `{"include":[{"partition":"2024-01-01"}, …]}`. When
 * there are more than `maxJobs`, consecutive partitions share a job as a range `first..last`, which
 * `fleetwave backfill --partition` accepts as it is.
 */
export function jobMatrix(partitions: readonly Partition[], maxJobs = GITHUB_MATRIX_LIMIT): { include: { partition: string }[] } {
  if (maxJobs < 1) throw new InputError('--max-jobs must be at least 1');
  if (partitions.length <= maxJobs) return { include: partitions.map((p) => ({ partition: p.id })) };
  const per = Math.ceil(partitions.length / maxJobs);
  const include: { partition: string }[] = [];
  for (let i = 0; i < partitions.length; i += per) {
    const group = partitions.slice(i, i + per);
    const a = group[0]!.id;
    const b = group[group.length - 1]!.id;
    include.push({ partition: a === b ? a : `${a}..${b}` });
  }
  return { include };
}
