/**
 * The Avro → Parquet type mapping (docs/data.md, "Avro → Parquet type mapping"), following
 * parquet-avro's conventions as far as an Arrow-based writer can express them:
 *
 * | Avro                          | Arrow (built here)            | Parquet (as written)                           |
 * | ----------------------------- | ----------------------------- | ---------------------------------------------- |
 * | boolean / int / long          | Bool / Int32 / Int64          | BOOLEAN / INT32 / INT64                        |
 * | float / double                | Float32 / Float64             | FLOAT / DOUBLE                                 |
 * | string, uuid                  | Utf8                          | BYTE_ARRAY (STRING)                            |
 * | enum                          | Utf8 (symbols checked)        | BYTE_ARRAY (STRING)                            |
 * | bytes / fixed                 | Binary / FixedSizeBinary      | BYTE_ARRAY / FIXED_LEN_BYTE_ARRAY (fixed of size 0: BYTE_ARRAY) |
 * | null                          | Null                          | INT32 (UNKNOWN), always null                   |
 * | array                         | List<element>                 | 3-level LIST: group (LIST) { repeated group list { element } } |
 * | map                           | Map<key_value{key, value}>    | group (MAP) { repeated group key_value { key (STRING), value } } |
 * | record                        | Struct                        | group                                          |
 * | ["null", T]                   | T, nullable                   | optional T                                     |
 * | other unions                  | Struct<member0…memberN>       | group { optional member0; … } (one set)        |
 * | date                          | Date32                        | INT32 (DATE)                                   |
 * | time-millis / time-micros     | Time32 ms / Time64 µs         | INT32 TIME(MILLIS) / INT64 TIME(MICROS)        |
 * | timestamp-millis/-micros/-nanos | Timestamp ms / µs / ns, UTC | INT64 TIMESTAMP(unit, isAdjustedToUTC=true)    |
 * | local-timestamp-millis/-micros/-nanos | Timestamp, no zone    | INT64 TIMESTAMP(unit, isAdjustedToUTC=false)   |
 * | decimal(p, s), p ≤ 38         | Decimal128(p, s)              | INT32 (p ≤ 9), INT64 (p ≤ 18), else FIXED_LEN_BYTE_ARRAY; DECIMAL(p, s) |
 * | decimal(p, s), 38 < p ≤ 76    | Decimal256(p, s)              | FIXED_LEN_BYTE_ARRAY DECIMAL(p, s)             |
 * | record with no fields         | Struct { _empty: Null }       | group { optional int32 _empty (UNKNOWN) }: a placeholder, always null (below) |
 *
 * A record with no fields (an Iceberg manifest's `partition` of an unpartitioned table) has no
 * Parquet layout of its own: a group needs a child (the Rust writer refuses an empty struct, and a
 * file whose rows have no column cannot say how many rows it holds). It is written with one
 * placeholder child, EMPTY_RECORD_FIELD, always null, which keeps the record's own nullness and the
 * row count; verify reads it back as the empty record (docs/data.md, "Empty records").
 *
 * A decimal annotation that is not valid (scale above precision, more digits than its fixed holds) is
 * ignored, as the specification says: the column is the underlying bytes or fixed.
 *
 * Refused with a DataError: recursive types (no Parquet layout can hold them) and decimals with a
 * precision above 76.
 */
import { Schema, type Field } from 'apache-arrow';
import { DataError } from '../../util/errors.js';
import { rowSchemaOf } from '../avro/reader.js';
import { branchName, decimalParams, type AvroSchema, type AvroSchemaObject } from '../avro/types.js';
import { builders, type ColumnBuilder, type StructBuilder } from './column-builders.js';

/** The placeholder child of a record with no fields (see the module comment). */
export const EMPTY_RECORD_FIELD = '_empty';

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

export interface ParquetLayout {
  /** Builds the row group: one child per top-level field. */
  root: StructBuilder;
  /**
   * Parquet column paths (`a.b`, `tags.list.element`, `labels.entries.value`) of the string and
   * enum leaves: the columns worth dictionary encoding. Numbers, timestamps and bytes are written
   * plain (dictionaries rarely pay off there and cost encoding time).
   */
  dictionaryColumns: string[];
  /** The Arrow schema of every row group. */
  arrowSchema: Schema;
  /** Paths of the records with no fields, written with the placeholder EMPTY_RECORD_FIELD (`''` for the rows themselves). */
  emptyRecords: string[];
}

