import type { Readable } from 'node:stream';
import type { AvroReadOptions } from '../avro/reader.js';
import type { AvroRecord } from '../avro/types.js';
import { compileTransform, type CompiledTransform } from '../transform/apply.js';
import type { AvroSchema } from '../transform/avro-schema.js';
import type { TransformStep } from '../transform/schema.js';
import type { ObjectStorage } from '../storage/port.js';
import { FleetwaveError, DataError } from '../../util/errors.js';
import { avroObjectBatches, readAhead, readAvroHeader, rowSchemaFor, type ObjectRef } from './object-source.js';
import type { Batch } from './summary.js';

export type BatchSource = () => AsyncGenerator<Batch>;

/** Compiles the transform against the source object's row schema (read from its header, by a range). */
export async function sourceTransform(
  storage: ObjectStorage,
  object: ObjectRef,
  steps: readonly TransformStep[],
  readOptions: AvroReadOptions,
): Promise<CompiledTransform> {
  const header = await readAvroHeader(storage, object);
  return compileTransform(rowSchemaFor(header, readOptions) as unknown as AvroSchema, steps);
}

/** The rows of one object, transformed, as columns in `names` order. */
async function* objectBatches(
  stream: Readable,
  object: ObjectRef,
  transform: CompiledTransform,
  names: readonly string[],
  readOptions: AvroReadOptions,
): AsyncGenerator<Batch> {
  try {
    for await (const rows of avroObjectBatches(stream, object, readOptions)) {
      const n = rows.length;
      const columns = names.map(() => new Array<unknown>(n));
      for (let r = 0; r < n; r++) {
        const row = transform.identity ? rows[r]! : transform.transformRecord(rows[r] as AvroRecord);
        for (let c = 0; c < names.length; c++) columns[c]![r] = row[names[c]!];
      }
      yield { rows: n, columns };
    }
  } catch (err) {
    if (err instanceof FleetwaveError) throw err;
    throw new DataError(`${object.uri}: cannot read: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * The transformed source, object after object (the next objects read ahead while one is decoded),
 * block by block, as columns in `names` order. `transformOf` gives each object's compiled transform.
 */
export function sourceBatches(
  storage: ObjectStorage,
  objects: readonly ObjectRef[],
  transformOf: (object: ObjectRef) => Promise<CompiledTransform>,
  names: readonly string[],
  readOptions: AvroReadOptions,
): BatchSource {
  return async function* () {
    for await (const { object, stream } of readAhead(storage, objects)) {
      const transform = await transformOf(object);
      yield* objectBatches(stream, object, transform, names, readOptions);
    }
  };
}
