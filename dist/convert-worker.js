import { createRequire as __fwCreateRequire } from 'node:module';
import { dirname as __fwDirname } from 'node:path';
import { fileURLToPath as __fwFileURLToPath } from 'node:url';
const require = __fwCreateRequire(import.meta.url);
const __filename = __fwFileURLToPath(import.meta.url);
const __dirname = __fwDirname(__filename);
import {
  RecordBatch,
  RecordBatchStreamWriter,
  ValueError,
  parquetLayoutFor,
  transformRows
} from "./chunk-3Q6D2GGJ.js";
import {
  blockDecoderFor,
  inflateBlock,
  rowSchemaOf
} from "./chunk-DKKWGIKB.js";
import {
  compileTransform
} from "./chunk-EBGSD6R6.js";
import {
  DataError
} from "./chunk-OWQR4BEP.js";
import "./chunk-6L7NLG3T.js";

// src/data/convert-worker.ts
import { parentPort, workerData } from "node:worker_threads";

// src/data/parquet/arrow-ipc.ts
var ArrowRowEncoder = class {
  layout;
  constructor(schema) {
    this.layout = parquetLayoutFor(schema);
  }
  /** Encodes `rows`; `where(i)` names row i in an error (file and row number). */
  encode(rows, where) {
    const root = this.layout.root;
    for (let i = 0; i < rows.length; i++) {
      try {
        root.append(rows[i]);
      } catch (err) {
        root.finish();
        if (err instanceof ValueError) throw new DataError(`${where(i)}: ${err.message}; the row does not match the target schema`, { cause: err });
        throw err;
      }
    }
    const batch = new RecordBatch(this.layout.arrowSchema, root.finish());
    return RecordBatchStreamWriter.writeAll([batch]).toUint8Array(true);
  }
};

// src/data/convert-worker.ts
var init = workerData;
var transform = init.steps.length ? compileTransform(rowSchemaOf(init.datasetSchema), init.steps) : void 0;
var apply = transform && !transform.identity ? transform.transformRecord : void 0;
var encoder = new ArrowRowEncoder(init.outputSchema);
var decoders = /* @__PURE__ */ new Map();
function handle(req) {
  const key = `${req.path}
${req.writerSchemaText}`;
  let decoder = decoders.get(key);
  if (!decoder) {
    decoder = blockDecoderFor(req.path, JSON.parse(req.writerSchemaText), init.datasetSchema);
    decoders.clear();
    decoders.set(key, decoder);
  }
  let rows = [];
  for (const b of req.blocks) {
    const stored = Buffer.from(b.stored.buffer, b.stored.byteOffset, b.stored.byteLength);
    const decoded = decoder.decode(inflateBlock(req.path, req.codec, { index: b.index, offset: b.offset, count: b.count, stored }));
    for (const r of decoded) rows.push(r);
  }
  if (apply) rows = transformRows(rows, apply, req.path, req.firstRow);
  const ipc = encoder.encode(rows, (i) => `${req.path}: row ${req.firstRow + i + 1}`);
  return { seq: req.seq, rows: rows.length, ipc };
}
parentPort.on("message", (req) => {
  let reply;
  try {
    reply = handle(req);
  } catch (err) {
    const e = err;
    reply = { seq: req.seq, error: { name: e.name, message: e.message } };
  }
  if ("ipc" in reply) parentPort.postMessage(reply, [reply.ipc.buffer]);
  else parentPort.postMessage(reply);
});
