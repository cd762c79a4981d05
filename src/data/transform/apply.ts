/**
 * The manifest's `dataset.transform` steps, compiled once against the source Avro schema into a plan
 * that gives the target schema and a fast per-record function. Schema and records change by the same
 * plan, so they cannot disagree. Errors name the step (`dataset.transform[2]`) and the field.
 */
import { DataError, InputError } from '../../util/errors.js';
import {
  NamedTypes,
  cloneSchema,
  decimalParams,
  fullName,
  isRecordSchema,
  namespaceOf,
  nullableBranch,
  valueKind,
  type AvroEnumSchema,
  type AvroField,
  type AvroRecordSchema,
  type AvroSchema,
} from './avro-schema.js';
import { castsFrom, findCast, type CastContext, type Convert } from './casts.js';
import { literalToValue, schemaDefaultToValue, valueToSchemaDefault, type Literal, type LiteralTarget } from './literal.js';
import type { CastTarget, TransformStep } from './schema.js';
import { CastFailure } from './values.js';

export type AvroRecord = Record<string, unknown>;

export interface CompiledTransform {
  /** The record schema of the data after every step. */
  targetSchema: AvroRecordSchema;
  /** Applies every step to one record of the source schema; returns a new record (the input is not changed). */
  transformRecord(record: AvroRecord): AvroRecord;
  /** True when the steps change nothing (records come back as they are). */
  identity: boolean;
  /** Things the compile did that a reader of the result should know (e.g. a field default that could not be cast and was removed). */
  notes: string[];
}

export interface CompileOptions {
  /** How errors name the step list; default `dataset.transform`. */
  where?: string;
}

/** One field of a record being built: where its value comes from and what happens to it. */
interface FieldPlan {
  field: AvroField;
  /** The input field's name, or a constant for a field the steps added. */
  source: { name: string } | { constant: unknown };
  /** The field's value kind and details after the steps so far. */
  target: LiteralTarget;
  nullable: boolean;
  /** Steps that reach inside this field (a nested record). */
  nested?: RecordPlan;
  converts: Convert[];
}

interface RecordPlan {
  schema: AvroRecordSchema;
  namespace: string | undefined;
  fields: FieldPlan[];
  originalNames: string[];
  changed: boolean;
}

/** Compiles `steps` against `sourceSchema`: the target schema and the per-record function. */
export function compileTransform(
  sourceSchema: AvroSchema,
  steps: readonly TransformStep[],
  options: CompileOptions = {},
): CompiledTransform {
  const where = options.where ?? 'dataset.transform';
  if (!isRecordSchema(sourceSchema)) {
    throw new InputError(
      `${where}: the source schema is ${describeSchema(sourceSchema)}, not a record; transform steps apply to the fields of a record`,
    );
  }
  const schema = cloneSchema(sourceSchema);
  const names = new NamedTypes(schema);
  const root = recordPlan(schema, namespaceOf(fullName(schema.name, undefined, schema.namespace)), names, `${where}`);
  const notes: string[] = [];
  steps.forEach((step, i) => {
    const ctx: StepContext = { label: `${where}[${i}]`, names, notes };
    try {
      applyStep(root, step, ctx);
    } catch (err) {
      if (err instanceof CastFailure) throw new InputError(`${ctx.label}: ${err.message}`);
      throw err;
    }
  });
  finalize(root);
  const fn = recordFunction(root);
  return { targetSchema: schema, transformRecord: fn ?? ((r) => r), identity: fn === undefined, notes };
}

interface StepContext {
  label: string;
  names: NamedTypes;
  notes: string[];
}

function recordPlan(schema: AvroRecordSchema, namespace: string | undefined, names: NamedTypes, label: string): RecordPlan {
  return {
    schema,
    namespace,
    originalNames: schema.fields.map((f) => f.name),
    changed: false,
    fields: schema.fields.map((f) => fieldPlan(f, namespace, names, label)),
  };
}

function fieldPlan(field: AvroField, namespace: string | undefined, names: NamedTypes, label: string): FieldPlan {
  const { kindSchema, nullable } = unwrapNullable(field.type, namespace, names, label, field.name);
  return { field, source: { name: field.name }, target: literalTarget(kindSchema), nullable, converts: [] };
}

/** The non-null schema of a field (resolving a name), and whether it is `["null", T]`. */
function unwrapNullable(
  type: AvroSchema,
  namespace: string | undefined,
  names: NamedTypes,
  label: string,
  fieldName: string,
): { kindSchema: AvroSchema; nullable: boolean } {
  const nb = nullableBranch(type);
  const inner = nb ? nb.branch : type;
  let resolved: AvroSchema;
  try {
    resolved = names.resolve(inner, namespace);
  } catch (err) {
    throw new InputError(`${label}: field "${fieldName}": ${(err as Error).message}`);
  }
  return { kindSchema: resolved, nullable: nb !== undefined };
}

