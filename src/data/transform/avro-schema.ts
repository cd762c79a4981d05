/**
 * Avro schemas as their JSON form (the `.avsc` text, or a container file's `avro.schema` header), with
 * the few helpers the transform, verify and compat code share: primitive and logical kinds, nullable
 * unions, and named types resolved by their full name.
 */
import { decimalParams as validDecimal } from '../avro/types.js';

export type AvroPrimitiveName = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string';

export interface AvroField {
  name: string;
  type: AvroSchema;
  default?: unknown;
  aliases?: string[];
  doc?: string;
  order?: 'ascending' | 'descending' | 'ignore';
  [extra: string]: unknown;
}

export interface AvroRecordSchema {
  type: 'record' | 'error';
  name: string;
  namespace?: string;
  aliases?: string[];
  doc?: string;
  fields: AvroField[];
  [extra: string]: unknown;
}

export interface AvroEnumSchema {
  type: 'enum';
  name: string;
  namespace?: string;
  aliases?: string[];
  doc?: string;
  symbols: string[];
  default?: string;
  [extra: string]: unknown;
}

export interface AvroFixedSchema {
  type: 'fixed';
  name: string;
  namespace?: string;
  aliases?: string[];
  size: number;
  logicalType?: string;
  [extra: string]: unknown;
}

export interface AvroArraySchema {
  type: 'array';
  items: AvroSchema;
  [extra: string]: unknown;
}

export interface AvroMapSchema {
  type: 'map';
  values: AvroSchema;
  [extra: string]: unknown;
}

/** A primitive written as an object, usually to carry a logical type: `{ "type": "long", "logicalType": "timestamp-millis" }`. */
export interface AvroAnnotatedPrimitive {
  type: AvroPrimitiveName;
  logicalType?: string;
  precision?: number;
  scale?: number;
  [extra: string]: unknown;
}

export type AvroNamedSchema = AvroRecordSchema | AvroEnumSchema | AvroFixedSchema;
export type AvroSchema =
  | AvroPrimitiveName
  | string
  | AvroSchema[]
  | AvroRecordSchema
  | AvroEnumSchema
  | AvroFixedSchema
  | AvroArraySchema
  | AvroMapSchema
  | AvroAnnotatedPrimitive;

export const primitiveNames: readonly AvroPrimitiveName[] = ['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'];

export function isPrimitiveName(s: string): s is AvroPrimitiveName {
  return (primitiveNames as readonly string[]).includes(s);
}

export function isRecordSchema(s: AvroSchema): s is AvroRecordSchema {
  return typeof s === 'object' && !Array.isArray(s) && (s.type === 'record' || s.type === 'error');
}

export function isNamedSchema(s: AvroSchema): s is AvroNamedSchema {
  return (
    typeof s === 'object' && !Array.isArray(s) && (s.type === 'record' || s.type === 'error' || s.type === 'enum' || s.type === 'fixed')
  );
}

/** The full name of a named type (`namespace.name`), given the namespace it was defined in. */
export function fullName(name: string, enclosingNamespace: string | undefined, ownNamespace?: string): string {
  if (name.includes('.')) return name;
  const ns = ownNamespace ?? enclosingNamespace;
  return ns ? `${ns}.${name}` : name;
}

export function namespaceOf(full: string): string | undefined {
  const i = full.lastIndexOf('.');
  return i < 0 ? undefined : full.slice(0, i);
}

export function shortName(full: string): string {
  return full.slice(full.lastIndexOf('.') + 1);
}

/**
 * Every named type of a schema by full name, and the namespace each schema node was written in (so
 * that a name reference inside it can be resolved).
 */
export class NamedTypes {
  readonly byName = new Map<string, AvroNamedSchema>();
  /** How many times each full name is referenced (not counting its definition). */
  readonly references = new Map<string, number>();
  private readonly namespaces = new Map<object, string | undefined>();

  constructor(root: AvroSchema) {
    this.walk(root, undefined);
  }

  /** The namespace in force where `node` was written. */
  namespaceAt(node: object): string | undefined {
    return this.namespaces.get(node);
  }

  /** Follows a name reference to its definition; other schemas come back unchanged. */
  resolve(schema: AvroSchema, enclosingNamespace: string | undefined): AvroSchema {
    if (typeof schema !== 'string' || isPrimitiveName(schema)) return schema;
    const def = this.byName.get(fullName(schema, enclosingNamespace)) ?? this.byName.get(schema);
    if (!def) throw new Error(`unknown type name "${schema}"`);
    return def;
  }

