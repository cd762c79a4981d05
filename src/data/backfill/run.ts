/**
 * Running a backfill: each partition on its own — convert every source file of the partition, verify
 * each output against its source, and only then write the partition's done marker. A partition whose
 * marker matches its source and spec is skipped; a failed partition leaves no marker and is redone
 * next time. The conversion and verification come in as functions (the use case wires the real ones).
 */
import { mkdir } from 'node:fs/promises';
import { insideRoot } from '../../util/inside-root.js';
import { fingerprintSource, isDone, readMarker, sourceFiles, writeMarker, MARKER_FORMAT, type DoneMarker } from './marker.js';
import type { Partition } from './partitions.js';

export type PartitionState = 'done' | 'pending' | 'stale' | 'no-source';

export interface PartitionStatus {
  partition: string;
  state: PartitionState;
  sourceDir: string;
  targetDir: string;
  files: string[];
}

export interface FileOutcome {
  rows: number;
  verification: { pass: boolean; sourceRows: number; targetRows: number; mismatchRatio: number };
}

/** Converts one source file to one target file and verifies it. Throws on a conversion error. */
export type ConvertAndVerifyFile = (sourcePath: string, targetPath: string) => Promise<FileOutcome>;

export interface BackfillLayout {
  sourceRoot: string;
  targetRoot: string;
  /** Hash of the conversion spec (see specHash). */
  spec: string;
}

export interface PartitionResult {
  partition: string;
  state: 'converted' | 'skipped' | 'failed' | 'no-source';
  files: { source: string; target: string; rows: number; pass: boolean; mismatchRatio: number }[];
  error?: string;
}

/** Where each partition lives and whether it is done, without converting anything. */
export async function partitionStatus(layout: BackfillLayout, partitions: readonly Partition[]): Promise<PartitionStatus[]> {
  const out: PartitionStatus[] = [];
  for (const p of partitions) {
    // A partition folder that is a symbolic link out of its dataset folder is refused, not followed.
    const sourceDir = insideRoot(layout.sourceRoot, p.path, `dataset.source.uri, partition ${p.id}`, 'the source dataset folder');
    const targetDir = insideRoot(layout.targetRoot, p.path, `dataset.target.uri, partition ${p.id}`, 'the target dataset folder');
    const files = await sourceFiles(sourceDir);
    let state: PartitionState;
    if (files.length === 0) state = 'no-source';
    else {
      const marker = await readMarker(targetDir);
      state = marker === undefined ? 'pending' : isDone(marker, await fingerprintSource(sourceDir, files), layout.spec) ? 'done' : 'stale';
    }
    out.push({ partition: p.id, state, sourceDir, targetDir, files });
  }
  return out;
}

/** The target file name of a source file: the same base name with `.parquet`. */
export function targetNameOf(sourceName: string): string {
  return `${sourceName.replace(/\.avro$/, '')}.parquet`;
}

/** Converts and verifies the partitions that are not done, one after another. */
export async function runBackfill(
  layout: BackfillLayout,
  partitions: readonly Partition[],
  work: ConvertAndVerifyFile,
  onProgress: (r: PartitionResult) => void = () => {},
  now: () => Date = () => new Date(),
): Promise<PartitionResult[]> {
  const results: PartitionResult[] = [];
  for (const status of await partitionStatus(layout, partitions)) {
    let result: PartitionResult;
    if (status.state === 'no-source') result = { partition: status.partition, state: 'no-source', files: [] };
    else if (status.state === 'done') result = { partition: status.partition, state: 'skipped', files: [] };
    else result = await convertPartition(layout, status, work, now);
    results.push(result);
    onProgress(result);
  }
  return results;
}

async function convertPartition(
  layout: BackfillLayout,
  status: PartitionStatus,
  work: ConvertAndVerifyFile,
  now: () => Date,
): Promise<PartitionResult> {
  const source = await fingerprintSource(status.sourceDir, status.files);
  const files: PartitionResult['files'] = [];
  const totals = { sourceRows: 0, targetRows: 0, mismatched: 0 };
  await mkdir(status.targetDir, { recursive: true });
  try {
    for (const name of status.files) {
      const target = targetNameOf(name);
      const outcome = await work(
        insideRoot(status.sourceDir, name, `partition ${status.partition}: ${name}`, 'its partition folder'),
        insideRoot(status.targetDir, target, `partition ${status.partition}: ${target}`, 'its partition folder'),
      );
      const v = outcome.verification;
      files.push({ source: name, target, rows: outcome.rows, pass: v.pass, mismatchRatio: v.mismatchRatio });
      totals.sourceRows += v.sourceRows;
      totals.targetRows += v.targetRows;
      totals.mismatched += v.mismatchRatio * Math.max(v.sourceRows, v.targetRows);
    }
  } catch (err) {
    return { partition: status.partition, state: 'failed', files, error: (err as Error).message };
  }
  const pass = files.every((f) => f.pass);
  if (!pass) {
    const bad = files.filter((f) => !f.pass).map((f) => f.source);
    return { partition: status.partition, state: 'failed', files, error: `verification failed for ${bad.join(', ')}` };
  }
  const marker: DoneMarker = {
    format: MARKER_FORMAT,
    partition: status.partition,
    source,
    spec: layout.spec,
    outputs: files.map((f) => ({ file: f.target, rows: f.rows })),
    verification: {
      pass,
      sourceRows: totals.sourceRows,
      targetRows: totals.targetRows,
      mismatchRatio: totals.mismatched / Math.max(1, totals.sourceRows, totals.targetRows),
    },
    finishedAt: now().toISOString(),
  };
  await writeMarker(status.targetDir, marker);
  return { partition: status.partition, state: 'converted', files };
}
