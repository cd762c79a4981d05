/**
 * Running a backfill: each partition on its own — convert the partition's source objects into its
 * target prefix (published atomically with its commit, ../publish/attempt.ts), verify the committed
 * output against the source, and un-publish it when the verification fails. A partition whose commit
 * is for its current source, spec and manifest is skipped (./marker.ts). Source and target roots are
 * local folders or object-store URIs; the conversion and verification come in as a function (the use
 * case wires the real ones).
 */
import { insideRoot } from '../../util/inside-root.js';
import { sourceFingerprint } from '../convert.js';
import { COMMIT_PATH, SUCCESS_PATH, committedFiles, folderPrefix, readCommit } from '../publish/commit.js';
import { storageFor } from '../storage/uri.js';
import { isDone } from './marker.js';
import type { Partition } from './partitions.js';

export type PartitionState = 'done' | 'pending' | 'stale' | 'no-source';

export interface PartitionStatus {
  partition: string;
  state: PartitionState;
  /** The partition's source and target: a folder path or an object-store URI, ending in `/`. */
  sourceDir: string;
  targetDir: string;
  /** The source objects, relative to the partition's source prefix. */
  files: string[];
}

export interface PartitionOutcome {
  files: { source: string; target: string; rows: number }[];
  verification: { pass: boolean; sourceRows: number; targetRows: number; mismatchRatio: number };
}

/** Converts one partition (source prefix → target prefix, published) and verifies it. Throws on a conversion error. */
export type ConvertAndVerifyPartition = (sourceUri: string, targetUri: string) => Promise<PartitionOutcome>;

export interface BackfillLayout {
  /** A local folder (absolute) or an object-store URI. */
  sourceRoot: string;
  targetRoot: string;
  /** Hash of the conversion spec (convert.ts: conversionSpec). */
  spec: string;
  /** sha256 of the manifest (the commit records it). */
  manifestHash: string | null;
}

export interface PartitionResult {
  partition: string;
  state: 'converted' | 'skipped' | 'failed' | 'no-source';
  files: { source: string; target: string; rows: number; pass: boolean; mismatchRatio: number }[];
  error?: string;
}

const isUri = (root: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(root);

/** The partition's folder under a root: a local folder inside it (no link out of it), or a URI prefix. */
function partitionAt(root: string, partition: Partition, field: string, what: string): string {
  if (isUri(root)) return `${folderPrefix(root)}${partition.path}/`;
  // A partition folder that is a symbolic link out of its dataset folder is refused, not followed.
  return `${insideRoot(root, partition.path, `${field}, partition ${partition.id}`, what)}/`;
}

/** Where each partition lives and whether it is done (from what the stores hold), without converting anything. */
export async function partitionStatus(layout: BackfillLayout, partitions: readonly Partition[]): Promise<PartitionStatus[]> {
  const out: PartitionStatus[] = [];
  for (const p of partitions) {
    const sourceDir = partitionAt(layout.sourceRoot, p, 'dataset.source.uri', 'the source dataset folder');
    const targetDir = partitionAt(layout.targetRoot, p, 'dataset.target.uri', 'the target dataset folder');
    const source = await storageFor(sourceDir);
    const objects = await committedFiles(source.storage, source.key, '.avro');
    const files = objects.map((o) => o.key.slice(source.key.length));
    let state: PartitionState;
    if (files.length === 0) state = 'no-source';
    else {
      const target = await storageFor(targetDir);
      const commit = await readCommit(target.storage, target.key);
      const fingerprint = sourceFingerprint(objects, source.key).fingerprint;
      state = commit === undefined ? 'pending' : isDone(commit, fingerprint, layout.spec, layout.manifestHash) ? 'done' : 'stale';
    }
    out.push({ partition: p.id, state, sourceDir, targetDir, files });
  }
  return out;
}

/** Converts and verifies the partitions that are not done, one after another. */
export async function runBackfill(
  layout: BackfillLayout,
  partitions: readonly Partition[],
  work: ConvertAndVerifyPartition,
  onProgress: (r: PartitionResult) => void = () => {},
): Promise<PartitionResult[]> {
  const results: PartitionResult[] = [];
  for (const status of await partitionStatus(layout, partitions)) {
    let result: PartitionResult;
    if (status.state === 'no-source') result = { partition: status.partition, state: 'no-source', files: [] };
    else if (status.state === 'done') result = { partition: status.partition, state: 'skipped', files: [] };
    else result = await convertPartition(status, work);
    results.push(result);
    onProgress(result);
  }
  return results;
}

async function convertPartition(status: PartitionStatus, work: ConvertAndVerifyPartition): Promise<PartitionResult> {
  let outcome: PartitionOutcome;
  try {
    outcome = await work(status.sourceDir, status.targetDir);
  } catch (err) {
    return { partition: status.partition, state: 'failed', files: [], error: (err as Error).message };
  }
  const v = outcome.verification;
  const files = outcome.files.map((f) => ({ ...f, pass: v.pass, mismatchRatio: v.mismatchRatio }));
  if (!v.pass) {
    await unpublish(status.targetDir);
    return {
      partition: status.partition,
      state: 'failed',
      files,
      error: `verification failed: ${v.sourceRows} source rows, ${v.targetRows} target rows, mismatch ratio ${v.mismatchRatio}`,
    };
  }
  return { partition: status.partition, state: 'converted', files };
}

/** Removes a partition's commit markers, then its committed files: nothing of it is taken any more. */
async function unpublish(targetDir: string): Promise<void> {
  const { storage, key } = await storageFor(targetDir);
  const commit = await readCommit(storage, key);
  await storage.delete(key + SUCCESS_PATH);
  await storage.delete(key + COMMIT_PATH);
  for (const f of commit?.files ?? []) await storage.delete(key + f.key);
}
