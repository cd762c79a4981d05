import { createRequire as __fwCreateRequire } from 'node:module';
import { dirname as __fwDirname } from 'node:path';
import { fileURLToPath as __fwFileURLToPath } from 'node:url';
const require = __fwCreateRequire(import.meta.url);
const __filename = __fwFileURLToPath(import.meta.url);
const __dirname = __fwDirname(__filename);
import {
  BUCKETS,
  BatchHasher,
  ParquetDataset,
  RowGroupClaims,
  SideSummary,
  avroFieldSignatures,
  bucketOf,
  compareValues,
  hex64,
  isOrderable,
  sourceBatches,
  sourceTransform,
  summarizeSide
} from "./chunk-ZGEYPRTO.js";
import {
  convertOptionsFromManifest,
  datasetFiles,
  loadManifestFile
} from "./chunk-GKRZFEVQ.js";
import {
  writeFileAtomic
} from "./chunk-ZJBSL7X7.js";
import "./chunk-NGQIHGYD.js";
import {
  numberInput,
  pathIn,
  requiredInput
} from "./chunk-JEG7EJH7.js";
import "./chunk-3Q6D2GGJ.js";
import "./chunk-DKKWGIKB.js";
import {
  formatDecimal,
  fullName,
  isDecimal,
  namespaceOf
} from "./chunk-EBGSD6R6.js";
import {
  DataError,
  InputError
} from "./chunk-OWQR4BEP.js";
import "./chunk-6L7NLG3T.js";

// src/action/modes/verify.ts
import { tmpdir } from "node:os";

// src/data/verify/options.ts
function verifyOptionsFrom(manifest, overrides = {}) {
  const v = manifest?.dataset.verify;
  const options = {
    transform: manifest?.dataset.transform ?? [],
    rowCount: v?.rowCount ?? "exact",
    checksums: v?.checksums ?? "all",
    sample: v?.sample ?? 1e3,
    maxMismatchRatio: overrides.maxMismatchRatio ?? v?.maxMismatchRatio ?? 0
  };
  const key = overrides.key ?? v?.key;
  if (key !== void 0) options.key = key;
  if (overrides.schema !== void 0) options.schema = overrides.schema;
  return options;
}

// src/data/verify/verify.ts
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

// src/data/verify/display.ts
function displayValue(v) {
  if (v === void 0 || v === null) return null;
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
  if (typeof v === "string") return v.length > 200 ? `${v.slice(0, 200)}\u2026` : v;
  if (typeof v === "boolean") return v;
  if (v instanceof Uint8Array) return `base64:${Buffer.from(v.buffer, v.byteOffset, Math.min(v.byteLength, 96)).toString("base64")}${v.byteLength > 96 ? "\u2026" : ""}`;
  if (isDecimal(v)) return formatDecimal(v);
  if (Array.isArray(v)) return v.slice(0, 50).map(displayValue);
  if (typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, displayValue(x)]));
  return String(v);
}
function keyText(v) {
  if (v === null || v === void 0) return "null";
  if (typeof v === "string") return `s:${v}`;
  if (typeof v === "bigint" || typeof v === "number") return `n:${String(v)}`;
  return `j:${JSON.stringify(displayValue(v))}`;
}

