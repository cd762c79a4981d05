import { createRequire as __fwCreateRequire } from 'node:module';
import { dirname as __fwDirname } from 'node:path';
import { fileURLToPath as __fwFileURLToPath } from 'node:url';
const require = __fwCreateRequire(import.meta.url);
const __filename = __fwFileURLToPath(import.meta.url);
const __dirname = __fwDirname(__filename);
import {
  loadManifest
} from "./chunk-Y5Y236LS.js";
import "./chunk-2D776WV5.js";
import {
  pathIn,
  requiredInput
} from "./chunk-JEG7EJH7.js";
import "./chunk-EBGSD6R6.js";
import {
  FleetwaveError,
  ValidationError
} from "./chunk-OWQR4BEP.js";
import "./chunk-6L7NLG3T.js";

// src/action/modes/validate.ts
import { readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
function manifestFiles(io, raw) {
  const files = [];
  for (const name of raw.split(/[\s,]+/).filter(Boolean)) {
    const abs = pathIn(io, name);
    const info = statSync(abs, { throwIfNoEntry: false });
    if (info?.isDirectory()) {
      files.push(...readdirSync(abs).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => join(abs, f)));
    } else files.push(abs);
  }
  return files;
}
async function check(file) {
  try {
    const loaded = await loadManifest(file);
    return { file, migration: loaded.manifest.metadata.name, problems: [] };
  } catch (err) {
    if (err instanceof ValidationError) return { file, problems: err.problems };
    if (err instanceof FleetwaveError && err.kind === "input") return { file, problems: [], error: err.message };
    throw err;
  }
}
function cell(text) {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
async function validateMode(io) {
  const files = manifestFiles(io, requiredInput(io, "manifest", "validate"));
  if (files.length === 0) return { failed: `no manifest (*.yaml, *.yml) in ${io.input("manifest")}` };
  const root = resolve(io.env.GITHUB_WORKSPACE ?? process.cwd());
  const shown = (file) => relative(root, resolve(file)) || file;
  const results = [];
  for (const file of files) results.push(await check(file));
  const rows = [];
  let problems = 0;
  for (const r of results) {
    if (r.error) {
      problems++;
      io.error(r.error, { file: shown(r.file), title: "Fleetwave manifest" });
      rows.push(`| \`${cell(shown(r.file))}\` | \u274C | | ${cell(r.error)} |`);
    }
    for (const p of r.problems) {
      problems++;
      io.error(p.message, { file: shown(p.file || r.file), startLine: p.line, startColumn: p.col, title: "Fleetwave manifest" });
      rows.push(`| \`${cell(shown(p.file || r.file))}\` | \u274C | ${p.line}:${p.col} | ${cell(p.message)} |`);
    }
    if (!r.error && r.problems.length === 0) rows.push(`| \`${cell(shown(r.file))}\` | \u2705 | | valid: migration \`${cell(r.migration ?? "")}\` |`);
  }
  const invalid = results.filter((r) => r.error || r.problems.length).length;
  const summary = [
    "## Fleetwave: validate",
    "",
    invalid ? `**${invalid} of ${results.length} manifest(s) invalid**, ${problems} problem(s).` : `All ${results.length} manifest(s) valid.`,
    "",
    "| file | result | line:col | problem |",
    "| --- | --- | --- | --- |",
    ...rows,
    ""
  ].join("\n");
  await io.summary(summary);
  io.setOutput("valid", invalid === 0);
  io.setOutput("problems", problems);
  io.setOutput("migrations", JSON.stringify(results.filter((r) => r.migration).map((r) => r.migration)));
  return invalid ? { failed: `${invalid} invalid manifest(s), ${problems} problem(s): see the annotations` } : {};
}
export {
  manifestFiles,
  validateMode
};
