/**
 * Impact analysis: which fields a consumer reads from the dataset, checked against what the migration
 * does to them, on the consumer's code AFTER the change rules ran (so a read a rule rewrote is no
 * longer a problem). A read of a dropped field, of a renamed field no rule rewrote, or of a field whose
 * type changes incompatibly is a blocking finding (`file:line`, field, why): the rollout opens no pull
 * request for that consumer.
 *
 * Reads are found three ways: member accesses, string keys, destructuring and `in` on the record type
 * (through the type checker); string keys on values of unknown type in files that name the dataset;
 * columns of SQL files and dbt models resolved to the dataset's table (impact-sql.ts); columns of
 * the frames Python code reads from the dataset (impact-python.ts).
 */
import { readFileSync } from 'node:fs';
import { ts } from 'ts-morph';
import type { AvroRecordSchema } from '../data/transform/avro-schema.js';
import type { Manifest } from '../manifest/types.js';
import { insideRoot } from '../util/inside-root.js';
import { CodemodEngine } from './codemod-engine.js';
import { importersClosure } from './import-graph.js';
import type { ChangeSet, Finding } from './port.js';
import { hasGeneratedMarker, isSourcePath, listRepoFiles, readTextFile } from './repo-files.js';
import { findFieldRefs } from './ts/field-refs.js';
import { firstParseError, lineOfNode } from './ts/parse.js';
import { buildTypedFiles, compilerOptionsFor } from './ts/program.js';
import { targetRecordSchema } from './rules/schema-types.js';
import { explainFate, fieldFates, type FieldFate } from './impact-fields.js';
import { sqlImpact } from './impact-sql.js';
import { pythonImpact } from './impact-python.js';

export interface ImpactInput {
  /** The consumer's checkout (read-only). */
  dir: string;
  manifest: Manifest;
  /** The manifest repository at the manifest's commit (custom codemods, `dataset.schema`). */
  manifestDir?: string;
  sourceSchema?: AvroRecordSchema;
  targetSchema?: AvroRecordSchema;
  /** The change set for this consumer; computed with the codemod engine when absent. */
  changes?: ChangeSet;
  /** Names of the record type in consumer code; default: from renameField/schemaTypes rules and the schema's name. */
  recordTypes?: string[];
}

/** The record type's names in consumer code, from what the manifest says. */
export function recordTypeNames(manifest: Manifest, schema?: AvroRecordSchema): string[] {
  const names = new Set<string>();
  for (const change of manifest.changes as Record<string, unknown>[]) {
    const p = (change.renameField ?? change.schemaTypes) as { type?: string } | undefined;
    if (p?.type) names.add(p.type);
  }
  if (schema) names.add(schema.name.slice(schema.name.lastIndexOf('.') + 1));
  return [...names].sort();
}

/** Words that name the dataset in code and SQL: its URIs and its base name (`play-events`, `play_events`). */
export function datasetMarkers(manifest: Manifest): string[] {
  const uris = [manifest.dataset.source.uri, manifest.dataset.target.uri].map((u) => u.replace(/\/+$/, ''));
  const segments = manifest.dataset.source.uri.split('/').filter((s) => s && !/^v\d+$/i.test(s) && !s.includes(':'));
  const base = segments[segments.length - 1];
  const out = new Set(uris);
  if (base) for (const v of [base, base.replace(/-/g, '_'), base.replace(/[-_]/g, '')]) if (v.length >= 4) out.add(v);
  return [...out];
}

function loadSchemas(input: ImpactInput): { source?: AvroRecordSchema; target?: AvroRecordSchema } {
  let source = input.sourceSchema;
  let target = input.targetSchema;
  const schemaPath = input.manifest.dataset.schema;
  if (!source && schemaPath && input.manifestDir) {
    // Inside the manifest repository once links are resolved (issue 14): a path that leaves it is an
    // InputError naming dataset.schema, not a schema quietly missing; an outside file is never read.
    const path = insideRoot(input.manifestDir, schemaPath, 'dataset.schema', 'the manifest repository');
    try {
      source = JSON.parse(readFileSync(path, 'utf8')) as AvroRecordSchema;
    } catch {
      source = undefined;
    }
  }
  if (!target && source && input.manifestDir && schemaPath) {
    try {
      target = targetRecordSchema(input.manifestDir, schemaPath, input.manifest.dataset.transform);
    } catch {
      target = undefined;
    }
  }
  return { source, target };
}

