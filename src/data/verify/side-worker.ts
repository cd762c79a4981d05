/**
 * Pass 1 of one side (the transformed source, or the target) in a worker thread, so that both sides
 * run at once on the two cores, each in a heap of bounded size. Used when this file has been compiled
 * (build/); otherwise verify runs both sides in its own thread (see summarizeSide in verify.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AvroReadOptions } from '../avro/reader.js';
import type { AvroSchema } from '../avro/types.js';
import type { TransformStep } from '../transform/schema.js';
import { ParquetColumnsReader } from './parquet-columns.js';
import { sourceBatches, sourceTransform, type BatchSource } from './source-batches.js';
import { SideSummary, type ColumnSpec } from './summary.js';

export interface SideWorkerInput {
  side: 'source' | 'target';
  path: string;
  names: string[];
  specs: ColumnSpec[];
  keyIndex: number;
  /** Target: each column's Avro type after the transform, and the record's namespace. */
  fieldTypes: [string, AvroSchema][];
  namespace?: string;
  /** Source: the transform and how to read the file. */
  steps: TransformStep[];
  readOptions: AvroReadOptions;
}

async function run(input: SideWorkerInput): Promise<void> {
  let batches: BatchSource;
  let close = async () => {};
  if (input.side === 'source') {
    const transform = await sourceTransform(input.path, input.steps, input.readOptions);
    batches = sourceBatches(input.path, transform, input.names, input.readOptions);
  } else {
    const reader = await ParquetColumnsReader.open(input.path);
    batches = () => reader.batches(input.names, new Map(input.fieldTypes), input.namespace);
    close = () => reader.close();
  }
  try {
    const summary = new SideSummary(input.specs, input.keyIndex);
    for await (const batch of batches()) summary.add(batch);
    const state = summary.toState();
    parentPort!.postMessage({ state }, [state.bucketRows.buffer as ArrayBuffer, state.bucketA.buffer as ArrayBuffer, state.bucketB.buffer as ArrayBuffer]);
  } finally {
    await close();
  }
}

run(workerData as SideWorkerInput).catch((err: unknown) => {
  const e = err as Error & { kind?: string };
  parentPort!.postMessage({ error: { message: e.message, kind: e.kind ?? 'internal' } });
});
