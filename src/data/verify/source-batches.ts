import { AvroFileReader, rowSchemaOf, type AvroReadOptions } from '../avro/reader.js';
import type { AvroRecord, AvroSchema as ReaderAvroSchema } from '../avro/types.js';
import { compileTransform, type CompiledTransform } from '../transform/apply.js';
import type { AvroSchema } from '../transform/avro-schema.js';
import type { TransformStep } from '../transform/schema.js';
import type { Batch } from './summary.js';

export type BatchSource = () => AsyncGenerator<Batch>;

/** Compiles the transform against the source file's row schema (read from its header). */
export async function sourceTransform(
  path: string,
  steps: readonly TransformStep[],
  readOptions: AvroReadOptions,
): Promise<CompiledTransform> {
  const reader = await AvroFileReader.open(path, readOptions);
  try {
    return compileTransform(rowSchemaOf(reader.schema as ReaderAvroSchema) as unknown as AvroSchema, steps);
  } finally {
    await reader.close();
  }
}

/** The transformed source, block by block, as columns in `names` order. */
export function sourceBatches(
  path: string,
  transform: CompiledTransform,
  names: readonly string[],
  readOptions: AvroReadOptions,
): BatchSource {
  return async function* () {
    const reader = await AvroFileReader.open(path, readOptions);
    try {
      for await (const rows of reader.batches()) {
        const n = rows.length;
        const columns = names.map(() => new Array<unknown>(n));
        for (let r = 0; r < n; r++) {
          const row = transform.identity ? rows[r]! : transform.transformRecord(rows[r] as AvroRecord);
          for (let c = 0; c < names.length; c++) columns[c]![r] = row[names[c]!];
        }
        yield { rows: n, columns };
      }
    } finally {
      await reader.close();
    }
  };
}
