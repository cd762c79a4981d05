/**
 * Avro schema resolution (the specification's "Schema Resolution"): can data written with `writer` be
 * read with `reader`? Every incompatibility is named with its path and reason, not just the first.
 *
 * One rule is stricter than Avro's: a logical type that changes (timestamp-millis → timestamp-micros,
 * a decimal's precision or scale, a logical type added or removed) is an incompatibility, because the
 * same stored number then means another value to the consumer even though Avro would decode it.
 */
import {
  NamedTypes,
  decimalParams,
  fullName,
  isPrimitiveName,
  namespaceOf,
  shortName,
  type AvroArraySchema,
  type AvroEnumSchema,
  type AvroField,
  type AvroFixedSchema,
  type AvroMapSchema,
  type AvroNamedSchema,
  type AvroRecordSchema,
  type AvroSchema,
} from '../transform/avro-schema.js';

export interface Incompatibility {
  /** Where in the schema: the root record's name, then fields joined by `.`, `[]` for array items, `{}` for map values. */
  path: string;
  reason: string;
}

/** A schema with the registry of its named types (each side resolves names in its own schema). */
export class SchemaSide {
  readonly names: NamedTypes;
  constructor(readonly root: AvroSchema) {
    this.names = new NamedTypes(root);
  }
}

interface Node {
  schema: AvroSchema; // resolved: never a name reference
  ns: string | undefined; // namespace in force for the node's children
}

/** The node a schema stands for, a name reference followed to its definition. */
function deref(side: SchemaSide, schema: AvroSchema, ns: string | undefined): Node {
  if (typeof schema === 'string' && !isPrimitiveName(schema)) {
    const def = side.names.resolve(schema, ns) as AvroNamedSchema;
    return { schema: def, ns: namespaceOf(side.names.referencedName(schema, ns)) };
  }
  if (
    typeof schema === 'object' &&
    !Array.isArray(schema) &&
    'name' in schema &&
    (schema.type === 'record' || schema.type === 'error' || schema.type === 'enum' || schema.type === 'fixed')
  ) {
    return { schema, ns: namespaceOf(fullName((schema as AvroNamedSchema).name, ns, (schema as AvroNamedSchema).namespace)) };
  }
  return { schema, ns };
}

type Kind =
  'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string' | 'record' | 'enum' | 'fixed' | 'array' | 'map' | 'union';

function kindOf(s: AvroSchema): Kind {
  if (Array.isArray(s)) return 'union';
  if (typeof s === 'string') return s as Kind;
  const t = (s as { type: unknown }).type;
  if (t === 'error') return 'record';
  return typeof t === 'string' ? (t as Kind) : kindOf(t as AvroSchema);
}

/** A short name for a schema in messages: `long`, `record PlayEvent`, `array`, `union [null, string]`. */
export function describeType(s: AvroSchema): string {
  if (Array.isArray(s)) return `union [${s.map(describeType).join(', ')}]`;
  if (typeof s === 'string') return s;
  const lt =
    typeof s.logicalType === 'string'
      ? ` (${s.logicalType}${s.logicalType === 'decimal' ? `(${String(s.precision)},${String(s.scale ?? 0)})` : ''})`
      : '';
  if ('name' in s && typeof s.name === 'string') return `${String(s.type)} ${s.name}${lt}`;
  const t = (s as { type: unknown }).type;
  return `${typeof t === 'string' ? t : describeType(t as AvroSchema)}${lt}`;
}

/** Writer type → the reader types it promotes to. */
const promotions: Record<string, readonly Kind[]> = {
  int: ['long', 'float', 'double'],
  long: ['float', 'double'],
  float: ['double'],
  string: ['bytes'],
  bytes: ['string'],
};

class Resolver {
  /** Pairs of named types being resolved, so recursive types end. */
  private readonly inProgress = new Set<string>();

  constructor(
    private readonly reader: SchemaSide,
    private readonly writer: SchemaSide,
  ) {}

  resolve(r: Node, w: Node, path: string, out: Incompatibility[]): void {
    const rk = kindOf(r.schema);
    const wk = kindOf(w.schema);
    if (wk === 'union') {
      const branches = w.schema as AvroSchema[];
      for (const b of branches) {
        const wb = deref(this.writer, b, w.ns);
        if (rk === 'union') {
          this.resolveIntoReaderUnion(r, wb, path, out, `the writer's union branch ${describeType(wb.schema)}`);
        } else {
          const inner: Incompatibility[] = [];
          this.resolve(r, wb, path, inner);
          if (inner.length)
            out.push(...inner.map((i) => ({ ...i, reason: `${i.reason} (writer's union branch ${describeType(wb.schema)})` })));
        }
      }
      return;
    }
    if (rk === 'union') {
      this.resolveIntoReaderUnion(r, w, path, out, `the writer's ${describeType(w.schema)}`);
      return;
    }
    if (!this.shallowMatch(r, w)) {
      out.push({ path, reason: `the writer's ${describeType(w.schema)} cannot be read as ${describeType(r.schema)}` });
      return;
    }
    this.logicalTypes(r.schema, w.schema, path, out);
    switch (rk) {
      case 'record':
        return this.records(r, w, path, out);
      case 'enum':
        return this.enums(r.schema as AvroEnumSchema, w.schema as AvroEnumSchema, path, out);
      case 'fixed': {
        const [rs, ws] = [(r.schema as AvroFixedSchema).size, (w.schema as AvroFixedSchema).size];
        if (rs !== ws) out.push({ path, reason: `fixed size changes from ${ws} to ${rs} bytes` });
        return;
      }
      case 'array':
        return this.resolve(
          deref(this.reader, (r.schema as AvroArraySchema).items, r.ns),
          deref(this.writer, (w.schema as AvroArraySchema).items, w.ns),
          `${path}[]`,
          out,
        );
      case 'map':
        return this.resolve(
          deref(this.reader, (r.schema as AvroMapSchema).values, r.ns),
          deref(this.writer, (w.schema as AvroMapSchema).values, w.ns),
          `${path}{}`,
          out,
        );
      default:
        return;
    }
  }

