/**
 * Pass 1 of one side (the target) in a worker thread, so that both sides run at once on two cores,
 * the worker in a heap of bounded size. Used when this file has been compiled (build/); otherwise
 * verify runs both sides in its own thread (see summarizeInWorker in verify.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { summarizeSide, type SideInput } from './summarize.js';

async function run(input: SideInput): Promise<void> {
  const state = (await summarizeSide(input)).toState();
  parentPort!.postMessage({ state }, [
    state.bucketRows.buffer as ArrayBuffer,
    state.bucketA.buffer as ArrayBuffer,
    state.bucketB.buffer as ArrayBuffer,
  ]);
}

run(workerData as SideInput).catch((err: unknown) => {
  const e = err as Error & { kind?: string };
  parentPort!.postMessage({ error: { message: e.message, kind: e.kind ?? 'internal' } });
});
