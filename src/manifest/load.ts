/**
 * Reading a manifest: YAML (kept with positions) → schema → relation checks. Every problem of the
 * file is reported at once, each as `file:line:col: path: message`, in a ValidationError.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { Document } from 'yaml';
import { InputError, ValidationError, type Problem } from '../util/errors.js';
import { ruleNames, ruleParams } from './change-rules.js';
import {
  defaultMessages,
  describeValue,
  explainIssues,
  explainKeyedList,
  isInKeyedList,
  type KeyedList,
  type PathProblem,
} from './issues.js';
import { elementSchemaAt, keyedBranches } from './schema-walk.js';
import { manifestSchema } from './schema.js';
import { checkManifest } from './semantic.js';
import type { LoadedManifest, Manifest } from './types.js';
import { readYaml, yamlLimits } from './yaml-document.js';
import { formatPath, keyOffset, missingOffset, valueOffset } from './yaml-positions.js';

function keyedFromSchema(path: readonly string[], noun: string, example: string): KeyedList {
  const element = elementSchemaAt(manifestSchema, path);
  const branches = element ? keyedBranches(element) : new Map();
  return { path, noun, names: [...branches.keys()], branch: (name) => branches.get(name), example };
}

/** The lists whose entries name one kind each; judged entry by entry (see explainKeyedList). */
function keyedLists(): KeyedList[] {
  return [
    keyedFromSchema(['dataset', 'transform'], 'transform step', '`- rename: { from: user_id, to: userId }`'),
    keyedFromSchema(['consumers', 'discover'], 'discovery source', '`- search: data/play-events/v1`'),
    {
      path: ['changes'],
      noun: 'rule',
      // change-rules.ts is the one list of rules: a rule added there is known here.
      names: ruleNames,
      branch: ruleParams,
      example: '`- replace: { from: data/v1, to: data/v2 }`',
    },
  ];
}

function toProblem(
  file: string,
  doc: Document.Parsed,
  lineCounter: { linePos(offset: number): { line: number; col: number } },
  p: PathProblem,
): Problem {
  const offset = p.at === 'key' ? keyOffset(doc, p.path) : p.at === 'missing' ? missingOffset(doc, p.path) : valueOffset(doc, p.path);
  const { line, col } = lineCounter.linePos(offset);
  return { file, line, col, path: formatPath(p.path), message: p.message };
}

function byPosition(a: Problem, b: Problem): number {
  return a.line - b.line || a.col - b.col;
}

/** Dedupe problems with the same position and message (a union can report one fault twice). */
function unique(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}:${p.col}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The top-level sections that pass the schema on their own (for the relation checks). */
function validSections(value: Record<string, unknown>): Partial<Manifest> {
  const sections: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(manifestSchema.shape)) {
    const result = schema.safeParse(value[key]);
    if (result.success) sections[key] = result.data;
  }
  return sections as Partial<Manifest>;
}

/**
 * Parse and validate a manifest's text. `file` names it in problems. Throws ValidationError with
 * every problem found; returns the manifest with defaults filled in.
 */
export function parseManifest(text: string, file: string): LoadedManifest {
  const read = readYaml(text);
  const at = (offset: number) => read.lineCounter.linePos(offset);
  const problems: Problem[] = read.problems.map((p) => ({ file, ...at(p.offset), path: '', message: p.message }));
  if (read.fatal || !read.doc) throw new ValidationError(problems.sort(byPosition));
  const doc = read.doc;
  const value = read.value;

  if (value === null || value === undefined) {
    throw new ValidationError([
      ...problems,
      { file, line: 1, col: 1, path: '', message: 'the manifest is empty; start with apiVersion: fleetwave/v1 and kind: DatasetMigration' },
    ]);
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    const { line, col } = at(doc.contents?.range[0] ?? 0);
    throw new ValidationError([
      ...problems,
      {
        file,
        line,
        col,
        path: '',
        message: `expected a mapping at the top (apiVersion, kind, metadata, ...), got ${describeValue(value)}`,
      },
    ]);
  }

  const result = manifestSchema.safeParse(value, { error: defaultMessages });
  if (!result.success) {
    const lists = keyedLists();
    const plain = result.error.issues.filter((issue) => !lists.some((list) => isInKeyedList(issue.path, list)));
    const pathProblems = [
      ...explainIssues(plain, value, manifestSchema),
      ...lists.flatMap((list) => explainKeyedList(list, value)),
      ...checkManifest(validSections(value as Record<string, unknown>)),
    ];
    problems.push(...pathProblems.map((p) => toProblem(file, doc, read.lineCounter, p)));
    throw new ValidationError(unique(problems).sort(byPosition));
  }
  const manifest: Manifest = result.data;
  problems.push(...checkManifest(manifest).map((p) => toProblem(file, doc, read.lineCounter, p)));
  if (problems.length) throw new ValidationError(unique(problems).sort(byPosition));
  return { manifest, path: file, hash: createHash('sha256').update(text, 'utf8').digest('hex'), text };
}

/**
 * Read, parse and validate the manifest at `path`. A file over the size cap is refused before it is
 * read; a missing or unreadable file is an InputError; a bad one a ValidationError.
 */
export async function loadManifest(path: string): Promise<LoadedManifest> {
  let bytes: Buffer;
  try {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      if (size > yamlLimits.maxBytes) {
        throw new ValidationError([
          {
            file: path,
            line: 1,
            col: 1,
            path: '',
            message: `the file is ${size} bytes; a manifest may be at most ${yamlLimits.maxBytes} bytes (1 MiB); it is not read`,
          },
        ]);
      }
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (err as Error).message;
    throw new InputError(`cannot read manifest ${path}: ${reason}; pass the path of a manifest YAML file`, { cause: err });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new ValidationError([
      { file: path, line: 1, col: 1, path: '', message: 'the file is not UTF-8 text; save the manifest as UTF-8' },
    ]);
  }
  const loaded = parseManifest(text, path);
  // The hash is of the bytes on disk (equal to the text's UTF-8 bytes, checked above).
  return { ...loaded, hash: createHash('sha256').update(bytes).digest('hex') };
}
