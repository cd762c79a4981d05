/**
 * Verify a converted dataset: the source (Avro), with the manifest's transform applied, against the
 * target (Parquet), streaming both through the storage port (local files, S3, Azure Blob). Pass 1 summarizes each side (row counts, per-column checksums, null
 * counts, min/max, row checksums by key bucket). When anything differs, pass 2 reads both sides again
 * keeping only the rows of differing buckets (within a row budget) and diffs them by key, which gives
 * the mismatch ratio and a sample of differing rows. Memory is bounded by the budget, not the data.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AvroReadOptions } from '../avro/reader.js';
import type { AvroSchema as ReaderAvroSchema } from '../avro/types.js';
import type { CompiledTransform } from '../transform/apply.js';
import { fullName, namespaceOf } from '../transform/avro-schema.js';
import type { TransformStep } from '../transform/schema.js';
import { DataError, InputError } from '../../util/errors.js';
import { displayValue, keyText } from './display.js';
import { hex64 } from './hash.js';
import { dataObjects, locateDataset } from './dataset-objects.js';
import { mapLimit, readAvroHeader, type ObjectRef } from './object-source.js';
import type { ObjectInfo, ObjectStorage } from '../storage/port.js';
import { ParquetDataset } from './parquet-dataset.js';
import { RowGroupClaims } from './row-group-claims.js';
import type { ColumnReport, DiffReport, RowDiff, SchemaMismatch, VerificationReport } from './report.js';
import { avroFieldSignatures } from './signature.js';
import { BUCKETS, BatchHasher, SideSummary, bucketOf, compareValues, isOrderable, type ColumnSpec, type SideState } from './summary.js';
import { summarizeSide, type SideInput } from './summarize.js';
import { sourceBatches, sourceTransform, type BatchSource } from './source-batches.js';

export interface VerifyOptions {
  /** The manifest's `dataset.transform` (default: none). */
  transform?: readonly TransformStep[];
  /** Column rows are matched on for the keyed diff (`verify.key`). */
  key?: string;
  rowCount?: 'exact' | 'none';
  /** Columns whose checksums are compared: all, none (row counts only), or a list. */
  checksums?: 'all' | 'none' | readonly string[];
  /** How many differing rows the report shows (`verify.sample`). */
  sample?: number;
  maxMismatchRatio?: number;
  /** Most rows pass 2 holds to diff one by one (memory bound). */
  diffRowBudget?: number;
  /** Read the source as this schema (the manifest's `dataset.schema`), as convert does; default: the file's own. */
  schema?: ReaderAvroSchema;
}

export const DEFAULT_DIFF_ROW_BUDGET = 50_000;

/** A report and the objects each side was read from (as listed through the port: key, URI, size, etag). */
export interface VerifiedObjects {
  report: VerificationReport;
  sourceObjects: ObjectInfo[];
  targetObjects: ObjectInfo[];
}

/** Header reads at once when the source's objects are checked against each other. */
const HEADER_CONCURRENCY = 8;

/**
 * Verifies the dataset at `targetUri` (Parquet: one object, or the committed objects under a prefix)
 * against the one at `sourceUri` (Avro). URIs are those of `storageFor` (a path, file://, s3://, az://,
 * abfss://); nothing is copied locally: objects are streamed and Parquet is read by byte ranges.
 */
export async function verifyDataset(sourceUri: string, targetUri: string, options: VerifyOptions = {}): Promise<VerificationReport> {
  return (await verifyDatasetObjects(sourceUri, targetUri, options)).report;
}

