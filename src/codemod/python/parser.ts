/**
 * The Python parser: tree-sitter's Python grammar in WebAssembly (`web-tree-sitter` +
 * `tree-sitter-python`; why these: docs/decisions/0010-python-parser.md). Loaded once per process, on
 * first use. Node offsets are JavaScript string offsets (UTF-16 code units), so spans edit the text
 * as read.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { Language, Parser, type Tree } from 'web-tree-sitter';

let loading: Promise<Parser> | undefined;

/** The grammar's .wasm: from the package, or beside this file in the Action's bundle (scripts/bundle.mjs copies it). */
function grammarPath(): string {
  const bundled = fileURLToPath(new URL('./tree-sitter-python.wasm', import.meta.url));
  if (existsSync(bundled)) return bundled;
  return createRequire(import.meta.url).resolve('tree-sitter-python/tree-sitter-python.wasm');
}

async function load(): Promise<Parser> {
  await Parser.init();
  const language = await Language.load(grammarPath());
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/** The syntax tree of `text`; `null` when the grammar gave up. */
export async function parsePython(text: string): Promise<Tree | null> {
  loading ??= load();
  const parser = await loading;
  return parser.parse(text);
}
