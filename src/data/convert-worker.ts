/**
 * A worker thread of the parallel converter (./convert-pool.ts): decompresses and decodes Avro
 * blocks, applies the manifest's transform, builds the Arrow columns and returns them as IPC bytes.
 * The main thread only frames blocks and runs the Parquet encoder, so both cores work.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { inflateBlock } from './avro/container.js';
import type { AvroCodecName } from './avro/codecs.js';
import { blockDecoderFor, rowSchemaOf, type BlockDecoder } from './avro/reader.js';
import type { AvroRecord, AvroSchema } from './avro/types.js';
import { ArrowRowEncoder } from './parquet/arrow-ipc.js';
import { compileTransform } from './transform/apply.js';
import type { TransformStep } from './transform/schema.js';
import { transformRows } from './transform-rows.js';

export interface WorkerInit {
  datasetSchema: AvroSchema;
  outputSchema: AvroSchema;
  steps: readonly TransformStep[];
}

export interface ChunkRequest {
  seq: number;
  path: string;
  codec: AvroCodecName;
  writerSchemaText: string;
  /** Rows of the file before this chunk (for row numbers in errors). */
  firstRow: number;
  blocks: { index: number; offset: number; count: number; stored: Uint8Array }[];
}

export type ChunkReply = { seq: number; rows: number; ipc: Uint8Array } | { seq: number; error: { name: string; message: string } };

const init = workerData as WorkerInit;
const transform = init.steps.length ? compileTransform(rowSchemaOf(init.datasetSchema) as never, init.steps) : undefined;
const apply = transform && !transform.identity ? (transform.transformRecord as (r: AvroRecord) => AvroRecord) : undefined;
const encoder = new ArrowRowEncoder(init.outputSchema);
const decoders = new Map<string, BlockDecoder>();

async function handle(req: ChunkRequest): Promise<ChunkReply> {
  const key = `${req.path}\n${req.writerSchemaText}`;
  let decoder = decoders.get(key);
  if (!decoder) {
    decoder = blockDecoderFor(req.path, JSON.parse(req.writerSchemaText) as AvroSchema, init.datasetSchema);
    decoders.clear();
    decoders.set(key, decoder);
  }
  let rows: AvroRecord[] = [];
  for (const b of req.blocks) {
    const stored = Buffer.from(b.stored.buffer, b.stored.byteOffset, b.stored.byteLength);
    const decoded = decoder.decode(await inflateBlock(req.path, req.codec, { index: b.index, offset: b.offset, count: b.count, stored }));
    for (const r of decoded) rows.push(r);
  }
  if (apply) rows = transformRows(rows, apply, req.path, req.firstRow);
  const ipc = encoder.encode(rows, (i) => `${req.path}: row ${req.firstRow + i + 1}`);
  return { seq: req.seq, rows: rows.length, ipc };
}

parentPort!.on('message', async (req: ChunkRequest) => {
  let reply: ChunkReply;
  try {
    reply = await handle(req);
  } catch (err) {
    const e = err as Error;
    reply = { seq: req.seq, error: { name: e.name, message: e.message } };
  }
  if ('ipc' in reply) parentPort!.postMessage(reply, [reply.ipc.buffer as ArrayBuffer]);
  else parentPort!.postMessage(reply);
});
