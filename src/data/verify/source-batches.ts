import type { Readable } from 'node:stream';
import { blockDecoderFor, type AvroReadOptions } from '../avro/reader.js';
import type { AvroRecord } from '../avro/types.js';
import { compileTransform, type CompiledTransform } from '../transform/apply.js';
import type { AvroSchema } from '../transform/avro-schema.js';
import type { TransformStep } from '../transform/schema.js';
import type { ObjectStorage } from '../storage/port.js';
import { FleetwaveError, DataError } from '../../util/errors.js';
import { avroObjectBatches, readAhead, rowSchemaFor, type AvroHeader, type ObjectRef } from './object-source.js';
import type { Batch } from './summary.js';

export type BatchSource = () => AsyncGenerator<Batch>;

/**
 * Compiles the transform against the source object's row schema (its header's, read by a range, or the
 * reader schema's). A writer schema that cannot be read as the reader schema is a schema mismatch,
 * found here before any row is read.
 */
export function sourceTransform(
  object: ObjectRef,
  header: AvroHeader,
  steps: readonly TransformStep[],
  readOptions: AvroReadOptions,
): CompiledTransform {
  if (readOptions.readerSchema) blockDecoderFor(object.uri, header.writerSchema, readOptions.readerSchema);
  return compileTransform(rowSchemaFor(header, readOptions) as unknown as AvroSchema, steps);
}

/** The rows of one object, transformed (the transform compiled against the header the stream starts with), as columns in `names` order. */
async function* objectBatches(
  stream: Readable,
  object: ObjectRef,
  steps: readonly TransformStep[],
  names: readonly string[],
  readOptions: AvroReadOptions,
): AsyncGenerator<Batch> {
  let transform: CompiledTransform | undefined;
  const onHeader = (header: AvroHeader): void => {
    transform = compiled(rowSchemaFor(header, readOptions), steps);
  };
  try {
    for await (const rows of avroObjectBatches(stream, object, readOptions, onHeader)) {
      const t = transform!;
      const n = rows.length;
      const columns = names.map(() => new Array<unknown>(n));
      for (let r = 0; r < n; r++) {
        const row = t.identity ? rows[r]! : t.transformRecord(rows[r] as AvroRecord);
        for (let c = 0; c < names.length; c++) columns[c]![r] = row[names[c]!];
      }
      yield { rows: n, columns };
    }
  } catch (err) {
    if (err instanceof FleetwaveError) throw err;
    throw new DataError(`${object.uri}: cannot read: ${(err as Error).message}`, { cause: err });
  }
}

/** The last compiled transform, reused while the objects' row schema stays the same. */
let lastCompiled: { schema: string; steps: readonly TransformStep[]; transform: CompiledTransform } | undefined;
function compiled(schema: unknown, steps: readonly TransformStep[]): CompiledTransform {
  const text = JSON.stringify(schema);
  if (lastCompiled?.schema === text && lastCompiled.steps === steps) return lastCompiled.transform;
  const transform = compileTransform(schema as AvroSchema, steps);
  lastCompiled = { schema: text, steps, transform };
  return transform;
}

/**
 * The transformed source, object after object (the next objects read ahead while one is decoded),
 * block by block, as columns in `names` order. Each object's header (the start of its stream) gives
 * the schema its transform is compiled against.
 */
export function sourceBatches(
  storage: ObjectStorage,
  objects: readonly ObjectRef[],
  steps: readonly TransformStep[],
  names: readonly string[],
  readOptions: AvroReadOptions,
): BatchSource {
  return async function* () {
    for await (const { object, stream } of readAhead(storage, objects)) {
      yield* objectBatches(stream, object, steps, names, readOptions);
    }
  };
}
