/**
 * Row groups of a Parquet dataset (numbered in one sequence over its files: parquet-dataset.ts) shared
 * out between threads: each thread claims the next unread row group until none is left, so a thread
 * that finishes its other work early takes a share of the rest.
 * The counter lives in a SharedArrayBuffer, so the claims of all threads come from one sequence and
 * every row group is read by exactly one of them; each thread's claims are increasing.
 */
export class RowGroupClaims {
  private readonly next: Int32Array;

  /** `shared`: the counter of another RowGroupClaims (see `shared`), to claim from the same sequence. */
  constructor(
    readonly total: number,
    shared?: SharedArrayBuffer,
  ) {
    this.next = new Int32Array(shared ?? new SharedArrayBuffer(4));
  }

  /** The counter, to hand to another thread (structured clone shares a SharedArrayBuffer). */
  get shared(): SharedArrayBuffer {
    return this.next.buffer as SharedArrayBuffer;
  }

  /** The index of a row group no thread has claimed yet, or -1 when all are claimed. */
  claim(): number {
    const g = Atomics.add(this.next, 0, 1);
    return g < this.total ? g : -1;
  }
}
