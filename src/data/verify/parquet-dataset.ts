/**
 * The target of a verification as one dataset: one Parquet object or several (a folder or prefix),
 * read through the storage port by byte ranges. Opening reads every object's footer (several at once);
 * rows are then read one object at a time. Every object must hold the same columns with the same types;
 * the row groups of all objects are numbered in one sequence (object by object), so that threads can
 * share them out (RowGroupClaims).
 */
import type { AvroSchema } from '../avro/types.js';
import type { ObjectStorage } from '../storage/port.js';
import { DataError } from '../../util/errors.js';
import { mapLimit, type ObjectRef } from './object-source.js';
import { ParquetColumnsReader, type ColumnBatch, type ParquetColumn, type RowGroupColumns } from './parquet-columns.js';

/** Footers read at once when a dataset is opened. */
const FOOTER_CONCURRENCY = 8;

interface FileFacts {
  object: ObjectRef;
  rows: number;
  rowGroups: number;
  /** Largest uncompressed size of one column chunk, by column name. */
  largestChunk: Map<string, number>;
}

export class ParquetDataset {
  private constructor(
    readonly storage: ObjectStorage,
    /** The objects, in key order. */
    readonly files: readonly FileFacts[],
    /** The columns (the same in every object). */
    readonly columns: readonly ParquetColumn[],
  ) {}

  /** Reads every object's metadata; refuses objects whose columns differ from the first one's. */
  static async open(storage: ObjectStorage, objects: readonly ObjectRef[]): Promise<ParquetDataset> {
    if (objects.length === 0) throw new DataError('no Parquet files to read');
    const shown = (cs: readonly ParquetColumn[]) => cs.map((c) => `${c.name} ${c.signature}`).join(', ');
    const opened = await mapLimit(objects, FOOTER_CONCURRENCY, async (object) => {
      const reader = await ParquetColumnsReader.openObject(storage, object);
      try {
        return {
          columns: reader.columns,
          facts: {
            object,
            rows: reader.rowCount,
            rowGroups: reader.rowGroupCount,
            largestChunk: new Map(reader.columns.map((c) => [c.name, reader.largestColumnChunk([c.name])])),
          },
        };
      } finally {
        await reader.close();
      }
    });
    const columns = opened[0]!.columns;
    for (const [i, o] of opened.entries()) {
      if (shown(o.columns) !== shown(columns)) {
        throw new DataError(
          `${objects[i]!.uri}: its columns (${shown(o.columns)}) differ from those of ${objects[0]!.uri} (${shown(columns)}); every file of the target must hold the same columns`,
        );
      }
    }
    return new ParquetDataset(
      storage,
      opened.map((o) => o.facts),
      columns,
    );
  }

  get rowCount(): number {
    return this.files.reduce((n, f) => n + f.rows, 0);
  }

  get rowGroupCount(): number {
    return this.files.reduce((n, f) => n + f.rowGroups, 0);
  }

  /** The largest uncompressed size of one column chunk among `names`, over all objects (bytes). */
  largestColumnChunk(names: readonly string[]): number {
    let largest = 0;
    for (const f of this.files) for (const n of names) largest = Math.max(largest, f.largestChunk.get(n) ?? 0);
    return largest;
  }

  /** The named columns, row group by row group, object by object (see ParquetColumnsReader.batches). */
  async *batches(
    names: readonly string[],
    expected: ReadonlyMap<string, AvroSchema | undefined>,
    namespace?: string,
  ): AsyncGenerator<ColumnBatch> {
    for (const f of this.files) {
      const reader = await ParquetColumnsReader.openObject(this.storage, f.object);
      try {
        yield* reader.batches(names, expected, namespace);
      } finally {
        await reader.close();
      }
    }
  }

  /**
   * The row groups whose numbers (in the one sequence over all objects) `claim` gives, in order: `claim`
   * must give increasing numbers, and -1 when there are no more. Objects with no claimed group are not
   * read. Each claimed group's column chunks are fetched at once.
   */
  static async *claimedGroups(
    storage: ObjectStorage,
    objects: readonly { object: ObjectRef; rowGroups: number }[],
    names: readonly string[],
    expected: ReadonlyMap<string, AvroSchema | undefined>,
    namespace: string | undefined,
    claim: () => number,
  ): AsyncGenerator<RowGroupColumns> {
    let wanted = claim();
    let first = 0; // the sequence number of the current object's first row group
    for (const { object, rowGroups } of objects) {
      if (wanted < 0) return;
      if (wanted >= first + rowGroups) {
        first += rowGroups; // nothing claimed in this object: its footer is not read again
        continue;
      }
      const reader = await ParquetColumnsReader.openObject(storage, object);
      try {
        for (const group of reader.groups(names, expected, namespace)) {
          if (wanted < 0) return;
          if (first + group.index !== wanted) continue; // claimed by another thread
          group.prefetch();
          yield group;
          wanted = claim();
        }
        first += reader.rowGroupCount;
      } finally {
        await reader.close();
      }
    }
  }
}