function literalTarget(s: AvroSchema): LiteralTarget {
  const kind = valueKind(s);
  const t: LiteralTarget = { kind };
  if (kind === 'enum') t.symbols = (s as AvroEnumSchema).symbols;
  if (kind === 'decimal') t.decimal = decimalParams(s)!;
  return t;
}

function applyStep(root: RecordPlan, step: TransformStep, ctx: StepContext): void {
  if ('rename' in step) return rename(root, step.rename.from, step.rename.to, ctx);
  if ('cast' in step) return cast(root, step.cast.field, step.cast.to, ctx);
  if ('drop' in step) {
    for (const path of Array.isArray(step.drop) ? step.drop : [step.drop]) drop(root, path, ctx);
    return;
  }
  return setDefault(root, step.default.field, step.default.value, ctx);
}

/** Walks a dotted path to the record that holds its last segment. */
function locate(root: RecordPlan, path: string, ctx: StepContext): { record: RecordPlan; name: string; index: number } {
  const segments = path.split('.');
  let record = root;
  for (let i = 0; i < segments.length - 1; i++) {
    const seg = segments[i]!;
    const at = segments.slice(0, i + 1).join('.');
    const fp = record.fields.find((f) => f.field.name === seg);
    if (!fp) throw new InputError(`${ctx.label}: no field "${at}" (fields here: ${record.fields.map((f) => f.field.name).join(', ')})`);
    record = nestedPlan(record, fp, at, ctx);
  }
  const name = segments[segments.length - 1]!;
  return { record, name, index: record.fields.findIndex((f) => f.field.name === name) };
}

/** The plan for a nested record field, made the first time a step reaches inside it. */
function nestedPlan(parent: RecordPlan, fp: FieldPlan, at: string, ctx: StepContext): RecordPlan {
  if (fp.nested) return fp.nested;
  if (fp.converts.length > 0 || !('name' in fp.source)) {
    throw new InputError(`${ctx.label}: field "${at}" was changed by an earlier step and is no longer a record`);
  }
  const nb = nullableBranch(fp.field.type);
  const inner = nb ? nb.branch : fp.field.type;
  const resolved = typeof inner === 'string' ? ctx.names.resolve(inner, parent.namespace) : inner;
  if (!isRecordSchema(resolved)) {
    throw new InputError(
      `${ctx.label}: field "${at}" is ${describeSchema(resolved)}, not a record (a step reaches fields of nested records, optionally nullable)`,
    );
  }
  const full = fullName(resolved.name, parent.namespace, resolved.namespace);
  if (typeof inner === 'string' || (ctx.names.references.get(full) ?? 0) > 0) {
    throw new InputError(
      `${ctx.label}: record type "${full}" is used by more than one field, so a step cannot change it in one place only`,
    );
  }
  fp.nested = recordPlan(resolved, namespaceOf(full), ctx.names, ctx.label);
  parent.changed = true;
  return fp.nested;
}

function rename(root: RecordPlan, from: string, to: string, ctx: StepContext): void {
  const { record, name, index } = locate(root, from, ctx);
  if (index < 0)
    throw new InputError(`${ctx.label}: no field "${from}" to rename (fields here: ${record.fields.map((f) => f.field.name).join(', ')})`);
  const fromParent = from.split('.').slice(0, -1).join('.');
  const toSegments = to.split('.');
  const toParent = toSegments.slice(0, -1).join('.');
  if (toSegments.length > 1 && toParent !== fromParent) {
    throw new InputError(`${ctx.label}: rename keeps a field in its record; "${to}" is not beside "${from}" (write just the new name)`);
  }
  const newName = toSegments[toSegments.length - 1]!;
  if (newName === name) return;
  if (record.fields.some((f) => f.field.name === newName))
    throw new InputError(`${ctx.label}: cannot rename "${from}" to "${to}": a field "${newName}" already exists`);
  const fp = record.fields[index]!;
  const aliases = new Set(fp.field.aliases ?? []);
  aliases.add(name);
  aliases.delete(newName);
  fp.field = { ...fp.field, name: newName, aliases: [...aliases] };
  record.changed = true;
}

