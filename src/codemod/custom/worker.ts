/**
 * The child process that runs one custom codemod (see runner.ts). Self-contained on purpose: it
 * imports only Node built-ins and, dynamically, the ts-morph the engine hands it, so that it runs both
 * compiled (build/) and transpiled on the fly from source.
 *
 * The transform module (TypeScript or JavaScript, CommonJS or ESM syntax) default-exports
 * `(file: SourceFile, api: { path: string; note(text: string): void }) => void`, and may export
 * `prefilter` (a string or RegExp the file text must match to be handed to it).
 */
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve, sep } from 'node:path';
import type * as TsMorph from 'ts-morph';
import type { CustomJob, CustomResult } from './protocol.js';

type Transform = (file: TsMorph.SourceFile, api: { path: string; note(text: string): void }) => unknown;

function loadModule(job: CustomJob, tsMorph: typeof TsMorph): Record<string, unknown> {
  const { ts } = tsMorph;
  const nodeRequire = createRequire(job.modulePath);
  const cache = new Map<string, { exports: unknown }>();
  const load = (file: string): unknown => {
    const hit = cache.get(file);
    if (hit) return hit.exports;
    const source = readFileSync(file, 'utf8');
    const js = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, jsx: ts.JsxEmit.React },
    }).outputText;
    const module = { exports: {} as unknown };
    cache.set(file, module);
    const localRequire = (spec: string): unknown => {
      if (spec === 'ts-morph') return tsMorph;
      if (spec.startsWith('.') || spec.startsWith('/')) {
        const base = resolve(dirname(file), spec);
        const found = [base, `${base}.ts`, `${base}.js`, base.replace(/\.js$/, '.ts'), `${base}/index.ts`, `${base}/index.js`].find(
          (p) => existsSync(p) && !p.endsWith(sep),
        );
        if (!found || !(found === job.rootDir || found.startsWith(job.rootDir + sep)))
          throw new Error(`cannot load ${spec} from ${file}: only files of the manifest repository can be loaded`);
        return load(found);
      }
      return nodeRequire(spec);
    };
    new Function('require', 'module', 'exports', '__filename', '__dirname', js)(localRequire, module, module.exports, file, dirname(file));
    return module.exports;
  };
  return load(job.modulePath) as Record<string, unknown>;
}

async function run(job: CustomJob): Promise<CustomResult> {
  // The installed package's namespace, or the bundled module's default export (ts-morph-module.ts).
  const imported = (await import(job.tsMorphUrl)) as typeof TsMorph & { default?: typeof TsMorph };
  const tsMorph = typeof imported.Project === 'function' ? imported : imported.default!;
  const mod = loadModule(job, tsMorph);
  const transform = (
    typeof mod.default === 'function' ? mod.default : typeof mod.transform === 'function' ? mod.transform : mod
  ) as Transform;
  if (typeof transform !== 'function') throw new Error(`${job.modulePath} exports no function (export default function (file, api) { … })`);
  const prefilter = mod.prefilter;
  const test = (text: string) =>
    typeof prefilter === 'string' ? text.includes(prefilter) : prefilter instanceof RegExp ? prefilter.test(text) : true;
  const project = new tsMorph.Project({
    useInMemoryFileSystem: true,
    compilerOptions: { allowJs: true, jsx: tsMorph.ts.JsxEmit.Preserve },
  });
  const notes: string[] = [];
  const out: { path: string; text: string }[] = [];
  for (const f of job.files) {
    if (!test(f.text)) continue;
    const sf = project.createSourceFile(`/repo/${f.path}`, f.text, { overwrite: true });
    await transform(sf, { path: f.path, note: (text) => notes.push(`${f.path}: ${text}`) });
    const text = sf.getFullText();
    if (text !== f.text) out.push({ path: f.path, text });
  }
  return { ok: true, files: out, notes };
}

process.on('message', (job: CustomJob) => {
  run(job).then(
    (result) => process.send!(result, () => process.exit(0)),
    (err: unknown) =>
      process.send!({ ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies CustomResult, () =>
        process.exit(0),
      ),
  );
});
