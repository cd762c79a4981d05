/**
 * Pass 1 of each side: the transformed source block by block, the target row group by row group and
 * column by column (so only one column of one row group is in memory at a time). The target's row
 * groups can be shared out between threads (`claims`): each summarizes the groups it claims, and the
 * summaries are merged (SideSummary.merge). Both sides are read through the storage port (the side's
 * dataset URI names the store; a worker thread makes its own client).
 */
import type { AvroReadOptions } from '../avro/reader.js';
import type { AvroSchema } from '../avro/types.js';
import type { TransformStep } from '../transform/schema.js';
import { storeOf, type ObjectRef } from './object-source.js';
import { ParquetDataset } from './parquet-dataset.js';
import { RowGroupClaims } from './row-group-claims.js';
import { sourceBatches } from './source-batches.js';
import { SideSummary, type ColumnSpec } from './summary.js';

export interface SideInput {
  side: 'source' | 'target';
  /** The dataset's URI (its store). */
  datasetUri: string;
  /** The side's objects, in order; for the target, with each object's row-group count. */
  objects: (ObjectRef & { rowGroups?: number })[];
  names: string[];
  specs: ColumnSpec[];
  keyIndex: number;
  /** Target: each column's Avro type after the transform, and the record's namespace. */
  fieldTypes: [string, AvroSchema][];
  namespace?: string;
  /** Source: the transform and how to read the files. */
  steps: TransformStep[];
  readOptions: AvroReadOptions;
  /** Target: the shared counter of row groups over all its files (RowGroupClaims.shared); without it, every row group. */
  claims?: SharedArrayBuffer;
  /** Target: how many row groups its files hold in all (for the claims). */
  rowGroups?: number;
}

export async function summarizeSide(input: SideInput): Promise<SideSummary> {
  return input.side === 'source' ? summarizeSource(input) : summarizeTarget(input);
}

async function summarizeSource(input: SideInput): Promise<SideSummary> {
  const storage = await storeOf(input.datasetUri);
  const summary = new SideSummary(input.specs, input.keyIndex);
  const batches = sourceBatches(storage, input.objects, input.steps, input.names, input.readOptions);
  for await (const batch of batches()) summary.add(batch);
  return summary;
}

async function summarizeTarget(input: SideInput): Promise<SideSummary> {
  const storage = await storeOf(input.datasetUri);
  const claims = new RowGroupClaims(input.rowGroups ?? Number.MAX_SAFE_INTEGER, input.claims);
  const summary = new SideSummary(input.specs, input.keyIndex);
  const objects = input.objects.map((object) => ({ object, rowGroups: object.rowGroups ?? Number.MAX_SAFE_INTEGER }));
  for await (const group of ParquetDataset.claimedGroups(storage, objects, input.names, new Map(input.fieldTypes), input.namespace, () =>
    claims.claim(),
  )) {
    summary.beginRows(group.rows);
    for (let c = 0; c < input.names.length; c++) {
      const stats = await group.hashDirect(c, summary.hashesOf(c), input.specs[c]!.orderable);
      if (stats) summary.addHashedColumn(c, stats);
      else summary.addColumn(c, await group.readParts(c));
    }
    summary.endRows();
  }
  return summary;
}
