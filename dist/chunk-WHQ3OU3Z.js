import { createRequire as __fwCreateRequire } from 'node:module';
import { dirname as __fwDirname } from 'node:path';
import { fileURLToPath as __fwFileURLToPath } from 'node:url';
const require = __fwCreateRequire(import.meta.url);
const __filename = __fwFileURLToPath(import.meta.url);
const __dirname = __fwDirname(__filename);
import {
  CodemodEngine
} from "./chunk-XONG2GVB.js";
import {
  loadManifest,
  unifiedDiff
} from "./chunk-Y5Y236LS.js";
import "./chunk-2D776WV5.js";
import {
  checkRepoDir,
  manifestRepoDir
} from "./chunk-NGQIHGYD.js";
import {
  booleanInput,
  pathIn,
  requiredInput,
  workingDirectory
} from "./chunk-JEG7EJH7.js";
import "./chunk-EBGSD6R6.js";
import {
  StateError
} from "./chunk-OWQR4BEP.js";
import "./chunk-6L7NLG3T.js";

// src/action/modes/codemod.ts
import { basename as basename2, join as join2, relative, resolve } from "node:path";

// src/codemod/write-edits.ts
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
function writeEditsAtomically(dir, edits) {
  for (const e of edits) {
    const current = existsSync(join(dir, e.path)) ? readFileSync(join(dir, e.path), "utf8") : null;
    if (current !== e.before) throw new StateError(`${e.path} changed while the codemod ran; run it again`);
  }
  const staged = [];
  try {
    for (const e of edits) {
      const target = join(dir, e.path);
      const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
      if (e.after !== null) writeFileSync(tmp, e.after);
      staged.push({ tmp, target, remove: e.after === null });
    }
  } catch (err) {
    for (const s of staged) rmSync(s.tmp, { force: true });
    throw err;
  }
  for (const s of staged) {
    if (s.remove) rmSync(s.target, { force: true });
    else renameSync(s.tmp, s.target);
  }
}

// src/action/modes/codemod.ts
function cell(text) {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
function renderCodemodMarkdown(migration, set, dryRun) {
  const lines = ["## Fleetwave: codemod", ""];
  const verb = dryRun ? "would change" : "changed";
  lines.push(`Migration \`${migration}\` ${verb} **${set.edits.length} file(s)**${dryRun ? " (dry run: nothing written)" : ""}.`, "");
  if (set.summaries.length) {
    lines.push("| rule | what | changes | files |", "| --- | --- | ---: | ---: |");
    for (const s of set.summaries) lines.push(`| ${cell(s.rule)} | ${cell(s.description)} | ${s.files.reduce((n, f) => n + f.count, 0)} | ${s.files.length} |`);
    lines.push("");
  }
  if (set.edits.length) lines.push("Files:", "", ...set.edits.map((e) => `- \`${e.path}\`${e.after === null ? " (removed)" : e.before === null ? " (new)" : ""}`), "");
  const findings = set.findings.filter((f) => f.severity !== "info");
  if (findings.length) {
    lines.push("| severity | where | finding |", "| --- | --- | --- |");
    for (const f of findings) lines.push(`| ${f.severity} | ${f.file ? `\`${cell(f.file)}${f.line ? `:${f.line}` : ""}\`` : ""} | ${f.field ? `\`${cell(f.field)}\`: ` : ""}${cell(f.message)} |`);
    lines.push("");
  }
  if (dryRun && set.edits.length) lines.push("<details><summary>Diff</summary>", "", "```diff", ...set.edits.map((e) => unifiedDiff(e).replace(/\n$/, "")), "```", "", "</details>", "");
  return lines.join("\n");
}
async function codemodMode(io) {
  const manifestPath = pathIn(io, requiredInput(io, "manifest", "codemod"));
  const dryRun = booleanInput(io, "dry-run");
  const loaded = await loadManifest(manifestPath);
  const dir = checkRepoDir(workingDirectory(io));
  const repo = io.input("repository") || io.env.GITHUB_REPOSITORY || basename2(dir);
  const engine = new CodemodEngine({ onProgress: (m) => io.info(m) });
  const set = await engine.compute({ manifest: loaded.manifest, repo, dir, manifestDir: manifestRepoDir(manifestPath, io.input("manifest-dir") ? pathIn(io, io.input("manifest-dir")) : void 0) });
  for (const f of set.findings) {
    if (f.severity === "info") continue;
    const where = f.file ? { file: relative(resolve(io.env.GITHUB_WORKSPACE ?? process.cwd()), join2(dir, f.file)), ...f.line ? { startLine: f.line } : {}, title: `Fleetwave codemod (${f.severity})` } : void 0;
    const message = `${f.field ? `[${f.field}] ` : ""}${f.message}`;
    if (f.severity === "blocking") io.error(message, where);
    else io.warning(message, where);
  }
  if (!dryRun) writeEditsAtomically(dir, set.edits);
  io.info(`${dryRun ? "would change" : "changed"} ${set.edits.length} file(s) in ${dir}`);
  io.setOutput("migration", loaded.manifest.metadata.name);
  io.setOutput("files-changed", set.edits.length);
  io.setOutput("changed-files", JSON.stringify(set.edits.map((e) => e.path)));
  io.setOutput("blocking", set.findings.filter((f) => f.severity === "blocking").length);
  await io.summary(renderCodemodMarkdown(loaded.manifest.metadata.name, set, dryRun));
  return {};
}
export {
  codemodMode,
  renderCodemodMarkdown
};