// src/data/verify/verify.ts
var DEFAULT_DIFF_ROW_BUDGET = 5e4;
async function verifyDataset(sourcePath, targetPath, options = {}) {
  const readOptions = options.schema ? { readerSchema: options.schema } : {};
  const sources = await datasetFiles(sourcePath, ".avro", { anyFileName: true });
  const targets = await datasetFiles(targetPath, ".parquet", { anyFileName: true });
  const transform = await sourceTransform(sources[0], options.transform ?? [], readOptions);
  const signatures = (t) => avroFieldSignatures(t.targetSchema).map((c) => `${c.name} ${c.signature}`).join(", ");
  for (const other of sources.slice(1)) {
    const theirs = await sourceTransform(other, options.transform ?? [], readOptions);
    if (signatures(theirs) !== signatures(transform)) {
      throw new InputError(
        `${other}: its rows (after the transform: ${signatures(theirs)}) differ from those of ${sources[0]} (${signatures(transform)}); give the dataset's schema (the manifest's dataset.schema) to read every file as one schema`
      );
    }
  }
  const target = await ParquetDataset.open(targets);
  return compare({ path: sourcePath, files: sources }, { path: targetPath, files: targets }, transform, target, options, readOptions);
}
async function compare(source, targetSide, transform, target, options, readOptions) {
  const expected = avroFieldSignatures(transform.targetSchema);
  const key = options.key;
  if (key !== void 0 && !expected.some((c) => c.name === key)) {
    throw new InputError(`verify.key "${key}" is not a column of the transformed source (columns: ${expected.map((c) => c.name).join(", ")})`);
  }
  const checked = options.checksums ?? "all";
  if (Array.isArray(checked)) {
    const unknown = checked.filter((c) => !expected.some((e) => e.name === c));
    if (unknown.length) throw new InputError(`verify.checksums names ${unknown.join(", ")}, not columns of the transformed source (columns: ${expected.map((c) => c.name).join(", ")})`);
  }
  const mismatches = [];
  for (const e of expected) {
    const t2 = target.columns.find((c) => c.name === e.name);
    if (!t2) mismatches.push({ column: e.name, expected: e.signature, actual: "absent" });
    else if (t2.signature !== e.signature) mismatches.push({ column: e.name, expected: e.signature, actual: t2.signature });
  }
  for (const t2 of target.columns) if (!expected.some((e) => e.name === t2.name)) mismatches.push({ column: t2.name, expected: "absent", actual: t2.signature });
  const wanted = checked === "all" ? expected.map((e) => e.name) : checked === "none" ? [] : [...checked];
  if (key !== void 0 && !wanted.includes(key)) wanted.unshift(key);
  const names = wanted.filter((n) => target.columns.some((c) => c.name === n));
  const specs = names.map((n) => {
    const signature = expected.find((e) => e.name === n).signature;
    return { name: n, signature, orderable: isOrderable(signature) };
  });
  const keyIndex = key === void 0 ? -1 : names.indexOf(key);
  const fieldTypes = new Map(transform.targetSchema.fields.map((f) => [f.name, f.type]));
  const src = async function* () {
    for (const path of source.files) {
      const fileTransform = path === source.files[0] ? transform : await sourceTransform(path, options.transform ?? [], readOptions);
      yield* sourceBatches(path, fileTransform, names, readOptions)();
    }
  };
  const namespace = namespaceOf(fullName(transform.targetSchema.name, void 0, transform.targetSchema.namespace));
  const tgt = () => target.batches(names, fieldTypes, namespace);
  let s;
  let t;
  if (names.length === 0) {
    s = new SideSummary(specs, keyIndex);
    for await (const b of src()) s.add(b);
    t = new SideSummary(specs, keyIndex);
    t.rows = target.rowCount;
  } else {
    const common = { names, specs, keyIndex, fieldTypes: [...fieldTypes], ...namespace ? { namespace } : {}, steps: [...options.transform ?? []], readOptions };
    const targetInput = { ...common, side: "target", paths: targetSide.files, rowGroups: target.rowGroupCount, claims: new RowGroupClaims(target.rowGroupCount).shared };
    const [targetDone, sourceDone] = await Promise.allSettled([
      summarizeInWorker(targetInput, target.largestColumnChunk(names)),
      (async () => {
        const sourceSummary = await summarizeSide({ ...common, side: "source", paths: source.files });
        return { source: sourceSummary, targetShare: await summarizeSide(targetInput) };
      })()
    ]);
    if (sourceDone.status === "rejected") throw sourceDone.reason;
    if (targetDone.status === "rejected") throw targetDone.reason;
    s = sourceDone.value.source;
    t = targetDone.value;
    t.merge(sourceDone.value.targetShare.toState());
  }
  const columns = specs.map((spec, i) => {
    const a = s.columns[i];
    const b = t.columns[i];
    const sameExtreme = (x, y) => x === void 0 && y === void 0 || x !== void 0 && y !== void 0 && compareValues(x, y) === 0 && typeof x === typeof y;
    const equal2 = a.sumA === b.sumA && a.sumB === b.sumB && a.nulls === b.nulls && sameExtreme(a.min, b.min) && sameExtreme(a.max, b.max);
    return {
      name: spec.name,
      type: spec.signature,
      checksum: { source: hex64(a.sumA, a.sumB), target: hex64(b.sumA, b.sumB) },
      nulls: { source: a.nulls, target: b.nulls },
      min: { source: displayValue(a.min), target: displayValue(b.min) },
      max: { source: displayValue(a.max), target: displayValue(b.max) },
      equal: equal2
    };
  });
  const rowsEqual = s.rowSumA === t.rowSumA && s.rowSumB === t.rowSumB && s.rows === t.rows;
  const maxRatio = options.maxMismatchRatio ?? 0;
  const rowCountMode = options.rowCount ?? "exact";
  let diff = null;
  let mismatchedRows = 0;
  let exact = true;
  if (!rowsEqual && names.length > 0) {
    const result = await diffPass(src, tgt, s, t, specs, keyIndex, options.sample ?? 1e3, options.diffRowBudget ?? DEFAULT_DIFF_ROW_BUDGET);
    diff = result.report;
    mismatchedRows = result.estimate;
    exact = result.exact;
  } else if (s.rows !== t.rows) {
    mismatchedRows = Math.abs(s.rows - t.rows);
  }
  const denominator = Math.max(s.rows, t.rows);
  const mismatchRatio = denominator === 0 ? 0 : mismatchedRows / denominator;
  const reasons = [];
  if (mismatches.length) reasons.push(`the target's columns differ from the transformed source: ${mismatches.map((m) => `${m.column} (expected ${m.expected}, found ${m.actual})`).join("; ")}`);
  if (rowCountMode === "exact" && s.rows !== t.rows) reasons.push(`row counts differ: source ${s.rows}, target ${t.rows}`);
  if (mismatchRatio > maxRatio) reasons.push(`${mismatchedRows} of ${denominator} rows differ (mismatch ratio ${formatRatio(mismatchRatio)}${exact ? "" : ", estimated"}), above maxMismatchRatio ${maxRatio}`);
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
    reasons
  };
}
var workerFile = new URL("./side-worker.js", import.meta.url);
var WORKER_YOUNG_SPACE_MB = 48;
function workerOldSpaceMb(largestColumnChunkBytes) {
  return Math.min(4096, 64 + Math.ceil(10 * largestColumnChunkBytes / 2 ** 20));
}
async function summarizeInWorker(input, largestColumnChunkBytes) {
  if (process.env.FLEETWAVE_VERIFY_THREADS === "1" || workerFile.protocol !== "file:" || !existsSync(fileURLToPath(workerFile))) {
    return summarizeSide(input);
  }
  const worker = new Worker(workerFile, { workerData: input, resourceLimits: { maxOldGenerationSizeMb: workerOldSpaceMb(largestColumnChunkBytes), maxYoungGenerationSizeMb: WORKER_YOUNG_SPACE_MB } });
  try {
    const message = await new Promise((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`the verify worker for ${input.paths.length === 1 ? input.paths[0] : `${input.paths.length} files`} exited with code ${code}`)));
    });
    if (message.error) throw message.error.kind === "input" ? new InputError(message.error.message) : new DataError(message.error.message);
    return SideSummary.fromState(input.specs, input.keyIndex, message.state);
  } finally {
    await worker.terminate();
  }
}
function formatRatio(r) {
  return r === 0 ? "0" : r < 1e-4 ? r.toExponential(2) : String(Math.round(r * 1e6) / 1e6);
}
async function diffPass(src, tgt, s, t, specs, keyIndex, sampleSize, budget) {
  const differing = [];
  let rowsInDiffering = 0;
  for (let k = 0; k < BUCKETS; k++) {
    if (s.bucketRows[k] !== t.bucketRows[k] || s.bucketA[k] !== t.bucketA[k] || s.bucketB[k] !== t.bucketB[k]) {
      differing.push(k);
      rowsInDiffering += Math.max(s.bucketRows[k], t.bucketRows[k]);
    }
  }
  const selected = new Uint8Array(BUCKETS);
  let rowsSelected = 0;
  const stride = rowsInDiffering <= budget ? 1 : Math.max(1, Math.floor(differing.length / Math.max(1, Math.floor(budget / rowsInDiffering * differing.length))));
  for (let i = 0; i < differing.length; i += stride) {
    const k = differing[i];
    const rows = Math.max(s.bucketRows[k], t.bucketRows[k]);
    if (rowsSelected > 0 && rowsSelected + rows > budget) break;
    selected[k] = 1;
    rowsSelected += rows;
  }
  const allSelected = differing.every((k) => selected[k] === 1);
  const keyed = keyIndex >= 0;
  const held = /* @__PURE__ */ new Map();
  const idOf = (h, values, r) => keyed ? keyText(values[keyIndex][r]) : `${h.rowA[r]}:${h.rowB[r]}`;
  const hasher = new BatchHasher(specs);
  for await (const b of src()) {
    hasher.hash(b);
    for (let r = 0; r < b.rows; r++) {
      if (!selected[bucketOf(hasher, keyIndex, r)]) continue;
      const id = idOf(hasher, b.columns, r);
      const row = {
        rowA: hasher.rowA[r],
        rowB: hasher.rowB[r],
        colA: Int32Array.from(hasher.colA, (c) => c[r]),
        colB: Int32Array.from(hasher.colB, (c) => c[r]),
        values: b.columns.map((c) => c[r])
      };
      const list = held.get(id);
      if (list) list.push(row);
      else held.set(id, [row]);
    }
  }
  const samples = [];
  let changed = 0;
  let extra = 0;
  let compared = 0;
  const keyOf = (values) => keyed ? displayValue(values[keyIndex]) : null;
  const wholeRow = (values, side) => specs.map((spec, c) => ({ name: spec.name, source: side === "source" ? displayValue(values[c]) : null, target: side === "target" ? displayValue(values[c]) : null }));
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
        if (samples.length < sampleSize) samples.push({ key: keyOf(values), kind: "extra-in-target", columns: wholeRow(values, "target") });
        continue;
      }
      const same = list.findIndex((h) => h.rowA === hasher.rowA[r] && h.rowB === hasher.rowB[r]);
      const match = list.splice(same >= 0 ? same : 0, 1)[0];
      if (list.length === 0) held.delete(id);
      if (same >= 0) continue;
      changed++;
      if (samples.length < sampleSize) {
        const cols = specs.map((spec, c) => ({ spec, c })).filter(({ c }) => match.colA[c] !== hasher.colA[c][r] || match.colB[c] !== hasher.colB[c][r]).map(({ spec, c }) => ({ name: spec.name, source: displayValue(match.values[c]), target: displayValue(values[c]) }));
        samples.push({ key: keyOf(values), kind: "changed", columns: cols });
      }
    }
  }
  let missing = 0;
  for (const list of held.values()) {
    for (const row of list) {
      missing++;
      compared++;
      if (samples.length < sampleSize) samples.push({ key: keyOf(row.values), kind: "missing-in-target", columns: wholeRow(row.values, "source") });
    }
  }
  const found = keyed ? changed + extra + missing : Math.max(extra, missing);
  const estimate = allSelected || rowsSelected === 0 ? found : Math.round(found * rowsInDiffering / rowsSelected);
  return {
    report: { matchedOn: keyed ? "key" : "row", bucketsDiffering: differing.length, rowsInDifferingBuckets: rowsInDiffering, rowsCompared: compared, rowsDiffering: found, samples },
    estimate,
    exact: allSelected
  };
}