export async function verifyDatasetObjects(sourceUri: string, targetUri: string, options: VerifyOptions = {}): Promise<VerifiedObjects> {
  const sourceAt = await locateDataset(sourceUri);
  const targetAt = await locateDataset(targetUri);
  const sourceObjects = await dataObjects(sourceAt, '.avro');
  const targetObjects = await dataObjects(targetAt, '.parquet');
  const sources = sourceObjects.map(ref);
  // As convert reads them: every object as the dataset's schema (the manifest's dataset.schema, else the
  // first object's), by Avro's schema resolution, so files that list their fields in other orders are one dataset.
  const headers = await mapLimit(sources, HEADER_CONCURRENCY, (o) => readAvroHeader(sourceAt.storage, o));
  const readOptions: AvroReadOptions = options.schema
    ? { readerSchema: options.schema }
    : sources.length > 1
      ? { readerSchema: headers[0]!.writerSchema }
      : {};
  const transforms = headers.map((header, i) => sourceTransform(sources[i]!, header, options.transform ?? [], readOptions));
  const transform = transforms[0]!;
  const signatures = (t: CompiledTransform) =>
    avroFieldSignatures(t.targetSchema)
      .map((c) => `${c.name} ${c.signature}`)
      .join(', ');
  for (const [i, theirs] of transforms.entries()) {
    if (i > 0 && signatures(theirs) !== signatures(transform)) {
      throw new InputError(
        `${sources[i]!.uri}: its rows (after the transform: ${signatures(theirs)}) differ from those of ${sources[0]!.uri} (${signatures(transform)}); give the dataset's schema (the manifest's dataset.schema) to read every file as one schema`,
      );
    }
  }
  const target = await ParquetDataset.open(targetAt.storage, targetObjects.map(ref));
  const report = await compare(
    { path: sourceUri, storage: sourceAt.storage, files: sources },
    { path: targetUri, storage: targetAt.storage, files: target.files.map((f) => ({ ...f.object, rowGroups: f.rowGroups })) },
    transform,
    target,
    options,
    readOptions,
  );
  return { report, sourceObjects, targetObjects };
}

function ref(info: ObjectInfo): ObjectRef {
  return { key: info.key, uri: info.uri, size: info.size, etag: info.etag };
}

interface Side {
  /** As given: a file, folder or prefix URI. */
  path: string;
  storage: ObjectStorage;
  files: (ObjectRef & { rowGroups?: number })[];
}

