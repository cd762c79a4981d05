/**
 * Files a manifest names in its own repository — `dataset.schema`, a `codemod` rule's module, an `agent`
 * rule's prompt — checked where they must be, so `fleetwave validate` reports a missing or misplaced one
 * at its line and column instead of the first run failing on it. Paths are relative to the manifest
 * repository's root (docs/manifest.md), and must stay inside it (src/util/inside-root.ts).
 */
import { statSync } from 'node:fs';
import { FleetwaveError, type Problem } from '../util/errors.js';
import { insideRoot } from '../util/inside-root.js';
import type { LoadedManifest, Manifest } from './types.js';
import { readYaml } from './yaml-document.js';
import { formatPath, valueOffset } from './yaml-positions.js';

/** One file the manifest names: where (its path in the manifest) and what it is, for the message. */
export interface FileReference {
  path: (string | number)[];
  file: string;
  what: string;
}

/** Every file the manifest names in the manifest repository, in the order they appear. */
export function referencedFiles(manifest: Manifest): FileReference[] {
  const found: FileReference[] = [];
  if (manifest.dataset.schema !== undefined)
    found.push({ path: ['dataset', 'schema'], file: manifest.dataset.schema, what: "the dataset's Avro schema" });
  manifest.changes.forEach((rule, i) => {
    const codemod = rule['codemod'] as string | { module: string } | undefined;
    if (typeof codemod === 'string') found.push({ path: ['changes', i, 'codemod'], file: codemod, what: 'the codemod module' });
    else if (codemod) found.push({ path: ['changes', i, 'codemod', 'module'], file: codemod.module, what: 'the codemod module' });
    const agent = rule['agent'] as { prompt: string } | undefined;
    if (agent) found.push({ path: ['changes', i, 'agent', 'prompt'], file: agent.prompt, what: "the agent's prompt" });
  });
  return found;
}

/** What is wrong with one reference under `root`, or null when it names a readable file there. */
function problemOf(root: string, ref: FileReference): string | null {
  const field = formatPath(ref.path);
  let real: string;
  try {
    real = insideRoot(root, ref.file, field, 'the manifest repository');
  } catch (err) {
    if (err instanceof FleetwaveError) return err.message;
    throw err;
  }
  try {
    if (statSync(real).isFile()) return null;
    return `${field}: ${ref.file} in the manifest repository (${root}) is not a file; name ${ref.what} there`;
  } catch {
    return `${field}: ${ref.file} is not in the manifest repository (${root}); add ${ref.what} there, or fix the path (it is relative to the repository's root, not to the manifest's folder)`;
  }
}

/**
 * Problems (file:line:col) of the files the manifest names, checked in the manifest repository whose
 * root `rootOf` finds (asked only when the manifest names a file: finding it may ask git).
 */
export function checkReferencedFiles(loaded: LoadedManifest, rootOf: () => string): Problem[] {
  const refs = referencedFiles(loaded.manifest);
  if (refs.length === 0) return [];
  const root = rootOf();
  const read = readYaml(loaded.text);
  const problems: Problem[] = [];
  for (const ref of refs) {
    const message = problemOf(root, ref);
    if (message === null) continue;
    const { line, col } = read.doc ? read.lineCounter.linePos(valueOffset(read.doc, ref.path)) : { line: 1, col: 1 };
    problems.push({ file: loaded.path, line, col, path: formatPath(ref.path), message });
  }
  return problems;
}