export async function analyzeImpact(input: ImpactInput): Promise<Finding[]> {
  const changes =
    input.changes ??
    (await new CodemodEngine().compute({ manifest: input.manifest, repo: input.dir, dir: input.dir, manifestDir: input.manifestDir }));
  const { source, target } = loadSchemas(input);
  const fates = fieldFates(input.manifest.dataset.transform, { sourceSchema: source, targetSchema: target });
  const findings: Finding[] = [];
  if (fates.size === 0) return findings;

  // The consumer as it will be after the pull request.
  const after = new Map(changes.edits.map((e) => [e.path, e.after]));
  const listing = listRepoFiles(input.dir);
  const texts = new Map<string, string>();
  for (const path of listing.paths) {
    const a = after.get(path);
    const text = a !== undefined ? (a ?? undefined) : safeRead(input.dir, path);
    if (text !== undefined && !hasGeneratedMarker(text)) texts.set(path, text);
  }
  const markers = datasetMarkers(input.manifest);
  const namesDataset = (text: string) => markers.some((m) => text.includes(m));
  const mentionsFate = (text: string) => [...fates.keys()].some((f) => text.includes(f));

  // SQL and dbt: reads of the dataset's columns, each resolved to its table (impact-sql.ts). The sql
  // rule already reported what it saw in the same files: only what it did not say is added.
  const said = new Set(changes.findings.map(findingKey));
  findings.push(...sqlImpact(input.manifest, texts, fates).filter((f) => !said.has(findingKey(f))));
  // Python (pandas, PySpark, polars): the python rule's analysis on the files as the PR leaves them.
  findings.push(...(await pythonImpact(input.manifest, texts, fates)).filter((f) => !said.has(findingKey(f))));

  // TypeScript/JavaScript: reads through the record type, and string keys on unknown values.
  const typeNames = new Set(input.recordTypes ?? recordTypeNames(input.manifest, source));
  const sources = new Map([...texts].filter(([p]) => isSourcePath(p)));
  const seeds = [...sources].filter(([, t]) => [...typeNames].some((n) => t.includes(n))).map(([p]) => p);
  const reach = importersClosure(sources, seeds);
  const datasetFiles = new Set([...sources].filter(([, t]) => namesDataset(t)).map(([p]) => p));
  const candidates = [...sources.keys()].filter((p) => (reach.has(p) || datasetFiles.has(p)) && mentionsFate(sources.get(p)!)).sort();
  if (typeNames.size === 0 && sources.size > 0) {
    findings.push({
      severity: 'info',
      message:
        'no record type is known (name it in a renameField or schemaTypes rule, or give dataset.schema): typed member reads were not checked',
    });
  }
  if (candidates.length === 0) return sortFindings(findings);
  const roots = new Map(candidates.map((p) => [p, sources.get(p)!]));
  for (const p of after.keys()) if (isSourcePath(p) && sources.has(p)) roots.set(p, sources.get(p)!);
  const typed = buildTypedFiles(input.dir, roots, compilerOptionsFor(input.dir, true));
  for (const path of candidates) {
    const sf = typed.sourceFile(path);
    if (!sf || firstParseError(sf)) continue; // the engine already reported it
    // The checker of the file's own project (a repository may hold several tsconfigs).
    const checker = typed.projectOf(path)?.checker ?? typed.checker;
    const { refs, unresolved } = findFieldRefs(sf, checker, {
      typeNames,
      wants: (f) => fates.has(f),
      reportUnresolved: datasetFiles.has(path),
      missingOnRecord: true,
    });
    for (const r of refs) {
      if (!r.read) continue;
      const fate = fates.get(r.field)!;
      if (fate.kind === 'cast' && !castBreaks(fate, r.nameNode, checker)) continue;
      findings.push({
        severity: 'blocking',
        file: path,
        line: lineOfNode(r.nameNode),
        field: r.field,
        message: explainFate(r.field, fate),
      });
    }
    for (const u of unresolved) {
      const stringKey = ts.isStringLiteralLike(u.node);
      const fate = fates.get(u.field)!;
      findings.push({
        severity: stringKey ? 'blocking' : 'warning',
        file: path,
        line: lineOfNode(u.node),
        field: u.field,
        message: `${explainFate(u.field, fate)}? ${stringKey ? 'A string key' : 'A property'} on a value of unknown type in a file that names the dataset; ${stringKey ? 'treated as a read' : 'check by hand'}`,
      });
    }
  }
  return sortFindings(dedupe(findings));
}

/** A cast breaks a read when the consumer's declared type differs from the new one (when the source schema did not say). */
function castBreaks(fate: Extract<FieldFate, { kind: 'cast' }>, node: ts.Node, checker: ts.TypeChecker): boolean {
  if (fate.from !== undefined) return true;
  const declared = checker.typeToString(checker.getTypeAtLocation(node));
  return declared.replace(/\s*\|\s*(null|undefined)/g, '') !== fate.to;
}

/** The same finding from the rule and from impact analysis: same place and field (the rule's column is on the text before its edits). */
function findingKey(f: Finding): string {
  return `${f.severity}:${f.file}:${f.line}:${f.field}`;
}

function safeRead(dir: string, path: string): string | undefined {
  try {
    return readTextFile(dir, path);
  } catch {
    return undefined;
  }
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.file}:${f.line}:${f.field}:${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.field ?? '').localeCompare(b.field ?? ''),
  );
}
