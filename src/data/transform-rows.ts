import { DataError, FleetwaveError, InputError } from '../util/errors.js';
import type { AvroRecord } from './avro/types.js';

/** Applies a record transform to a batch; an error names the file and the row (1-based, within the file). */
export function transformRows(
  batch: readonly AvroRecord[],
  apply: (r: AvroRecord) => AvroRecord,
  file: string,
  rowsBefore: number,
): AvroRecord[] {
  const out = new Array<AvroRecord>(batch.length);
  for (let i = 0; i < batch.length; i++) {
    try {
      out[i] = apply(batch[i]!);
    } catch (err) {
      const message = `${file}: row ${rowsBefore + i + 1}: ${(err as Error).message}`;
      if (err instanceof InputError) throw new InputError(message, { cause: err });
      if (err instanceof FleetwaveError) throw new DataError(message, { cause: err });
      throw new DataError(`${message} (the transform failed on this row)`, { cause: err });
    }
  }
  return out;
}
