import { readFileSync } from 'node:fs';
import { ts } from 'ts-morph';
import { compileTransform } from '../../data/transform/apply.js';
import type { AvroRecordSchema } from '../../data/transform/avro-schema.js';
import { CodemodError } from '../errors.js';
import { hasGeneratedMarker } from '../repo-files.js';
import { declarationsFile, interfacesFromSchema } from '../schema-types.js';
import { parseSource } from '../ts/parse.js';
import type { RepoRule } from './rule.js';
import { schemaTypesParams, type SchemaTypesParams } from '../../manifest/change-rules.js';
import { InputError } from '../../util/errors.js';
import { insideRoot } from '../../util/inside-root.js';

/** The record schema after the manifest's transform, from `dataset.schema` in the manifest repository. */
export function targetRecordSchema(
  manifestDir: string,
  schemaPath: string,
  steps: Parameters<typeof compileTransform>[1],
): AvroRecordSchema {
  let source: unknown;
  try {
    // Inside the manifest repository, links resolved: an outside file's content must not reach an error or a diff.
    source = JSON.parse(readFileSync(insideRoot(manifestDir, schemaPath, 'dataset.schema', 'the manifest repository'), 'utf8'));
  } catch (err) {
    if (err instanceof InputError) throw new CodemodError(`schemaTypes: ${err.message}`, 'schemaTypes', { cause: err });
    throw new CodemodError(
      `schemaTypes: cannot read the Avro schema ${schemaPath} in the manifest repository: ${(err as Error).message}`,
      'schemaTypes',
    );
  }
  return compileTransform(source as AvroRecordSchema, steps).targetSchema;
}

/**
 * `schemaTypes`: regenerates the TypeScript declarations of the dataset's records in a consumer from the
 * new schema (the source Avro schema, `dataset.schema` in the manifest repository, after
 * `dataset.transform`). A file marked `@generated` is rewritten whole; in a hand-written file only the
 * record's interface declaration is replaced. A consumer without the file is left alone.
 */
export const schemaTypesRule: RepoRule<SchemaTypesParams> = {
  kind: 'repo',
  name: 'schemaTypes',
  params: schemaTypesParams,
  describe: (p) => `regenerate \`${p.file}\`${p.type ? ` (${p.type})` : ''} from the new schema`,
  async run(p, ctx) {
    const current = ctx.read(p.file);
    if (current === undefined)
      return {
        files: new Map(),
        findings: [{ severity: 'info', file: p.file, message: `schemaTypes: ${p.file} does not exist here; nothing regenerated` }],
      };
    const schemaPath = ctx.dataset.schema;
    if (!schemaPath || !ctx.manifestDir) {
      throw new CodemodError(
        'schemaTypes: the manifest names no dataset.schema (an .avsc in the manifest repository) to generate from',
        'schemaTypes',
      );
    }
    const target = targetRecordSchema(ctx.manifestDir, schemaPath, ctx.dataset.transform);
    const name = p.type ?? target.name.slice(target.name.lastIndexOf('.') + 1);
    if (hasGeneratedMarker(current)) {
      return {
        files: new Map([[p.file, declarationsFile(target, { name, source: `${schemaPath} and dataset.transform of ${ctx.migration}` })]]),
        findings: [],
      };
    }
    const sf = parseSource(p.file, current);
    const decl = sf.statements.find(
      (s): s is ts.InterfaceDeclaration | ts.TypeAliasDeclaration =>
        (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) && s.name.text === name,
    );
    if (!decl)
      return {
        files: new Map(),
        findings: [
          { severity: 'warning', file: p.file, message: `schemaTypes: no declaration of ${name} in ${p.file}; nothing regenerated` },
        ],
      };
    const [top, ...nested] = interfacesFromSchema(target, { name });
    // Nested records the file does not declare yet follow the record's interface.
    const declared = new Set(
      sf.statements.flatMap((s) =>
        (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isClassDeclaration(s)) && s.name ? [s.name.text] : [],
      ),
    );
    const missing = nested.filter((n) => !declared.has(/interface (\S+)/.exec(n)?.[1] ?? ''));
    const text = [top!, ...missing].join('\n\n');
    const exported = /^\s*export\b/.test(decl.getText(sf)) ? text : text.replace(/^export /m, '');
    const start = decl.getStart(sf, true);
    const docEnd = decl.getStart(sf, false);
    const keepDoc = sf.text.slice(start, docEnd);
    const replaced = keepDoc.includes('/**') ? keepDoc + exported.replace(/^\/\*\*[^]*?\*\/\n/, '') : exported;
    const next = current.slice(0, start) + replaced + current.slice(decl.end);
    return { files: new Map([[p.file, next]]), findings: [] };
  },
};
