/**
 * The tests' Parquet reader: a file back into Fleetwave's value model (src/data/avro/types.ts), row
 * group by row group, with hyparquet: an implementation independent of the writer (parquet-wasm), so
 * that the writer's tests do not trust the writer to read its own output. The Avro schema stored in the
 * file's `parquet.avro.schema` metadata (or one given by the caller) says how each column maps back:
 * the inverse of src/data/parquet/mapping.ts. Values come out exactly as the Avro reader gives them: longs and
 * timestamps as bigint, decimals as Decimal, multi-type unions as `{ branch: value }`.
 *
 * ```ts
 * const reader = await ParquetFileReader.open('events.parquet');
 * for await (const rows of reader.batches()) for (const row of rows) use(row);
 * ```
 */
import { gunzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { DataError } from '../../../src/util/errors.js';
import { Decimal, twosComplementToBigInt } from '../../../src/data/avro/decimal.js';
import { rowSchemaOf } from '../../../src/data/avro/reader.js';
import { branchName, type AvroRecord, type AvroSchema, type AvroSchemaObject, type AvroValue } from '../../../src/data/avro/types.js';
import { AVRO_SCHEMA_KEY } from '../../../src/data/parquet/writer.js';

type Convert = (v: unknown) => AvroValue;

const PRIMITIVES = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

const toBuffer = (v: unknown): Buffer => {
  const u = v as Uint8Array;
  return Buffer.from(u.buffer, u.byteOffset, u.byteLength);
};
const isNull = (v: unknown) => v === null || v === undefined;

/** Compiles the converter from hyparquet's values to the value model for one Avro schema. */
function converterFor(schema: AvroSchema): (row: Record<string, unknown>) => AvroRecord {
  const named = new Map<string, AvroSchemaObject>();
  const qualify = (name: string, ns: string | undefined) => (name.includes('.') || !ns ? name : `${ns}.${name}`);
  const nsOf = (s: AvroSchemaObject, inherited: string | undefined) =>
    s.name?.includes('.') ? s.name.slice(0, s.name.lastIndexOf('.')) : (s.namespace ?? inherited);

  function conv(s: AvroSchema, ns: string | undefined): Convert {
    if (typeof s === 'string') {
      if (PRIMITIVES.has(s)) return primitive(s, undefined);
      const def = named.get(qualify(s, ns)) ?? named.get(s);
      if (!def) throw new DataError(`unknown type name "${s}" in the file's Avro schema`);
      return conv(def, nsOf(def, ns));
    }
    if (Array.isArray(s)) {
      const branches = s.filter((b) => !(b === 'null' || (typeof b === 'object' && !Array.isArray(b) && b.type === 'null')));
      if (branches.length === 0) return () => null;
      if (branches.length === 1) return nullable(conv(branches[0]!, ns));
      const members = branches.map((b, i) => ({ key: `member${i}`, name: branchName(b, ns), conv: conv(b, ns) }));
      return (v) => {
        if (isNull(v)) return null;
        const o = v as Record<string, unknown>;
        for (const m of members) if (!isNull(o[m.key])) return { [m.name]: m.conv(o[m.key]) };
        return null;
      };
    }
    const t = s.type;
    if (typeof t !== 'string') return conv(t, ns);
    switch (t) {
      case 'record':
      case 'error': {
        named.set(qualify(s.name ?? '', s.namespace ?? ns), s);
        const childNs = nsOf(s, ns);
        const fields = (s.fields ?? []).map((f) => ({ name: f.name, conv: conv(f.type, childNs) }));
        return nullable((v) => {
          const o = v as Record<string, unknown>;
          const out: AvroRecord = {};
          for (const f of fields) out[f.name] = f.conv(o[f.name]);
          return out;
        });
      }
      case 'enum':
        named.set(qualify(s.name ?? '', s.namespace ?? ns), s);
        return nullable((v) => v as string);
      case 'fixed':
        named.set(qualify(s.name ?? '', s.namespace ?? ns), s);
        return s.logicalType === 'decimal' ? decimal(s) : nullable(toBuffer);
      case 'array': {
        const item = conv(s.items as AvroSchema, ns);
        return nullable((v) => (v as unknown[]).map(item));
      }
      case 'map': {
        const value = conv(s.values as AvroSchema, ns);
        return nullable((v) => {
          const out: { [k: string]: AvroValue } = {};
          for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = value(x);
          return out;
        });
      }
      default:
        if (PRIMITIVES.has(t)) return primitive(t, s);
        return conv(t, ns);
    }
  }

  function nullable(c: Convert): Convert {
    return (v) => (isNull(v) ? null : c(v));
  }

  function primitive(t: string, s: AvroSchemaObject | undefined): Convert {
    if (t === 'null') return () => null;
    if (t === 'bytes') return s?.logicalType === 'decimal' ? decimal(s) : nullable(toBuffer);
    if (t === 'long') return nullable((v) => (typeof v === 'bigint' ? v : BigInt(v as number)));
    if (t === 'float' || t === 'double') return nullable((v) => Number(v));
    return nullable((v) => v as AvroValue);
  }

  function decimal(s: AvroSchemaObject): Convert {
    const scale = s.scale ?? 0;
    return nullable((v) => {
      if (v instanceof Uint8Array) return new Decimal(twosComplementToBigInt(v), scale);
      return new Decimal(BigInt(v as number | bigint), scale);
    });
  }

  const rowSchema = rowSchemaOf(schema);
  const rootNs = nsOf(rowSchema, undefined);
  named.set(qualify(rowSchema.name ?? '', rootNs), rowSchema);
  const fields = rowSchema.fields.map((f) => ({ name: f.name, conv: conv(f.type, rootNs) }));
  return (row) => {
    const out: AvroRecord = {};
    for (const f of fields) out[f.name] = f.conv(row[f.name]);
    return out;
  };
}

/** Leaves the raw stored integers or bytes of DECIMAL columns (hyparquet would turn them into floats). */
function withRawDecimals(metadata: FileMetaData): FileMetaData {
  return {
    ...metadata,
    schema: metadata.schema.map((e) =>
      e.converted_type === 'DECIMAL' || e.logical_type?.type === 'DECIMAL'
        ? { ...e, converted_type: undefined, logical_type: undefined }
        : e,
    ),
  };
}

const identity = <T>(v: T) => v;
const parsers = {
  timestampFromMilliseconds: identity,
  timestampFromMicroseconds: identity,
  timestampFromNanoseconds: identity,
  dateFromDays: identity,
  stringFromBytes: (b: Uint8Array) => (b === undefined ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8')),
  jsonFromBytes: identity,
  geometryFromBytes: identity,
  geographyFromBytes: identity,
  uuidFromBytes: identity,
};
const compressors = {
  ZSTD: (input: Uint8Array) => zstdDecompress(input),
  GZIP: (input: Uint8Array) => new Uint8Array(gunzipSync(input)),
};

export class ParquetFileReader {
  private constructor(
    readonly path: string,
    /** The Avro schema the rows follow. */
    readonly schema: AvroSchema,
    /** Rows in the file, from its footer. */
    readonly rowCount: number,
    private readonly file: AsyncBuffer,
    private readonly metadata: FileMetaData,
    private readonly convert: (row: Record<string, unknown>) => AvroRecord,
  ) {}

  /**
   * Opens a Parquet file. Its rows follow `schema` if given, else the Avro schema in the file's
   * `parquet.avro.schema` metadata (a DataError when there is none).
   */
  static async open(path: string, schema?: AvroSchema): Promise<ParquetFileReader> {
    let file: AsyncBuffer;
    let metadata: FileMetaData;
    try {
      file = await asyncBufferFromFile(path);
      metadata = await parquetMetadataAsync(file);
    } catch (err) {
      throw new DataError(`${path}: cannot read the Parquet file: ${(err as Error).message}`, { cause: err });
    }
    let avroSchema = schema;
    if (!avroSchema) {
      const entry = metadata.key_value_metadata?.find((kv) => kv.key === AVRO_SCHEMA_KEY);
      if (!entry?.value) throw new DataError(`${path}: no "${AVRO_SCHEMA_KEY}" metadata: pass the Avro schema the rows follow`);
      try {
        avroSchema = JSON.parse(entry.value) as AvroSchema;
      } catch (err) {
        throw new DataError(`${path}: the "${AVRO_SCHEMA_KEY}" metadata is not valid JSON`, { cause: err });
      }
    }
    return new ParquetFileReader(path, avroSchema, Number(metadata.num_rows), file, withRawDecimals(metadata), converterFor(avroSchema));
  }

  /** Number of row groups. */
  get rowGroups(): number {
    return this.metadata.row_groups.length;
  }

  /** Rows, one array per row group (memory bounded by one row group). */
  async *batches(): AsyncGenerator<AvroRecord[]> {
    let start = 0;
    for (const group of this.metadata.row_groups) {
      const end = start + Number(group.num_rows);
      let raw: Record<string, unknown>[];
      try {
        raw = await parquetReadObjects({
          file: this.file,
          metadata: this.metadata,
          rowStart: start,
          rowEnd: end,
          utf8: false,
          parsers,
          compressors,
        } as never);
      } catch (err) {
        throw new DataError(`${this.path}: cannot read rows ${start}–${end - 1}: ${(err as Error).message}`, { cause: err });
      }
      const rows = new Array<AvroRecord>(raw.length);
      for (let i = 0; i < raw.length; i++) rows[i] = this.convert(raw[i]!);
      start = end;
      yield rows;
    }
  }

  async *records(): AsyncGenerator<AvroRecord> {
    for await (const rows of this.batches()) yield* rows;
  }
}
