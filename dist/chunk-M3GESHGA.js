import { createRequire as __fwCreateRequire } from 'node:module';
import { dirname as __fwDirname } from 'node:path';
import { fileURLToPath as __fwFileURLToPath } from 'node:url';
const require = __fwCreateRequire(import.meta.url);
const __filename = __fwFileURLToPath(import.meta.url);
const __dirname = __fwDirname(__filename);
import {
  convertDataset,
  convertOptionsFromManifest,
  loadManifestFile
} from "./chunk-GKRZFEVQ.js";
import "./chunk-ZJBSL7X7.js";
import "./chunk-NGQIHGYD.js";
import {
  numberInput,
  pathIn,
  requiredInput,
  workingDirectory
} from "./chunk-JEG7EJH7.js";
import "./chunk-3Q6D2GGJ.js";
import "./chunk-DKKWGIKB.js";
import "./chunk-EBGSD6R6.js";
import {
  InputError
} from "./chunk-OWQR4BEP.js";
import "./chunk-6L7NLG3T.js";

// src/action/modes/convert.ts
import { relative } from "node:path";
var COMPRESSIONS = ["zstd", "snappy", "gzip", "none"];
function mib(bytes) {
  return bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}
function renderConvertMarkdown(r, base) {
  const lines = [
    "## Fleetwave: convert",
    "",
    `Converted **${r.rows.toLocaleString("en")} rows** from ${r.files.reduce((n, f) => n + f.sources.length, 0)} Avro file(s) (${mib(r.sourceBytes)}) into ${r.files.length} Parquet file(s) (${mib(r.bytes)}, ${r.compression}, row groups of ${r.rowGroupSize.toLocaleString("en")}) in ${(r.durationMs / 1e3).toFixed(1)} s.`,
    "",
    "| Parquet file | rows | row groups | size |",
    "| --- | ---: | ---: | ---: |",
    ...r.files.map((f) => `| \`${relative(base, f.target) || f.target}\` | ${f.rows.toLocaleString("en")} | ${f.rowGroups} | ${mib(f.bytes)} |`)
  ];
  if (r.warnings.length) lines.push("", ...r.warnings.map((w) => `> **warning:** ${w}`));
  return `${lines.join("\n")}
`;
}
async function convertMode(io) {
  const source = pathIn(io, requiredInput(io, "source", "convert"));
  const target = pathIn(io, requiredInput(io, "target", "convert"));
  const manifest = io.input("manifest");
  const options = manifest ? await convertOptionsFromManifest(await loadManifestFile(pathIn(io, manifest))) : {};
  const compression = io.input("compression");
  if (compression) {
    if (!COMPRESSIONS.includes(compression)) throw new InputError(`input \`compression\`: "${compression}" is not one of ${COMPRESSIONS.join(", ")}`);
    options.compression = compression;
  }
  const rowGroupSize = numberInput(io, "row-group-size", { min: 1, integer: true });
  if (rowGroupSize !== void 0) options.rowGroupSize = rowGroupSize;
  const workers = numberInput(io, "workers", { min: 0, max: 16, integer: true });
  if (workers !== void 0) options.workers = workers;
  const result = await convertDataset(source, target, options);
  for (const w of result.warnings) io.warning(w);
  io.info(`converted ${result.rows} rows into ${result.files.length} Parquet file(s), ${result.bytes} bytes`);
  io.setOutput("rows", result.rows);
  io.setOutput("files", result.files.length);
  io.setOutput("bytes", result.bytes);
  io.setOutput("target", result.target);
  io.setOutput("outputs", JSON.stringify(result.files.map((f) => f.target)));
  await io.summary(renderConvertMarkdown(result, workingDirectory(io)));
  return {};
}
export {
  convertMode,
  renderConvertMarkdown
};
