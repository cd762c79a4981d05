/**
 * A small pool of worker threads (./convert-worker.ts) that turn Avro blocks into Arrow IPC
 * batches. Requests carry a sequence number; the caller awaits replies in its own order.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DataError, InputError } from '../util/errors.js';
import type { ChunkReply, ChunkRequest, WorkerInit } from './convert-worker.js';

/** The compiled worker script; under ts-jest (sources run as .ts) the build's copy, if there is one. */
export function workerScript(): URL | undefined {
  const here = import.meta.url;
  if (here.endsWith('.js')) return new URL('./convert-worker.js', here);
  const built = fileURLToPath(here).replace(/src[\\/]data[\\/]convert-pool\.ts$/, 'build/src/data/convert-worker.js');
  return existsSync(built) ? new URL(`file://${built}`) : undefined;
}

interface Pending {
  resolve(reply: { rows: number; ipc: Uint8Array }): void;
  reject(err: Error): void;
}

export class ConvertPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending>();
  private readonly load: number[];
  private failure: Error | undefined;

  private constructor(script: URL, size: number, init: WorkerInit) {
    this.workers = Array.from({ length: size }, () => new Worker(script, { workerData: init }));
    this.load = this.workers.map(() => 0);
    this.workers.forEach((w, i) => {
      w.on('message', (reply: ChunkReply) => {
        this.load[i]!--;
        const p = this.pending.get(reply.seq);
        if (!p) return;
        this.pending.delete(reply.seq);
        if ('error' in reply)
          p.reject(reply.error.name === 'InputError' ? new InputError(reply.error.message) : new DataError(reply.error.message));
        else p.resolve(reply);
      });
      w.on('error', (err) => this.fail(err));
      w.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`a convert worker exited with code ${code}`));
      });
    });
  }

  /** A pool of `size` workers, or undefined when the worker script is not available (then convert in-thread). */
  static create(size: number, init: WorkerInit): ConvertPool | undefined {
    const script = workerScript();
    return script && size > 0 ? new ConvertPool(script, size, init) : undefined;
  }

  get size(): number {
    return this.workers.length;
  }

  submit(req: ChunkRequest): Promise<{ rows: number; ipc: Uint8Array }> {
    if (this.failure) return Promise.reject(this.failure);
    let best = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i]! < this.load[best]!) best = i;
    this.load[best]!++;
    const promise = new Promise<{ rows: number; ipc: Uint8Array }>((resolve, reject) => this.pending.set(req.seq, { resolve, reject }));
    this.workers[best]!.postMessage(
      req,
      req.blocks.map((b) => b.stored.buffer as ArrayBuffer),
    );
    return promise;
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  async close(): Promise<void> {
    this.failure ??= new Error('pool closed');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