/** The columnar layout for rows of `schema` (a record, or any type wrapped as `{ value }` by rowSchemaOf). */
export function parquetLayoutFor(schema: AvroSchema): ParquetLayout {
  const rowSchema = rowSchemaOf(schema);
  const named = new Map<string, AvroSchemaObject>();
  const active = new Set<string>();
  const dictionaryColumns: string[] = [];
  const emptyRecords: string[] = [];
  // Parquet paths differ from Avro paths inside lists and maps; `pq` tracks them.
  const pqOf = new Map<string, string>();
  const pq = (path: string) => pqOf.get(path) ?? path;

  const qualify = (name: string, ns: string | undefined) => (name.includes('.') || !ns ? name : `${ns}.${name}`);

  function build(s: AvroSchema, nullable: boolean, path: string, ns: string | undefined): ColumnBuilder {
    if (typeof s === 'string') {
      if (PRIMITIVES.has(s)) return primitive(s, undefined, nullable, path);
      const full = named.has(qualify(s, ns)) ? qualify(s, ns) : s;
      const def = named.get(full);
      if (!def) throw new DataError(`${path}: unknown type name "${s}" in the Avro schema`);
      if (active.has(full)) throw recursive(full, path);
      return build(def, nullable, path, namespaceOf(def, ns));
    }
    if (Array.isArray(s)) {
      const branches = s.filter((b) => !(b === 'null' || (typeof b === 'object' && !Array.isArray(b) && b.type === 'null')));
      const hasNull = branches.length < s.length;
      if (branches.length === 0) return builders.null(path);
      if (branches.length === 1) return build(branches[0]!, nullable || hasNull, path, ns);
      const members = branches.map((b, i) => {
        pqOf.set(`${path}.member${i}`, `${pq(path)}.member${i}`);
        return { branch: branchName(b, ns), builder: build(b, true, `${path}.member${i}`, ns) };
      });
      return builders.union(nullable || hasNull, path, members);
    }
    const t = s.type;
    if (typeof t !== 'string') return build(t, nullable, path, ns);
    switch (t) {
      case 'record':
      case 'error': {
        const full = define(s, ns);
        const childNs = namespaceOf(s, ns);
        active.add(full);
        const children = (s.fields ?? []).map((f) => {
          pqOf.set(`${path}.${f.name}`, `${pq(path)}.${f.name}`);
          return { name: f.name, builder: build(f.type, false, `${path}.${f.name}`, childNs) };
        });
        active.delete(full);
        if (children.length === 0) {
          emptyRecords.push(path);
          children.push({ name: EMPTY_RECORD_FIELD, builder: builders.null(`${path}.${EMPTY_RECORD_FIELD}`) });
        }
        return builders.struct(nullable, path, children);
      }
      case 'enum':
        define(s, ns);
        dictionaryColumns.push(pq(path));
        return builders.utf8(nullable, path, s.symbols ?? []);
      case 'fixed':
        define(s, ns);
        if (s.logicalType === 'decimal' && decimalParams(s)) return decimal(s, nullable, path);
        // FIXED_LEN_BYTE_ARRAY(0) crashes the Rust writer; a fixed of size 0 holds only the empty value, kept as BYTE_ARRAY.
        if (!s.size) return builders.binary(nullable, path);
        return builders.fixed(nullable, path, s.size);
      case 'array':
        pqOf.set(`${path}.element`, `${pq(path)}.list.element`);
        return builders.list(nullable, path, build(s.items as AvroSchema, false, `${path}.element`, ns));
      case 'map':
        pqOf.set(`${path}.value`, `${pq(path)}.entries.value`);
        dictionaryColumns.push(`${pq(path)}.entries.key`);
        return builders.map(nullable, path, build(s.values as AvroSchema, false, `${path}.value`, ns));
      default:
        if (PRIMITIVES.has(t)) return primitive(t, s, nullable, path);
        return build(t, nullable, path, ns);
    }
  }

  function define(s: AvroSchemaObject, ns: string | undefined): string {
    const full = qualify(s.name ?? '', s.namespace ?? ns);
    named.set(full, s);
    if (!full.includes('.')) named.set(full, s);
    return full;
  }

  function primitive(t: string, s: AvroSchemaObject | undefined, nullable: boolean, path: string): ColumnBuilder {
    const logical = s?.logicalType;
    switch (t) {
      case 'null':
        return builders.null(path);
      case 'boolean':
        return builders.bool(nullable, path);
      case 'int':
        if (logical === 'date') return builders.date(nullable, path);
        if (logical === 'time-millis') return builders.timeMillis(nullable, path);
        return builders.int32(nullable, path);
      case 'long':
        if (logical === 'time-micros') return builders.timeMicros(nullable, path);
        if (logical === 'timestamp-millis') return builders.timestampMillis(nullable, path, true);
        if (logical === 'timestamp-micros') return builders.timestampMicros(nullable, path, true);
        if (logical === 'local-timestamp-millis') return builders.timestampMillis(nullable, path, false);
        if (logical === 'local-timestamp-micros') return builders.timestampMicros(nullable, path, false);
        if (logical === 'timestamp-nanos') return builders.timestampNanos(nullable, path, true);
        if (logical === 'local-timestamp-nanos') return builders.timestampNanos(nullable, path, false);
        return builders.int64(nullable, path);
      case 'float':
        return builders.float32(nullable, path);
      case 'double':
        return builders.float64(nullable, path);
      case 'bytes':
        if (logical === 'decimal' && s && decimalParams(s)) return decimal(s, nullable, path);
        return builders.binary(nullable, path);
      case 'string':
        if (logical !== 'uuid') dictionaryColumns.push(pq(path));
        return builders.utf8(nullable, path);
    }
    throw new DataError(`${path}: unknown Avro type "${t}"`);
  }

  function decimal(s: AvroSchemaObject, nullable: boolean, path: string): ColumnBuilder {
    const precision = s.precision ?? 0;
    const scale = s.scale ?? 0;
    if (precision > 76) {
      throw new DataError(
        `${path}: decimal(${precision}, ${scale}) has more than 76 digits, which Fleetwave's Parquet writer cannot hold (Decimal256 is its widest); cast it to a smaller precision or to string in the manifest's transform`,
      );
    }
    return builders.decimal(nullable, path, precision, scale);
  }

  function recursive(name: string, path: string): DataError {
    // The field a transform can reach: the path up to the first list element, map value or union member.
    const parts = path.split('.');
    const stop = parts.findIndex((p) => p === 'element' || p === 'value' || /^member\d+$/.test(p));
    const field = (stop < 0 ? parts : parts.slice(0, Math.max(1, stop))).join('.');
    return new DataError(
      `${path}: the Avro type "${name}" contains itself (a recursive type), which has no Parquet layout (a Parquet schema is a fixed tree of columns); add a dataset.transform step that drops the field holding it (\`- drop: ${field}\`), or copy the levels you need into fields of their own before converting (docs/transforms.md)`,
    );
  }

  const rootNs = namespaceOf(rowSchema, undefined);
  const rootName = qualify(rowSchema.name ?? '', rootNs);
  named.set(rootName, rowSchema);
  active.add(rootName);
  const children = rowSchema.fields.map((f) => ({ name: f.name, builder: build(f.type, false, f.name, rootNs) }));
  if (children.length === 0) {
    emptyRecords.push('');
    children.push({ name: EMPTY_RECORD_FIELD, builder: builders.null(EMPTY_RECORD_FIELD) });
  }
  const root = builders.struct(false, '', children);
  const arrowSchema = new Schema((root.type as unknown as { children: Field[] }).children);
  return { root, arrowSchema, dictionaryColumns, emptyRecords };
}

function namespaceOf(s: AvroSchemaObject, inherited: string | undefined): string | undefined {
  if (s.name && s.name.includes('.')) return s.name.slice(0, s.name.lastIndexOf('.'));
  return s.namespace ?? inherited;
}
