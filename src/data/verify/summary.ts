/**
 * One side of a verification (the transformed source, or the target) summarized in one streaming
 * pass, in memory that does not grow with the data: the row count; per column the null count, an
 * order-independent checksum (the sum, lane by lane mod 2^32, of a 64-bit hash of each value, seeded
 * by the column's name and type) and min/max; an order-independent checksum of whole rows (so two
 * rows that swap their keys change it even when every column keeps the same values); and the same
 * row checksums split into 65,536 buckets by the hash of the key, which says where rows differ.
 */
import { compareDecimals, isDecimal } from '../transform/decimal.js';
import { fmix, hashColumn, seedOf } from './hash.js';

export const BUCKET_BITS = 16;
export const BUCKETS = 1 << BUCKET_BITS;

export interface ColumnSpec {
  name: string;
  /** Type signature (see signature.ts); part of the column's hash seed. */
  signature: string;
  /** Whether min/max are kept (numbers, strings, decimals, dates, times). */
  orderable: boolean;
}

export interface Batch {
  rows: number;
  columns: ArrayLike<unknown>[];
}

const ORDERABLE =
  /^(int|long|float|double|string|date|time-millis|time-micros|(local-)?timestamp-(millis|micros|nanos)|decimal\(\d+,\d+\))$/;

export function isOrderable(signature: string): boolean {
  return ORDERABLE.test(signature);
}

