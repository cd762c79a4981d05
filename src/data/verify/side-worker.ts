/**
 * The target side of pass 1 in a worker thread, so that decoding the Parquet file and hashing it runs
 * on the second core while the main thread decodes and hashes the source. Used when this file has
 * been compiled (build/); otherwise verify runs both sides in one thread (see summarizeTarget).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AvroSchema } from '../avro/types.js';
import { ParquetColumnsReader } from './parquet-columns.js';
import { SideSummary, type ColumnSpec } from './summary.js';

export interface TargetWorkerInput {
  path: string;
  names: string[];
  specs: ColumnSpec[];
  keyIndex: number;
  fieldTypes: [string, AvroSchema][];
  namespace?: string;
}

async function run(input: TargetWorkerInput): Promise<void> {
  const reader = await ParquetColumnsReader.open(input.path);
  try {
    const summary = new SideSummary(input.specs, input.keyIndex);
    for await (const batch of reader.batches(input.names, new Map(input.fieldTypes), input.namespace)) summary.add(batch);
    const state = summary.toState();
    parentPort!.postMessage({ state }, [state.bucketRows.buffer as ArrayBuffer, state.bucketA.buffer as ArrayBuffer, state.bucketB.buffer as ArrayBuffer]);
  } finally {
    await reader.close();
  }
}

run(workerData as TargetWorkerInput).catch((err: unknown) => {
  const e = err as Error & { kind?: string };
  parentPort!.postMessage({ error: { message: e.message, kind: e.kind ?? 'internal' } });
});