async function compare(
  source: Side,
  targetSide: Side,
  transform: CompiledTransform,
  target: ParquetDataset,
  options: VerifyOptions,
  readOptions: AvroReadOptions,
): Promise<VerificationReport> {
  const expected = avroFieldSignatures(transform.targetSchema);
  const key = options.key;
  if (key !== undefined && !expected.some((c) => c.name === key)) {
    throw new InputError(
      `verify.key "${key}" is not a column of the transformed source (columns: ${expected.map((c) => c.name).join(', ')})`,
    );
  }
  const checked = options.checksums ?? 'all';
  if (Array.isArray(checked)) {
    const unknown = checked.filter((c) => !expected.some((e) => e.name === c));
    if (unknown.length)
      throw new InputError(
        `verify.checksums names ${unknown.join(', ')}, not columns of the transformed source (columns: ${expected.map((c) => c.name).join(', ')})`,
      );
  }
  // The schema check: every column present on both sides with the same type signature.
  const mismatches: SchemaMismatch[] = [];
  for (const e of expected) {
    const t = target.columns.find((c) => c.name === e.name);
    if (!t) mismatches.push({ column: e.name, expected: e.signature, actual: 'absent' });
    else if (t.signature !== e.signature) mismatches.push({ column: e.name, expected: e.signature, actual: t.signature });
  }
  for (const t of target.columns)
    if (!expected.some((e) => e.name === t.name)) mismatches.push({ column: t.name, expected: 'absent', actual: t.signature });

  const wanted = checked === 'all' ? expected.map((e) => e.name) : checked === 'none' ? [] : [...checked];
  if (key !== undefined && !wanted.includes(key)) wanted.unshift(key);
  const names = wanted.filter((n) => target.columns.some((c) => c.name === n));
  const specs: ColumnSpec[] = names.map((n) => {
    const signature = expected.find((e) => e.name === n)!.signature;
    return { name: n, signature, orderable: isOrderable(signature) };
  });
  const keyIndex = key === undefined ? -1 : names.indexOf(key);
  const fieldTypes = new Map(transform.targetSchema.fields.map((f) => [f.name, f.type as ReaderAvroSchema]));
  const src: BatchSource = sourceBatches(source.storage, source.files, options.transform ?? [], names, readOptions);
  const namespace = namespaceOf(fullName(transform.targetSchema.name, undefined, transform.targetSchema.namespace));
  const tgt: BatchSource = () => target.batches(names, fieldTypes, namespace);

  let s: SideSummary;
  let t: SideSummary;
  if (names.length === 0) {
    s = new SideSummary(specs, keyIndex);
    for await (const b of src()) s.add(b);
    t = new SideSummary(specs, keyIndex);
    t.rows = target.rowCount;
  } else {
    const common = {
      names,
      specs,
      keyIndex,
      fieldTypes: [...fieldTypes],
      ...(namespace ? { namespace } : {}),
      steps: [...(options.transform ?? [])],
      readOptions,
    };
    // Both sides at once: the target in a worker thread, the source here; once the source is read,
    // this thread takes a share of the target's remaining row groups. Wait for both to settle so that
    // a failing side never leaves the other running.
    const targetInput: SideInput = {
      ...common,
      side: 'target',
      datasetUri: targetSide.path,
      objects: targetSide.files,
      rowGroups: target.rowGroupCount,
      claims: new RowGroupClaims(target.rowGroupCount).shared,
    };
    const [targetDone, sourceDone] = await Promise.allSettled([
      summarizeInWorker(targetInput, target.largestColumnChunk(names)),
      (async () => {
        const sourceSummary = await summarizeSide({ ...common, side: 'source', datasetUri: source.path, objects: source.files });
        return { source: sourceSummary, targetShare: await summarizeSide(targetInput) };
      })(),
    ]);
    if (sourceDone.status === 'rejected') throw sourceDone.reason;
    if (targetDone.status === 'rejected') throw targetDone.reason;
    s = sourceDone.value.source;
    t = targetDone.value;
    t.merge(sourceDone.value.targetShare.toState());
  }

  const columns: ColumnReport[] = specs.map((spec, i) => {
    const a = s.columns[i]!;
    const b = t.columns[i]!;
    const sameExtreme = (x: unknown, y: unknown) =>
      (x === undefined && y === undefined) || (x !== undefined && y !== undefined && compareValues(x, y) === 0 && typeof x === typeof y);
    const equal = a.sumA === b.sumA && a.sumB === b.sumB && a.nulls === b.nulls && sameExtreme(a.min, b.min) && sameExtreme(a.max, b.max);
    return {
      name: spec.name,
      type: spec.signature,
      checksum: { source: hex64(a.sumA, a.sumB), target: hex64(b.sumA, b.sumB) },
      nulls: { source: a.nulls, target: b.nulls },
      min: { source: displayValue(a.min), target: displayValue(b.min) },
      max: { source: displayValue(a.max), target: displayValue(b.max) },
      equal,
    };
  });
  const rowsEqual = s.rowSumA === t.rowSumA && s.rowSumB === t.rowSumB && s.rows === t.rows;
  const maxRatio = options.maxMismatchRatio ?? 0;
  const rowCountMode = options.rowCount ?? 'exact';

  let diff: DiffReport | null = null;
  let mismatchedRows = 0;
  let exact = true;
  if (!rowsEqual && names.length > 0) {
    const result = await diffPass(
      src,
      tgt,
      s,
      t,
      specs,
      keyIndex,
      options.sample ?? 1000,
      options.diffRowBudget ?? DEFAULT_DIFF_ROW_BUDGET,
    );
    diff = result.report;
    mismatchedRows = result.estimate;
    exact = result.exact;
  } else if (s.rows !== t.rows) {
    mismatchedRows = Math.abs(s.rows - t.rows);
  }
  const denominator = Math.max(s.rows, t.rows);
  const mismatchRatio = denominator === 0 ? 0 : mismatchedRows / denominator;

  const reasons: string[] = [];
  if (mismatches.length)
    reasons.push(
      `the target's columns differ from the transformed source: ${mismatches.map((m) => `${m.column} (expected ${m.expected}, found ${m.actual})`).join('; ')}`,
    );
  if (rowCountMode === 'exact' && s.rows !== t.rows) reasons.push(`row counts differ: source ${s.rows}, target ${t.rows}`);
  if (mismatchRatio > maxRatio)
    reasons.push(
      `${mismatchedRows} of ${denominator} rows differ (mismatch ratio ${formatRatio(mismatchRatio)}${exact ? '' : ', estimated'}), above maxMismatchRatio ${maxRatio}`,
    );
  const equal = mismatches.length === 0 && rowsEqual && columns.every((c) => c.equal);
  return {
    source: source.path,
    target: targetSide.path,
    files: { source: source.files.length, target: targetSide.files.length },
    pass: reasons.length === 0,
    equal,
    sourceRows: s.rows,
    targetRows: t.rows,
    mismatchedRows,
    mismatchRatio,
    mismatchRatioExact: exact,
    maxMismatchRatio: maxRatio,
    key: key ?? null,
    rowCount: { mode: rowCountMode, equal: s.rows === t.rows },
    schema: { equal: mismatches.length === 0, mismatches },
    rows: { checksum: { source: hex64(s.rowSumA, s.rowSumB), target: hex64(t.rowSumA, t.rowSumB) }, equal: rowsEqual },
    columns,
    diff,
    reasons,
  };
}