/** Compares two values of one orderable column (numbers, bigints, strings, decimals). */
export function compareValues(a: unknown, b: unknown): number {
  if (isDecimal(a) && isDecimal(b)) return compareDecimals(a, b);
  const x = a as number | bigint | string;
  const y = b as number | bigint | string;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Hashes of one batch: per column and per row (reused buffers; valid until the next call). */
export class BatchHasher {
  readonly seeds: [number, number][];
  colA: Int32Array[] = [];
  colB: Int32Array[] = [];
  rowA = new Int32Array(0);
  rowB = new Int32Array(0);
  /** Rows in the current batch. */
  rows = 0;
  private capacity = 0;

  /** Columns are seeded by name only: the type signature is compared on its own (schema check), so that a
   * type change does not also flag every value. */
  constructor(readonly specs: readonly ColumnSpec[]) {
    this.seeds = specs.map((s) => seedOf(s.name));
  }

  /** Hashes a whole batch (all columns). */
  hash(batch: Batch): void {
    this.begin(batch.rows);
    for (let c = 0; c < this.specs.length; c++) this.column(c, [batch.columns[c]!]);
  }

  /** Starts a batch of `n` rows, whose columns are then given in order with `column`. */
  begin(n: number): void {
    if (n > this.capacity) {
      this.capacity = Math.max(n, this.capacity * 2);
      this.colA = this.specs.map(() => new Int32Array(this.capacity));
      this.colB = this.specs.map(() => new Int32Array(this.capacity));
      this.rowA = new Int32Array(this.capacity);
      this.rowB = new Int32Array(this.capacity);
    }
    this.rows = n;
    this.rowA.fill(0x2545f491, 0, n);
    this.rowB.fill(0x5bd1e995, 0, n);
  }

  /**
   * Hashes column `c` of the current batch, given whole or in consecutive parts (a Parquet column
   * chunk's pages), and folds it into the row hashes (columns must come in order).
   */
  column(c: number, parts: readonly ArrayLike<unknown>[]): void {
    const n = this.rows;
    const [sa, sb] = this.seeds[c]!;
    const ca = this.colA[c]!;
    const cb = this.colB[c]!;
    let at = 0;
    for (const part of parts) {
      if (at + part.length > n) throw new Error(`column ${this.specs[c]!.name}: more than ${n} values`);
      hashColumn(part, part.length, sa, sb, ca, cb, at);
      at += part.length;
    }
    if (at !== n) throw new Error(`column ${this.specs[c]!.name}: ${at} values for ${n} rows`);
    this.fold(c);
  }

  /** Where column `c`'s hashes of the current batch go, and its seed lanes: for a caller that hashes the values itself (then `fold(c)`). */
  hashesOf(c: number): { seedA: number; seedB: number; outA: Int32Array; outB: Int32Array } {
    const [seedA, seedB] = this.seeds[c]!;
    return { seedA, seedB, outA: this.colA[c]!.subarray(0, this.rows), outB: this.colB[c]!.subarray(0, this.rows) };
  }

  /** Folds column `c`'s hashes into the row hashes (columns must come in order). */
  fold(c: number): void {
    const n = this.rows;
    const ca = this.colA[c]!;
    const cb = this.colB[c]!;
    const rowA = this.rowA;
    const rowB = this.rowB;
    for (let r = 0; r < n; r++) {
      const a = ca[r]!;
      const b = cb[r]!;
      const x = fmix((Math.imul(rowA[r]! ^ a, 0x9e3779b1) + b) | 0);
      rowA[r] = x;
      rowB[r] = fmix((Math.imul(rowB[r]! ^ b, 0x85ebca77) + x) | 0);
    }
  }
}

export interface ColumnSummary {
  name: string;
  signature: string;
  nulls: number;
  /** 64-bit order-independent checksum as two 32-bit lanes. */
  sumA: number;
  sumB: number;
  min: unknown;
  max: unknown;
}

export interface SideState {
  rows: number;
  rowSumA: number;
  rowSumB: number;
  columns: ColumnSummary[];
  bucketRows: Int32Array;
  bucketA: Int32Array;
  bucketB: Int32Array;
}

export class SideSummary {
  rows = 0;
  rowSumA = 0;
  rowSumB = 0;
  readonly columns: ColumnSummary[];
  readonly bucketRows = new Int32Array(BUCKETS);
  readonly bucketA = new Int32Array(BUCKETS);
  readonly bucketB = new Int32Array(BUCKETS);
  private readonly hasher: BatchHasher;
  private readonly decimal: boolean[];

  /** `keyIndex`: the column rows are bucketed by (the verify key), or -1 to bucket by the whole row. */
  constructor(
    readonly specs: readonly ColumnSpec[],
    readonly keyIndex: number,
  ) {
    this.columns = specs.map((s) => ({ name: s.name, signature: s.signature, nulls: 0, sumA: 0, sumB: 0, min: undefined, max: undefined }));
    this.hasher = new BatchHasher(specs);
    this.decimal = specs.map((spec) => spec.signature.startsWith('decimal('));
  }

  /** Everything the summary holds, as structured-clonable data (to cross a worker boundary). */
  toState(): SideState {
    return {
      rows: this.rows,
      rowSumA: this.rowSumA,
      rowSumB: this.rowSumB,
      columns: this.columns,
      bucketRows: this.bucketRows,
      bucketA: this.bucketA,
      bucketB: this.bucketB,
    };
  }

  static fromState(specs: readonly ColumnSpec[], keyIndex: number, state: SideState): SideSummary {
    const s = new SideSummary(specs, keyIndex);
    s.rows = state.rows;
    s.rowSumA = state.rowSumA;
    s.rowSumB = state.rowSumB;
    s.columns.splice(0, s.columns.length, ...state.columns);
    s.bucketRows.set(state.bucketRows);
    s.bucketA.set(state.bucketA);
    s.bucketB.set(state.bucketB);
    return s;
  }

  /**
   * Folds in the summary of other rows of the same side (another thread's share of the row groups):
   * every checksum is a sum and min/max compare, so the result is the summary of all the rows together.
   */
  merge(other: SideState): void {
    if (other.columns.length !== this.columns.length)
      throw new Error(`cannot merge a summary of ${other.columns.length} columns into one of ${this.columns.length}`);
    this.rows += other.rows;
    this.rowSumA = (this.rowSumA + other.rowSumA) | 0;
    this.rowSumB = (this.rowSumB + other.rowSumB) | 0;
    for (const [c, col] of this.columns.entries()) {
      const o = other.columns[c]!;
      col.nulls += o.nulls;
      col.sumA = (col.sumA + o.sumA) | 0;
      col.sumB = (col.sumB + o.sumB) | 0;
      if (o.min !== undefined && (col.min === undefined || compareValues(o.min, col.min) < 0)) col.min = o.min;
      if (o.max !== undefined && (col.max === undefined || compareValues(o.max, col.max) > 0)) col.max = o.max;
    }
    for (let k = 0; k < BUCKETS; k++) {
      this.bucketRows[k] = (this.bucketRows[k]! + other.bucketRows[k]!) | 0;
      this.bucketA[k] = (this.bucketA[k]! + other.bucketA[k]!) | 0;
      this.bucketB[k] = (this.bucketB[k]! + other.bucketB[k]!) | 0;
    }
  }

  /** Adds a batch with all its columns. */
  add(batch: Batch): void {
    this.beginRows(batch.rows);
    for (let c = 0; c < this.specs.length; c++) this.addColumn(c, [batch.columns[c]!]);
    this.endRows();
  }

  /**
   * Column by column: `beginRows(n)`, then `addColumn(c, values)` for every column in order (each
   * column's values may be dropped once added), then `endRows()`.
   */
  beginRows(n: number): void {
    this.hasher.begin(n);
  }

  /** Column `c` of the current batch, whole or in consecutive parts (see BatchHasher.column). */
  addColumn(c: number, parts: readonly ArrayLike<unknown>[]): void {
    this.hasher.column(c, parts);
    const col = this.addSums(c);
    for (const values of parts) this.addStatistics(c, col, values);
  }

  /** Where column `c`'s hashes of the current batch go, for a caller that hashes its values itself (then `addHashedColumn`). */
  hashesOf(c: number): { seedA: number; seedB: number; outA: Int32Array; outB: Int32Array } {
    return this.hasher.hashesOf(c);
  }

  /** Column `c` of the current batch, hashed by the caller into `hashesOf(c)`, with its null count and min/max. */
  addHashedColumn(c: number, stats: { nulls: number; min: unknown; max: unknown }): void {
    this.hasher.fold(c);
    const col = this.addSums(c);
    col.nulls += stats.nulls;
    if (stats.min !== undefined && (col.min === undefined || compareValues(stats.min, col.min) < 0)) col.min = stats.min;
    if (stats.max !== undefined && (col.max === undefined || compareValues(stats.max, col.max) > 0)) col.max = stats.max;
  }

  /** Adds column `c`'s hashes of the current batch to its checksum. */
  private addSums(c: number): ColumnSummary {
    const h = this.hasher;
    const n = h.rows;
    const col = this.columns[c]!;
    const ca = h.colA[c]!;
    const cb = h.colB[c]!;
    let sa = col.sumA;
    let sb = col.sumB;
    for (let r = 0; r < n; r++) {
      sa = (sa + ca[r]!) | 0;
      sb = (sb + cb[r]!) | 0;
    }
    col.sumA = sa;
    col.sumB = sb;
    return col;
  }

  /** Null count and min/max of some values of column `c`. */
  private addStatistics(c: number, col: ColumnSummary, values: ArrayLike<unknown>): void {
    const n = values.length;
    let nulls = col.nulls;
    if (this.decimal[c]) {
      let min = col.min;
      let max = col.max;
      for (let r = 0; r < n; r++) {
        const v = values[r];
        if (v === null || v === undefined) {
          nulls++;
          continue;
        }
        if (min === undefined || compareValues(v, min) < 0) min = v;
        if (max === undefined || compareValues(v, max) > 0) max = v;
      }
      col.min = min;
      col.max = max;
    } else if (this.specs[c]!.orderable && values instanceof BigInt64Array) {
      // 64-bit integers compared as (signed high word, unsigned low word): no BigInt per value
      if (n > 0) {
        const [lo, hi] = int64Extremes(values);
        const vmin = values[lo]!;
        const vmax = values[hi]!;
        if (col.min === undefined || vmin < (col.min as bigint)) col.min = vmin;
        if (col.max === undefined || vmax > (col.max as bigint)) col.max = vmax;
      }
    } else if (this.specs[c]!.orderable) {
      // numbers, bigints or strings: the relational operators order them (NaN compares false and is skipped)
      let min = col.min as number | bigint | string | undefined;
      let max = col.max as number | bigint | string | undefined;
      for (let r = 0; r < n; r++) {
        const v = values[r] as number | bigint | string | null | undefined;
        if (v === null || v === undefined) {
          nulls++;
          continue;
        }
        if (min === undefined) {
          if (v !== v) continue; // NaN
          min = v;
          max = v;
        } else if (v < min) min = v;
        else if (v > max!) max = v;
      }
      col.min = min;
      col.max = max;
    } else if (!ArrayBuffer.isView(values)) {
      for (let r = 0; r < n; r++) if (values[r] === null || values[r] === undefined) nulls++;
    }
    col.nulls = nulls;
  }

  endRows(): void {
    const h = this.hasher;
    const n = h.rows;
    const bucketBy = this.keyIndex >= 0 ? h.colB[this.keyIndex]! : h.rowB;
    let ra = this.rowSumA;
    let rb = this.rowSumB;
    for (let r = 0; r < n; r++) {
      const a = h.rowA[r]!;
      const b = h.rowB[r]!;
      ra = (ra + a) | 0;
      rb = (rb + b) | 0;
      const k = bucketBy[r]! & (BUCKETS - 1);
      this.bucketRows[k]!++;
      this.bucketA[k] = (this.bucketA[k]! + a) | 0;
      this.bucketB[k] = (this.bucketB[k]! + b) | 0;
    }
    this.rowSumA = ra;
    this.rowSumB = rb;
    this.rows += n;
  }
}

/** The indexes of the least and the greatest value of a non-empty BigInt64Array. */
function int64Extremes(values: BigInt64Array): [number, number] {
  if (!LITTLE_ENDIAN) {
    let lo = 0;
    let hi = 0;
    for (let r = 1; r < values.length; r++) {
      if (values[r]! < values[lo]!) lo = r;
      else if (values[r]! > values[hi]!) hi = r;
    }
    return [lo, hi];
  }
  const words = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
  let lo = 0;
  let hi = 0;
  let loHigh = words[1]!;
  let loLow = words[0]! >>> 0;
  let hiHigh = loHigh;
  let hiLow = loLow;
  for (let r = 1; r < values.length; r++) {
    const high = words[2 * r + 1]!;
    const low = words[2 * r]! >>> 0;
    if (high < loHigh || (high === loHigh && low < loLow)) {
      lo = r;
      loHigh = high;
      loLow = low;
    } else if (high > hiHigh || (high === hiHigh && low > hiLow)) {
      hi = r;
      hiHigh = high;
      hiLow = low;
    }
  }
  return [lo, hi];
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The bucket of a row: by its key's hash, or by its own hash. */
export function bucketOf(hasher: BatchHasher, keyIndex: number, r: number): number {
  return (keyIndex >= 0 ? hasher.colB[keyIndex]![r]! : hasher.rowB[r]!) & (BUCKETS - 1);
}