// src/report/verification-markdown.ts
var MAX_SAMPLE_ROWS = 20;
function cell(v) {
  const text = v === null || v === void 0 ? "null" : typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v);
  const short = text.length > 80 ? `${text.slice(0, 79)}\u2026` : text;
  return `\`${short.replace(/`/g, "'").replace(/\|/g, "\\|")}\``;
}
function pair(p, show = (v) => String(v)) {
  const a = show(p.source);
  const b = show(p.target);
  return a === b ? a : `${a} \u2192 **${b}**`;
}
function ratio(r) {
  if (r === 0) return "0";
  if (r < 1e-4) return r.toExponential(2);
  return `${(r * 100).toFixed(r < 0.01 ? 4 : 2)}%`;
}
function columnRow(c) {
  return `| ${c.equal ? "ok" : "**differs**"} | \`${c.name}\` | ${c.type} | ${pair(c.checksum, (v) => `\`${v}\``)} | ${pair(c.nulls)} | ${pair(c.min, cell)} | ${pair(c.max, cell)} |`;
}
function sampleRows(d) {
  const kind = d.kind === "changed" ? "changed" : d.kind === "missing-in-target" ? "missing in target" : "only in target";
  const key = d.key === null ? "\u2014" : cell(d.key);
  if (d.kind !== "changed") {
    const values = d.columns.map((c) => `${c.name}=${cell(d.kind === "missing-in-target" ? c.source : c.target)}`).join(", ");
    return [`| ${key} | ${kind} | (row) | ${d.kind === "missing-in-target" ? values : ""} | ${d.kind === "extra-in-target" ? values : ""} |`];
  }
  return d.columns.map((c) => `| ${key} | ${kind} | \`${c.name}\` | ${cell(c.source)} | ${cell(c.target)} |`);
}
function renderVerificationMarkdown(r) {
  const lines = [];
  lines.push(`### Verification ${r.pass ? "passed" : "FAILED"}: \`${r.source}\` \u2192 \`${r.target}\``, "");
  if (!r.pass) {
    for (const reason of r.reasons) lines.push(`- ${reason}`);
    lines.push("");
  } else if (!r.equal) {
    lines.push(`Passed within the allowed mismatch ratio (${ratio(r.maxMismatchRatio)}), but the datasets are not identical.`, "");
  }
  lines.push("| | source | target |", "| --- | ---: | ---: |");
  if (r.files.source > 1 || r.files.target > 1) lines.push(`| files | ${r.files.source} | ${r.files.target} |`);
  lines.push(`| rows | ${r.sourceRows} | ${r.targetRows} |`);
  lines.push(`| row checksum | \`${r.rows.checksum.source}\` | \`${r.rows.checksum.target}\` |`, "");
  lines.push(
    `Mismatch ratio **${ratio(r.mismatchRatio)}** (${r.mismatchedRows} row${r.mismatchedRows === 1 ? "" : "s"}${r.mismatchRatioExact ? "" : ", estimated from a sample"}); allowed ${ratio(r.maxMismatchRatio)}. Rows matched on ${r.key ? `\`${r.key}\`` : "whole rows (no verify.key)"}.`,
    ""
  );
  if (r.schema.mismatches.length) {
    lines.push("#### Column types", "", "| column | expected (transformed source) | found (target) |", "| --- | --- | --- |");
    for (const m of r.schema.mismatches) lines.push(`| \`${m.column}\` | ${m.expected} | **${m.actual}** |`);
    lines.push("");
  }
  if (r.columns.length) {
    lines.push("#### Columns", "", "| | column | type | checksum | nulls | min | max |", "| --- | --- | --- | --- | ---: | --- | --- |");
    for (const c of r.columns) lines.push(columnRow(c));
    lines.push("");
  }
  if (r.diff && r.diff.samples.length) {
    const shown = r.diff.samples.slice(0, MAX_SAMPLE_ROWS);
    const d = r.diff;
    lines.push(
      `#### Differing rows (${d.rowsDiffering} found among ${d.rowsCompared} rows compared; ${shown.length} shown)`,
      "",
      ...d.matchedOn === "row" ? ["Without a `verify.key`, a changed row shows as one row missing in the target and one extra row.", ""] : [],
      "| key | difference | column | source | target |",
      "| --- | --- | --- | --- | --- |"
    );
    for (const d2 of shown) lines.push(...sampleRows(d2));
    if (r.diff.samples.length > shown.length) lines.push("", `${r.diff.samples.length - shown.length} more differing rows are in the JSON report.`);
    lines.push("");
  }
  return lines.join("\n");
}

