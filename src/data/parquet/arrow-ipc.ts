/**
 * Rows (value model) → one Arrow record batch as IPC stream bytes, the unit a worker thread hands
 * to the Parquet writer (ParquetFileWriter.writeArrowIpc). Transferable, so building columns can run
 * in other threads than the Parquet encoding.
 */
import { RecordBatch, RecordBatchStreamWriter } from 'apache-arrow';
import { DataError } from '../../util/errors.js';
import type { AvroRecord, AvroSchema } from '../avro/types.js';
import { ValueError } from './column-builders.js';
import { parquetLayoutFor, type ParquetLayout } from './mapping.js';

export class ArrowRowEncoder {
  private readonly layout: ParquetLayout;
  constructor(schema: AvroSchema) {
    this.layout = parquetLayoutFor(schema);
  }

  /** Encodes `rows`; `where(i)` names row i in an error (file and row number). */
  encode(rows: readonly AvroRecord[], where: (i: number) => string): Uint8Array {
    const root = this.layout.root;
    for (let i = 0; i < rows.length; i++) {
      try {
        root.append(rows[i]!);
      } catch (err) {
        root.finish();
        if (err instanceof ValueError)
          throw new DataError(`${where(i)}: ${err.message}; the row does not match the target schema`, { cause: err });
        throw err;
      }
    }
    const batch = new RecordBatch(this.layout.arrowSchema, root.finish() as never);
    return RecordBatchStreamWriter.writeAll([batch]).toUint8Array(true);
  }
}
