/**
 * Type signatures that an Avro schema and a Parquet schema can both be read into, so that verify can
 * tell whether a target column holds the type the transformed source says it should: `long`,
 * `timestamp-millis`, `decimal(12,2)`, `array<string>`, `map<long>`, `record{a:int,b:string}`,
 * `union<long|string>`. Nullability is left out (a writer may make any column optional); enum and
 * uuid read as `string`, which is what Parquet stores for them.
 */
import type { SchemaTree } from 'hyparquet';
import {
  NamedTypes,
  decimalParams,
  fullName,
  isPrimitiveName,
  namespaceOf,
  type AvroRecordSchema,
  type AvroSchema,
} from '../transform/avro-schema.js';
import { EMPTY_RECORD_FIELD } from '../parquet/mapping.js';

/** The logical types on long whose Parquet annotation verify checks (a bare INT64 in their place is a failed check). */
const LONG_LOGICAL_TYPES = new Set([
  'time-micros',
  'timestamp-millis',
  'timestamp-micros',
  'timestamp-nanos',
  'local-timestamp-millis',
  'local-timestamp-micros',
  'local-timestamp-nanos',
]);

/** The signature of each top-level field of an Avro record schema, in order. */
export function avroFieldSignatures(record: AvroRecordSchema): { name: string; signature: string }[] {
  const names = new NamedTypes(record);
  const ns = namespaceOf(fullName(record.name, undefined, record.namespace));
  return record.fields.map((f) => ({ name: f.name, signature: avroSignature(f.type, ns, names, new Set()) }));
}

function avroSignature(s: AvroSchema, ns: string | undefined, names: NamedTypes, active: Set<string>): string {
  if (typeof s === 'string') {
    if (isPrimitiveName(s)) return s;
    const full = names.referencedName(s, ns);
    if (active.has(full)) return `recursive ${full}`;
    return avroSignature(names.resolve(s, ns), namespaceOf(full), names, active);
  }
  if (Array.isArray(s)) {
    const branches = s.filter((b) => b !== 'null' && !(typeof b === 'object' && !Array.isArray(b) && b.type === 'null'));
    if (branches.length === 0) return 'null';
    if (branches.length === 1) return avroSignature(branches[0]!, ns, names, active);
    return `union<${branches.map((b) => avroSignature(b, ns, names, active)).join('|')}>`;
  }
  const type = (s as { type: unknown }).type;
  switch (type) {
    case 'record':
    case 'error': {
      const r = s as { name: string; namespace?: string; fields: { name: string; type: AvroSchema }[] };
      const full = fullName(r.name, ns, r.namespace);
      active.add(full);
      const inner = r.fields.map((f) => `${f.name}:${avroSignature(f.type, namespaceOf(full), names, active)}`).join(',');
      active.delete(full);
      return `record{${inner}}`;
    }
    case 'enum':
      return 'string';
    case 'fixed': {
      const p = (s as { logicalType?: string }).logicalType === 'decimal' ? decimalParams(s) : undefined;
      const size = (s as { size: number }).size;
      // A fixed of size 0 is written as BYTE_ARRAY (src/data/parquet/mapping.ts).
      return p ? `decimal(${p.precision},${p.scale})` : size === 0 ? 'bytes' : `fixed(${String(size)})`;
    }
    case 'array':
      return `array<${avroSignature((s as { items: AvroSchema }).items, ns, names, active)}>`;
    case 'map':
      return `map<${avroSignature((s as { values: AvroSchema }).values, ns, names, active)}>`;
  }
  if (typeof type !== 'string') return avroSignature(type as AvroSchema, ns, names, active);
  const lt = (s as { logicalType?: unknown }).logicalType;
  if (type === 'bytes' && lt === 'decimal') {
    const p = decimalParams(s);
    if (p) return `decimal(${p.precision},${p.scale})`;
  }
  if (type === 'int' && (lt === 'date' || lt === 'time-millis')) return lt;
  if (type === 'long' && typeof lt === 'string' && LONG_LOGICAL_TYPES.has(lt)) return lt;
  if (type === 'string') return 'string';
  return type;
}

const unitName: Record<string, string> = { MILLIS: 'millis', MICROS: 'micros', NANOS: 'nanos' };

/**
 * True for the children of a group that is an Avro record with no fields as Fleetwave writes it: one
 * placeholder child EMPTY_RECORD_FIELD of the null type (src/data/parquet/mapping.ts). Such a group reads
 * back as the empty record, and its signature is `record{}`.
 */
export function isEmptyRecordLayout(children: readonly SchemaTree[]): boolean {
  return children.length === 1 && children[0]!.element.name === EMPTY_RECORD_FIELD && parquetSignature(children[0]!) === 'null';
}

/** The signature of a Parquet schema node (a top-level column and everything under it). */
export function parquetSignature(node: SchemaTree): string {
  const e = node.element;
  const lt = e.logical_type;
  const ct = e.converted_type;
  if (node.children.length > 0) {
    if (ct === 'LIST' || lt?.type === 'LIST') {
      const repeated = node.children[0]!;
      const element = repeated.children.length === 1 ? repeated.children[0]! : repeated;
      return `array<${parquetSignature(element)}>`;
    }
    if (ct === 'MAP' || ct === 'MAP_KEY_VALUE' || lt?.type === 'MAP') {
      const kv = node.children[0]!;
      const value = kv.children[1];
      return `map<${value ? parquetSignature(value) : 'null'}>`;
    }
    if (node.children.every((c, i) => c.element.name === `member${i}`)) {
      return `union<${node.children.map(parquetSignature).join('|')}>`;
    }
    if (isEmptyRecordLayout(node.children)) return 'record{}';
    return `record{${node.children.map((c) => `${c.element.name}:${parquetSignature(c)}`).join(',')}}`;
  }
  if (lt?.type === 'DECIMAL' || ct === 'DECIMAL') return `decimal(${e.precision ?? 0},${e.scale ?? 0})`;
  const ltName = (lt as { type?: string } | undefined)?.type;
  if (ltName === 'UNKNOWN' || ltName === 'NULL') return 'null';
  switch (e.type) {
    case 'BOOLEAN':
      return 'boolean';
    case 'INT32':
      if (lt?.type === 'DATE' || ct === 'DATE') return 'date';
      if ((lt?.type === 'TIME' && lt.unit === 'MILLIS') || ct === 'TIME_MILLIS') return 'time-millis';
      return 'int';
    case 'INT64':
      if (lt?.type === 'TIMESTAMP') return `${lt.isAdjustedToUTC ? '' : 'local-'}timestamp-${unitName[lt.unit] ?? lt.unit}`;
      if (ct === 'TIMESTAMP_MILLIS') return 'timestamp-millis';
      if (ct === 'TIMESTAMP_MICROS') return 'timestamp-micros';
      if ((lt?.type === 'TIME' && lt.unit === 'MICROS') || ct === 'TIME_MICROS') return 'time-micros';
      return 'long';
    case 'INT96':
      return 'int96';
    case 'FLOAT':
      return 'float';
    case 'DOUBLE':
      return 'double';
    case 'BYTE_ARRAY':
      if (lt?.type === 'STRING' || lt?.type === 'ENUM' || lt?.type === 'JSON' || ct === 'UTF8' || ct === 'ENUM' || ct === 'JSON')
        return 'string';
      return 'bytes';
    case 'FIXED_LEN_BYTE_ARRAY':
      if (lt?.type === 'UUID') return 'string';
      return `fixed(${e.type_length ?? 0})`;
    default:
      return String(e.type);
  }
}