// src/action/modes/verify.ts
async function verifyMode(io) {
  const source = pathIn(io, requiredInput(io, "source", "verify"));
  const target = pathIn(io, requiredInput(io, "target", "verify"));
  const manifestPath = io.input("manifest");
  const loaded = manifestPath ? await loadManifestFile(pathIn(io, manifestPath)) : void 0;
  const overrides = {};
  const schema = loaded ? (await convertOptionsFromManifest(loaded)).schema : void 0;
  if (schema !== void 0) overrides.schema = schema;
  const key = io.input("key");
  if (key) overrides.key = key;
  const ratio2 = numberInput(io, "max-mismatch-ratio", { min: 0, max: 1 });
  if (ratio2 !== void 0) overrides.maxMismatchRatio = ratio2;
  const report = await verifyDataset(source, target, verifyOptionsFrom(loaded?.manifest, overrides));
  const markdown = renderVerificationMarkdown(report);
  const reportPath = pathIn(io, io.input("report-path") || `${io.env.RUNNER_TEMP || tmpdir()}/fleetwave-verify-report.md`);
  await writeFileAtomic(reportPath, `${markdown}
`);
  const jsonPath = reportPath.replace(/(\.md)?$/, ".json");
  await writeFileAtomic(jsonPath, `${JSON.stringify(report, null, 2)}
`);
  await io.summary(`${markdown}
`);
  io.setOutput("pass", report.pass);
  io.setOutput("source-rows", report.sourceRows);
  io.setOutput("target-rows", report.targetRows);
  io.setOutput("mismatched-rows", report.mismatchedRows);
  io.setOutput("mismatch-ratio", report.mismatchRatio);
  io.setOutput("report-path", reportPath);
  io.setOutput("report-json-path", jsonPath);
  io.info(`${report.pass ? "verified" : "MISMATCH"}: ${report.sourceRows} source rows, ${report.targetRows} target rows, mismatch ratio ${report.mismatchRatio}`);
  return report.pass ? {} : { failed: `verification failed: ${report.reasons.join("; ")}` };
}
export {
  verifyMode
};