const workerFile = new URL('./side-worker.js', import.meta.url);
/**
 * The worker's old space is capped (the data streams through it; a larger heap only grows RSS): 64 MiB
 * plus room for the values of the largest column chunk it reads at once (10 bytes of heap per
 * uncompressed byte is ample: a 100,000-row chunk of short strings is about 1.2 MiB uncompressed).
 */
/**
 * The worker's young generation, set explicitly: V8 would size it in proportion to the small old space,
 * and a small young generation promotes each column chunk's values before they die (measured: more GC).
 */
const WORKER_YOUNG_SPACE_MB = 48;

function workerOldSpaceMb(largestColumnChunkBytes: number): number {
  return Math.min(4096, 64 + Math.ceil((10 * largestColumnChunkBytes) / 2 ** 20));
}

/**
 * Pass 1 over one side in a worker thread when the compiled worker exists (the CLI, the Action and
 * the benchmarks run from build/), else in this thread. FLEETWAVE_VERIFY_THREADS=1 keeps it in this thread.
 */
async function summarizeInWorker(input: SideInput, largestColumnChunkBytes: number): Promise<SideSummary> {
  if (process.env.FLEETWAVE_VERIFY_THREADS === '1' || workerFile.protocol !== 'file:' || !existsSync(fileURLToPath(workerFile))) {
    return summarizeSide(input);
  }
  const worker = new Worker(workerFile, {
    workerData: input,
    resourceLimits: { maxOldGenerationSizeMb: workerOldSpaceMb(largestColumnChunkBytes), maxYoungGenerationSizeMb: WORKER_YOUNG_SPACE_MB },
  });
  try {
    const message = await new Promise<{ state?: SideState; error?: { message: string; kind: string } }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) =>
        reject(
          new Error(
            `the verify worker for ${input.objects.length === 1 ? input.objects[0]!.uri : `${input.objects.length} objects of ${input.datasetUri}`} exited with code ${code}`,
          ),
        ),
      );
    });
    if (message.error) throw message.error.kind === 'input' ? new InputError(message.error.message) : new DataError(message.error.message);
    return SideSummary.fromState(input.specs, input.keyIndex, message.state!);
  } finally {
    await worker.terminate();
  }
}

function formatRatio(r: number): string {
  return r === 0 ? '0' : r < 0.0001 ? r.toExponential(2) : String(Math.round(r * 1e6) / 1e6);
}

interface HeldRow {
  rowA: number;
  rowB: number;
  colA: Int32Array;
  colB: Int32Array;
  values: unknown[];
}

