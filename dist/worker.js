import { createRequire as __fwCreateRequire } from 'node:module';
import { dirname as __fwDirname } from 'node:path';
import { fileURLToPath as __fwFileURLToPath } from 'node:url';
const require = __fwCreateRequire(import.meta.url);
const __filename = __fwFileURLToPath(import.meta.url);
const __dirname = __fwDirname(__filename);

// src/codemod/custom/worker.ts
import { readFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve, sep } from "node:path";
function loadModule(job, tsMorph) {
  const { ts } = tsMorph;
  const nodeRequire = createRequire(job.modulePath);
  const cache = /* @__PURE__ */ new Map();
  const load = (file) => {
    const hit = cache.get(file);
    if (hit) return hit.exports;
    const source = readFileSync(file, "utf8");
    const js = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, jsx: ts.JsxEmit.React }
    }).outputText;
    const module = { exports: {} };
    cache.set(file, module);
    const localRequire = (spec) => {
      if (spec === "ts-morph") return tsMorph;
      if (spec.startsWith(".") || spec.startsWith("/")) {
        const base = resolve(dirname(file), spec);
        const found = [base, `${base}.ts`, `${base}.js`, base.replace(/\.js$/, ".ts"), `${base}/index.ts`, `${base}/index.js`].find((p) => existsSync(p) && !p.endsWith(sep));
        if (!found || !(found === job.rootDir || found.startsWith(job.rootDir + sep))) throw new Error(`cannot load ${spec} from ${file}: only files of the manifest repository can be loaded`);
        return load(found);
      }
      return nodeRequire(spec);
    };
    new Function("require", "module", "exports", "__filename", "__dirname", js)(localRequire, module, module.exports, file, dirname(file));
    return module.exports;
  };
  return load(job.modulePath);
}
async function run(job) {
  const imported = await import(job.tsMorphUrl);
  const tsMorph = typeof imported.Project === "function" ? imported : imported.default;
  const mod = loadModule(job, tsMorph);
  const transform = typeof mod.default === "function" ? mod.default : typeof mod.transform === "function" ? mod.transform : mod;
  if (typeof transform !== "function") throw new Error(`${job.modulePath} exports no function (export default function (file, api) { \u2026 })`);
  const prefilter = mod.prefilter;
  const test = (text) => typeof prefilter === "string" ? text.includes(prefilter) : prefilter instanceof RegExp ? prefilter.test(text) : true;
  const project = new tsMorph.Project({ useInMemoryFileSystem: true, compilerOptions: { allowJs: true, jsx: tsMorph.ts.JsxEmit.Preserve } });
  const notes = [];
  const out = [];
  for (const f of job.files) {
    if (!test(f.text)) continue;
    const sf = project.createSourceFile(`/repo/${f.path}`, f.text, { overwrite: true });
    await transform(sf, { path: f.path, note: (text2) => notes.push(`${f.path}: ${text2}`) });
    const text = sf.getFullText();
    if (text !== f.text) out.push({ path: f.path, text });
  }
  return { ok: true, files: out, notes };
}
process.on("message", (job) => {
  run(job).then(
    (result) => process.send(result, () => process.exit(0)),
    (err) => process.send({ ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) }, () => process.exit(0))
  );
});
