/**
 * Independent read-back for tests: DuckDB's own Parquet reader (C++, not the writer's Rust code),
 * its values turned into Fleetwave's value model by walking the Avro schema, so that a test can
 * compare them with the source rows value for value.
 */
import type { DuckDBBlobValue, DuckDBDateValue, DuckDBDecimalValue, DuckDBListValue, DuckDBMapValue } from '@duckdb/node-api';
import {
  DuckDBInstance,
  DuckDBStructValue,
  DuckDBTimeValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import { Decimal } from '../../../src/data/avro/decimal.js';
import { rowSchemaOf } from '../../../src/data/avro/reader.js';
import {
  branchName,
  decimalParams,
  type AvroRecord,
  type AvroSchema,
  type AvroSchemaObject,
  type AvroValue,
} from '../../../src/data/avro/types.js';

const PRIMS = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

function micros(v: DuckDBValue): bigint {
  if (v instanceof DuckDBTimestampValue || v instanceof DuckDBTimestampTZValue || v instanceof DuckDBTimeValue) return v.micros;
  throw new Error(`expected a time value, got ${String(v)}`);
}

function fromDuck(v: DuckDBValue, s: AvroSchema, named: Map<string, AvroSchemaObject>, ns?: string): AvroValue {
  if (v === null || v === undefined) return null;
  if (typeof s === 'string') {
    if (PRIMS.has(s)) return fromDuck(v, { type: s }, named, ns);
    const def = named.get(s.includes('.') || !ns ? s : `${ns}.${s}`) ?? named.get(s);
    if (!def) throw new Error(`unknown name ${s}`);
    return fromDuck(v, def, named, def.namespace ?? ns);
  }
  if (Array.isArray(s)) {
    const branches = s.filter((b) => b !== 'null' && !(typeof b === 'object' && !Array.isArray(b) && b.type === 'null'));
    if (branches.length === 1) return fromDuck(v, branches[0]!, named, ns);
    const entries = (v as DuckDBStructValue).entries;
    for (let i = 0; i < branches.length; i++) {
      const m = entries[`member${i}`];
      if (m !== null && m !== undefined) return { [branchName(branches[i]!, ns)]: fromDuck(m, branches[i]!, named, ns) };
    }
    return null;
  }
  const t = s.type;
  if (typeof t !== 'string') return fromDuck(v, t, named, ns);
  const lt = s.logicalType;
  switch (t) {
    case 'record': {
      const full = s.name!.includes('.') || !(s.namespace ?? ns) ? s.name! : `${s.namespace ?? ns}.${s.name}`;
      named.set(full, s);
      const e = (v as DuckDBStructValue).entries;
      return Object.fromEntries(s.fields!.map((f) => [f.name, fromDuck(e[f.name] ?? null, f.type, named, s.namespace ?? ns)]));
    }
    case 'enum':
      named.set((s.namespace ?? ns) ? `${s.namespace ?? ns}.${s.name}` : s.name!, s);
      return v as string;
    case 'fixed':
      named.set((s.namespace ?? ns) ? `${s.namespace ?? ns}.${s.name}` : s.name!, s);
      if (lt === 'decimal' && decimalParams(s)) return new Decimal((v as DuckDBDecimalValue).value, (v as DuckDBDecimalValue).scale);
      return Buffer.from((v as DuckDBBlobValue).bytes);
    case 'array':
      return (v as DuckDBListValue).items.map((x) => fromDuck(x, s.items!, named, ns));
    case 'map':
      // Object.fromEntries defines each key as an own property (a key "__proto__" too), as the reader's maps have.
      return Object.fromEntries((v as DuckDBMapValue).entries.map((e) => [e.key as string, fromDuck(e.value, s.values!, named, ns)]));
    case 'int':
      if (lt === 'date') return (v as DuckDBDateValue).days;
      if (lt === 'time-millis') return Number(micros(v) / 1000n);
      return v as number;
    case 'long': {
      if (lt === 'timestamp-nanos' || lt === 'local-timestamp-nanos') {
        if (v instanceof DuckDBTimestampNanosecondsValue) return v.nanos;
        throw new Error(`a nanosecond timestamp read back by DuckDB as ${v?.constructor?.name ?? typeof v}, not TIMESTAMP_NS`);
      }
      if (lt === 'time-micros' || lt === 'timestamp-micros' || lt === 'local-timestamp-micros') return micros(v);
      if (lt === 'timestamp-millis' || lt === 'local-timestamp-millis') {
        const us = micros(v);
        if (us % 1000n !== 0n) throw new Error(`a millisecond timestamp read back with sub-millisecond digits: ${us}`);
        return us / 1000n;
      }
      return v as bigint;
    }
    case 'bytes':
      if (lt === 'decimal' && decimalParams(s)) return new Decimal((v as DuckDBDecimalValue).value, (v as DuckDBDecimalValue).scale);
      return Buffer.from((v as DuckDBBlobValue).bytes);
    case 'float':
    case 'double':
    case 'boolean':
    case 'string':
      return v as number | boolean | string;
    case 'null':
      return null;
  }
  throw new Error(`unhandled type ${t}`);
}

/** Registers every named type up front: a value may use a name before the walk reaches its definition. */
function collectNames(s: AvroSchema, ns: string | undefined, named: Map<string, AvroSchemaObject>): void {
  if (typeof s === 'string') return;
  if (Array.isArray(s)) return s.forEach((b) => collectNames(b, ns, named));
  if (typeof s.type !== 'string') return collectNames(s.type, ns, named);
  const childNs = s.name?.includes('.') ? s.name.slice(0, s.name.lastIndexOf('.')) : (s.namespace ?? ns);
  if (s.name) named.set(s.name.includes('.') || !childNs ? s.name : `${childNs}.${s.name}`, s);
  for (const f of s.fields ?? []) collectNames(f.type, childNs, named);
  if (s.items) collectNames(s.items, ns, named);
  if (s.values) collectNames(s.values, ns, named);
}

export async function duckdbQuery(sql: string): Promise<Record<string, DuckDBValue>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const result = await conn.runAndReadAll(sql);
    return result.getRowObjects();
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

/** Every row of a Parquet file as DuckDB reads it, in the value model of `schema`. */
export async function readBackWithDuckDB(path: string, schema: AvroSchema): Promise<AvroRecord[]> {
  const rowSchema = rowSchemaOf(schema);
  const rows = await duckdbQuery(`SELECT * FROM read_parquet('${path.replace(/'/g, "''")}', hive_partitioning = false)`);
  const named = new Map<string, AvroSchemaObject>();
  collectNames(rowSchema, undefined, named);
  return rows.map((r) => fromDuck(new DuckDBStructValue(r), rowSchema, named) as AvroRecord);
}
