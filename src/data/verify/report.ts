/** The verification report: what `fleetwave verify --json` prints and the Markdown renderer shows. */

export interface SideValues<T> {
  source: T;
  target: T;
}

export interface ColumnReport {
  name: string;
  /** The column's type signature in the transformed source (see src/data/verify/signature.ts). */
  type: string;
  /** Order-independent 64-bit checksums, hex. */
  checksum: SideValues<string>;
  nulls: SideValues<number>;
  min: SideValues<unknown>;
  max: SideValues<unknown>;
  /** Checksum, nulls, min and max all agree. */
  equal: boolean;
}

export interface SchemaMismatch {
  column: string;
  /** The type the transformed source gives, or `absent`. */
  expected: string;
  /** The type the target holds, or `absent`. */
  actual: string;
}

export interface RowDiff {
  /** The verify key's value (absent without a key). */
  key: unknown;
  kind: 'changed' | 'missing-in-target' | 'extra-in-target';
  /** For `changed`: the columns that differ. For the others: the whole row on the side that has it. */
  columns: { name: string; source: unknown; target: unknown }[];
}

export interface DiffReport {
  /** What rows are matched on: the verify key, or whole rows when there is none. */
  matchedOn: 'key' | 'row';
  /** Key buckets (of 65,536) whose rows differ between the sides. */
  bucketsDiffering: number;
  /** Rows in those buckets (the larger side). */
  rowsInDifferingBuckets: number;
  /** Rows compared one by one (all of the differing buckets, or a sample of them within the row budget). */
  rowsCompared: number;
  /** Differing rows found among those compared. */
  rowsDiffering: number;
  /** Up to `verify.sample` of them. */
  samples: RowDiff[];
}

export interface VerificationReport {
  /** The source and the target as given: a file, or a folder of files. */
  source: string;
  target: string;
  /** How many files each side holds (1 for a file). */
  files: SideValues<number>;
  pass: boolean;
  /** Nothing differs at all (every checksum, count and type). */
  equal: boolean;
  sourceRows: number;
  targetRows: number;
  /** Rows that differ (changed, missing or extra), exact or estimated (see `mismatchRatioExact`). */
  mismatchedRows: number;
  mismatchRatio: number;
  /** False when the differing rows were too many to compare one by one and the ratio is extrapolated from a sample of buckets. */
  mismatchRatioExact: boolean;
  maxMismatchRatio: number;
  key: string | null;
  rowCount: { mode: 'exact' | 'none'; equal: boolean };
  schema: { equal: boolean; mismatches: SchemaMismatch[] };
  rows: { checksum: SideValues<string>; equal: boolean };
  columns: ColumnReport[];
  diff: DiffReport | null;
  /** Why the verification failed (empty when it passed). */
  reasons: string[];
}