  /** The first reader branch that reads the writer's value without problems; else the problems of the first branch of the same kind. */
  private resolveIntoReaderUnion(r: Node, w: Node, path: string, out: Incompatibility[], what: string): void {
    let firstShallow: Incompatibility[] | undefined;
    for (const b of r.schema as AvroSchema[]) {
      const rb = deref(this.reader, b, r.ns);
      if (kindOf(rb.schema) === 'union' || !this.shallowMatch(rb, w)) continue;
      const inner: Incompatibility[] = [];
      this.resolve(rb, w, path, inner);
      if (inner.length === 0) return;
      firstShallow ??= inner;
    }
    if (firstShallow) out.push(...firstShallow);
    else out.push({ path, reason: `${what} matches no branch of the reader's ${describeType(r.schema)}` });
  }

  /** Avro's "match": same kind (or a promotion), and for named types the same name or a reader alias. */
  private shallowMatch(r: Node, w: Node): boolean {
    const rk = kindOf(r.schema);
    const wk = kindOf(w.schema);
    if (rk !== wk) return (promotions[wk] ?? []).includes(rk);
    if (rk === 'record' || rk === 'enum' || rk === 'fixed') return this.namesMatch(r, w);
    return true;
  }

  private namesMatch(r: Node, w: Node): boolean {
    const rs = r.schema as AvroNamedSchema;
    const ws = w.schema as AvroNamedSchema;
    const wFull = fullName(ws.name, undefined, w.ns);
    if (shortName(rs.name) === shortName(ws.name)) return true;
    const readerNs = r.ns;
    return (rs.aliases ?? []).some((a) => fullName(a, readerNs) === wFull || shortName(a) === shortName(ws.name));
  }

  private logicalTypes(r: AvroSchema, w: AvroSchema, path: string, out: Incompatibility[]): void {
    const rl = logicalOf(r);
    const wl = logicalOf(w);
    if (rl !== wl)
      out.push({
        path,
        reason: `the logical type changes from ${wl ?? 'none'} to ${rl ?? 'none'}: the same stored value would mean something else`,
      });
  }

  private records(r: Node, w: Node, path: string, out: Incompatibility[]): void {
    const rs = r.schema as AvroRecordSchema;
    const ws = w.schema as AvroRecordSchema;
    const key = `${fullName(rs.name, undefined, r.ns)}<-${fullName(ws.name, undefined, w.ns)}`;
    if (this.inProgress.has(key)) return;
    this.inProgress.add(key);
    try {
      for (const rf of rs.fields) {
        const wf = findWriterField(rf, ws.fields);
        const fieldPath = `${path}.${rf.name}`;
        if (!wf) {
          if (!('default' in rf)) {
            out.push({
              path: fieldPath,
              reason: `the reader's field "${rf.name}" has no default and the writer has no such field${rf.aliases?.length ? ` (nor ${rf.aliases.join(', ')})` : ''}`,
            });
          }
          continue;
        }
        this.resolve(deref(this.reader, rf.type, r.ns), deref(this.writer, wf.type, w.ns), fieldPath, out);
      }
    } finally {
      this.inProgress.delete(key);
    }
  }

  private enums(r: AvroEnumSchema, w: AvroEnumSchema, path: string, out: Incompatibility[]): void {
    const missing = w.symbols.filter((s) => !r.symbols.includes(s));
    if (missing.length === 0) return;
    if (r.default !== undefined && r.symbols.includes(r.default)) return;
    out.push({ path, reason: `the writer's enum symbols ${missing.join(', ')} are not in the reader's enum, which has no default symbol` });
  }
}

function findWriterField(rf: AvroField, writerFields: AvroField[]): AvroField | undefined {
  return writerFields.find((f) => f.name === rf.name) ?? writerFields.find((f) => (rf.aliases ?? []).includes(f.name));
}

function logicalOf(s: AvroSchema): string | undefined {
  if (typeof s !== 'object' || Array.isArray(s) || typeof s.logicalType !== 'string') return undefined;
  if (s.logicalType === 'decimal') {
    const p = decimalParams(s);
    return p ? `decimal(${p.precision},${p.scale})` : undefined; // Avro ignores an invalid decimal
  }
  return s.logicalType;
}

/** Every reason data written with `writer` cannot be read with `reader` (empty: it can). */
export function resolutionProblems(reader: SchemaSide, writer: SchemaSide): Incompatibility[] {
  const out: Incompatibility[] = [];
  const resolver = new Resolver(reader, writer);
  const r = deref(reader, reader.root, undefined);
  const w = deref(writer, writer.root, undefined);
  resolver.resolve(r, w, rootName(reader.root), out);
  return out;
}

function rootName(s: AvroSchema): string {
  if (typeof s === 'object' && !Array.isArray(s) && 'name' in s && typeof s.name === 'string') return shortName(s.name);
  return '$';
}