function drop(root: RecordPlan, path: string, ctx: StepContext): void {
  const { record, index } = locate(root, path, ctx);
  if (index < 0)
    throw new InputError(`${ctx.label}: no field "${path}" to drop (fields here: ${record.fields.map((f) => f.field.name).join(', ')})`);
  if (record.fields.length === 1) throw new InputError(`${ctx.label}: dropping "${path}" would leave its record without fields`);
  record.fields.splice(index, 1);
  record.changed = true;
}

function cast(root: RecordPlan, path: string, to: CastTarget, ctx: StepContext): void {
  const { record, index } = locate(root, path, ctx);
  if (index < 0)
    throw new InputError(`${ctx.label}: no field "${path}" to cast (fields here: ${record.fields.map((f) => f.field.name).join(', ')})`);
  const fp = record.fields[index]!;
  if (fp.nested) throw new InputError(`${ctx.label}: field "${path}" is a record; cast applies to a single value`);
  const label = `${ctx.label} (cast ${path})`;
  const from = fp.target.kind;
  if (from === 'union')
    throw new InputError(`${label}: the field is a union of several types; cast applies to a single type or ["null", T]`);
  const rule = findCast(from, to.type);
  if (!rule) {
    const legal = castsFrom(from);
    throw new InputError(
      `${label}: cannot cast ${from} to ${to.type}; from ${from} the legal casts are: ${legal.length ? legal.join(', ') : 'none'} (see docs/transforms.md)`,
    );
  }
  const castCtx: CastContext = { to };
  if (from === 'decimal') castCtx.sourceDecimal = fp.target.decimal!;
  if (from === 'enum') castCtx.sourceSymbols = fp.target.symbols!;
  let newType: AvroSchema;
  const newTarget: LiteralTarget = { kind: to.type === 'decimal' ? 'decimal' : to.type === 'enum' ? 'enum' : to.type };
  if (to.type === 'decimal') {
    const precision = to.precision ?? castCtx.sourceDecimal?.precision;
    const scale = to.scale ?? castCtx.sourceDecimal?.scale ?? 0;
    if (precision === undefined) throw new InputError(`${label}: a cast to decimal needs a precision (1 to 38)`);
    if (scale > precision) throw new InputError(`${label}: the scale (${scale}) cannot exceed the precision (${precision})`);
    castCtx.targetDecimal = { precision, scale };
    newTarget.decimal = castCtx.targetDecimal;
    newType = { type: 'bytes', logicalType: 'decimal', precision, scale };
  } else if (to.type === 'enum') {
    const symbols = to.symbols ?? castCtx.sourceSymbols;
    if (!symbols) throw new InputError(`${label}: a cast to enum needs its symbols`);
    for (const s of symbols)
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(s))
        throw new InputError(`${label}: enum symbol "${s}" is not an Avro name (letters, digits, _; not starting with a digit)`);
    if (new Set(symbols).size !== symbols.length) throw new InputError(`${label}: the enum symbols repeat a name`);
    castCtx.to = { ...to, symbols };
    newTarget.symbols = symbols;
    const name = to.name ?? pascalCase(fp.field.name);
    const full = fullName(name, record.namespace);
    if (ctx.names.byName.has(full))
      throw new InputError(`${label}: the type name "${full}" is taken; give the enum another name with to.name`);
    const enumSchema: AvroEnumSchema = { type: 'enum', name, symbols };
    ctx.names.byName.set(full, enumSchema);
    newType = enumSchema;
  } else if (to.type === 'date' || to.type === 'timestamp-millis' || to.type === 'timestamp-micros') {
    newType = { type: to.type === 'date' ? 'int' : 'long', logicalType: to.type };
  } else {
    newType = to.type;
  }
  if (from === to.type && to.type !== 'decimal' && to.type !== 'enum') return; // restating the type changes nothing
  const convert = rule.compile(castCtx);
  fp.converts.push(guarded(convert, label, fp.nullable));
  const nb = nullableBranch(fp.field.type);
  const field: AvroField = { ...fp.field, type: nb ? (nb.nullFirst ? ['null', newType] : [newType, 'null']) : newType };
  if ('default' in fp.field) {
    try {
      const before = schemaDefaultToValue(fp.field.default, fp.field.default === null ? { kind: 'null' } : fp.target);
      field.default = before === null ? null : valueToSchemaDefault(convert(before), newTarget.kind);
    } catch (err) {
      if (!(err instanceof CastFailure)) throw err;
      delete field.default;
      ctx.notes.push(
        `${label}: the field's default ${JSON.stringify(fp.field.default)} could not be cast (${err.message}); the target schema has no default for it`,
      );
    }
  }
  fp.field = field;
  fp.target = newTarget;
  record.changed = true;
}

