#!/usr/bin/env node
/**
 * `npm run bundle`: the GitHub Action as self-contained files (action.yml runs dist/index.js with no
 * node_modules). esbuild, ESM for the Action's runtime (node24), everything bundled:
 *   index.js           the Action (src/action/main.ts)
 *   side-worker.js     verify's worker thread (src/data/verify/verify.ts looks for it beside itself)
 *   convert-worker.js  convert's worker threads (input `workers`)
 *   worker.js          the child process that runs a custom codemod
 *   chunk-*.js         code shared by the entries, or loaded only by some modes
 *   parquet_wasm_bg.wasm  parquet-wasm's WebAssembly, which it reads from beside its own file
 * dist/ is not kept on main: `npm test` bundles into build/action/ and runs it there
 * (test/setup/bundle-action.mjs), and scripts/release.mjs bundles the committed sources into dist/ on a
 * release commit (docs/action.md, "Releases"). The output is deterministic.
 *
 * Usage: node scripts/bundle.mjs [--outdir <dir>] [--git-ref <ref>] [--quiet]
 *   --outdir DIR    where to write (default: dist/); emptied first
 *   --git-ref REF   bundle the sources (src/**) as committed at REF, not as they are in the working tree
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const at = args.indexOf('--outdir');
const outdir = resolve(at >= 0 && args[at + 1] ? args[at + 1] : join(root, 'dist'));
const quiet = args.includes('--quiet');
const refAt = args.indexOf('--git-ref');
const gitRef = refAt >= 0 ? args[refAt + 1] : undefined;
if (refAt >= 0 && !gitRef) throw new Error('--git-ref needs a ref, e.g. HEAD');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// CommonJS dependencies bundled into ESM still call require() and read __dirname / __filename
// (parquet-wasm reads its .wasm from `${__dirname}`): give them the bundle's own.
const banner = [
  "import { createRequire as __fwCreateRequire } from 'node:module';",
  "import { dirname as __fwDirname } from 'node:path';",
  "import { fileURLToPath as __fwFileURLToPath } from 'node:url';",
  'const require = __fwCreateRequire(import.meta.url);',
  'const __filename = __fwFileURLToPath(import.meta.url);',
  'const __dirname = __fwDirname(__filename);',
].join('\n');

/**
 * src/version.ts finds Fleetwave's version by walking up to package.json; the bundle carries it
 * instead, and its package root is the folder above dist/ (the Action's repository).
 */
const versionPlugin = {
  name: 'fleetwave-version',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]version\.ts$/ }, () => ({
      loader: 'ts',
      contents: [
        "import { dirname } from 'node:path';",
        "import { fileURLToPath } from 'node:url';",
        "/** The folder above dist/: the Action's repository. */",
        'export function packageRoot(): string {',
        '  return dirname(dirname(fileURLToPath(import.meta.url)));',
        '}',
        `export const VERSION: string = ${JSON.stringify(pkg.version)};`,
      ].join('\n'),
    }));
  },
};

/** With --git-ref: every file under src/ read from that commit (`git show <ref>:<path>`). */
const gitSourcesPlugin = {
  name: 'fleetwave-git-sources',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const rel = relative(root, args.path);
      if (!rel.startsWith(`src${sep}`)) return undefined;
      const contents = execFileSync('git', ['show', `${gitRef}:${rel.split(sep).join('/')}`], {
        cwd: root,
        encoding: 'utf8',
        maxBuffer: 64 * 2 ** 20,
      });
      return { loader: 'ts', contents };
    });
  },
};

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: {
    index: 'src/action/main.ts',
    'side-worker': 'src/data/verify/side-worker.ts',
    'convert-worker': 'src/data/convert-worker.ts',
    worker: 'src/codemod/custom/worker.ts',
    'ts-morph-module': 'src/codemod/custom/ts-morph-module.ts',
  },
  outdir,
  bundle: true,
  // Modes load their code on demand (src/action/modes/index.ts): shared chunks beside the entries,
  // in dist/ itself, so that every file's import.meta.url and __dirname is dist/.
  splitting: true,
  chunkNames: 'chunk-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node24',
  banner: { js: banner },
  plugins: gitRef ? [versionPlugin, gitSourcesPlugin] : [versionPlugin],
  legalComments: 'none',
  logLevel: quiet ? 'error' : 'warning',
  metafile: true,
});
if (result.errors.length) process.exit(1);

const require = createRequire(join(root, 'package.json'));
const wasm = join(dirname(require.resolve('parquet-wasm/node')), 'parquet_wasm_bg.wasm');
copyFileSync(wasm, join(outdir, 'parquet_wasm_bg.wasm'));
// The python rule's parser: web-tree-sitter finds its runtime beside its module (import.meta.url),
// src/codemod/python/parser.ts the grammar beside itself; both are chunks in this folder.
copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), join(outdir, 'web-tree-sitter.wasm'));
copyFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm'), join(outdir, 'tree-sitter-python.wasm'));

if (!quiet) {
  for (const f of readdirSync(outdir).sort())
    process.stdout.write(`${join(outdir, f)}  ${(statSync(join(outdir, f)).size / 2 ** 20).toFixed(2)} MiB\n`);
}