  /** The full name a reference string in `enclosingNamespace` points to. */
  referencedName(ref: string, enclosingNamespace: string | undefined): string {
    const full = fullName(ref, enclosingNamespace);
    return this.byName.has(full) ? full : ref;
  }

  private walk(s: AvroSchema, ns: string | undefined): void {
    if (typeof s === 'string') {
      if (!isPrimitiveName(s)) {
        const full = this.byName.has(fullName(s, ns)) ? fullName(s, ns) : s;
        this.references.set(full, (this.references.get(full) ?? 0) + 1);
      }
      return;
    }
    if (Array.isArray(s)) {
      for (const b of s) this.walk(b, ns);
      return;
    }
    this.namespaces.set(s, ns);
    if (isNamedSchema(s)) {
      const full = fullName(s.name, ns, s.namespace);
      this.byName.set(full, s);
      const inner = namespaceOf(full);
      if (isRecordSchema(s)) for (const f of s.fields) this.walk(f.type, inner);
      return;
    }
    if (s.type === 'array') this.walk((s as AvroArraySchema).items, ns);
    else if (s.type === 'map') this.walk((s as AvroMapSchema).values, ns);
    else if (typeof s.type !== 'string' || !isPrimitiveName(s.type)) this.walk(s.type as AvroSchema, ns);
  }
}

/** `["null", T]` or `[T, "null"]`: the non-null branch and where null sits; undefined for any other schema. */
export function nullableBranch(s: AvroSchema): { branch: AvroSchema; nullFirst: boolean } | undefined {
  if (!Array.isArray(s) || s.length !== 2) return undefined;
  const [a, b] = s as [AvroSchema, AvroSchema];
  if (isNull(a) && !isNull(b)) return { branch: b, nullFirst: true };
  if (isNull(b) && !isNull(a)) return { branch: a, nullFirst: false };
  return undefined;
}

export function isNull(s: AvroSchema): boolean {
  return s === 'null' || (typeof s === 'object' && !Array.isArray(s) && s.type === 'null');
}

/**
 * The kind of a (resolved, non-union) schema as the casts see it: a primitive, a logical type, or a
 * complex type. Logical types that Avro would ignore (a bad decimal) fall back to their primitive.
 */
export type ValueKind =
  | AvroPrimitiveName
  | 'decimal'
  | 'date'
  | 'time-millis'
  | 'time-micros'
  | 'timestamp-millis'
  | 'timestamp-micros'
  | 'local-timestamp-millis'
  | 'local-timestamp-micros'
  | 'uuid'
  | 'enum'
  | 'fixed'
  | 'record'
  | 'array'
  | 'map'
  | 'union';

const logicalOnInt = new Set(['date', 'time-millis']);
const logicalOnLong = new Set(['time-micros', 'timestamp-millis', 'timestamp-micros', 'local-timestamp-millis', 'local-timestamp-micros']);

export function valueKind(s: AvroSchema): ValueKind {
  if (Array.isArray(s)) return 'union';
  if (typeof s === 'string') {
    if (isPrimitiveName(s)) return s;
    throw new Error(`valueKind needs a resolved schema, got the name "${s}"`);
  }
  switch (s.type) {
    case 'record':
    case 'error':
      return 'record';
    case 'enum':
      return 'enum';
    case 'array':
      return 'array';
    case 'map':
      return 'map';
    case 'fixed':
      return s.logicalType === 'decimal' && decimalParams(s) ? 'decimal' : 'fixed';
  }
  const base = typeof s.type === 'string' && isPrimitiveName(s.type) ? s.type : valueKind(s.type as AvroSchema);
  const lt = (s as AvroAnnotatedPrimitive).logicalType;
  if (lt === 'decimal' && base === 'bytes' && decimalParams(s)) return 'decimal';
  if (lt && base === 'int' && logicalOnInt.has(lt)) return lt as ValueKind;
  if (lt && base === 'long' && logicalOnLong.has(lt)) return lt as ValueKind;
  if (lt === 'uuid' && base === 'string') return 'uuid';
  return base;
}

/** A decimal's precision and scale when they are valid (Avro ignores an invalid decimal annotation). */
export function decimalParams(s: AvroSchema): { precision: number; scale: number } | undefined {
  return validDecimal(s as never);
}

/** A deep copy of a JSON schema (schemas are plain JSON, so this is exact). */
export function cloneSchema<T extends AvroSchema>(s: T): T {
  return structuredClone(s);
}
