import { createRequire as __fwCreateRequire } from 'node:module';
import { dirname as __fwDirname } from 'node:path';
import { fileURLToPath as __fwFileURLToPath } from 'node:url';
const require = __fwCreateRequire(import.meta.url);
const __filename = __fwFileURLToPath(import.meta.url);
const __dirname = __fwDirname(__filename);
import {
  summarizeSide
} from "./chunk-ZGEYPRTO.js";
import "./chunk-DKKWGIKB.js";
import "./chunk-EBGSD6R6.js";
import "./chunk-OWQR4BEP.js";
import "./chunk-6L7NLG3T.js";

// src/data/verify/side-worker.ts
import { parentPort, workerData } from "node:worker_threads";
async function run(input) {
  const state = (await summarizeSide(input)).toState();
  parentPort.postMessage({ state }, [state.bucketRows.buffer, state.bucketA.buffer, state.bucketB.buffer]);
}
run(workerData).catch((err) => {
  const e = err;
  parentPort.postMessage({ error: { message: e.message, kind: e.kind ?? "internal" } });
});