function setDefault(root: RecordPlan, path: string, value: Literal, ctx: StepContext): void {
  const { record, name, index } = locate(root, path, ctx);
  const label = `${ctx.label} (default ${path})`;
  if (index < 0) {
    // A new field, typed by its value, the same in every record.
    const typed = typeOfLiteral(value, label);
    const constant = literalToValue(value, typed.target);
    record.fields.push({
      field: { name, type: typed.schema, default: valueToSchemaDefault(constant, typed.target.kind) },
      source: { constant },
      target: typed.target,
      nullable: false,
      converts: [],
    });
    record.changed = true;
    return;
  }
  const fp = record.fields[index]!;
  if (fp.nested) throw new InputError(`${label}: field "${path}" is a record; a default is a single value`);
  if (fp.target.kind === 'union')
    throw new InputError(`${label}: the field is a union of several types; a default applies to a single type or ["null", T]`);
  if (value === null) throw new InputError(`${label}: a default of null changes nothing; give the value that replaces null`);
  let filled: unknown;
  try {
    filled = literalToValue(value, fp.target);
  } catch (err) {
    if (err instanceof CastFailure) throw new InputError(`${label}: ${err.message}`);
    throw err;
  }
  const nb = nullableBranch(fp.field.type);
  const type = nb ? nb.branch : fp.field.type;
  fp.field = { ...fp.field, type, default: valueToSchemaDefault(filled, fp.target.kind) };
  if (fp.nullable) fp.converts.push((v) => (v === null || v === undefined ? filled : v));
  fp.nullable = false;
  record.changed = true;
}

function typeOfLiteral(value: Literal, label: string): { schema: AvroSchema; target: LiteralTarget } {
  if (typeof value === 'string') return { schema: 'string', target: { kind: 'string' } };
  if (typeof value === 'boolean') return { schema: 'boolean', target: { kind: 'boolean' } };
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) ? { schema: 'long', target: { kind: 'long' } } : { schema: 'double', target: { kind: 'double' } };
  }
  throw new InputError(
    `${label}: there is no such field, and a new field's type comes from its value; null gives none (give a string, number or boolean)`,
  );
}

/** Wraps a converter so that a failing value becomes a DataError naming the step; null passes through nullable fields. */
function guarded(convert: Convert, label: string, nullable: boolean): Convert {
  return (v) => {
    if (nullable && v === null) return null;
    try {
      return convert(v);
    } catch (err) {
      if (err instanceof CastFailure) throw new DataError(`${label}: ${err.message}`);
      throw err;
    }
  };
}

function finalize(rp: RecordPlan): void {
  for (const fp of rp.fields) {
    if (fp.nested) finalize(fp.nested);
  }
  rp.schema.fields = rp.fields.map((f) => f.field);
}

/** The per-record function of a record plan; undefined when the plan changes nothing. */
function recordFunction(rp: RecordPlan): ((r: AvroRecord) => AvroRecord) | undefined {
  const parts = rp.fields.map((fp) => {
    const nestedFn = fp.nested ? recordFunction(fp.nested) : undefined;
    const fns: Convert[] = [];
    if (nestedFn) fns.push(fp.nullable ? (v) => (v === null ? null : nestedFn(v as AvroRecord)) : (v) => nestedFn(v as AvroRecord));
    fns.push(...fp.converts);
    const fn: Convert | undefined = fns.length === 0 ? undefined : fns.length === 1 ? fns[0] : (v) => fns.reduce((acc, f) => f(acc), v);
    return {
      key: fp.field.name,
      from: 'name' in fp.source ? fp.source.name : undefined,
      constant: 'constant' in fp.source ? fp.source.constant : undefined,
      fn,
    };
  });
  const untouched =
    !rp.changed ||
    (parts.length === rp.originalNames.length &&
      parts.every((p, i) => p.fn === undefined && p.from === rp.originalNames[i] && p.key === p.from));
  if (untouched) return undefined;
  const n = parts.length;
  const keys = parts.map((p) => p.key);
  const froms = parts.map((p) => p.from);
  const constants = parts.map((p) => p.constant);
  const fns = parts.map((p) => p.fn);
  return (record) => {
    const out: AvroRecord = {};
    for (let i = 0; i < n; i++) {
      const from = froms[i];
      const v = from === undefined ? constants[i] : record[from];
      const fn = fns[i];
      out[keys[i]!] = fn === undefined ? v : fn(v);
    }
    return out;
  };
}

function pascalCase(name: string): string {
  return name
    .split('_')
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}

function describeSchema(s: AvroSchema): string {
  if (Array.isArray(s)) return 'a union';
  return `of type ${typeof s === 'string' ? s : typeof s.type === 'string' ? s.type : 'union'}`;
}
