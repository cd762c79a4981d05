/**
 * From a value's path (as zod reports it: `['rollout', 'waves', 2]`) back to the YAML node that
 * holds it, and from there to an offset in the text; and the dotted form of a path for messages.
 */
import { isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { resolveNode } from './yaml-document.js';

/** `rollout.waves[2]`, `changes[0].replace.from`; odd keys quoted: `a["b.c"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][\w$-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

interface Step {
  node: unknown;
  /** The key node naming this step's value in its parent mapping. */
  keyNode?: Node;
}

/**
 * Each mapping's pairs by key text, built once per mapping: a lookup is then constant time, so
 * placing every problem of a document with n keys is linear in n (a scan per lookup made a manifest
 * with 105k unknown keys take minutes). The last pair of a key wins, as in the parsed value.
 */
const pairIndex = new WeakMap<YAMLMap, Map<string, Pair>>();
function pairOf(map: YAMLMap, segment: PropertyKey): Pair | undefined {
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    for (const pair of map.items) index.set(String(isScalar(pair.key) ? pair.key.value : pair.key), pair);
    pairIndex.set(map, index);
  }
  return index.get(String(segment));
}

/** The nodes along `path`, as far as the document has them (index 0 is the document's root). */
function walk(doc: Document.Parsed, path: readonly PropertyKey[]): Step[] {
  const steps: Step[] = [{ node: doc.contents }];
  let current: unknown = doc.contents;
  for (const segment of path) {
    current = resolveNode(doc, current);
    if (isMap(current)) {
      const pair = pairOf(current, segment);
      if (!pair) break;
      current = pair.value;
      steps.push({ node: pair.value, keyNode: pair.key as Node });
    } else if (isSeq(current) && typeof segment === 'number' && segment < current.items.length) {
      current = current.items[segment];
      steps.push({ node: current });
    } else break;
  }
  return steps;
}

function start(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}

/** True for a value left empty (`owner:` with nothing after it). */
function isEmptyValue(node: unknown): boolean {
  return isScalar(node) && node.value === null && !node.source;
}

/** Where the container of a missing field is named: its key, or where it starts. */
function containerOffset(steps: Step[]): number {
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!;
    const at = start(step.keyNode) ?? (isEmptyValue(step.node) ? undefined : start(step.node));
    if (at !== undefined) return at;
  }
  return 0;
}

/** Offset of the value at `path`; when the path does not exist, of the closest existing container. */
export function valueOffset(doc: Document.Parsed, path: readonly PropertyKey[]): number {
  const steps = walk(doc, path);
  if (steps.length !== path.length + 1) return containerOffset(steps);
  const last = steps[steps.length - 1]!;
  if (isEmptyValue(last.node) || start(last.node) === undefined) return start(last.keyNode) ?? containerOffset(steps.slice(0, -1));
  return start(last.node)!;
}

/** Offset of the key naming the value at `path` (an unknown or duplicate key), else of its value. */
export function keyOffset(doc: Document.Parsed, path: readonly PropertyKey[]): number {
  const steps = walk(doc, path);
  if (steps.length !== path.length + 1) return containerOffset(steps);
  const last = steps[steps.length - 1]!;
  return start(last.keyNode) ?? valueOffset(doc, path);
}

/** Offset for a field that should be at `path` but is not: where its container is named. */
export function missingOffset(doc: Document.Parsed, path: readonly PropertyKey[]): number {
  return containerOffset(walk(doc, path.slice(0, -1)));
}