/** Pass 2: the rows of differing buckets (all of them, or whole buckets up to the budget), diffed one by one. */
async function diffPass(
  src: BatchSource,
  tgt: BatchSource,
  s: SideSummary,
  t: SideSummary,
  specs: readonly ColumnSpec[],
  keyIndex: number,
  sampleSize: number,
  budget: number,
): Promise<{ report: DiffReport; estimate: number; exact: boolean }> {
  const differing: number[] = [];
  let rowsInDiffering = 0;
  for (let k = 0; k < BUCKETS; k++) {
    if (s.bucketRows[k] !== t.bucketRows[k] || s.bucketA[k] !== t.bucketA[k] || s.bucketB[k] !== t.bucketB[k]) {
      differing.push(k);
      rowsInDiffering += Math.max(s.bucketRows[k]!, t.bucketRows[k]!);
    }
  }
  // Take whole buckets, spread over the differing ones, until the budget is used.
  const selected = new Uint8Array(BUCKETS);
  let rowsSelected = 0;
  const stride =
    rowsInDiffering <= budget
      ? 1
      : Math.max(1, Math.floor(differing.length / Math.max(1, Math.floor((budget / rowsInDiffering) * differing.length))));
  for (let i = 0; i < differing.length; i += stride) {
    const k = differing[i]!;
    const rows = Math.max(s.bucketRows[k]!, t.bucketRows[k]!);
    if (rowsSelected > 0 && rowsSelected + rows > budget) break;
    selected[k] = 1;
    rowsSelected += rows;
  }
  const allSelected = differing.every((k) => selected[k] === 1);

  const keyed = keyIndex >= 0;
  const held = new Map<string, HeldRow[]>();
  const idOf = (h: BatchHasher, values: ArrayLike<unknown>[], r: number): string =>
    keyed ? keyText(values[keyIndex]![r]) : `${h.rowA[r]}:${h.rowB[r]}`;
  const hasher = new BatchHasher(specs);
  for await (const b of src()) {
    hasher.hash(b);
    for (let r = 0; r < b.rows; r++) {
      if (!selected[bucketOf(hasher, keyIndex, r)]) continue;
      const id = idOf(hasher, b.columns, r);
      const row: HeldRow = {
        rowA: hasher.rowA[r]!,
        rowB: hasher.rowB[r]!,
        colA: Int32Array.from(hasher.colA, (c) => c[r]!),
        colB: Int32Array.from(hasher.colB, (c) => c[r]!),
        values: b.columns.map((c) => c[r]),
      };
      const list = held.get(id);
      if (list) list.push(row);
      else held.set(id, [row]);
    }
  }
  const samples: RowDiff[] = [];
  let changed = 0;
  let extra = 0;
  let compared = 0;
  const keyOf = (values: unknown[]) => (keyed ? displayValue(values[keyIndex]) : null);
  const wholeRow = (values: unknown[], side: 'source' | 'target') =>
    specs.map((spec, c) => ({
      name: spec.name,
      source: side === 'source' ? displayValue(values[c]) : null,
      target: side === 'target' ? displayValue(values[c]) : null,
    }));
  for await (const b of tgt()) {
    hasher.hash(b);
    for (let r = 0; r < b.rows; r++) {
      if (!selected[bucketOf(hasher, keyIndex, r)]) continue;
      compared++;
      const id = idOf(hasher, b.columns, r);
      const list = held.get(id);
      const values = b.columns.map((c) => c[r]);
      if (!list || list.length === 0) {
        extra++;
        if (samples.length < sampleSize) samples.push({ key: keyOf(values), kind: 'extra-in-target', columns: wholeRow(values, 'target') });
        continue;
      }
      const same = list.findIndex((h) => h.rowA === hasher.rowA[r] && h.rowB === hasher.rowB[r]);
      const match = list.splice(same >= 0 ? same : 0, 1)[0]!;
      if (list.length === 0) held.delete(id);
      if (same >= 0) continue;
      changed++;
      if (samples.length < sampleSize) {
        const cols = specs
          .map((spec, c) => ({ spec, c }))
          .filter(({ c }) => match.colA[c] !== hasher.colA[c]![r] || match.colB[c] !== hasher.colB[c]![r])
          .map(({ spec, c }) => ({ name: spec.name, source: displayValue(match.values[c]), target: displayValue(values[c]) }));
        samples.push({ key: keyOf(values), kind: 'changed', columns: cols });
      }
    }
  }
  let missing = 0;
  for (const list of held.values()) {
    for (const row of list) {
      missing++;
      compared++;
      if (samples.length < sampleSize)
        samples.push({ key: keyOf(row.values), kind: 'missing-in-target', columns: wholeRow(row.values, 'source') });
    }
  }
  // Without a key a changed row is one missing and one extra row: count it once.
  const found = keyed ? changed + extra + missing : Math.max(extra, missing);
  const estimate = allSelected || rowsSelected === 0 ? found : Math.round((found * rowsInDiffering) / rowsSelected);
  return {
    report: {
      matchedOn: keyed ? 'key' : 'row',
      bucketsDiffering: differing.length,
      rowsInDifferingBuckets: rowsInDiffering,
      rowsCompared: compared,
      rowsDiffering: found,
      samples,
    },
    estimate,
    exact: allSelected,
  };
}
